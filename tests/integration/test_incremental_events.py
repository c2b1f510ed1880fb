"""Event ingestion is incremental: a daily run reads only the event files it has not read before,
and after a late file (events dated weeks back) the marts equal a full refresh.

The business of test_event_marts_match_oracle (300 customers, a few thousand events) arrives in
raw_source files as an events/ folder of Parquet files, one per slice of days, in three runs:
1. the first slices, built from scratch;
2. the next slice, run incrementally;
3. a late file, sorted last by name, with events dated in the first slices' days: a repeat of an
   event already read (the same event_id and content, so a duplicate_row), another event_id
   already read with other content (a conflicting_duplicate: the earlier file's row stays), and
   new events on old days, which change past cells of every event mart.
A full refresh of the same folder must then give the same marts and the same staged events
(`except all` both ways), and the incremental runs must have read each file once. The same holds
in raw_source tables, where a run reads the rows loaded after the latest it has read
(events_loaded_at_column).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from conftest import build, mart_row_differences, run_dbt, write_csv_tables
from test_event_marts_match_oracle import EVENT_COLUMNS, ROLLING_EVENT_VARIABLES, TIMEZONE, raw_tables



def write_parquet(path: Path, rows: list[dict]) -> None:
    connection = duckdb.connect()
    try:
        frame = pd.DataFrame(rows, columns=list(EVENT_COLUMNS)).astype(str)
        connection.register("part", frame)
        connection.execute(f"copy (select * from part) to '{path}' (format parquet)")
    finally:
        connection.close()


def incremental_run(work_dir: Path, variables: dict) -> None:
    result = run_dbt(work_dir, variables, extra_arguments=("--exclude-resource-type", "unit_test"))
    if result.returncode != 0:
        pytest.fail(f"incremental dbt build failed:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}")


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict:
    raw = tmp_path_factory.mktemp("events_sliced")
    tables, events = raw_tables()
    write_csv_tables(raw, tables)
    folder = raw / "events"
    folder.mkdir()
    events = sorted(events, key=lambda row: row["occurred_at"])
    third = len(events) // 3
    slices = [events[:third], events[third:2 * third], events[2 * third:]]
    old = slices[0]
    late = [
        dict(old[5]),                                                   # a repeat: duplicate_row
        dict(old[6], event_name=old[6]["event_name"] + "_changed"),     # conflicting_duplicate
        *[dict(row, event_id=f"late-{number}") for number, row in enumerate(old[10:400:3])],
    ]
    variables = {"raw_source": "files", "raw_path": str(raw), "reporting_timezone": TIMEZONE,
                 **ROLLING_EVENT_VARIABLES}
    incremental = tmp_path_factory.mktemp("events_incremental")
    write_parquet(folder / "slice-1.parquet", slices[0])
    write_parquet(folder / "slice-2.parquet", slices[1])
    build(incremental, variables)
    write_parquet(folder / "slice-3.parquet", slices[2])
    incremental_run(incremental, variables)
    write_parquet(folder / "slice-4-late.parquet", late)
    incremental_run(incremental, variables)
    full = build(tmp_path_factory.mktemp("events_full"), variables)
    return {"incremental": incremental / "retention.duckdb", "full": full,
            "written": {"slice-1.parquet": len(slices[0]), "slice-2.parquet": len(slices[1]),
                        "slice-3.parquet": len(slices[2]), "slice-4-late.parquet": len(late)}}


def query(database: Path, sql: str) -> list[tuple]:
    connection = duckdb.connect(str(database), read_only=True)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def test_each_file_was_read_once_by_its_own_run(runs):
    rows = query(runs["incremental"], "select source_file, count(*), count(distinct ingested_at),"
                                      " min(ingested_at) from staging.base_raw__event_rows group by 1")
    read = {Path(file).name: (count, runs_reading) for file, count, runs_reading, _ in rows}
    assert read == {name: (count, 1) for name, count in runs["written"].items()}
    first_read = {Path(file).name: at for file, _, _, at in rows}
    assert first_read["slice-1.parquet"] == first_read["slice-2.parquet"]
    assert first_read["slice-2.parquet"] < first_read["slice-3.parquet"] < first_read["slice-4-late.parquet"]


def test_late_repeats_are_quarantined_and_the_earlier_row_kept(runs):
    for database in (runs["incremental"], runs["full"]):
        reasons = dict(query(database, "select rejection_reason, count(*) from staging.base_raw__events"
                                       " where source_file like '%slice-4-late%' and rejection_reason is not null"
                                       " group by 1"))
        assert reasons == {"duplicate_row": 1, "conflicting_duplicate": 1}, database


def test_the_late_file_changes_past_cells(runs):
    """The late events fall in the first slice's days, so the marts must differ from a build
    without them: the comparison below would pass trivially otherwise."""
    new_days = query(runs["incremental"], "select count(*) from staging.base_raw__events"
                                          " where event_id like 'late-%' and rejection_reason is null")[0][0]
    assert new_days > 100


def test_incremental_marts_equal_a_full_refresh(runs):
    assert mart_row_differences(runs["incremental"], runs["full"]) == {}


def test_incremental_staged_events_equal_a_full_refresh(runs):
    columns = "event_id, customer_id, event_name, occurred_at, rejection_reason, rejected_column, source_file"
    connection = duckdb.connect()
    try:
        connection.execute(f"attach '{runs['incremental']}' as lhs (read_only)")
        connection.execute(f"attach '{runs['full']}' as rhs (read_only)")
        for left, right in (("lhs", "rhs"), ("rhs", "lhs")):
            extra = connection.execute(
                f"select count(*) from (select {columns} from {left}.staging.base_raw__events"
                f" except all select {columns} from {right}.staging.base_raw__events)").fetchall()[0][0]
            assert extra == 0, (left, right)
        days = connection.execute(
            "select count(*) from (select customer_id, activity_date, event_name, events, first_occurred_at,"
            " last_occurred_at from lhs.intermediate.int_customer_event_days_aggregated except all"
            " select customer_id, activity_date, event_name, events, first_occurred_at, last_occurred_at"
            " from rhs.intermediate.int_customer_event_days_aggregated)").fetchall()[0][0]
        assert days == 0
    finally:
        connection.close()


# --- raw_source tables: the rows loaded after the latest read (events_loaded_at_column) ---------------
def load_events(database: Path, rows: list[dict], loaded_at: str) -> None:
    connection = duckdb.connect(str(database))
    try:
        frame = pd.DataFrame(rows, columns=list(EVENT_COLUMNS)).astype(str)
        connection.register("batch", frame)
        connection.execute(f"insert into landing.events select *, timestamp '{loaded_at}' from batch")
    finally:
        connection.close()


@pytest.fixture(scope="module")
def table_runs(tmp_path_factory) -> dict:
    """The same business in raw tables of the target database: events loaded in three batches
    (the last with a repeat, a conflicting repeat and new events on old days), read
    incrementally by their loaded_at column, then the same database rebuilt with --full-refresh."""
    work = tmp_path_factory.mktemp("events_tables")
    database = work / "retention.duckdb"
    tables, events = raw_tables()
    csv_folder = tmp_path_factory.mktemp("events_tables_csv")
    write_csv_tables(csv_folder, tables)
    connection = duckdb.connect(str(database))
    try:
        connection.execute("create schema landing")
        for name in tables:
            connection.execute(f"create table landing.{name} as select * from read_csv("
                               f"'{csv_folder / (name + '.csv')}', header = true, all_varchar = true)")
        connection.execute("create table landing.events (event_id varchar, customer_id varchar,"
                           " event_name varchar, occurred_at varchar, loaded_at timestamp)")
    finally:
        connection.close()
    events = sorted(events, key=lambda row: row["occurred_at"])
    half = len(events) // 2
    old = events[:half]
    late = [dict(old[5]), dict(old[6], event_name=old[6]["event_name"] + "_changed"),
            *[dict(row, event_id=f"late-{number}") for number, row in enumerate(old[10:400:3])]]
    variables = {"raw_source": "tables", "raw_schema": "landing", "events_loaded_at_column": "loaded_at",
                 "reporting_timezone": TIMEZONE, **ROLLING_EVENT_VARIABLES}
    load_events(database, events[:half], "2025-03-01 02:00:00")
    build(work, variables)
    load_events(database, events[half:], "2025-03-02 02:00:00")
    incremental_run(work, variables)
    load_events(database, late, "2025-03-03 02:00:00")
    incremental_run(work, variables)
    full_work = tmp_path_factory.mktemp("events_tables_full")
    shutil.copy(database, full_work / "retention.duckdb")
    result = run_dbt(full_work, variables, extra_arguments=("--full-refresh", "--exclude-resource-type", "unit_test"))
    if result.returncode != 0:
        pytest.fail(f"full refresh failed:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}")
    return {"incremental": database, "full": full_work / "retention.duckdb", "events": len(events) + len(late)}


def test_table_rows_are_read_once_each(table_runs):
    rows = query(table_runs["incremental"], "select source_loaded_at, count(*), count(distinct ingested_at)"
                                            " from staging.base_raw__event_rows group by 1")
    assert sum(count for _, count, _ in rows) == table_runs["events"]
    assert all(runs_reading == 1 for _, _, runs_reading in rows)
    assert len({ingested for ingested in query(table_runs["incremental"], "select distinct ingested_at"
                                                                          " from staging.base_raw__event_rows")}) == 3


def test_table_incremental_marts_equal_a_full_refresh(table_runs):
    reasons = dict(query(table_runs["incremental"], "select rejection_reason, count(*) from staging.base_raw__events"
                                                    " where rejection_reason is not null group by 1"))
    assert reasons == {"duplicate_row": 1, "conflicting_duplicate": 1}
    assert mart_row_differences(table_runs["incremental"], table_runs["full"]) == {}
