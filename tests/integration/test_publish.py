"""`make build` publishes the marts for readers, atomically, and only after a build that succeeded.

Each test runs the README's build command itself (make build), on its own working database,
target folder and publish folder. The first build publishes the demo marts; the tests then check
what readers see: the same rows as the working database, in a read-only DuckDB file that a DuckDB
1.x reader opens, and in one Parquet file per mart; and that a failed build, a build killed with
SIGKILL, or a publish killed at any of its steps leaves readers one complete build, the same in
both forms, and the next publish succeeds and prunes.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from conftest import PROJECT_DIR, demo_data, write_csv_tables
from publish import KILL_ENV, KILL_STEPS, PUBLISH_STEPS

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
    output, _ = process.communicate(timeout=1800)
    return process.returncode, output


def published_state(published: Path) -> dict:
    """What a reader finds: the DuckDB file's bytes, the Parquet set, and the version `current` names."""
    parquet = published / "marts"
    return {
        "duckdb": hashlib.sha256((published / "customer_retention.duckdb").read_bytes()).hexdigest(),
        "version": os.readlink(published / "current"),
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
    (work / "make_build.log").write_text(output)
    return work


def test_make_build_publishes_every_mart(published_build):
    published = published_build / "published"
    assert_published_matches(published, published_build / "working.duckdb")
    assert (published / "customer_retention.duckdb").stat().st_mode & 0o222 == 0, "the published file is read-only"
    # the reader paths are fixed symlinks through `current`, which names one complete version
    assert os.readlink(published / "customer_retention.duckdb") == "current/customer_retention.duckdb"
    assert os.readlink(published / "marts") == "current/marts"
    assert os.readlink(published / "current").startswith(".versions/")
    assert (published / "current" / "_complete").is_file()
    connection = duckdb.connect(str(published / "customer_retention.duckdb"), read_only=True)
    meta = connection.execute("select marts, dbt_invocation_id from meta.publication").fetchall()
    connection.close()
    run_results = json.loads((published_build / "target" / "run_results.json").read_text())
    assert meta == [(len(list((published / "marts").glob("*.parquet"))), run_results["metadata"]["invocation_id"])]


def test_published_marts_carry_their_descriptions(published_build):
    """dbt writes each mart's description and its columns' as comments (persist_docs); the published
    file carries the same ones, so a BI tool opening it shows the project's documentation."""
    manifest = json.loads((published_build / "target" / "manifest.json").read_text())
    models = {node["name"]: node for node in manifest["nodes"].values()
              if node["resource_type"] == "model" and node["schema"] == "marts"}
    connection = duckdb.connect(str(published_build / "published" / "customer_retention.duckdb"), read_only=True)
    try:
        tables = connection.execute(
            "select table_name, comment from duckdb_tables() where schema_name = 'marts'").fetchall()
        columns = connection.execute(
            "select table_name, column_name, comment from duckdb_columns() where schema_name = 'marts'").fetchall()
    finally:
        connection.close()
    assert tables and columns
    for table, comment in tables:
        assert comment and comment == models[table]["description"], table
    for table, column, comment in columns:
        assert comment and comment == models[table]["columns"][column]["description"], f"{table}.{column}"


def test_make_build_names_the_files_it_built_and_published(published_build):
    """The last line names the working file and publish folder in use, not the defaults."""
    last = (published_build / "make_build.log").read_text().strip().splitlines()[-1]
    assert f"{published_build / 'working.duckdb'}" in last, last
    assert f"{published_build / 'published'}/" in last, last
    assert "customer_retention.duckdb" not in last, last


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
    # on a copy: the failed build leaves its working file built from other inputs, which the
    # module's other tests do not expect
    work = tmp_path / "work"
    shutil.copytree(published_build, work, symlinks=True)
    before = published_state(work / "published")
    tables = demo_data.edge_cases()
    tables["transactions"] = [dict(row, amount="?") for row in tables["transactions"]]  # a broken export
    write_csv_tables(tmp_path / "raw", tables)
    # --full-refresh: switching from the demo data to a folder otherwise stops before any model runs
    dbt_args = "--full-refresh --vars '" + json.dumps({"raw_source": "files", "raw_path": str(tmp_path / "raw")}) + "'"
    returncode, output = finished(make_build(work, dbt_args))
    assert returncode != 0
    assert "rejected_share_within_limit_stg_raw__transactions" in output
    assert "Published" not in output
    assert published_state(work / "published") == before


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


# Killing a publish at each of its steps (scripts/publish.py, KILL_STEPS), in three situations:
# "update" (two builds published before), "first" (nothing published yet) and "migration" (the
# old layout, a real DuckDB file and `marts` linked straight into .versions/). Each situation's
# steps are every step a run passes in it: a first publish prunes nothing.
KILL_CASES = (
    [("update", name) for name in PUBLISH_STEPS]
    + [("first", name) for name in PUBLISH_STEPS if name != "pruning"]
    + [("migration", name) for name in KILL_STEPS]
)
SWITCH = {"update": "current_switched", "first": "reader_links_ready", "migration": "current_switched"}
BEFORE = {"update": "build-2", "first": None, "migration": "build-old"}
PUBLISH = [sys.executable, str(PROJECT_DIR / "scripts" / "publish.py")]


def run_publish(working: Path, published: Path, invocation: str, kill_at: str | None = None):
    """scripts/publish.py as make build runs it, for a build whose dbt invocation id is `invocation`."""
    target = published.parent / f"target-{invocation}"
    target.mkdir(parents=True, exist_ok=True)
    (target / "run_results.json").write_text(json.dumps({"metadata": {"invocation_id": invocation}}))
    env = dict(os.environ, DBT_TARGET_PATH=str(target))
    env.pop(KILL_ENV, None)
    if kill_at:
        env[KILL_ENV] = kill_at
    return subprocess.run(PUBLISH + ["--database", str(working), "--publish-dir", str(published)],
                          env=env, capture_output=True, text=True, timeout=300)


def published_build_id(published: Path) -> str | None:
    """The build a reader finds, the same in both forms (None: nothing published at all)."""
    database, parquet = published / "customer_retention.duckdb", published / "marts"
    if not database.exists() and not parquet.exists():
        return None
    connection = duckdb.connect(str(database), read_only=True)
    try:
        in_duckdb = connection.execute("select dbt_invocation_id from meta.publication").fetchall()[0][0]
    finally:
        connection.close()
    in_parquet = json.loads((parquet / "_publication.json").read_text())["dbt_invocation_id"]
    assert in_duckdb == in_parquet, "the DuckDB file and the Parquet files are from different builds"
    return in_duckdb


def write_old_layout(working: Path, published: Path, scratch: Path) -> None:
    """What publish.py wrote before a version held both forms: a real read-only DuckDB file renamed
    into place, `marts` linked straight to a folder of Parquet files, and a killed run's temp file."""
    result = run_publish(working, scratch, "build-old")
    assert result.returncode == 0, result.stderr
    version = (scratch / "current").resolve()
    parquet = published / ".versions" / "20261201T000000000000Z-1"
    shutil.copytree(version / "marts", parquet)
    shutil.copy(version / "customer_retention.duckdb", published / "customer_retention.duckdb")
    (published / "customer_retention.duckdb").chmod(0o444)
    (published / "marts").symlink_to(Path(".versions") / parquet.name)
    (published / ".customer_retention.duckdb.tmp-20261201T000000000001Z-2").write_bytes(b"half")


@pytest.fixture(scope="module")
def before_the_kill(published_build, tmp_path_factory) -> dict:
    """Each situation's publish folder before the killed run, made once and copied per case."""
    working = published_build / "working.duckdb"
    base = tmp_path_factory.mktemp("before_the_kill")
    folders = {name: base / name / "published" for name in ("update", "first", "migration")}
    for folder in folders.values():
        folder.mkdir(parents=True)
    for invocation in ("build-1", "build-2"):
        result = run_publish(working, folders["update"], invocation)
        assert result.returncode == 0, result.stderr
    write_old_layout(working, folders["migration"], base / "scratch" / "published")
    assert published_build_id(folders["migration"]) == "build-old"
    return folders


@pytest.mark.parametrize(("situation", "kill_at"), KILL_CASES, ids=[f"{s}-{k}" for s, k in KILL_CASES])
def test_publish_killed_at_every_step_leaves_one_complete_build(published_build, before_the_kill, tmp_path,
                                                                 situation, kill_at):
    working = published_build / "working.duckdb"
    published = tmp_path / "published"
    shutil.copytree(before_the_kill[situation], published, symlinks=True)

    killed = run_publish(working, published, "build-new", kill_at=kill_at)
    assert killed.returncode == -signal.SIGKILL, f"never reached step {kill_at}: {killed.stderr}"
    # readers find one complete build, the same in both forms: the previous one until `current`
    # (on a first publish, the reader links) switches, the new one from then on
    switched = KILL_STEPS.index(kill_at) >= KILL_STEPS.index(SWITCH[situation])
    seen = published_build_id(published)
    assert seen == ("build-new" if switched else BEFORE[situation])
    if seen is not None:
        assert_published_matches(published, working)
        assert os.stat(published / "customer_retention.duckdb").st_mode & 0o222 == 0

    # the next publish succeeds, and keeps only its own version and the one readers had before it
    # (`current`'s, which on a first publish killed before the reader links existed nobody saw yet)
    current_before = published / "current" / "marts" / "_publication.json"
    previous = json.loads(current_before.read_text())["dbt_invocation_id"] if current_before.exists() else None
    result = run_publish(working, published, "build-next")
    assert result.returncode == 0, result.stderr
    assert published_build_id(published) == "build-next"
    assert os.readlink(published / "customer_retention.duckdb") == "current/customer_retention.duckdb"
    assert os.readlink(published / "marts") == "current/marts"
    assert list(published.glob(".*.tmp-*")) == []
    versions = {path.name: path for path in (published / ".versions").iterdir()}
    current = os.readlink(published / "current")
    assert current.startswith(".versions/") and current.split("/", 1)[1] in versions
    assert all((path / "_complete").is_file() for path in versions.values()), sorted(versions)
    kept = {json.loads((path / "marts" / "_publication.json").read_text())["dbt_invocation_id"]
            for path in versions.values()}
    assert kept == {"build-next"} | {build for build in (seen, previous) if build}
