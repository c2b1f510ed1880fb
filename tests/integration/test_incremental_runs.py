"""Incremental runs (README, Incremental builds): the per-customer-per-period models rebuild only
the periods of the lookback window, and an incremental refresh must give the marts a full
refresh gives.

A simulated business is exported in slices, as a daily refresh would see it: each export holds
the rows dated before its cutoff, and a subscription whose end lies after the cutoff shows no
end yet (it ends later). The first slice is a full build; every later slice is an incremental
run with as_of_date the day before the cutoff, days or weeks apart and across period boundaries.
The last marts must equal (`except all` both ways) a full-refresh build of the same data.

Late rows: a payment dated inside the lookback window that reaches the export only in the last
slice is caught. One dated before the window is caught in subscription mode, where revenue is
summed from the staged transactions on every run (the transactions per customer and period are a
view there), and not in transaction mode, where they are an incremental table (the documented
limit): the marts then differ from a full refresh in exactly that period's revenue, and
`--full-refresh` repairs them.

A subscription end filled in for a date months before the window, in the same run as that
payment, is caught in both modes: the MRR snapshots (runs of periods, which a window would cut)
are rebuilt in full on every run, so the retention classes in subscription mode and revenue
retention in both modes see all of history.

Both activity modes: subscription mode at month grain, transaction mode at week and month
grains together (each grain has its own window).
"""

from __future__ import annotations

import copy
import shutil
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest

from conftest import demo_data, mart_row_differences, run_dbt, write_csv_tables
from oracle import parse_instant, truncate

UTC = ZoneInfo("UTC")
LATE_CUSTOMER = "00100"

CASES = {
    "subscription_month": {"activity_mode": "subscription", "period_grains": ["month"]},
    "transaction_week_and_month": {"activity_mode": "transaction", "period_grains": ["week", "month"]},
}
# The first export is built in full, every later one incrementally (incremental_lookback_periods 2).
CUTOFFS = [date(2025, 2, 10), date(2025, 2, 27), date(2025, 3, 3), date(2025, 4, 2)]
# Dated in February: at the last run (as_of_date 2025-04-01) the table was last built up to March,
# so February is rebuilt only because it lies within incremental_lookback_periods (2 months);
# at week grain it falls in the week of 24 February, the last one built.
LATE_INSIDE = datetime(2025, 2, 26, 9, 30)
LATE_OUTSIDE = datetime(2024, 11, 15, 9, 30)   # months before the window
BACK_DATED_END = datetime(2024, 11, 20, 10, 0)  # a subscription end, also months before it


def business() -> dict[str, list[dict]]:
    return demo_data.generate(seed=11, customers=120, start=datetime(2024, 1, 1), end=datetime(2025, 6, 30))


def late_payment(transaction_id: str, moment: datetime, amount: str) -> dict:
    return {"transaction_id": transaction_id, "customer_id": LATE_CUSTOMER,
            "occurred_at": moment.strftime("%Y-%m-%dT%H:%M:%SZ"), "amount": amount}


def known_at(tables: dict[str, list[dict]], cutoff: date) -> dict[str, list[dict]]:
    """The raw export taken at midnight (UTC) starting `cutoff`: the rows dated before it, and
    subscriptions without the ends that lie at or after it."""
    limit = datetime(cutoff.year, cutoff.month, cutoff.day)

    def before(row: dict, column: str) -> bool:
        moment = parse_instant(row[column], UTC)
        return moment is None or moment < limit

    export = {
        "customers": [row for row in tables["customers"] if before(row, "created_at")],
        "transactions": [row for row in tables["transactions"] if before(row, "occurred_at")],
        "survey_responses": [row for row in tables["survey_responses"] if before(row, "responded_at")],
        "subscriptions": [],
    }
    for row in tables["subscriptions"]:
        if not before(row, "started_at"):
            continue
        row = dict(row)
        if not before(row, "ended_at"):
            row["ended_at"] = ""
        export["subscriptions"].append(row)
    return export


def run(work_dir: Path, tables: dict[str, list[dict]], cutoff: date, case: dict, data_tests: bool = False,
        full_refresh: bool = False) -> Path:
    """Write the export and dbt build it: seeds and models, and the data tests when asked."""
    raw = work_dir / "raw"
    write_csv_tables(raw, tables)
    variables = {"raw_source": "files", "raw_path": str(raw), "as_of_date": (cutoff - timedelta(days=1)).isoformat(),
                 "incremental_lookback_periods": 2, **case}
    arguments = ["--exclude-resource-type", "unit_test"]
    if not data_tests:
        arguments += ["--exclude-resource-type", "test"]
    if full_refresh:
        arguments.append("--full-refresh")
    result = run_dbt(work_dir, variables, command="build", extra_arguments=tuple(arguments))
    if result.returncode != 0:
        pytest.fail(f"dbt build failed at {cutoff}:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}")
    return work_dir / "retention.duckdb"


def full_build(work_dir: Path, tables: dict[str, list[dict]], cutoff: date, case: dict) -> Path:
    return run(work_dir, tables, cutoff, case)


def carry_on_from(work: Path, incremental: Path) -> Path:
    """A new work dir holding a copy of the sliced build's database, so that a test carries on from
    that state without touching it for the other tests."""
    incremental.mkdir()
    shutil.copyfile(work / "retention.duckdb", incremental / "retention.duckdb")
    # The copy reads its exports from its own folder: move the record of what its incremental
    # tables were built from there too, as for an export folder that moved (check_build_inputs
    # would stop the run otherwise: test_first_day, switching the raw data).
    connection = duckdb.connect(str(incremental / "retention.duckdb"))
    try:
        connection.execute("update staging.build_inputs set inputs = replace(inputs, ?, ?)",
                           [f"raw_path: {work / 'raw'};", f"raw_path: {incremental / 'raw'};"])
    finally:
        connection.close()
    return incremental


def incremental_models_ran(database: Path) -> bool:
    """Whether the per-customer-per-period models exist as tables (they are incremental on DuckDB)."""
    connection = duckdb.connect(str(database), read_only=True)
    try:
        return connection.execute(
            "select count(*) from information_schema.tables where table_schema = 'intermediate'"
            " and table_name = 'int_customer_period_runs_classified'").fetchall() == [(1,)]
    finally:
        connection.close()


def revenue(database: Path, period_start: date, grain: str = "month") -> Decimal:
    connection = duckdb.connect(str(database), read_only=True)
    try:
        return connection.execute(
            "select revenue from marts.cltv_by_period where period_grain = ? and period_start = ?"
            " and segment_type = 'all'", [grain, period_start]).fetchall()[0][0]
    finally:
        connection.close()


@pytest.fixture(scope="module", params=sorted(CASES))
def sliced(request, tmp_path_factory):
    """Build the slices incrementally; returns the case, the tables and the incremental work dir."""
    case = CASES[request.param]
    tables = business()
    tables["transactions"].append(late_payment("LATE_IN", LATE_INSIDE, "33.00"))
    work = tmp_path_factory.mktemp(f"incremental_{request.param}")
    for cutoff in CUTOFFS:
        export = known_at(tables, cutoff)
        if cutoff != CUTOFFS[-1]:
            # the late payment reaches the export only at the last slice, days after its date
            export["transactions"] = [row for row in export["transactions"] if row["transaction_id"] != "LATE_IN"]
        # the first slice creates the tables; the last also runs the data tests on the incremental state
        run(work, export, cutoff, case, data_tests=cutoff == CUTOFFS[-1])
    return case, tables, work


def test_incremental_slices_equal_a_full_refresh(sliced, tmp_path):
    case, tables, work = sliced
    reference = full_build(tmp_path / "full", known_at(tables, CUTOFFS[-1]), CUTOFFS[-1], case)
    assert incremental_models_ran(work / "retention.duckdb")
    assert mart_row_differences(work / "retention.duckdb", reference) == {}
    # the late payment inside the window was picked up
    assert revenue(work / "retention.duckdb", date(2025, 2, 1)) == revenue(reference, date(2025, 2, 1))


def test_rows_back_dated_before_the_window(sliced, tmp_path):
    """One more run of the last export, which now also holds a payment dated months before the
    window, and an end, as far back, of a subscription that was open: the end reaches the marts
    in both modes; the payment in subscription mode only, and `--full-refresh` repairs the other."""
    case, tables, work = sliced
    incremental = carry_on_from(work, tmp_path / "incremental")
    tables = copy.deepcopy(tables)
    tables["transactions"].append(late_payment("LATE_OUT", LATE_OUTSIDE, "44.00"))
    export = known_at(tables, CUTOFFS[-1])  # copies of the rows
    # a subscription still open, started months before the window, turns out to have ended then
    ended = next(row for row in export["subscriptions"]
                 if row["ended_at"] == "" and parse_instant(row["started_at"], UTC) < datetime(2024, 9, 1))
    ended["ended_at"] = BACK_DATED_END.strftime("%Y-%m-%dT%H:%M:%SZ")
    database = run(incremental, export, CUTOFFS[-1], case)
    reference = full_build(tmp_path / "full", export, CUTOFFS[-1], case)

    moved = mart_row_differences(database, work / "retention.duckdb")
    # the end moved MRR in November 2024, and in subscription mode the retention classes too
    assert "revenue_retention_by_period" in moved
    november = date(2024, 11, 1)
    if case["activity_mode"] == "subscription":
        assert "retention_by_period" in moved
        # revenue is summed from staging on every run: the late payment is in, nothing is stale
        assert revenue(database, november) - revenue(work / "retention.duckdb", november) == Decimal("44")
        assert mart_row_differences(database, reference) == {}
        return
    assert revenue(reference, november) - revenue(database, november) == Decimal("44")
    connection = duckdb.connect()
    try:
        connection.execute(f"attach '{database}' as incremental (read_only)")
        connection.execute(f"attach '{reference}' as reference (read_only)")
        # revenue differs in the late row's period only, at every grain
        stale = connection.execute(
            "select incremental.period_grain, incremental.period_start"
            " from incremental.marts.cltv_by_period as incremental"
            " inner join reference.marts.cltv_by_period as reference"
            " using (period_grain, period_start, segment_type, segment_value)"
            " where incremental.segment_type = 'all' and incremental.revenue != reference.revenue").fetchall()
    finally:
        connection.close()
    assert set(stale) == {(grain, truncate(LATE_OUTSIDE, grain)) for grain in case["period_grains"]}
    # the end is not stale: MRR, and so revenue retention, equal the full refresh's
    assert "revenue_retention_by_period" not in mart_row_differences(database, reference)

    repaired = run(incremental, export, CUTOFFS[-1], case, full_refresh=True)
    assert mart_row_differences(repaired, reference) == {}
