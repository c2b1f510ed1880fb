"""`make build` publishes the marts for readers, atomically, and only after a build that succeeded.

Each test runs the README's build command itself (make build), on its own working database,
target folder and publish folder. The first build publishes the demo marts; the tests then check
what readers see: the same rows as the working database, in a read-only DuckDB file that a DuckDB
1.x reader opens, and in one Parquet file per mart; and that a failed build, a build killed with
SIGKILL, or a publish step killed at any moment leaves the published marts complete and readable.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from conftest import PROJECT_DIR, demo_data, write_csv_tables

# The DuckDB release a BI tool of today most likely embeds: its reader must open the published file.
OLD_DUCKDB = "duckdb==1.4.4"
OLD_READER_VENV = Path(os.environ.get("TMPDIR", "/tmp")) / "customer_retention_duckdb_1_4_reader"


def make_env(work: Path) -> dict:
    env = dict(os.environ)
    env.update({
        "DBT_DUCKDB_PATH": str(work / "working.duckdb"),
        "DBT_TARGET_PATH": str(work / "target"),
        "DBT_LOG_PATH": str(work / "logs"),
        "DBT_TARGET": "dev",
        "CUSTOMER_RETENTION_PUBLISH_DIR": str(work / "published"),
    })
    env.pop("MAKEFLAGS", None)
    env.pop("MAKELEVEL", None)
    return env


def make_build(work: Path, dbt_args: str = "", **popen) -> subprocess.Popen:
    return subprocess.Popen(
        ["make", "--no-print-directory", "build", f"DBT_ARGS={dbt_args}"],
        cwd=PROJECT_DIR, env=make_env(work), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True, **popen,
    )


def finished(process: subprocess.Popen) -> tuple[int, str]:
    output, _ = process.communicate(timeout=900)
    return process.returncode, output


def published_state(published: Path) -> dict:
    """What a reader finds: the DuckDB file's bytes, and the Parquet set the `marts` link points at."""
    parquet = published / "marts"
    return {
        "duckdb": hashlib.sha256((published / "customer_retention.duckdb").read_bytes()).hexdigest(),
        "parquet_version": os.readlink(parquet),
        "parquet": {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(parquet.iterdir())},
    }


def assert_published_matches(published: Path, working: Path) -> None:
    """Every mart of the working database is in the published DuckDB file and in its Parquet file,
    with the same rows (`except all` both ways), and nothing else is."""
    connection = duckdb.connect()
    try:
        connection.execute(f"attach '{working}' as working (read_only)")
        connection.execute(f"attach '{published / 'customer_retention.duckdb'}' as published (read_only)")
        def marts(catalog):
            return [name for (name,) in connection.execute(
                "select table_name from information_schema.tables where table_catalog = ?"
                " and table_schema = 'marts' order by 1", [catalog]).fetchall()]
        names = marts("working")
        assert names and marts("published") == names
        parquet_files = sorted(path.stem for path in (published / "marts").glob("*.parquet"))
        assert parquet_files == names
        for name in names:
            for copy in (f"published.marts.{name}", f"read_parquet('{published / 'marts' / (name + '.parquet')}')"):
                for left, right in ((f"working.marts.{name}", copy), (copy, f"working.marts.{name}")):
                    extra = connection.execute(
                        f"select count(*) from (select * from {left} except all select * from {right})").fetchall()
                    assert extra == [(0,)], f"{name}: {left} has rows that {right} lacks"
    finally:
        connection.close()


@pytest.fixture(scope="module")
def published_build(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("publish")
    returncode, output = finished(make_build(work))
    assert returncode == 0, output[-5000:]
    assert "Published" in output
    return work


def test_make_build_publishes_every_mart(published_build):
    published = published_build / "published"
    assert_published_matches(published, published_build / "working.duckdb")
    assert (published / "customer_retention.duckdb").stat().st_mode & 0o222 == 0, "the published file is read-only"
    assert (published / "marts").is_symlink()
    connection = duckdb.connect(str(published / "customer_retention.duckdb"), read_only=True)
    meta = connection.execute("select marts, dbt_invocation_id from meta.publication").fetchall()
    connection.close()
    run_results = json.loads((published_build / "target" / "run_results.json").read_text())
    assert meta == [(len(list((published / "marts").glob("*.parquet"))), run_results["metadata"]["invocation_id"])]


def old_reader_python() -> Path:
    python = OLD_READER_VENV / "bin" / "python"
    check = [str(python), "-c", "import duckdb; print(duckdb.__version__)"]
    if not python.exists() or subprocess.run(check, capture_output=True, text=True).stdout.strip() != OLD_DUCKDB.split("==")[1]:
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(OLD_READER_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", OLD_DUCKDB], check=True, timeout=600)
    return python


def test_published_file_opens_in_a_duckdb_1_4_reader(published_build):
    """BI tools embed DuckDB 1.x, which cannot open files in duckdb 2.x's default storage."""
    published = published_build / "published" / "customer_retention.duckdb"
    reader = (
        "import duckdb, json, sys\n"
        "connection = duckdb.connect(sys.argv[1], read_only=True)\n"
        "names = [n for (n,) in connection.execute(\"select table_name from information_schema.tables\"\n"
        "    \" where table_schema = 'marts' order by 1\").fetchall()]\n"
        "print(json.dumps({n: connection.execute(f'select count(*) from marts.{n}').fetchall()[0][0] for n in names}))\n"
    )
    result = subprocess.run([str(old_reader_python()), "-c", reader, str(published)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    counts = json.loads(result.stdout)
    connection = duckdb.connect(str(published), read_only=True)
    expected = {name: connection.execute(f"select count(*) from marts.{name}").fetchall()[0][0] for name in counts}
    connection.close()
    assert counts == expected and len(counts) >= 10


def test_failed_build_leaves_the_published_marts_alone(published_build, tmp_path):
    before = published_state(published_build / "published")
    tables = demo_data.edge_cases()
    tables["transactions"] = [dict(row, amount="?") for row in tables["transactions"]]  # a broken export
    write_csv_tables(tmp_path / "raw", tables)
    dbt_args = "--vars '" + json.dumps({"raw_source": "files", "raw_path": str(tmp_path / "raw")}) + "'"
    returncode, output = finished(make_build(published_build, dbt_args))
    assert returncode != 0
    assert "rejected_share_within_limit_stg_raw__transactions" in output
    assert "Published" not in output
    assert published_state(published_build / "published") == before


def wait_for(path: Path, text: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and text in path.read_text(errors="replace"):
            return
        time.sleep(0.05)
    pytest.fail(f"{text!r} never appeared in {path}")


def test_build_killed_midway_leaves_the_published_marts_intact(published_build):
    before = published_state(published_build / "published")
    process = make_build(published_build)
    # kill the whole process group (make, dbt, its threads) once dbt has replaced some tables
    wait_for(published_build / "logs" / "dbt.log", "OK created sql table model intermediate.", timeout=300)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    assert published_state(published_build / "published") == before
    # a reader still gets every mart; then the next build repairs the working file and publishes
    returncode, output = finished(make_build(published_build))
    assert returncode == 0, output[-5000:]
    assert_published_matches(published_build / "published", published_build / "working.duckdb")


@pytest.mark.parametrize("delay", [0.0, 0.1, 0.2, 0.4, 0.7, 1.0])
def test_publish_killed_at_any_moment_leaves_a_complete_version(published_build, delay):
    published = published_build / "published"
    publish = [sys.executable, str(PROJECT_DIR / "scripts" / "publish.py")]
    subprocess.run(publish, cwd=PROJECT_DIR, env=make_env(published_build), check=True, capture_output=True)
    process = subprocess.Popen(publish, cwd=PROJECT_DIR, env=make_env(published_build),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    process.kill()
    process.wait(timeout=60)
    # whichever moment it died, readers find complete marts (the old version or the new one)
    assert_published_matches(published, published_build / "working.duckdb")
    # and the next run clears what the killed one left half-written
    subprocess.run(publish, cwd=PROJECT_DIR, env=make_env(published_build), check=True, capture_output=True)
    assert list(published.glob(".*.tmp-*")) == []
    assert len(list((published / ".versions").iterdir())) <= 3
