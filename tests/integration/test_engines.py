"""One code base, three engines: the same data built on DuckDB, PostgreSQL and Spark gives the same
marts, row by row, and PostgreSQL's BI role reads the marts and nothing else.

Data sets, each loaded the way a user would on that engine:
- demo: the seeds (raw_source demo), subscription mode, monthly;
- simulated: a generated business plus the hand-written edge cases, loaded as raw text tables
  (raw_source tables), in subscription mode in New York time (PostgreSQL) and in transaction mode
  weekly and quarterly (both engines);
- awkward (Spark and DuckDB): Parquet files (raw_source files) with offsets, Z suffixes, naive and
  date-only values around quarter boundaries in New York time, and leading-zero ids.
DuckDB's marts are the reference; they are themselves checked against the Python oracle in
test_marts_match_oracle.py. Values are compared as the oracle tests compare them (conftest's
assert_same_value: counts and decimals exactly, rates within 1e-9), and every value must have the
same type family (integer, decimal, float, ...) on every engine.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import psycopg2
import pytest

from conftest import (
    assert_same_keys,
    assert_same_value,
    built_once,
    index_by_key,
    run_dbt,
    write_csv_tables,
    write_parquet_table,
)
from engines import ENGINES, EVENT_MARTS, MARTS, postgres_settings
from test_marts_match_oracle import awkward_tables, simulated_tables

PERIOD_KEY = ("period_grain", "period_start", "segment_type", "segment_value")
KEYS = {mart: PERIOD_KEY for mart in MARTS} | {
    "customers": ("customer_id",),
    "cohort_retention": ("period_grain", "cohort_start", "period_number"),
    "cohort_retention_summary": ("period_grain", "period_number"),
    "cltv_by_cohort": ("period_grain", "cohort_start", "period_number"),
    "cltv_by_cohort_summary": ("period_grain", "period_number"),
    "data_quality_by_source": ("source_table", "rejection_reason"),
    "mrr_movements": ("customer_id", "period_grain", "period_start"),
    "kpis_by_period": ("period_grain", "period_start"),
    "retention_by_nps_category": ("period_grain", "period_start", "nps_category"),
    "event_retention": ("report_name", "cohort_grain", "window_type", "segment_type", "segment_value",
                        "cohort_start", "period_number"),
    "event_retention_summary": ("report_name", "cohort_grain", "window_type", "segment_type", "segment_value",
                                "period_number"),
    "event_retention_brackets": ("report_name", "cohort_grain", "window_type", "segment_type", "segment_value",
                                 "cohort_start", "bracket_from", "bracket_to"),
    "user_lifecycle_by_period": PERIOD_KEY,
    "stickiness_by_day": ("activity_date", "segment_type", "segment_value"),
    "usage_frequency_by_period": ("period_grain", "period_start", "segment_type", "segment_value", "active_days"),
}

DATA_SETS = {
    "demo": {"variables": {}},
    "simulated_subscription": {
        "variables": {"raw_source": "tables", "raw_schema": "landing", "as_of_date": "2025-02-10",
                      "reporting_timezone": "America/New_York"},
        "tables": "simulated",
    },
    "simulated_transaction": {
        "variables": {"raw_source": "tables", "raw_schema": "landing", "as_of_date": "2025-02-12",
                      "activity_mode": "transaction", "period_grains": ["week", "quarter"],
                      "cltv_churn_window_periods": 4},
        "tables": "simulated",
    },
    "awkward_parquet": {
        "variables": {"raw_source": "files", "as_of_date": "2024-12-31", "period_grain": "quarter",
                      "reporting_timezone": "America/New_York", "gross_margin": 0.6},
        "files": "awkward",
    },
}

OTHER_ENGINES = [
    pytest.param("postgres", marks=pytest.mark.postgres),
    pytest.param("spark", marks=pytest.mark.spark),
]


@pytest.fixture(scope="module")
def raw_folders(tmp_path_factory) -> dict[str, Path]:
    simulated = tmp_path_factory.mktemp("simulated_csv")
    write_csv_tables(simulated, simulated_tables())
    # the awkward files, every one Parquet (Spark reads no CSV files), survey_responses empty
    awkward = tmp_path_factory.mktemp("awkward_parquet")
    types = {"subscriptions": {"mrr": "decimal(18, 3)"}, "transactions": {"amount": "double"}}
    for name, rows in awkward_tables().items():
        write_parquet_table(awkward, name, rows, types.get(name, {}))
    return {"simulated": simulated, "awkward": awkward}


@pytest.fixture(scope="module")
def built(tmp_path_factory, raw_folders, demo_build):
    """built(data_set, engine) -> that engine's marts, building each pair once per module. DuckDB's,
    the reference, are built once per test run (conftest's built_once), since the groups of two
    engines each read them, maybe on two pytest-xdist workers; the demo is conftest's demo_build."""
    cache: dict[tuple[str, str], dict] = {}

    def make(data_set: str, engine):
        spec = DATA_SETS[data_set]
        variables = dict(spec["variables"])
        if "tables" in spec:
            engine.load_raw_tables(raw_folders[spec["tables"]], variables["raw_schema"])
        if "files" in spec:
            variables["raw_path"] = str(raw_folders[spec["files"]])
        # the demo build is the engine's full `dbt build`, unit tests included
        engine.build(variables, unit_tests=data_set == "demo")
        return engine

    def get(data_set: str, engine_name: str) -> dict[str, list[dict]]:
        if (data_set, engine_name) not in cache:
            if engine_name != "duckdb":
                engine = make(data_set, ENGINES[engine_name](tmp_path_factory.mktemp(f"{data_set}_{engine_name}")))
            elif data_set == "demo":
                engine = ENGINES["duckdb"](demo_build)
            else:
                engine = ENGINES["duckdb"](built_once(
                    f"engines-{data_set}", tmp_path_factory, lambda work: make(data_set, ENGINES["duckdb"](work))))
            cache[(data_set, engine_name)] = {"engine": engine, "marts": engine.read_marts()}
        return cache[(data_set, engine_name)]

    return get


def family(value) -> str | None:
    """The type family a BI tool would see: the unit of comparison across engines."""
    if value is None:
        return None
    for kind, name in ((bool, "boolean"), (int, "integer"), (Decimal, "decimal"), (float, "float"),
                       (datetime, "timestamp"), (date, "date"), (str, "text")):
        if isinstance(value, kind):
            return name
    return type(value).__name__


def normalised(value):
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(timezone.utc).replace(tzinfo=None)
    return value


def assert_same_marts(reference: dict, other: dict, engine: str) -> None:
    for mart in other:
        expected_rows, actual_rows = reference[mart], other[mart]
        where = f"{engine}.{mart}"
        assert len(actual_rows) == len(expected_rows), f"{where}: {len(actual_rows)} rows, expected {len(expected_rows)}"
        if not expected_rows:
            continue
        assert list(actual_rows[0]) == list(expected_rows[0]), f"{where}: columns differ"
        expected = index_by_key(expected_rows, KEYS[mart], f"duckdb.{mart}", normalised)
        actual = index_by_key(actual_rows, KEYS[mart], where, normalised)
        assert_same_keys(actual, expected, where)
        for row_key, expected_row in expected.items():
            for column, want in expected_row.items():
                got = actual[row_key][column]
                at = f"{where}{row_key}.{column} (DuckDB is the reference)"
                if want is not None and got is not None:
                    assert family(got) == family(want), f"{at}: got {got!r}, DuckDB has {want!r}"
                assert_same_value(normalised(got), normalised(want), at)


@pytest.mark.parametrize("engine", OTHER_ENGINES)
@pytest.mark.parametrize("data_set", ["demo"])
def test_demo_build_passes_every_unit_and_data_test(built, data_set, engine):
    """`dbt build` of the demo data on the engine, unit tests included: every model builds and
    every unit and data test passes (built() fails the test with dbt's output otherwise)."""
    assert built(data_set, engine)["marts"]["customers"]


# Spark builds are the slowest of the suite (minutes each): it compares the simulated business in
# transaction mode only, since subscription mode is its demo build's and awkward_parquet's.
@pytest.mark.parametrize(("data_set", "engine"), [
    pytest.param(data_set, engine, marks=getattr(pytest.mark, engine))
    for data_set in ("demo", "simulated_subscription", "simulated_transaction")
    for engine in ("postgres", "spark")
    if (data_set, engine) != ("simulated_subscription", "spark")
])
def test_marts_identical_across_engines(built, data_set, engine):
    reference = built(data_set, "duckdb")["marts"]
    # the comparison proves little on empty marts
    assert len(reference["retention_by_period"]) > 20 and len(reference["customers"]) > 20
    assert_same_marts(reference, built(data_set, engine)["marts"], engine)


# data_set names the build a test reads, which conftest uses to keep it with that build's tests
@pytest.mark.parametrize("engine", OTHER_ENGINES)
@pytest.mark.parametrize("data_set", ["demo"])
def test_marts_rebuild_over_existing_ones(built, data_set, engine):
    """A second run replaces existing marts (on PostgreSQL, re-applying the grants by diffing them
    against the current ones; on Spark, with no grant statement at all) and gives the same rows."""
    first = built(data_set, engine)
    result = run_dbt(first["engine"].work_dir, {}, command="run", extra_arguments=("--select", "marts"),
                     target=first["engine"].target, extra_env=first["engine"].env())
    assert result.returncode == 0, result.stdout[-4000:]
    assert_same_marts(first["marts"], first["engine"].read_marts(), engine)


@pytest.mark.spark
@pytest.mark.parametrize("data_set", ["awkward_parquet"])
def test_spark_reads_raw_parquet_files_like_duckdb(built, data_set):
    reference = built(data_set, "duckdb")["marts"]
    assert {r["customer_id"] for r in reference["customers"]} >= {"007", "0007", "42"}
    assert_same_marts(reference, built(data_set, "spark")["marts"], "spark")


@pytest.mark.postgres
def test_postgres_says_it_cannot_read_files(tmp_path):
    result = run_dbt(tmp_path, {"raw_source": "files", "raw_path": str(tmp_path)}, command="parse",
                     target="postgres")
    assert result.returncode != 0
    assert "raw_source 'files' is not supported on the postgres adapter" in result.stdout


@pytest.mark.postgres
@pytest.mark.parametrize("data_set", ["demo"])
def test_bi_reader_reads_marts_and_nothing_else(built, data_set, tmp_path):
    engine = built(data_set, "postgres")["engine"]
    reader_password = os.environ.get("BI_READER_PASSWORD", "bi_reader")
    owner = engine.connect()
    try:
        with owner.cursor() as cursor:
            cursor.execute(
                "select table_schema, table_name from information_schema.tables"
                " where table_schema in ('raw_demo', 'staging', 'intermediate', 'marts')"
            )
            relations = cursor.fetchall()
    finally:
        owner.close()
    by_schema = {schema: sorted(name for s, name in relations if s == schema)
                 for schema in ("raw_demo", "staging", "intermediate", "marts")}
    assert by_schema["marts"] == sorted(MARTS + EVENT_MARTS)
    assert all(by_schema[schema] for schema in ("raw_demo", "staging", "intermediate"))

    reader = engine.connect(user="bi_reader", password=reader_password)
    reader.autocommit = True
    try:
        with reader.cursor() as cursor:
            for mart in MARTS + EVENT_MARTS:
                cursor.execute(f"select count(*) from marts.{mart}")
                assert cursor.fetchone()[0] > 0, mart

            def refused(statement: str) -> None:
                with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                    cursor.execute(statement)

            for schema in ("raw_demo", "staging", "intermediate"):
                for name in by_schema[schema]:
                    refused(f"select * from {schema}.{name} limit 1")
            refused("insert into marts.customers select * from marts.customers limit 1")
            refused("update marts.retention_by_period set customers_at_end = 0")
            refused("delete from marts.nps_by_period")
            refused("truncate marts.cltv_by_period")
            refused("drop table marts.customers")
            refused("create table marts.scratch (id integer)")
            refused("create table public.scratch (id integer)")
            refused("create schema scratch")
            refused("create temporary table scratch (id integer)")
            refused("create temporary view scratch as select 1 as id")
    finally:
        reader.close()

    # nor can it connect to any other database of the server: the server's own (closed by
    # scripts/postgres.sh start) or another project database on which dbt granted it nothing
    other = ENGINES["postgres"](tmp_path / "other")
    for database in ("postgres", "template1", other.database):
        with pytest.raises(psycopg2.OperationalError, match=f'permission denied for database "{database}"'):
            psycopg2.connect(connect_timeout=5, **postgres_settings(database, "bi_reader", reader_password))
