"""Build the project on raw data written as files and check every mart figure against the oracle.

Data sets:
- simulated: a simulated business (scripts/demo_data.py, another seed than the demo) plus the
  hand-written edge cases, as CSV;
- awkward: leading-zero ids that differ only by zeros, offsets and Z suffixes around period
  boundaries, naive and date-only values, a reporting time zone other than UTC, decimal and
  float amounts, Parquet files, and a header-only survey_responses.csv;
- shop: a transactional business with purchases and refunds but no subscriptions;
- empty: four header-only CSV files;
- demo: the seeds themselves.
Both activity modes are covered, at several grains.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import date, datetime, timedelta, timezone
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import numpy as np
import pytest

from conftest import (
    PROJECT_DIR,
    assert_mart_matches,
    build,
    demo_data,
    read_csv_folder,
    read_mart,
    write_csv_tables,
    write_parquet_table,
)
from oracle import Oracle
from oracle_events import MARTS as EVENT_MARTS
from oracle_events import EventOracle
from test_event_marts_match_oracle import assert_mart_equals_oracle

PERIOD_KEY = ("period_start", "segment_type", "segment_value")


def mrr_edge_cases() -> dict[str, list[dict]]:
    """Customers whose MRR moves in the ways the simulated business rarely produces: a downgrade,
    a free plan converting to paid, a switch to another plan at the same MRR, a downgrade to a
    free plan (MRR churn of a customer who stays), a return at the exact start of a month, and
    two plans tied on MRR and start."""
    customers = [
        {"customer_id": f"M{n}", "created_at": "2024-01-02T00:00:00Z", "email": f"m{n}@example.com",
         "country": "DE", "acquisition_channel": "partner"} for n in range(1, 7)
    ]
    rows = [
        ("M1", "business", "2024-03-10T00:00:00Z", "2024-06-10T00:00:00Z", "99"),
        ("M1", "basic", "2024-06-10T00:00:00Z", "", "19"),
        ("M2", "free", "2024-02-05T00:00:00Z", "2024-04-20T00:00:00Z", "0"),
        ("M2", "pro", "2024-04-20T00:00:00Z", "", "49"),
        ("M3", "pro", "2024-01-15T00:00:00Z", "2024-05-01T00:00:00Z", "49"),
        ("M3", "pro_annual", "2024-05-01T00:00:00Z", "", "49"),
        ("M4", "pro", "2024-02-01T00:00:00Z", "2024-07-15T00:00:00Z", "49"),
        ("M4", "free", "2024-07-15T00:00:00Z", "", "0"),
        ("M5", "basic", "2024-01-03T00:00:00Z", "2024-02-10T00:00:00Z", "19"),
        ("M5", "basic", "2024-04-05T00:00:00Z", "2024-04-20T00:00:00Z", "19"),
        ("M5", "basic", "2024-06-01T00:00:00Z", "", "19"),
        ("M6", "gold", "2024-03-01T00:00:00Z", "2024-09-01T00:00:00Z", "50"),
        ("M6", "alpha", "2024-03-01T00:00:00Z", "", "50"),
    ]
    subscriptions = [
        {"subscription_id": f"MS{n:02d}", "customer_id": c, "plan": plan, "started_at": start, "ended_at": end,
         "mrr": mrr}
        for n, (c, plan, start, end, mrr) in enumerate(rows)
    ]
    return {"customers": customers, "subscriptions": subscriptions, "transactions": [], "survey_responses": []}


def simulated_tables() -> dict[str, list[dict]]:
    tables = demo_data.generate(
        seed=7, customers=70,
        start=datetime(2023, 11, 5, tzinfo=timezone.utc), end=datetime(2025, 3, 31, tzinfo=timezone.utc),
    )
    edges = demo_data.edge_cases()
    mrr_edges = mrr_edge_cases()
    return {name: edges[name] + mrr_edges[name] + tables[name] for name in demo_data.COLUMNS}


def awkward_tables() -> dict[str, list[dict]]:
    customers = [
        {"customer_id": "007", "created_at": "2024-01-15T23:30:00-05:00", "email": "a@example.com",
         "country": "", "acquisition_channel": "referral"},
        {"customer_id": "0007", "created_at": "2024-01-20", "email": "b@example.com",
         "country": "DE", "acquisition_channel": "  "},
        {"customer_id": " 42 ", "created_at": "2024-02-01T05:00:00Z", "email": "c@example.com",
         "country": "US", "acquisition_channel": "organic"},
        {"customer_id": "X-1", "created_at": "", "email": "", "country": "US", "acquisition_channel": "organic"},
        {"customer_id": "late", "created_at": "2025-01-02T00:00:00Z", "email": "d@example.com",
         "country": "FR", "acquisition_channel": "partner"},
    ]
    subscriptions = [
        # 04:30 UTC on 1 February is still 31 January in New York
        {"subscription_id": "1", "customer_id": "007", "plan": "basic",
         "started_at": "2024-01-31T23:30:00-05:00", "ended_at": "2024-04-01T04:00:00Z", "mrr": "10"},
        # naive values are New York wall-clock time: exactly on the quarter boundary
        {"subscription_id": "2", "customer_id": "0007", "plan": "pro",
         "started_at": "2024-01-20", "ended_at": "2024-04-01 00:00:00", "mrr": "20.5"},
        {"subscription_id": "3", "customer_id": "0007", "plan": "business",
         "started_at": "2024-04-01T00:00:00-04:00", "ended_at": "", "mrr": "99.99"},
        {"subscription_id": "4", "customer_id": "42", "plan": "",
         "started_at": "2024-02-01T05:00:00Z", "ended_at": "2024-02-20T05:00:00Z", "mrr": "10"},
        {"subscription_id": "5", "customer_id": "42", "plan": "basic",
         "started_at": "2024-08-10T12:00:00+02:00", "ended_at": "2024-11-15T12:00:00.500Z", "mrr": "10"},
        {"subscription_id": "6", "customer_id": "X-1", "plan": "basic",
         "started_at": "2024-03-05T10:00:00Z", "ended_at": "2024-03-05T10:00:00Z", "mrr": "0"},
        {"subscription_id": "7", "customer_id": "late", "plan": "basic",
         "started_at": "2025-01-02T00:00:00Z", "ended_at": "", "mrr": "10"},
    ]
    transactions = [
        {"transaction_id": "001", "customer_id": "007", "occurred_at": "2024-01-31T23:40:00-05:00", "amount": "10"},
        {"transaction_id": "002", "customer_id": "007", "occurred_at": "2024-03-01T04:59:59Z", "amount": "10"},
        {"transaction_id": "003", "customer_id": "007", "occurred_at": "2024-03-15T12:00:00Z", "amount": "-10"},
        {"transaction_id": "004", "customer_id": "0007", "occurred_at": "2024-01-20", "amount": "20.5"},
        {"transaction_id": "005", "customer_id": "0007", "occurred_at": "2024-04-01T00:00:00-04:00",
         "amount": "99.99"},
        {"transaction_id": "006", "customer_id": "42", "occurred_at": "2024-08-10T12:00:00+02:00",
         "amount": "19.999"},
        {"transaction_id": "007", "customer_id": "X-1", "occurred_at": "2024-06-30T23:59:59", "amount": "0"},
        {"transaction_id": "008", "customer_id": "late", "occurred_at": "2025-01-02T00:00:00Z", "amount": "10"},
    ]
    simulated = demo_data.generate(
        seed=11, customers=25,
        start=datetime(2024, 1, 10, tzinfo=timezone.utc), end=datetime(2024, 12, 20, tzinfo=timezone.utc),
    )
    return {
        "customers": customers + simulated["customers"],
        "subscriptions": subscriptions + simulated["subscriptions"],
        "transactions": transactions + simulated["transactions"],
        "survey_responses": [],
    }


def write_awkward(folder: Path) -> dict[str, list[dict]]:
    tables = awkward_tables()
    write_parquet_table(folder, "customers", tables["customers"], {})
    write_parquet_table(folder, "subscriptions", tables["subscriptions"], {"mrr": "decimal(18, 3)"})
    write_parquet_table(folder, "transactions", tables["transactions"], {"amount": "double"})
    demo_data.write_csv(folder / "survey_responses.csv", "survey_responses", [])
    return tables


def check_all_marts(database: Path, oracle: Oracle, primary: bool = True) -> None:
    """Every mart's rows at the oracle's grain. The customers mart is at the primary grain only."""
    grain = oracle.grain
    # the four period marts, computed once: kpis_by_period restates their 'all' rows
    period_marts = {"retention_by_period": oracle.retention_by_period(), "nps_by_period": oracle.nps_by_period(),
                    "cltv_by_period": oracle.cltv_by_period(),
                    "revenue_retention_by_period": oracle.revenue_retention_by_period()}
    for mart, expected in period_marts.items():
        assert_mart_matches(database, mart, expected, PERIOD_KEY, grain)
    if primary:
        expected_customers = {(k,): v for k, v in oracle.customers_mart().items()}
        assert_mart_matches(database, "customers", expected_customers, ("customer_id",), grain)
    cohort_key = ("cohort_start", "period_number")
    assert_mart_matches(database, "cohort_retention", oracle.cohort_retention(), cohort_key, grain)
    assert_mart_matches(database, "cohort_retention_summary", oracle.cohort_retention_summary(), ("period_number",),
                        grain)
    assert_mart_matches(database, "cltv_by_cohort", oracle.cltv_by_cohort(), cohort_key, grain)
    assert_mart_matches(database, "cltv_by_cohort_summary", oracle.cltv_by_cohort_summary(), ("period_number",),
                        grain)
    assert_mart_matches(database, "mrr_movements", oracle.customer_mrr_movements(),
                        ("customer_id", "period_start"), grain)
    assert_mart_matches(database, "retention_by_nps_category", oracle.retention_by_nps_category(),
                        ("period_start", "nps_category"), grain)
    assert_mart_matches(database, "kpis_by_period", expected_kpis(period_marts), ("period_start",), grain)


def rounded(value: float) -> float:
    """As macro rounded: to 9 decimals, then to 2 with halves away from zero."""
    nine = Decimal(repr(value)).quantize(Decimal("1e-9"), ROUND_HALF_EVEN)
    return float(nine.quantize(Decimal("0.01"), ROUND_HALF_UP))


def expected_kpis(period_marts: dict[str, dict[tuple, dict]]) -> dict[tuple, dict]:
    """kpis_by_period: the 'all' rows of the oracle's four period marts (by mart name), rates
    rounded to 2 decimals (compared to 1e-9, so a rounding mistake shows)."""
    columns = {
        "retention_by_period": ("customers_at_start", "customers_at_end", "new_customers", "reactivated_customers",
                                "churned_customers", "retention_rate_pct", "churn_rate_pct", "is_complete",
                                "period_end"),
        "revenue_retention_by_period": ("mrr_at_start", "mrr_at_end", "gross_revenue_retention_pct",
                                        "net_revenue_retention_pct"),
        "nps_by_period": ("responses", "nps", "nps_ci_low_95", "nps_ci_high_95"),
        "cltv_by_period": ("paying_customers", "arpa", "cltv"),
    }
    rows = {}
    for start, segment_type, _ in period_marts["retention_by_period"]:
        if segment_type != "all":
            continue
        row = {}
        for mart, names in columns.items():
            source = period_marts[mart].get((start, "all", "all"), {})
            for name in names:
                value = source.get(name)
                row[name] = rounded(value) if isinstance(value, float) else value
        rows[(start,)] = row
    return rows


@pytest.fixture(scope="module")
def simulated_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("simulated_raw")
    write_csv_tables(folder, simulated_tables())
    return folder


@pytest.fixture(scope="module")
def simulated_subscription_build(simulated_folder, tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("simulated_subscription")
    return build(work, {"raw_source": "files", "raw_path": str(simulated_folder), "as_of_date": "2025-02-10",
                        "period_grains": ["month", "quarter"]})


def test_simulated_subscription_mode_monthly_and_quarterly(simulated_folder, simulated_subscription_build):
    """Two grains in one build: each grain's rows equal those of the oracle at that grain."""
    check_all_marts(simulated_subscription_build, Oracle(simulated_tables(), as_of_date=date(2025, 2, 10)))
    quarterly = Oracle(simulated_tables(), as_of_date=date(2025, 2, 10), grain="quarter")
    check_all_marts(simulated_subscription_build, quarterly, primary=False)
    assert {r["period_grain"] for r in read_mart(simulated_subscription_build, "customers")} == {"month"}
    # the data set must exercise the edge cases, or the comparison proves little
    retention = [r for r in read_mart(simulated_subscription_build, "retention_by_period")
                 if r["segment_type"] == "all" and r["period_grain"] == "month"]
    assert sum(r["reactivated_customers"] for r in retention) > 0
    assert sum(r["joined_and_left_customers"] for r in retention) > 0
    assert any(r["customers_at_start"] == 0 for r in retention)
    movements = read_mart(simulated_subscription_build, "mrr_movements")
    assert {r["movement_type"] for r in movements} == {
        "new", "reactivation", "expansion", "contraction", "churn", "plan_change"}
    plans = [r for r in read_mart(simulated_subscription_build, "retention_by_period") if r["segment_type"] == "plan"]
    assert sum(r["moved_in_customers"] for r in plans) > 0 and {"free", "pro_annual"} <= {r["segment_value"] for r in plans}
    cohorts = [r for r in read_mart(simulated_subscription_build, "cohort_retention") if r["period_grain"] == "month"]
    assert any(r["active_customers"] < r["active_on_or_after_customers"] for r in cohorts)
    assert any(not r["is_complete"] for r in cohorts) and any(r["period_number"] > 6 for r in cohorts)


def test_simulated_transaction_mode_weekly_and_monthly(simulated_folder, tmp_path):
    variables = {"raw_source": "files", "raw_path": str(simulated_folder), "as_of_date": "2025-02-12",
                 "activity_mode": "transaction", "period_grains": "week, month", "cltv_churn_window_periods": 4}
    database = build(tmp_path, variables)
    for grain in ("week", "month"):
        oracle = Oracle(simulated_tables(), as_of_date=date(2025, 2, 12), mode="transaction", grain=grain, window=4)
        check_all_marts(database, oracle, primary=grain == "week")


def shop_tables(customers: int = 300, seed: int = 21) -> dict[str, list[dict]]:
    """A transactional business with no subscriptions: each customer's first purchase falls
    between June 2023 and January 2025, later ones come after exponential gaps (mean 35 days,
    so some periods are skipped and customers come back) until the customer stops (a 15% chance
    after each purchase); 8% of purchases are refunded later, a few the same day; some customers
    answer a survey."""
    rng = np.random.default_rng(seed)
    start = datetime(2023, 6, 1, tzinfo=timezone.utc)
    tables = {"customers": [], "subscriptions": [], "transactions": [], "survey_responses": []}
    for i in range(customers):
        customer = f"S{i:04d}"
        moment = start + timedelta(days=float(rng.uniform(0, 600)))
        tables["customers"].append({"customer_id": customer, "created_at": moment.isoformat(), "email": "",
                                    "country": str(rng.choice(["FR", "US", ""])),
                                    "acquisition_channel": str(rng.choice(["organic", "paid"]))})
        purchases = 0
        while True:
            amount = round(float(rng.gamma(3.0, 15.0)), 2)
            tables["transactions"].append({"transaction_id": f"{customer}-{purchases}", "customer_id": customer,
                                           "occurred_at": moment.isoformat(), "amount": f"{amount:.2f}"})
            if rng.random() < 0.08:
                refunded = moment + timedelta(days=float(rng.choice([0.01, 3.0, 40.0])))
                tables["transactions"].append({"transaction_id": f"{customer}-{purchases}-r", "customer_id": customer,
                                               "occurred_at": refunded.isoformat(), "amount": f"{-amount:.2f}"})
            if rng.random() < 0.3:
                tables["survey_responses"].append({
                    "response_id": f"{customer}-{purchases}", "customer_id": customer,
                    "responded_at": (moment + timedelta(days=2)).isoformat(), "score": str(int(rng.integers(0, 11)))})
            purchases += 1
            moment += timedelta(days=float(rng.exponential(35.0)))
            if rng.random() < 0.15 or moment > datetime(2025, 4, 30, tzinfo=timezone.utc):
                break
    return tables


def test_transactional_business_without_subscriptions(tmp_path):
    """A shop (purchases only, no subscription table rows) in transaction mode, monthly and
    quarterly in one build: every mart equals the oracle, cohorts included."""
    tables = shop_tables()
    write_csv_tables(tmp_path / "raw", tables)
    variables = {"raw_source": "files", "raw_path": str(tmp_path / "raw"), "as_of_date": "2025-03-20",
                 "activity_mode": "transaction", "period_grains": ["month", "quarter"]}
    database = build(tmp_path, variables)
    for grain in ("month", "quarter"):
        oracle = Oracle(tables, as_of_date=date(2025, 3, 20), mode="transaction", grain=grain)
        check_all_marts(database, oracle, primary=grain == "month")
    # the data must exercise what cohort retention is about
    cohorts = [r for r in read_mart(database, "cohort_retention") if r["period_grain"] == "month"]
    assert len({r["cohort_start"] for r in cohorts}) >= 20
    assert any(r["active_customers"] < r["active_on_or_after_customers"] for r in cohorts)
    retention = [r for r in read_mart(database, "retention_by_period")
                 if r["segment_type"] == "all" and r["period_grain"] == "month"]
    assert sum(r["reactivated_customers"] for r in retention) > 0 and sum(r["churned_customers"] for r in retention) > 0
    # MRR comes from subscriptions: without any, the dense grid holds zeros and no retention rate
    revenue = read_mart(database, "revenue_retention_by_period")
    assert revenue and all(r["mrr_at_start"] == 0 and r["mrr_at_end"] == 0
                           and r["gross_revenue_retention_pct"] is None for r in revenue)


def test_awkward_parquet_subscription_quarterly_in_new_york(tmp_path):
    tables = write_awkward(tmp_path / "raw")
    variables = {"raw_source": "files", "raw_path": str(tmp_path / "raw"), "as_of_date": "2024-12-31",
                 "period_grain": "quarter", "reporting_timezone": "America/New_York", "gross_margin": 0.6}
    database = build(tmp_path, variables)
    oracle = Oracle(tables, as_of_date=date(2024, 12, 31), grain="quarter", timezone="America/New_York",
                    gross_margin=0.6)
    check_all_marts(database, oracle)
    customers = {r["customer_id"]: r for r in read_mart(database, "customers")}
    # ids that differ only by leading zeros stay distinct; the customer created after as_of_date is out
    assert {"007", "0007", "42", "X-1"} <= set(customers) and "late" not in customers
    assert customers["007"]["country"] == "unknown"
    # 04:30 UTC on 1 February 2024 is 31 January in New York
    assert customers["007"]["first_active_at"] == datetime(2024, 1, 31, 23, 30)


def test_awkward_parquet_transaction_mode_monthly(tmp_path):
    tables = write_awkward(tmp_path / "raw")
    variables = {"raw_source": "files", "raw_path": str(tmp_path / "raw"), "as_of_date": "2024-12-31",
                 "activity_mode": "transaction", "reporting_timezone": "America/New_York"}
    database = build(tmp_path, variables)
    oracle = Oracle(tables, as_of_date=date(2024, 12, 31), mode="transaction", timezone="America/New_York")
    check_all_marts(database, oracle)


def test_header_only_files_build_empty_marts(tmp_path):
    """Every table empty. The unit tests run here too: they must not depend on the raw source."""
    write_csv_tables(tmp_path / "raw", {name: [] for name in demo_data.COLUMNS})
    database = build(tmp_path, {"raw_source": "files", "raw_path": str(tmp_path / "raw")}, unit_tests=True)
    for mart in ("retention_by_period", "nps_by_period", "cltv_by_period", "customers", "cohort_retention",
                 "cohort_retention_summary", "cltv_by_cohort", "cltv_by_cohort_summary",
                 "revenue_retention_by_period"):
        assert read_mart(database, mart) == []


def test_no_events_table_builds_empty_event_marts(simulated_subscription_build):
    """The events table is optional: without an events file the build passes (the fixture's
    build) and every product-usage mart is empty."""
    for mart in EVENT_MARTS:
        assert read_mart(simulated_subscription_build, mart) == [], mart


def test_raw_tables_in_the_target_database(simulated_folder, tmp_path):
    """raw_source: tables reads raw_schema in the target database, here with typed columns."""
    connection = duckdb.connect(str(tmp_path / "retention.duckdb"))
    try:
        connection.execute("create schema landing")
        for name in demo_data.COLUMNS:
            connection.execute(
                f"create table landing.{name} as"
                f" select * from read_csv('{simulated_folder / (name + '.csv')}', header = true, all_varchar = true)"
            )
        connection.execute("alter table landing.subscriptions alter mrr type decimal(18, 2)")
        connection.execute("alter table landing.survey_responses alter score type integer")
    finally:
        connection.close()
    database = build(tmp_path, {"raw_source": "tables", "raw_schema": "landing", "as_of_date": "2025-02-10",
                                "period_grain": "month"})
    check_all_marts(database, Oracle(simulated_tables(), as_of_date=date(2025, 2, 10)))


def test_database_file_opens_in_duckdb_1x_readers(simulated_subscription_build):
    """The profile's storage_compatibility_version makes duckdb 2.x write storage version 64,
    the format DuckDB 1.x readers (most BI drivers) open. The version sits after the DUCK magic."""
    header = simulated_subscription_build.read_bytes()[:20]
    assert header[8:12] == b"DUCK"
    assert int.from_bytes(header[12:20], "little") == 64


def test_demo_build_passes_every_unit_and_data_test(demo_build):
    """build() fails the test with dbt's output if a model, unit test or data test fails."""
    assert (demo_build / "retention.duckdb").exists()


def test_readme_queries_run_on_the_demo_build(demo_build):
    """Every SQL example of the README and docs/ runs against the demo build, so none of them rots when a
    column is renamed; each returns rows, except the CLV ranking (the demo business is too small
    for the CLV fit, which is flagged instead)."""
    documents = [PROJECT_DIR / "README.md", *sorted((PROJECT_DIR / "docs").glob("*.md"))]
    queries = [query for document in documents
               for query in re.findall(r"```sql\n(.*?)```", document.read_text(), re.S)]
    assert len(queries) >= 7
    connection = duckdb.connect(str(demo_build / "retention.duckdb"), read_only=True)
    try:
        for query in queries:
            rows = connection.execute(query).fetchall()
            assert rows or "customer_lifetime_value" in query, query
    finally:
        connection.close()


def test_demo_events_match_the_event_oracle(demo_build):
    """The demo seed's events at the default event settings (every grain, calendar windows, the
    any_activity report): every row of the six event marts equals the brute-force event oracle,
    fed the events staging kept and the customers' segments as staged."""
    database = demo_build / "retention.duckdb"
    connection = duckdb.connect(str(database), read_only=True)
    try:
        events = connection.execute(
            "select customer_id, event_name, occurred_at from staging.stg_raw__events").fetchall()
        segments = {customer: {"country": country, "acquisition_channel": channel}
                    for customer, country, channel in connection.execute(
                        "select customer_id, country, acquisition_channel from staging.stg_raw__customers").fetchall()}
    finally:
        connection.close()
    assert len(events) > 3000
    oracle = EventOracle.from_variables(events, segments, {"as_of_date": "2025-06-15"})
    for mart, expected in oracle.marts().items():
        assert_mart_equals_oracle(database, mart, expected)


def test_demo_seeds_match_the_oracle(demo_build):
    """The demo seeds are demo_data's tables, bad rows (messy_rows) included. Staging must
    quarantine exactly those rows, and every mart must equal the oracle on the seeds without them."""
    database = demo_build / "retention.duckdb"
    tables = read_csv_folder(demo_data_folder(), prefix="raw_")
    messy = demo_data.messy_rows()
    clean = {}
    for name, rows in tables.items():
        remaining = list(rows)
        for bad in messy[name]:
            written = {column: str(value) for column, value in bad.items()}
            assert written in remaining, f"the demo seed raw_{name} lacks the bad row {bad}: rerun demo_data.py"
            remaining.remove(written)
        clean[name] = remaining
    connection = duckdb.connect(str(database), read_only=True)
    try:
        quarantined = dict(connection.execute(
            "select source_table, count(*) from staging.stg_raw__quarantined_rows group by 1").fetchall())
    finally:
        connection.close()
    assert quarantined == {name: len(rows) for name, rows in messy.items()}
    check_all_marts(database, Oracle(clean, as_of_date=date(2025, 6, 15)))


def demo_data_folder() -> Path:
    return Path(__file__).resolve().parents[2] / "seeds" / "demo"


def test_check_constraints_stop_an_out_of_range_rate(simulated_subscription_build, tmp_path):
    """The marts' contracts carry the bounds as check constraints: the database itself refuses 100.5."""
    copy = tmp_path / "copy.duckdb"
    shutil.copy(simulated_subscription_build, copy)
    connection = duckdb.connect(str(copy))
    try:
        with pytest.raises(duckdb.ConstraintException):
            connection.execute(
                "insert into marts.retention_by_period select * replace (100.5 as retention_rate_pct)"
                " from marts.retention_by_period limit 1"
            )
        with pytest.raises(duckdb.ConstraintException):
            connection.execute(
                "insert into marts.nps_by_period select * replace (-100.5 as nps) from marts.nps_by_period limit 1"
            )
    finally:
        connection.close()


def test_every_model_and_column_is_described(demo_build):
    """Every model, and every column each model really has in the database, has a description."""
    database = demo_build / "retention.duckdb"
    manifest = json.loads((demo_build / "target" / "manifest.json").read_text())
    connection = duckdb.connect(str(database), read_only=True)
    try:
        missing = []
        for node in manifest["nodes"].values():
            if node["resource_type"] not in ("model", "seed") or node["package_name"] != "customer_retention":
                continue
            if not node["description"].strip():
                missing.append(node["name"])
            described = {name for name, column in node["columns"].items() if column["description"].strip()}
            actual = connection.execute(
                "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
                [node["schema"], node["alias"]]
            ).fetchall()
            missing += [f"{node['name']}.{name}" for (name,) in actual if name not in described]
    finally:
        connection.close()
    assert missing == []
