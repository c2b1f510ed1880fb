"""Build the project on generated product-usage events and compare every row of the six event marts
(the doc blocks in models/_usage__docs.md, issue 28) with the brute-force oracle (oracle_events.py).

The raw folder (raw_source files) holds a small subscription business (demo_data.generate, 300
customers) and, in a folder events/ of two Parquet files, a few thousand events of those
customers written here by a deterministic generator: sessions of one to four events at any time
of day (so some straddle local midnight), gaps from hours to weeks, long breaks (resurrections),
timestamps spelt with Z, with offsets or as naive New York wall-clock time, a padded name and
a differently-cased one ('Export'), an exact duplicate event split across the two files, and
hand-placed events on the edges of the definitions (EDGE_EVENTS).

Two builds, both in America/New_York:
- rolling: windows calendar and rolling at the day and week grains, two reports (any_activity;
  core_action: start view_report, return export, recurring cohorts), max_periods and brackets
  per grain (with a bracket beyond the cap), period_grains day, week and month;
- defaults: every event variable at its default but max_periods and brackets, given as one
  integer and one list for every grain (so the month grain is covered, calendar only).
The oracle reads the events as parsed here from the raw files (naive values are New York wall
clock, others converted to it), and the segments from the raw customers; a separate test checks
that stg_raw__events holds exactly those events. Rolling windows with the month grain must stop
the build.
"""

from __future__ import annotations

import math
import random
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd
import pytest

from conftest import build, demo_data, read_mart, rows_as_dicts, run_dbt, write_csv_tables
from oracle_events import COLUMNS, KEYS, MARTS, EventOracle

TIMEZONE = "America/New_York"
ZONE = ZoneInfo(TIMEZONE)
UTC = timezone.utc
ROLLING_AS_OF = "2025-03-20"   # a Thursday: the week and month containing it are incomplete
DEFAULT_AS_OF = "2025-03-31"   # a Monday, March's last day: March is complete, its week is not
FIRST_SESSION = datetime(2024, 9, 2, tzinfo=UTC)
LAST_SESSION = datetime(2025, 4, 12, tzinfo=UTC)  # after both as_of_dates, before any build runs
BUSINESS_TABLES = ("customers", "subscriptions", "transactions", "survey_responses")
EVENT_COLUMNS = ("event_id", "customer_id", "event_name", "occurred_at")
FLOAT_COLUMNS = {"retention_pct", "retention_on_or_after_pct", "retention_rate_pct", "quick_ratio",
                 "dau_mau_pct", "dau_wau_pct", "users_pct"}

REPORTS = [
    {"name": "any_activity", "start_events": "any", "return_events": "any", "cohort": "first_time"},
    {"name": "core_action", "start_events": ["view_report"], "return_events": ["export"], "cohort": "recurring"},
]
ROLLING_EVENT_VARIABLES = {
    "as_of_date": ROLLING_AS_OF,
    "event_retention_reports": REPORTS,
    "event_retention_grains": ["day", "week"],
    "event_retention_windows": ["calendar", "rolling"],
    "event_retention_max_periods": {"day": 30, "week": 8, "month": 24},
    "event_retention_brackets": {"day": [[1, 1], [2, 7], [8, 30], [31, 60]],
                                 "week": [[1, 1], [2, 4], [5, 12]],
                                 "month": [[1, 1], [2, 3]]},
    "period_grains": ["day", "week", "month"],
}
DEFAULT_EVENT_VARIABLES = {
    "as_of_date": DEFAULT_AS_OF,
    "event_retention_max_periods": 6,
    "event_retention_brackets": [[1, 1], [2, 3], [4, 10]],
}

# Hand-placed customers and events (customer, country, channel, [(event_name, occurred_at)]).
EDGE_CUSTOMERS = [
    # two events 20 minutes apart that are both 7 January in UTC, but 6 and 7 January in New
    # York; nothing after, so the NZ segment has days with nobody over 28 days (null ratios)
    ("EDGE1", "NZ", "", [("login", "2025-01-07T04:50:00Z"), ("export", "2025-01-07T00:10:00-05:00")]),
    # exactly 24 hours and exactly 7 days after the start: rolling ages 1 (day) and 1 (week)
    ("EDGE2", "US", "partner", [("view_report", "2025-02-03T10:00:00-05:00"), ("export", "2025-02-04T15:00:00Z"),
                                ("export", "2025-02-10 10:00:00")]),
    # 24 wall-clock hours across the switch to summer time (23 real hours): rolling day age 1
    ("EDGE3", "GB", "organic", [("view_report", "2025-03-08T12:00:00-05:00"), ("export", "2025-03-09T16:00:00Z")]),
    # starts late on the rolling build's as_of_date; 23:59:59 counts there, local midnight after
    # it (2025-03-21 00:00 EDT) does not, and counts in the default build
    ("EDGE4", "US", "organic", [("login", "2025-03-20T23:30:00-04:00"), ("export", "2025-03-20 23:59:59"),
                                ("view_report", "2025-03-21T04:00:00Z")]),
    # only after the rolling build's as_of_date: no event user there (no IE segment)
    ("EDGE5", "IE", "social", [("login", "2025-03-25T15:00:00Z")]),
    # exactly at the default build's as_of_end (2025-04-01 00:00 EDT): ignored there too
    ("EDGE6", "IE", "social", [("login", "2025-03-30T12:00:00Z"), ("login", "2025-04-01T00:00:00-04:00")]),
]
NAMES = ["login", "view_report", "export", "invite", "Export", " view_report "]
NAME_WEIGHTS = [40, 30, 16, 8, 3, 3]


# --- the raw data -----------------------------------------------------------------------------------
def spell(moment: datetime, style: int) -> str:
    """One instant in one of four ISO 8601 spellings (naive = New York wall-clock time)."""
    if style == 0:
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if style == 1:
        return moment.astimezone(timezone(timedelta(hours=2))).isoformat()
    if style == 2:
        return moment.astimezone(ZONE).isoformat()
    return moment.astimezone(ZONE).strftime("%Y-%m-%d %H:%M:%S")


def generate_events(customers: list[str], seed: int = 28) -> list[dict]:
    """Raw event rows (text) for the customers: sessions of 1-4 events up to 40 minutes apart,
    at a uniform time of day, after gaps drawn per user (hours to weeks), sometimes a break of
    a month or two; each user stops after each session with a chance of their own."""
    rng = random.Random(seed)
    rows = []
    for customer in customers:
        moment = FIRST_SESSION + timedelta(days=rng.uniform(0, 190), seconds=rng.randrange(86_400))
        mean_gap_days = rng.choice([0.5, 1.5, 4, 9, 20])
        stop = rng.choice([0.03, 0.08, 0.2])
        for _ in range(40):
            if moment >= LAST_SESSION:
                break
            offsets = sorted(rng.uniform(0, 40 * 60) for _ in range(rng.randint(1, 4)))
            for offset in offsets:
                at = (moment + timedelta(seconds=int(offset))).replace(microsecond=0)
                rows.append({"event_id": f"E{len(rows):06d}", "customer_id": customer,
                             "event_name": rng.choices(NAMES, NAME_WEIGHTS)[0], "occurred_at": spell(at, rng.randrange(4))})
            if rng.random() < stop:
                break
            gap = rng.expovariate(1 / mean_gap_days) + (rng.uniform(30, 70) if rng.random() < 0.06 else 0)
            moment += timedelta(days=gap)
    for customer, _, _, events in EDGE_CUSTOMERS:
        for name, occurred_at in events:
            rows.append({"event_id": f"X{len(rows):06d}", "customer_id": customer, "event_name": name,
                         "occurred_at": occurred_at})
    return rows


def raw_tables() -> tuple[dict[str, list[dict]], list[dict]]:
    business = demo_data.generate(seed=28, customers=300, start=datetime(2024, 9, 1, tzinfo=UTC),
                                  end=datetime(2025, 3, 10, tzinfo=UTC))
    tables = {name: list(business[name]) for name in BUSINESS_TABLES}
    for customer, country, channel, _ in EDGE_CUSTOMERS:
        tables["customers"].append({"customer_id": customer, "created_at": "2024-09-01T00:00:00Z",
                                    "email": f"{customer.lower()}@example.com", "country": country,
                                    "acquisition_channel": channel})
    events = generate_events([row["customer_id"] for row in business["customers"]])
    return tables, events


def write_events(folder: Path, events: list[dict]) -> list[dict]:
    """events/ as two Parquet files of text columns; the 8th event appears once in each (an
    exact duplicate, which staging keeps once). Returns the rows written."""
    folder.mkdir(parents=True, exist_ok=True)
    half = len(events) // 2
    parts = [events[:half], events[half:] + [events[7]]]
    connection = duckdb.connect()
    try:
        for number, part in enumerate(parts):
            frame = pd.DataFrame(part, columns=list(EVENT_COLUMNS)).astype(str)
            connection.register("part", frame)
            connection.execute(f"copy (select * from part) to '{folder / f'part-{number}.parquet'}' (format parquet)")
            connection.unregister("part")
    finally:
        connection.close()
    return [row for part in parts for row in part]


@pytest.fixture(scope="module")
def raw(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("events_raw")
    tables, events = raw_tables()
    write_csv_tables(folder, tables)
    written = write_events(folder / "events", events)
    return {"folder": folder, "tables": tables, "events": written}


# --- the oracle's inputs, parsed here from the raw rows ---------------------------------------------
def local_time(text: str) -> datetime:
    """ISO 8601 text -> naive New York wall-clock time (naive text already is)."""
    moment = datetime.fromisoformat(text.strip())
    return moment if moment.tzinfo is None else moment.astimezone(ZONE).replace(tzinfo=None)


def staged_events(events: list[dict]) -> list[tuple[str, str, datetime]]:
    """What staging keeps: one row per event_id, names trimmed, times local."""
    kept = {}
    for row in events:
        kept.setdefault(row["event_id"].strip(), (row["customer_id"].strip(), row["event_name"].strip(),
                                                 local_time(row["occurred_at"])))
    return list(kept.values())


def segments(customers: list[dict]) -> dict[str, dict]:
    return {row["customer_id"].strip(): {attribute: row[attribute].strip() or "unknown"
                                         for attribute in ("country", "acquisition_channel")}
            for row in customers}


def oracle_for(raw: dict, variables: dict) -> EventOracle:
    return EventOracle.from_variables(staged_events(raw["events"]), segments(raw["tables"]["customers"]), variables)


def build_variables(raw: dict, event_variables: dict) -> dict:
    return {"raw_source": "files", "raw_path": str(raw["folder"]), "reporting_timezone": TIMEZONE,
            **event_variables}


@pytest.fixture(scope="module")
def rolling_build(raw, tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("events_rolling"), build_variables(raw, ROLLING_EVENT_VARIABLES))


@pytest.fixture(scope="module")
def default_build(raw, tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("events_default"), build_variables(raw, DEFAULT_EVENT_VARIABLES))


@pytest.fixture(scope="module")
def rolling_oracle(raw) -> EventOracle:
    return oracle_for(raw, ROLLING_EVENT_VARIABLES)


@pytest.fixture(scope="module")
def default_oracle(raw) -> EventOracle:
    return oracle_for(raw, DEFAULT_EVENT_VARIABLES)


# --- comparison ----------------------------------------------------------------------------------------
def normalised(value):
    """A mart or oracle value as a plain Python value: NaN -> None, numpy scalars unwrapped."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, (date, datetime)):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def same(column: str, actual, expected) -> bool:
    if expected is None or actual is None:
        return actual is None and expected is None
    if column in FLOAT_COLUMNS:
        if isinstance(actual, bool) or not isinstance(actual, (int, float, Decimal)):
            return False
        return abs(float(actual) - expected) <= 1e-9 * max(1.0, abs(expected))
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(actual) is type(expected) and actual == expected
    if isinstance(expected, date) and not isinstance(expected, datetime):
        return type(actual) is date and actual == expected  # a timestamp is not a date
    return actual == expected


def describe(row: dict) -> str:
    return "{" + ", ".join(f"{k}: {v!r}" for k, v in row.items()) + "}"


def assert_mart_equals_oracle(database: Path, mart: str, expected: pd.DataFrame) -> None:
    """Every row of the mart equals the oracle's: the same keys, counts and flags exactly,
    percentages and ratios within 1e-9 (relative above 1). Reports the first differences."""
    actual_rows = [{k: normalised(v) for k, v in row.items()} for row in read_mart(database, mart)]
    expected_rows = [{k: normalised(v) for k, v in row.items()} for row in expected.to_dict("records")]
    if actual_rows:
        columns = set(actual_rows[0])
        assert columns == set(COLUMNS[mart]), (
            f"{mart}: columns differ; missing {sorted(set(COLUMNS[mart]) - columns)},"
            f" unexpected {sorted(columns - set(COLUMNS[mart]))}")
    keys = KEYS[mart]

    def key_of(row: dict) -> tuple:
        return tuple(row[k] for k in keys)

    def order(key: tuple) -> tuple:
        return tuple((type(part).__name__, part) for part in key)

    actual = {key_of(row): row for row in actual_rows}
    expected_by_key = {key_of(row): row for row in expected_rows}
    assert len(actual) == len(actual_rows), f"{mart}: duplicate keys {keys} in the mart"
    assert len(expected_by_key) == len(expected_rows), f"{mart}: duplicate keys in the oracle"
    missing = sorted(set(expected_by_key) - set(actual), key=order)
    unexpected = sorted(set(actual) - set(expected_by_key), key=order)
    differing = []
    for key in sorted(set(actual) & set(expected_by_key), key=order):
        columns = [c for c in COLUMNS[mart] if not same(c, actual[key].get(c), expected_by_key[key][c])]
        if columns:
            differing.append((key, columns))
    if not (missing or unexpected or differing):
        return
    lines = [f"{mart}: {len(actual_rows)} rows in the mart, {len(expected_rows)} in the oracle;"
             f" {len(missing)} missing, {len(unexpected)} unexpected, {len(differing)} differing"
             f" (key: {', '.join(keys)})"]
    if differing:
        counts = {}
        for _, columns in differing:
            for column in columns:
                counts[column] = counts.get(column, 0) + 1
        lines.append("  differing columns: " + ", ".join(f"{c} ({n} rows)" for c, n in counts.items()))
    for key in missing[:5]:
        lines.append(f"  missing    {describe(expected_by_key[key])}")
    for key in unexpected[:5]:
        lines.append(f"  unexpected {describe(actual[key])}")
    for key, columns in differing[:8]:
        lines.append(f"  differing  {key}: " + "; ".join(
            f"{c} mart {actual[key].get(c)!r} oracle {expected_by_key[key][c]!r}" for c in columns))
    pytest.fail("\n".join(lines), pytrace=False)


def mart_columns(database: Path, mart: str) -> list[str]:
    connection = duckdb.connect(str(database), read_only=True)
    try:
        return [name for (name,) in connection.execute(
            "select column_name from information_schema.columns where table_schema = 'marts' and table_name = ?"
            " order by ordinal_position", [mart]).fetchall()]
    finally:
        connection.close()


# --- tests -------------------------------------------------------------------------------------------
def test_staged_events_are_the_raw_events(raw, rolling_build):
    """stg_raw__events holds exactly the events the oracle reads (one row per event_id, names
    trimmed, occurred_at New York wall-clock time), so a mart difference is the marts'."""
    connection = duckdb.connect(str(rolling_build), read_only=True)
    try:
        staged = rows_as_dicts(connection.execute(
            "select customer_id, event_name, occurred_at from staging.stg_raw__events"))
    finally:
        connection.close()
    actual = sorted((r["customer_id"], r["event_name"], r["occurred_at"]) for r in staged)
    expected = sorted(staged_events(raw["events"]))
    assert len(actual) == len(expected), f"{len(actual)} staged events, {len(expected)} expected"
    first = next(((a, e) for a, e in zip(actual, expected) if a != e), None)
    assert first is None, f"first difference (staged, expected): {first}"


@pytest.mark.parametrize("mart", MARTS)
def test_rolling_build_matches_the_oracle(mart, rolling_build, rolling_oracle):
    assert_mart_equals_oracle(rolling_build, mart, getattr(rolling_oracle, mart)())


@pytest.mark.parametrize("mart", MARTS)
def test_default_build_matches_the_oracle(mart, default_build, default_oracle):
    assert_mart_equals_oracle(default_build, mart, getattr(default_oracle, mart)())


@pytest.mark.parametrize("mart", MARTS)
def test_mart_columns_are_the_contract_in_order(mart, rolling_build):
    assert mart_columns(rolling_build, mart) == COLUMNS[mart]


def test_rolling_windows_with_the_month_grain_stop_the_build(raw, tmp_path):
    """Rolling windows are 1 or 7 days: with the month grain (a default grain) the build stops,
    naming the variables."""
    variables = build_variables(raw, {"as_of_date": ROLLING_AS_OF, "event_retention_windows": ["calendar", "rolling"]})
    result = run_dbt(tmp_path, variables, extra_arguments=("--exclude-resource-type", "unit_test"))
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-3000:]
    # the stop for this reason, not an unknown variable (which would name it too)
    assert "Unknown variable" not in output, output[-3000:]
    assert "event_retention_windows" in output and "month" in output, output[-3000:]


def test_generated_data_exercises_the_definitions(raw, rolling_oracle, default_oracle):
    """The comparison proves little unless the data reaches the edges: checked on the oracle."""
    assert 300 <= len(rolling_oracle.users) and 3_000 <= len(rolling_oracle.events) <= 20_000
    assert len(staged_events(raw["events"])) == len(raw["events"]) - 1  # the duplicate
    cells = rolling_oracle.event_retention().to_dict("records")
    by_window = {}
    for cell in cells:
        if cell["segment_type"] == "all":
            key = (cell["report_name"], cell["cohort_grain"], cell["cohort_start"], cell["period_number"])
            by_window.setdefault(key, {})[cell["window_type"]] = cell
    pairs = [p for p in by_window.values() if len(p) == 2]
    # rolling and calendar windows disagree on some cells, counts and completeness
    assert any(p["rolling"]["retained_users"] != p["calendar"]["retained_users"] for p in pairs)
    assert any(p["calendar"]["is_complete"] and not p["rolling"]["is_complete"] for p in pairs)
    assert any(c["retained_users"] < c["retained_on_or_after_users"] for c in cells if c["period_number"] > 0)
    # capped: cohorts older than max_periods, and brackets beyond the cap
    assert {c["period_number"] for c in cells if c["cohort_grain"] == "day"} == set(range(31))
    brackets = rolling_oracle.event_retention_brackets().to_dict("records")
    assert any(b["bracket_from"] == 31 for b in brackets) and any(not b["is_complete"] for b in brackets)
    # the recurring report: users in several cohorts, cohorts of more than one member
    core = [c for c in cells if c["report_name"] == "core_action" and c["period_number"] == 0
            and c["segment_type"] == "all" and c["cohort_grain"] == "week" and c["window_type"] == "calendar"]
    any_activity = [c for c in cells if c["report_name"] == "any_activity" and c["period_number"] == 0
                    and c["segment_type"] == "all" and c["cohort_grain"] == "week" and c["window_type"] == "calendar"]
    assert sum(c["cohort_size"] for c in core) > sum(c["cohort_size"] for c in any_activity) / 2
    assert any(c["retained_users"] > 0 for c in cells if c["report_name"] == "core_action" and c["period_number"] > 0)
    # lifecycle: every class occurs, and quick ratios both null and not
    lifecycle = [r for r in rolling_oracle.user_lifecycle_by_period().to_dict("records") if r["segment_type"] == "all"]
    for column in ("new_users", "retained_users", "resurrected_users", "dormant_users"):
        assert sum(r[column] for r in lifecycle if r["period_grain"] == "week") > 0, column
    assert any(r["quick_ratio"] is None for r in lifecycle) and any(r["quick_ratio"] is not None for r in lifecycle)
    # stickiness: a segment with nobody over 28 days (NZ after January); IE only in the default build
    sticky = rolling_oracle.stickiness_by_day().to_dict("records")
    assert any(r["dau_mau_pct"] is None for r in sticky if r["segment_value"] == "NZ")
    assert "IE" not in set(rolling_oracle.stickiness_by_day()["segment_value"])
    assert "IE" in set(default_oracle.stickiness_by_day()["segment_value"])
    # usage frequency: heavy weeks as well as single days
    usage = rolling_oracle.usage_frequency_by_period().to_dict("records")
    assert max(r["active_days"] for r in usage if r["period_grain"] == "week") >= 5
    # the hand-placed edges reach the oracle as intended
    local = sorted(m for c, _, m in rolling_oracle.events if c == "EDGE1")
    assert [m.date() for m in local] == [date(2025, 1, 6), date(2025, 1, 7)]
    assert max(m for c, _, m in rolling_oracle.events if c == "EDGE4") == datetime(2025, 3, 20, 23, 59, 59)
    assert max(m for c, _, m in default_oracle.events if c == "EDGE6") == datetime(2025, 3, 30, 8, 0)
