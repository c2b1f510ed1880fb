"""Helpers for the integration tests: write raw data sets, run dbt on them, read the marts.

Each build gets its own DuckDB file, target path and log path under pytest's tmp_path, so tests
never contend with each other or with a developer's build for a file lock.
"""

from __future__ import annotations

import csv
import fcntl
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_DIR / "scripts"))

import demo_data  # noqa: E402


# `make test` runs these tests on two pytest-xdist workers (--dist loadgroup). The tests that share
# a module-scoped build form one group, which runs on one worker, so no build is made twice: a
# module is a group, split further where its builds are independent (per engine and data set in
# test_engines, per case in test_incremental_runs). The longest groups (minutes in CI) are queued
# first, so that the two workers finish at about the same time; the others follow in collection
# order (make test passes --no-loadscope-reorder, or xdist would order groups by their number of
# tests instead).
SPLIT_BY_PARAMETER = {"test_incremental_runs": "sliced", "test_engines": "data_set"}
# (Seconds per group: target/pytest-report.xml.)
LONGEST_GROUPS_FIRST = ("test_engines-spark-demo", "test_bad_input_quarantined", "test_incremental_runs",
                        "test_first_day", "test_engines-spark", "test_incremental_staging",
                        "test_marts_match_oracle", "test_incremental_events", "test_event_marts_match_oracle",
                        "test_publish", "test_bad_input_fails_clearly", "test_dashboard")


def test_group(item) -> str:
    module = item.module.__name__.rpartition(".")[2]
    parts = [module]
    for engine in ("spark", "postgres"):
        if item.get_closest_marker(engine):
            parts.append(engine)
    parameter = SPLIT_BY_PARAMETER.get(module)
    if parameter and hasattr(item, "callspec") and parameter in item.callspec.params:
        parts.append(str(item.callspec.params[parameter]))
    return "-".join(parts)


# tryfirst: pytest-xdist reads the xdist_group marks in its own pytest_collection_modifyitems, so
# they must be set before it runs
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    def rank(group: str) -> int:
        prefixes = [i for i, name in enumerate(LONGEST_GROUPS_FIRST) if group.startswith(name)]
        return prefixes[0] if prefixes else len(LONGEST_GROUPS_FIRST)

    groups = {item: test_group(item) for item in items}
    first_seen = {}
    for index, item in enumerate(items):
        first_seen.setdefault(groups[item], index)
    # a stable sort that keeps each group's tests together and in their order
    items.sort(key=lambda item: (rank(groups[item]), first_seen[groups[item]]))
    for item in items:
        item.add_marker(pytest.mark.xdist_group(groups[item]))


def load_python_model(name: str):
    """A dbt Python model of models/intermediate/lifetime_value as a plain module, so that the
    tests call the code dbt runs."""
    spec = importlib.util.spec_from_file_location(
        name, PROJECT_DIR / "models" / "intermediate" / "lifetime_value" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_csv_tables(folder: Path, tables: dict[str, list[dict]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        demo_data.write_csv(folder / f"{name}.csv", name, rows)


def write_parquet_table(folder: Path, name: str, rows: list[dict], types: dict[str, str]) -> None:
    """One raw table as a typed Parquet file, written through a CSV so DuckDB does the typing."""
    folder.mkdir(parents=True, exist_ok=True)
    staging = folder / f"_{name}.csv"
    demo_data.write_csv(staging, name, rows)
    select_list = ", ".join(
        f"cast(nullif({column}, '') as {types.get(column, 'varchar')}) as {column}"
        for column in demo_data.COLUMNS[name]
    )
    connection = duckdb.connect()
    try:
        connection.execute("set TimeZone = 'UTC'")
        connection.execute(
            f"copy (select {select_list} from read_csv('{staging}', header = true, all_varchar = true))"
            f" to '{folder / (name + '.parquet')}' (format parquet)"
        )
    finally:
        connection.close()
    staging.unlink()


def run_dbt(work_dir: Path, variables: dict, command: str = "build",
            extra_arguments: tuple[str, ...] = (), target: str = "dev",
            extra_env: dict | None = None, write_json: bool = False) -> subprocess.CompletedProcess:
    """Run `dbt <command>` on the project with its own database, target and log paths.
    target is a profiles.yml output (dev is DuckDB); extra_env points it at its own database.
    dbt writes manifest.json, semantic_manifest.json and run_results.json only with write_json,
    for the tests that read them: writing them is about 3 s of each run's fixed cost."""
    env = dict(os.environ)
    env.update({
        "DBT_PROFILES_DIR": str(PROJECT_DIR),
        "DBT_DUCKDB_PATH": str(work_dir / "retention.duckdb"),
        "DBT_LOG_PATH": str(work_dir / "logs"),
        "DBT_TARGET": target,
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "SPARK_LOCAL_IP": "127.0.0.1",
        **(extra_env or {}),
    })
    dbt = Path(sys.executable).parent / "dbt"
    return subprocess.run(
        [str(dbt), command, "--project-dir", str(PROJECT_DIR), "--target-path", str(work_dir / "target"),
         "--vars", json.dumps(variables), *(() if write_json else ("--no-write-json",)), *extra_arguments],
        # a guard against a hung build, not a time limit: Spark's demo build with its unit tests
        # takes minutes, and longer on a machine busy with the other worker's builds
        cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=3600,
    )


def build(work_dir: Path, variables: dict, unit_tests: bool = False, write_json: bool = False) -> Path:
    """dbt build with every data test, failing the test with dbt's output when it does not succeed.
    Unit tests do not depend on the data, so the main dbt build (`make dbt-test`) runs them and
    these builds skip them unless asked."""
    skip = () if unit_tests else ("--exclude-resource-type", "unit_test")
    result = run_dbt(work_dir, variables, extra_arguments=skip, write_json=write_json)
    if result.returncode != 0:
        pytest.fail(f"dbt build failed with {variables}:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}")
    return work_dir / "retention.duckdb"


def built_once(name: str, tmp_path_factory, make: Callable[[Path], object]) -> Path:
    """A work dir that make(work_dir) builds once per test run, however many pytest-xdist workers
    ask for it: the first takes a lock and builds, the others wait for it and read the same files.
    Only for builds that no test writes to afterwards."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    # the workers' temporary folders share a parent made for this run
    root = tmp_path_factory.getbasetemp().parent if worker else tmp_path_factory.getbasetemp()
    work = root / f"built-once-{name}"
    with (root / f"built-once-{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (work / ".built").exists():
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir()
            make(work)
            (work / ".built").touch()
    return work


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory) -> Path:
    """The work dir of the demo data's full `dbt build` on DuckDB, unit tests included (what
    `make dbt-test` runs): read by the oracle, dashboard and cross-engine tests."""
    return built_once("demo", tmp_path_factory, lambda work: build(work, {}, unit_tests=True, write_json=True))


def mart_names(connection, catalog: str) -> list[str]:
    rows = connection.execute(
        "select table_name from information_schema.tables where table_catalog = ? and table_schema = 'marts'"
        " order by table_name", [catalog]).fetchall()
    return [name for (name,) in rows]


def mart_row_differences(left: Path, right: Path, skip=frozenset()) -> dict[str, tuple[int, int]]:
    """Per mart of two DuckDB builds, the number of rows only in left and only in right
    (`except all` both ways); marts that are equal are left out, so {} means identical."""
    connection = duckdb.connect()
    try:
        connection.execute(f"attach '{left}' as lhs (read_only)")
        connection.execute(f"attach '{right}' as rhs (read_only)")
        names = mart_names(connection, "lhs")
        assert names == mart_names(connection, "rhs"), "the two builds have different marts"
        differences = {}
        for name in names:
            if name in skip:
                continue
            only_left = connection.execute(
                f"select count(*) from (select * from lhs.marts.{name} except all select * from rhs.marts.{name})"
            ).fetchall()[0][0]
            only_right = connection.execute(
                f"select count(*) from (select * from rhs.marts.{name} except all select * from lhs.marts.{name})"
            ).fetchall()[0][0]
            if only_left or only_right:
                differences[name] = (only_left, only_right)
        return differences
    finally:
        connection.close()


def staged_row_differences(left: Path, right: Path, tables, ignore=frozenset(),
                           schema: str = "staging") -> dict[str, tuple[int, int]]:
    """Per table (or view) of `schema` of two DuckDB builds, the number of rows only in left and
    only in right (`except all` both ways) over every column but those in `ignore`; equal tables
    are left out, so {} means identical."""
    connection = duckdb.connect()
    try:
        connection.execute(f"attach '{left}' as lhs (read_only)")
        connection.execute(f"attach '{right}' as rhs (read_only)")
        differences = {}
        for table in tables:
            columns = ", ".join(name for (name,) in connection.execute(
                "select column_name from information_schema.columns where table_catalog = 'lhs'"
                " and table_schema = ? and table_name = ? order by ordinal_position", [schema, table]).fetchall()
                if name not in ignore)
            counts = tuple(connection.execute(
                f"select count(*) from (select {columns} from {a}.{schema}.{table}"
                f" except all select {columns} from {b}.{schema}.{table})").fetchall()[0][0]
                for a, b in (("lhs", "rhs"), ("rhs", "lhs")))
            if any(counts):
                differences[table] = counts
        return differences
    finally:
        connection.close()


def rows_as_dicts(cursor) -> list[dict]:
    """Every row of an executed DB-API cursor (DuckDB's or psycopg2's), as column -> value."""
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def read_mart(database: Path, mart: str, schema: str = "marts") -> list[dict]:
    connection = duckdb.connect(str(database), read_only=True)
    try:
        return rows_as_dicts(connection.execute(f"select * from {schema}.{mart}"))
    finally:
        connection.close()


def index_by_key(rows: list[dict], key_columns: tuple[str, ...], where: str, normalise=lambda v: v) -> dict:
    """The rows by their key, failing on a duplicate key."""
    indexed = {tuple(normalise(row[k]) for k in key_columns): row for row in rows}
    assert len(indexed) == len(rows), f"{where}: duplicate keys"
    return indexed


def assert_same_keys(actual: dict, expected: dict, where: str) -> None:
    assert set(actual) == set(expected), (
        f"{where}: keys differ; missing {sorted(set(expected) - set(actual))[:5]},"
        f" unexpected {sorted(set(actual) - set(expected))[:5]}"
    )


def assert_same_value(actual, expected, where: str) -> None:
    if expected is None or actual is None:
        assert actual == expected, f"{where}: got {actual!r}, expected {expected!r}"
    elif isinstance(expected, bool) or isinstance(actual, bool):
        assert actual == expected, f"{where}: got {actual!r}, expected {expected!r}"
    elif isinstance(expected, Decimal):
        assert Decimal(str(actual)) == expected, f"{where}: got {actual!r}, expected {expected!r}"
    elif isinstance(expected, float):
        assert abs(float(actual) - expected) <= 1e-9 * max(1.0, abs(expected)), (
            f"{where}: got {actual!r}, expected {expected!r}"
        )
    else:
        assert actual == expected, f"{where}: got {actual!r}, expected {expected!r}"


def assert_mart_matches(database: Path, mart: str, expected: dict[tuple, dict], key_columns: tuple[str, ...],
                        grain: str | None = None, schema: str = "marts"):
    """The mart (or another model, in `schema`) holds exactly the expected rows (only those of
    `grain`, when given), and every expected column has the expected value."""
    rows = read_mart(database, mart, schema)
    if grain is not None:
        rows = [row for row in rows if row["period_grain"] == grain]
    actual = index_by_key(rows, key_columns, mart)
    assert_same_keys(actual, expected, mart)
    for key, expected_row in expected.items():
        for column, value in expected_row.items():
            assert_same_value(actual[key][column], value, f"{mart}{key}.{column}")
    return rows


def read_csv_folder(folder: Path, prefix: str = "") -> dict[str, list[dict]]:
    tables = {}
    for name in demo_data.COLUMNS:
        with (folder / f"{prefix}{name}.csv").open(newline="") as handle:
            tables[name] = list(csv.DictReader(handle))
    return tables
