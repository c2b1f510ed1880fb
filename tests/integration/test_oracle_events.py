"""The event oracle itself, on tiny hand-worked fixtures (no dbt): each expected figure is worked
out by hand in the comments, from the contract (the doc blocks in models/_usage__docs.md), not
from the oracle.

Calendar notes used below: 2025-01-06, 2025-03-03, 2025-03-10, 2025-03-17 and 2025-03-31 are
Mondays; 2025-03-09, 2025-03-16 and 2025-03-23 Sundays; 2025-03-20 a Thursday. New York moves
from EST (UTC-5) to EDT (UTC-4) at 02:00 on 2025-03-09.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from oracle_events import COLUMNS, KEYS, MARTS, EventOracle, period_start

NEW_YORK = ZoneInfo("America/New_York")


def at(text: str) -> datetime:
    """A local wall-clock time, as stg_raw__events holds it."""
    return datetime.fromisoformat(text)


def ev(user: str, name: str, moment: str) -> tuple[str, str, datetime]:
    return (user, name, at(moment))


def make(events, as_of: str, segments=None, **variables) -> EventOracle:
    users = {e[0] for e in events}
    segments = segments or {u: {"country": "US", "acquisition_channel": "organic"} for u in users}
    return EventOracle(events, segments, as_of_date=date.fromisoformat(as_of), **variables)


def rows(df, **where) -> list[dict]:
    found = [r for r in df.to_dict("records") if all(r[k] == v for k, v in where.items())]
    return sorted(found, key=lambda r: tuple(str(r[k]) for k in r))


def one(df, **where) -> dict:
    found = rows(df, **where)
    assert len(found) == 1, (where, found)
    return found[0]


ALL = {"segment_type": "all", "segment_value": "all"}


def retention(oracle: EventOracle, **where) -> dict[int, tuple]:
    """period_number -> (cohort_size, retained, on_or_after, is_complete) of one cohort, 'all' segment."""
    cells = rows(oracle.event_retention(), **ALL, **where)
    by_k = {r["period_number"]: (r["cohort_size"], r["retained_users"], r["retained_on_or_after_users"],
                                 r["is_complete"]) for r in cells}
    assert len(by_k) == len(cells)
    return by_k


# --- local days ----------------------------------------------------------------------------------
def test_events_straddling_local_midnight_fall_on_two_local_days():
    """Raw 2025-01-07T04:50Z and 05:10Z are both 7 January in UTC, but in New York (UTC-5) they are
    2025-01-06 23:50 and 2025-01-07 00:10. Staging hands the oracle local times, so the user is
    active on two local days: 6 January (the cohort day) and 7 January (calendar age 1)."""
    raw = [datetime(2025, 1, 7, 4, 50, tzinfo=ZoneInfo("UTC")), datetime(2025, 1, 7, 5, 10, tzinfo=ZoneInfo("UTC"))]
    local = [("u", "login", m.astimezone(NEW_YORK).replace(tzinfo=None)) for m in raw]
    assert [e[2] for e in local] == [at("2025-01-06 23:50"), at("2025-01-07 00:10")]
    oracle = make(local, "2025-01-08", grains=["day", "week"], windows=["calendar", "rolling"])

    sticky = oracle.stickiness_by_day()
    # days run from the first local event date, 6 January, to as_of_date
    assert [r["activity_date"] for r in rows(sticky, **ALL)] == [date(2025, 1, 6), date(2025, 1, 7), date(2025, 1, 8)]
    assert [(r["dau"], r["wau_7d"], r["mau_28d"]) for r in rows(sticky, **ALL)] == [(1, 1, 1), (1, 1, 1), (0, 1, 1)]
    # 8 January: nobody that day, one user over the week: 0 / 1 = 0 %
    assert one(sticky, **ALL, activity_date=date(2025, 1, 8))["dau_wau_pct"] == 0.0

    # calendar day: cohort 6 January, K = 8 - 6 = 2; the 00:10 event is on day 1
    assert retention(oracle, cohort_grain="day", window_type="calendar") == {
        0: (1, 1, 1, True), 1: (1, 1, 1, True), 2: (1, 0, 0, True)}
    # rolling day: 20 minutes after the start is age 0, so nobody returns at age 1. K: start
    # 2025-01-06 23:50 + 2 days = 01-08 23:50 < as_of_end 01-09 00:00, + 3 days is not: K = 2;
    # cell 2 ends 01-09 23:50, after as_of_end: incomplete
    assert retention(oracle, cohort_grain="day", window_type="rolling") == {
        0: (1, 1, 1, True), 1: (1, 0, 0, True), 2: (1, 0, 0, False)}
    # ISO week of Monday 6 January, two distinct local days
    usage = oracle.usage_frequency_by_period()
    week = one(usage, **ALL, period_grain="week")
    assert (week["period_start"], week["active_days"], week["users"], week["active_users"]) == (
        date(2025, 1, 6), 2, 1, 1)

    # the same instants read as UTC dates would be one day: the local date is what counts
    utc = make([("u", "login", m.replace(tzinfo=None)) for m in raw], "2025-01-08")
    assert one(utc.usage_frequency_by_period(), **ALL, period_grain="week")["active_days"] == 1
    assert utc.stickiness_by_day()["activity_date"].min() == date(2025, 1, 7)


# --- rolling windows -----------------------------------------------------------------------------
def test_rolling_window_crossing_a_calendar_day():
    """Start Monday 2025-03-03 20:00; returns 03-04 09:00 (13 hours later: calendar day age 1,
    rolling age 0) and 03-05 20:00 (exactly 48 hours: rolling age 2, the window's start is
    inclusive). as_of_date 2025-03-05, as_of_end 2025-03-06 00:00."""
    events = [ev("u", "login", "2025-03-03 20:00"), ev("u", "login", "2025-03-04 09:00"),
              ev("u", "login", "2025-03-05 20:00")]
    oracle = make(events, "2025-03-05", grains=["day"], windows=["calendar", "rolling"])
    # calendar: ages 0, 1, 2; K = 2; day 03-05 ends at 03-06 00:00 = as_of_end: complete
    assert retention(oracle, window_type="calendar") == {0: (1, 1, 1, True), 1: (1, 1, 1, True), 2: (1, 1, 1, True)}
    # rolling: ages 0, 0, 2. K = 2 (03-05 20:00 < as_of_end; 03-06 20:00 is not).
    # complete when start + (k + 1) days <= as_of_end: k = 0 (03-04 20:00), 1 (03-05 20:00), not 2
    assert retention(oracle, window_type="rolling") == {0: (1, 1, 1, True), 1: (1, 0, 1, True), 2: (1, 1, 1, False)}
    # the summary pools complete cells only: rolling age 2 has none, so no row
    summary = oracle.event_retention_summary()
    assert [r["period_number"] for r in rows(summary, **ALL, window_type="rolling")] == [0, 1]
    assert [r["period_number"] for r in rows(summary, **ALL, window_type="calendar")] == [0, 1, 2]


def test_rolling_ages_use_local_wall_clock_across_a_dst_change():
    """12:00 on 2025-03-08 (EST) to 12:00 on 2025-03-09 (EDT) is 23 real hours but 24 wall-clock
    hours: on the local timestamps it is rolling age 1."""
    events = [ev("u", "login", "2025-03-08 12:00"), ev("u", "login", "2025-03-09 12:00")]
    oracle = make(events, "2025-03-10", grains=["day"], windows=["rolling"])
    assert retention(oracle)[1][1] == 1


def test_rolling_week_boundary_and_completeness_over_members():
    """Two members of the ISO week cohort of 2025-03-03: m1 starts Monday 03-03 09:00, m2 Sunday
    03-09 22:00. Both return on Wednesday 03-12: m1 at 08:00 (8 days 23 hours: rolling age 1),
    m2 at 10:00 (2 days 12 hours: rolling age 0). as_of_date Monday 2025-03-17, as_of_end
    2025-03-18 00:00."""
    events = [ev("m1", "login", "2025-03-03 09:00"), ev("m2", "login", "2025-03-09 22:00"),
              ev("m1", "login", "2025-03-12 08:00"), ev("m2", "login", "2025-03-12 10:00")]
    oracle = make(events, "2025-03-17", grains=["week"], windows=["calendar", "rolling"])
    # calendar: K = index(03-17) - index(03-03) = 2; both return in the week of 03-10 (k = 1),
    # which ends 03-17 <= as_of_end: complete; the week of 03-17 ends 03-24: incomplete
    assert retention(oracle, window_type="calendar") == {0: (2, 2, 2, True), 1: (2, 2, 2, True),
                                                         2: (2, 0, 0, False)}
    # rolling: m1's windows 1 and 2 begin 03-10 09:00 and 03-17 09:00, both < as_of_end; m2's
    # window 1 begins 03-16 22:00, window 2 (03-23 22:00) not yet: K = max(2, 1) = 2.
    # A cell is complete when the LAST member's window has ended: k = 0 ends 03-10 09:00 (m1) and
    # 03-16 22:00 (m2): complete; k = 1 ends 03-17 09:00 (m1, passed) and 03-23 22:00 (m2, not):
    # incomplete, although m1's window is over
    assert retention(oracle, window_type="rolling") == {0: (2, 2, 2, True), 1: (2, 1, 1, False),
                                                        2: (2, 0, 0, False)}


def test_rolling_window_that_begins_exactly_at_as_of_end_is_not_counted():
    """Start 2025-03-05 00:00 exactly; as_of_end 2025-03-06 00:00: window 1 would begin exactly at
    as_of_end, so it has not begun (K = 0), and window 0 ends exactly then (complete)."""
    oracle = make([ev("u", "login", "2025-03-05 00:00")], "2025-03-05", grains=["day"], windows=["rolling"])
    assert retention(oracle) == {0: (1, 1, 1, True)}


# --- cohorts ---------------------------------------------------------------------------------------
def test_recurring_and_first_time_cohorts():
    """Week grain, as_of_date Sunday 2025-03-23 (so the week of 03-17 is complete).
    a: view Mon 03-03, view Tue 03-11, view Tue 03-18.
    b: view Tue 03-04, export Wed 03-12.
    first_time, any/any: both join the cohort of 03-03; in week 1 a views and b exports (2);
    in week 2 only a (1); K = index(03-17) - index(03-03) = 2.
    recurring, start [view], return [view]: a has a membership in each of the three weeks, b in
    the first; b's export is no return. Cohort 03-03 {a, b}: k1 a (1), k2 a (1). Cohort 03-10
    {a}: k1 a's view of 03-18 (1). Cohort 03-17 {a}: K = 0."""
    events = [ev("a", "view", "2025-03-03 10:00"), ev("a", "view", "2025-03-11 10:00"),
              ev("a", "view", "2025-03-18 10:00"), ev("b", "view", "2025-03-04 10:00"),
              ev("b", "export", "2025-03-12 10:00")]
    reports = [{"name": "first", "start_events": "any", "return_events": "any", "cohort": "first_time"},
               {"name": "again", "start_events": ["view"], "return_events": ["view"], "cohort": "recurring"}]
    oracle = make(events, "2025-03-23", grains=["week"], reports=reports)
    assert retention(oracle, report_name="first", cohort_start=date(2025, 3, 3)) == {
        0: (2, 2, 2, True), 1: (2, 2, 2, True), 2: (2, 1, 1, True)}
    assert {r["cohort_start"] for r in rows(oracle.event_retention(), **ALL, report_name="first")} == {date(2025, 3, 3)}
    assert retention(oracle, report_name="again", cohort_start=date(2025, 3, 3)) == {
        0: (2, 2, 2, True), 1: (2, 1, 1, True), 2: (2, 1, 1, True)}
    assert retention(oracle, report_name="again", cohort_start=date(2025, 3, 10)) == {
        0: (1, 1, 1, True), 1: (1, 1, 1, True)}
    assert retention(oracle, report_name="again", cohort_start=date(2025, 3, 17)) == {0: (1, 1, 1, True)}


def test_recurring_membership_starts_at_first_start_event_of_the_period():
    """Recurring, day grain, rolling, start [view], return any: on 2025-03-03 the user views at
    08:00 and 23:00, then views 03-04 07:00 and exports 03-04 09:00. The 03-03 membership starts
    at the first view of the day, 08:00: the 03-04 07:00 view is 23 hours later (age 0) and the
    09:00 export 25 hours later (age 1; from 23:00 it would be age 0). The 03-04 membership
    starts at 07:00: the export is age 0 of it."""
    events = [ev("u", "view", "2025-03-03 08:00"), ev("u", "view", "2025-03-03 23:00"),
              ev("u", "view", "2025-03-04 07:00"), ev("u", "export", "2025-03-04 09:00")]
    reports = [{"name": "r", "start_events": ["view"], "return_events": "any", "cohort": "recurring"}]
    oracle = make(events, "2025-03-04", grains=["day"], windows=["rolling"], reports=reports)
    # 03-03 membership, start 08:00: K: 03-04 08:00 < 03-05 00:00, 03-05 08:00 is not: K = 1
    assert retention(oracle, cohort_start=date(2025, 3, 3)) == {0: (1, 1, 1, True), 1: (1, 1, 1, False)}
    # 03-04 membership, start 07:00: the export at 09:00 is age 0; K = 0; window 0 ends 03-05 07:00
    assert retention(oracle, cohort_start=date(2025, 3, 4)) == {0: (1, 1, 1, False)}


def test_start_and_return_event_names_are_exact():
    """Names are kept as given: 'Export' is not 'export'. start [signup], return [export]:
    u signs up 03-03 and sends 'Export' on 03-04 and 'export' on 03-05 (day ages 1 and 2);
    v exports on 03-03 but never signs up (not a member)."""
    events = [ev("u", "signup", "2025-03-03 10:00"), ev("u", "Export", "2025-03-04 10:00"),
              ev("u", "export", "2025-03-05 10:00"), ev("v", "export", "2025-03-03 10:00")]
    reports = [{"name": "r", "start_events": ["signup"], "return_events": ["export"], "cohort": "first_time"}]
    oracle = make(events, "2025-03-05", grains=["day"], reports=reports)
    assert retention(oracle) == {0: (1, 1, 1, True), 1: (1, 0, 1, True), 2: (1, 1, 1, True)}


def test_returns_before_the_cohort_are_ignored():
    """first_time start [signup], return any, month grain: u logs in in January, signs up in
    February (cohort February), logs in in March. January's login has age -1: ignored."""
    events = [ev("u", "login", "2025-01-15 10:00"), ev("u", "signup", "2025-02-10 10:00"),
              ev("u", "login", "2025-03-10 10:00")]
    reports = [{"name": "r", "start_events": ["signup"], "return_events": "any", "cohort": "first_time"}]
    oracle = make(events, "2025-03-31", grains=["month"], reports=reports)
    # K = March - February = 1; as_of_date 03-31 is March's last day: complete
    assert retention(oracle, cohort_start=date(2025, 2, 1)) == {0: (1, 1, 1, True), 1: (1, 1, 1, True)}
    assert len(rows(oracle.event_retention(), **ALL)) == 2


def test_on_or_after_counts_any_later_return_and_never_increases():
    """Day cohort 2025-03-01, as_of 03-08 (K = 7). x returns at ages 1 and 3; y at age 5.
    retained: k1 1, k2 0, k3 1, k4 0, k5 1, k6 0, k7 0.
    on or after: k1 2 (x, y), k2 2 (x at 3, y at 5), k3 2, k4 1 (y), k5 1, k6 0, k7 0."""
    events = [ev("x", "a", "2025-03-01 09:00"), ev("x", "a", "2025-03-02 09:00"), ev("x", "a", "2025-03-04 09:00"),
              ev("y", "a", "2025-03-01 12:00"), ev("y", "a", "2025-03-06 12:00")]
    oracle = make(events, "2025-03-08", grains=["day"])
    cells = retention(oracle)
    assert [cells[k][1] for k in range(8)] == [2, 1, 0, 1, 0, 1, 0, 0]
    assert [cells[k][2] for k in range(8)] == [2, 2, 2, 2, 1, 1, 0, 0]


def test_on_or_after_never_increases_on_random_data():
    """A property, on pseudo-random events: along every cohort on_or_after never increases,
    never falls below retained, and never exceeds the cohort size."""
    rng = random.Random(5)
    events = []
    for user in range(25):
        moment = datetime(2025, 1, 1) + timedelta(hours=rng.uniform(0, 24 * 60))
        for _ in range(rng.randint(1, 12)):
            events.append((f"u{user}", rng.choice(["a", "b"]), moment))
            moment += timedelta(hours=rng.expovariate(1 / 60))
    reports = [{"name": "any", "cohort": "first_time"},
               {"name": "ab", "start_events": ["a"], "return_events": ["b"], "cohort": "recurring"}]
    oracle = make(events, "2025-03-15", grains=["day", "week"], windows=["calendar", "rolling"], reports=reports)
    cells = oracle.event_retention().to_dict("records")
    assert cells
    cohorts = {}
    for cell in cells:
        cohorts.setdefault(tuple(cell[c] for c in KEYS["event_retention"][:-1]), []).append(cell)
    for cohort in cohorts.values():
        cohort.sort(key=lambda c: c["period_number"])
        assert [c["period_number"] for c in cohort] == list(range(len(cohort)))
        for before, after in zip(cohort, cohort[1:]):
            assert after["retained_on_or_after_users"] <= before["retained_on_or_after_users"]
        for cell in cohort:
            assert cell["retained_users"] <= cell["retained_on_or_after_users"] <= cell["cohort_size"]


# --- brackets, max_periods, summary ---------------------------------------------------------------
def test_brackets_and_max_periods_cap():
    """Day cohort 2025-03-01, as_of 2025-03-12, so the uncapped K = 11; max_periods 5.
    x returns at ages 1 and 9, y at age 3.
    event_retention: only k = 0 .. 5; on_or_after(5) still counts x's age-9 return (uncapped): 1.
    Brackets [1,1], [2,7], [8,14], [12,20]: [1,1] x (1); [2,7] y (1); [8,14] x (1), its row exists
    because 8 <= K = 11 although 8 > max_periods, and it is incomplete: day 14 is 03-15, which ends
    03-16 > as_of_end 03-13; [12,20] has no row (12 > 11)."""
    events = [ev("x", "a", "2025-03-01 09:00"), ev("x", "a", "2025-03-02 09:00"), ev("x", "a", "2025-03-10 09:00"),
              ev("y", "a", "2025-03-01 10:00"), ev("y", "a", "2025-03-04 10:00")]
    oracle = make(events, "2025-03-12", grains=["day"], max_periods=5,
                  brackets=[[1, 1], [2, 7], [8, 14], [12, 20]])
    cells = retention(oracle)
    assert sorted(cells) == [0, 1, 2, 3, 4, 5]
    assert cells[5] == (2, 0, 1, True)
    brackets = rows(oracle.event_retention_brackets(), **ALL)
    assert [(b["bracket_label"], b["bracket_from"], b["bracket_to"], b["cohort_size"], b["retained_users"],
             b["retention_pct"], b["is_complete"]) for b in brackets] == [
        ("1", 1, 1, 2, 1, 50.0, True), ("2-7", 2, 7, 2, 1, 50.0, True), ("8-14", 8, 14, 2, 1, 50.0, False)]
    # the summary reads the capped triangle: ages 0 .. 5 only
    assert [r["period_number"] for r in rows(oracle.event_retention_summary(), **ALL)] == [0, 1, 2, 3, 4, 5]


def test_max_periods_and_brackets_per_grain():
    """The mapping forms: each grain its own cap and brackets. Day cohort 03-01 / week cohort of
    Monday 2025-02-24, as_of 2025-03-12: day K = 11 capped at 3; week K = index(03-10) -
    index(02-24) = 2 capped at 1."""
    events = [ev("x", "a", "2025-03-01 09:00"), ev("x", "a", "2025-03-09 09:00")]
    oracle = make(events, "2025-03-12", grains=["day", "week"], max_periods={"day": 3, "week": 1},
                  brackets={"day": [[1, 3]], "week": [[1, 2], [3, 4]]})
    assert sorted(retention(oracle, cohort_grain="day")) == [0, 1, 2, 3]
    assert sorted(retention(oracle, cohort_grain="week")) == [0, 1]
    # week brackets: [1,2] exists (1 <= 2): x's 03-09 (Sunday, week of 03-03) is week age 1;
    # [3,4] has no row (3 > K = 2); day bracket [1,3]: age 8 is outside, 0 retained
    labels = {(b["cohort_grain"], b["bracket_label"]): b["retained_users"]
              for b in rows(oracle.event_retention_brackets(), **ALL)}
    assert labels == {("day", "1-3"): 0, ("week", "1-2"): 1}


def test_summary_pools_complete_cells_by_size():
    """Week grain, as_of Thursday 2025-03-20 (the week of 03-17 is incomplete).
    Cohort 03-03: a, b, c; a and b return in week 03-10 (k1), a in week 03-17 (k2, incomplete).
    Cohort 03-10: d; d returns in week 03-17 (k1, incomplete).
    Summary k0: cohorts 03-03 (3) and 03-10 (1) complete: 2 cohorts, 4 users, 100 %.
    k1: only cohort 03-03 is complete: 1 cohort, 3 users, 2 retained, 200/3 %.
    k2: 03-03's cell is incomplete: no row. (Cohort 03-17 has no members.)"""
    events = [ev("a", "e", "2025-03-03 10:00"), ev("b", "e", "2025-03-04 10:00"), ev("c", "e", "2025-03-05 10:00"),
              ev("a", "e", "2025-03-11 10:00"), ev("b", "e", "2025-03-12 10:00"), ev("a", "e", "2025-03-18 10:00"),
              ev("d", "e", "2025-03-10 10:00"), ev("d", "e", "2025-03-19 10:00")]
    oracle = make(events, "2025-03-20", grains=["week"])
    summary = rows(oracle.event_retention_summary(), **ALL)
    assert [(r["period_number"], r["cohorts_averaged"], r["cohort_users"], r["retained_users"],
             r["retained_on_or_after_users"]) for r in summary] == [(0, 2, 4, 4, 4), (1, 1, 3, 2, 2)]
    assert summary[1]["retention_pct"] == pytest.approx(200 / 3, abs=1e-12)
    assert retention(oracle, cohort_start=date(2025, 3, 3))[2] == (3, 1, 1, False)


# --- completeness of calendar periods -------------------------------------------------------------
@pytest.mark.parametrize("as_of, complete", [("2025-03-20", False), ("2025-03-23", True)])
def test_current_week_is_complete_only_on_its_last_day(as_of, complete):
    """The week of 2025-03-17 ends 03-24 00:00: complete when as_of_date is Sunday 03-23."""
    events = [ev("u", "e", "2025-03-10 10:00"), ev("u", "e", "2025-03-18 10:00")]
    oracle = make(events, as_of, grains=["week"], period_grains=["week"])
    assert retention(oracle)[1][3] is complete
    week = one(oracle.user_lifecycle_by_period(), **ALL, period_start=date(2025, 3, 17))
    # period_end: the period's end, or as_of_date + 1 for the period containing as_of_date
    assert (week["period_end"], week["is_complete"]) == (
        date.fromisoformat(as_of) + timedelta(days=1), complete)
    usage = one(oracle.usage_frequency_by_period(), **ALL, period_grain="week", period_start=date(2025, 3, 17))
    assert (usage["period_end"], usage["is_complete"]) == (week["period_end"], complete)
    earlier = one(oracle.usage_frequency_by_period(), **ALL, period_grain="week", period_start=date(2025, 3, 10))
    assert (earlier["period_end"], earlier["is_complete"]) == (date(2025, 3, 17), True)


def test_last_day_cell_is_complete_and_future_is_ignored():
    """An event exactly at as_of_end (2025-03-21 00:00) is ignored; 23:59:59 on as_of_date counts.
    Day cohorts: the as_of_date cell (day 03-20 ends 03-21 00:00) is complete."""
    events = [ev("u", "e", "2025-03-19 10:00"), ev("u", "e", "2025-03-20 23:59:59"),
              ev("v", "e", "2025-03-21 00:00:00")]
    oracle = make(events, "2025-03-20", grains=["day"], period_grains=["day"])
    assert retention(oracle) == {0: (1, 1, 1, True), 1: (1, 1, 1, True)}
    assert oracle.users == ["u"]
    assert {r["segment_value"] for r in oracle.stickiness_by_day().to_dict("records")} == {"all", "US", "organic"}
    assert max(r["period_start"] for r in oracle.user_lifecycle_by_period().to_dict("records")) == date(2025, 3, 20)


# --- lifecycle ------------------------------------------------------------------------------------
def test_lifecycle_counts_identities_and_quick_ratio():
    """Month grain, as_of 2025-04-15. u1 (US): January, February, April; u2 (US): February, March;
    u3 (FR): March.
               active  new  retained  resurrected  dormant  retention %      quick ratio
    January      1      1      0          0           0     null (CS 0)      null (dormant 0)
    February     2      1      1          0           0     (2-1)/1 = 100    null (dormant 0)
    March        2      1      1          0           1     (2-1)/2 = 50     (1+0)/1 = 1
    April        1      0      0          1           2     (1-1)/2 = 0      (0+1)/2 = 0.5
    FR segment: zero rows in January and February; March new 1; April dormant 1, quick 0/1 = 0."""
    events = [ev("u1", "e", "2025-01-10 10:00"), ev("u1", "e", "2025-02-10 10:00"), ev("u1", "e", "2025-04-10 10:00"),
              ev("u2", "e", "2025-02-11 10:00"), ev("u2", "e", "2025-03-11 10:00"), ev("u3", "e", "2025-03-12 10:00")]
    segments = {"u1": {"country": "US", "acquisition_channel": "organic"},
                "u2": {"country": "US", "acquisition_channel": "unknown"},
                "u3": {"country": "FR", "acquisition_channel": "organic"}}
    oracle = make(events, "2025-04-15", segments=segments)
    lifecycle = oracle.user_lifecycle_by_period()
    assert set(lifecycle.columns) == set(COLUMNS["user_lifecycle_by_period"])
    table = [(r["period_start"], r["active_users"], r["new_users"], r["retained_users"], r["resurrected_users"],
              r["dormant_users"], r["retention_rate_pct"], r["quick_ratio"], r["period_end"], r["is_complete"])
             for r in rows(lifecycle, **ALL)]
    assert table == [
        (date(2025, 1, 1), 1, 1, 0, 0, 0, None, None, date(2025, 2, 1), True),
        (date(2025, 2, 1), 2, 1, 1, 0, 0, 100.0, None, date(2025, 3, 1), True),
        (date(2025, 3, 1), 2, 1, 1, 0, 1, 50.0, 1.0, date(2025, 4, 1), True),
        (date(2025, 4, 1), 1, 0, 0, 1, 2, 0.0, 0.5, date(2025, 4, 16), False),
    ]
    fr = [(r["active_users"], r["new_users"], r["dormant_users"], r["quick_ratio"])
          for r in rows(lifecycle, segment_type="country", segment_value="FR")]
    assert fr == [(0, 0, 0, None), (0, 0, 0, None), (1, 1, 0, None), (0, 0, 1, 0.0)]
    # every segment with an event user, every period
    assert {(r["segment_type"], r["segment_value"]) for r in lifecycle.to_dict("records")} == {
        ("all", "all"), ("country", "US"), ("country", "FR"), ("acquisition_channel", "organic"),
        ("acquisition_channel", "unknown")}
    assert len(lifecycle) == 5 * 4
    records = lifecycle.to_dict("records")
    previous = {}
    for r in sorted(records, key=lambda r: r["period_start"]):
        key = (r["segment_type"], r["segment_value"])
        assert r["active_users"] == r["new_users"] + r["retained_users"] + r["resurrected_users"]
        assert previous.get(key, 0) == r["retained_users"] + r["dormant_users"]
        previous[key] = r["active_users"]


# --- stickiness and usage frequency ---------------------------------------------------------------
def test_stickiness_windows_are_the_trailing_7_and_28_days():
    """u is active on 2025-03-01 only; as_of 2025-03-30. wau_7d of day d covers d-6 .. d, so 03-07
    still sees u and 03-08 does not; mau_28d covers d-27 .. d: 03-28 sees u, 03-29 does not, and
    there both ratios are null (nobody over the window)."""
    oracle = make([ev("u", "e", "2025-03-01 10:00"), ev("u", "e", "2025-03-01 11:00")], "2025-03-30")
    sticky = {r["activity_date"]: r for r in rows(oracle.stickiness_by_day(), **ALL)}
    assert sorted(sticky) == [date(2025, 3, 1) + timedelta(days=n) for n in range(30)]
    assert (sticky[date(2025, 3, 1)]["dau"], sticky[date(2025, 3, 1)]["dau_mau_pct"]) == (1, 100.0)
    assert (sticky[date(2025, 3, 7)]["wau_7d"], sticky[date(2025, 3, 8)]["wau_7d"]) == (1, 0)
    assert (sticky[date(2025, 3, 28)]["mau_28d"], sticky[date(2025, 3, 29)]["mau_28d"]) == (1, 0)
    assert sticky[date(2025, 3, 7)]["dau_wau_pct"] == 0.0 and sticky[date(2025, 3, 8)]["dau_wau_pct"] is None
    assert sticky[date(2025, 3, 28)]["dau_mau_pct"] == 0.0 and sticky[date(2025, 3, 29)]["dau_mau_pct"] is None


def test_stickiness_ratios():
    """2025-03-03: a and b active; 03-04: a. On 03-04: dau 1, wau 2, mau 2: 50 % and 50 %."""
    events = [ev("a", "e", "2025-03-03 10:00"), ev("b", "e", "2025-03-03 11:00"), ev("a", "e", "2025-03-04 10:00")]
    day = one(make(events, "2025-03-04").stickiness_by_day(), **ALL, activity_date=date(2025, 3, 4))
    assert (day["dau"], day["wau_7d"], day["mau_28d"], day["dau_mau_pct"], day["dau_wau_pct"]) == (1, 2, 2, 50.0, 50.0)


def test_usage_frequency_counts_distinct_local_days():
    """Week of 2025-03-03 and month of March, as_of 2025-03-31 (Monday).
    a: 03-03 twice and 03-05 (2 days that week); b: 03-04 (1 day); c: 03-06, 03-07, 03-08 (3 days).
    Week 03-03: active_days 1 -> b, 2 -> a, 3 -> c: each 1 of 3 users.
    a also on 03-31, in the week of 03-31 (incomplete, period_end 04-01) and in March (complete:
    as_of_date is its last day): March a 3 days, b 1, c 3."""
    events = [ev("a", "e", "2025-03-03 09:00"), ev("a", "e", "2025-03-03 18:00"), ev("a", "e", "2025-03-05 09:00"),
              ev("b", "e", "2025-03-04 09:00"), ev("c", "e", "2025-03-06 09:00"), ev("c", "e", "2025-03-07 09:00"),
              ev("c", "e", "2025-03-08 09:00"), ev("a", "e", "2025-03-31 09:00")]
    usage = make(events, "2025-03-31").usage_frequency_by_period()
    week = [(r["active_days"], r["users"], r["active_users"], r["users_pct"])
            for r in rows(usage, **ALL, period_grain="week", period_start=date(2025, 3, 3))]
    assert week == [(1, 1, 3, 100 / 3), (2, 1, 3, 100 / 3), (3, 1, 3, 100 / 3)]
    last_week = one(usage, **ALL, period_grain="week", period_start=date(2025, 3, 31))
    assert (last_week["period_end"], last_week["is_complete"], last_week["active_days"]) == (
        date(2025, 4, 1), False, 1)
    march = [(r["active_days"], r["users"], r["users_pct"], r["period_end"], r["is_complete"])
             for r in rows(usage, **ALL, period_grain="month")]
    assert march == [(1, 1, 100 / 3, date(2025, 4, 1), True), (3, 2, 200 / 3, date(2025, 4, 1), True)]
    # only week and month
    assert set(usage["period_grain"]) == {"week", "month"}


# --- calendar helpers and variables ---------------------------------------------------------------
def test_weeks_are_iso_weeks_starting_on_monday():
    assert period_start(date(2025, 3, 9), "week") == date(2025, 3, 3)    # Sunday -> the Monday before
    assert period_start(date(2025, 3, 10), "week") == date(2025, 3, 10)  # Monday starts its week
    assert period_start(date(2025, 1, 1), "week") == date(2024, 12, 30)  # ISO week 1 of 2025
    # Sunday 03-09 and Monday 03-10: week ages 0 and 1 of the cohort of 03-03
    events = [ev("u", "e", "2025-03-03 10:00"), ev("v", "e", "2025-03-09 10:00"), ev("v", "e", "2025-03-10 10:00")]
    oracle = make(events, "2025-03-12", grains=["week"])
    assert retention(oracle) == {0: (2, 2, 2, True), 1: (2, 1, 1, False)}


def test_rolling_with_month_grain_stops():
    with pytest.raises(ValueError, match="event_retention_windows"):
        make([ev("u", "e", "2025-03-03 10:00")], "2025-03-12", windows=["calendar", "rolling"])
    # rolling without month is fine, and so is month with calendar alone
    make([ev("u", "e", "2025-03-03 10:00")], "2025-03-12", grains=["day", "week"], windows=["rolling"])
    make([ev("u", "e", "2025-03-03 10:00")], "2025-03-12", windows=["calendar"])


def test_defaults_and_empty_input():
    """No variables: report any_activity, grains day/week/month, calendar, the default caps and
    brackets, period_grains [month]. No events: every mart empty, with its columns."""
    oracle = make([ev("u", "e", "2025-03-03 10:00")], "2025-03-12")
    cells = oracle.event_retention().to_dict("records")
    assert {(c["report_name"], c["cohort_grain"], c["window_type"]) for c in cells} == {
        ("any_activity", "day", "calendar"), ("any_activity", "week", "calendar"),
        ("any_activity", "month", "calendar")}
    assert set(oracle.user_lifecycle_by_period()["period_grain"]) == {"month"}
    labels = {(b["cohort_grain"], b["bracket_label"]) for b in oracle.event_retention_brackets().to_dict("records")}
    # day K = 9: brackets 1, 2-7, 8-14 (15-30 starts after K); week K = 1: 1 only
    assert labels == {("day", "1"), ("day", "2-7"), ("day", "8-14"), ("week", "1")}
    empty = EventOracle([], {}, as_of_date=date(2025, 3, 12))
    for mart in MARTS:
        frame = getattr(empty, mart)()
        assert list(frame.columns) == COLUMNS[mart] and len(frame) == 0


def test_day_grain_max_periods_default_caps_at_90():
    """A cohort of 2025-01-01 with as_of 2025-06-30 has K = 180, capped at 90 by default."""
    oracle = make([ev("u", "e", "2025-01-01 10:00"), ev("u", "e", "2025-06-01 10:00")], "2025-06-30",
                  grains=["day"])
    cells = retention(oracle)
    assert max(cells) == 90 and cells[90] == (1, 0, 1, True)  # the return at age 151 counts on-or-after
