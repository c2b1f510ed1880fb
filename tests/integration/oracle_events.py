"""An independent, brute-force implementation of the six product-usage event marts, in plain Python.

It shares no code with the dbt project and is not a port of its SQL: it takes the staged events
(customer_id, event_name, occurred_at as a naive local wall-clock datetime in reporting_timezone,
exactly what stg_raw__events holds), each customer's segments, as_of_date and the event variables,
and applies the definitions of the contract (the doc blocks in models/_usage__docs.md, issue 28)
literally, with dicts, sets and loops: for every cohort cell it walks the members and asks "did this member return
at age k?", for every day it builds the set of users seen over the trailing 7 and 28 days, and so
on. pandas is used only to hand back one DataFrame per mart, with exactly the contract's columns
(values are plain Python objects: int, float, bool, date, str or None).

Resolutions of points the contract leaves open (see the module's tests for worked examples):
- period_end (user_lifecycle_by_period, usage_frequency_by_period) follows the project-wide
  convention (doc block period_end): the end of the period, exclusive, except for the period
  containing as_of_date, whose period_end is as_of_date + 1 day. is_complete is whether the
  period's nominal end is <= as_of_end (so the last period is complete only when as_of_date is its
  last day); the contract's "period_end <= as_of_end" read with the capped period_end would be
  always true.
- usage_frequency_by_period is built at the week and month grains, whatever period_grains says.
- A user is an "event user" (and gives a segment value its rows) when they have an event before
  as_of_end; the first event (overall) is likewise the first before as_of_end.
- Calendar windows: every return-set event in the cohort's period or later counts, even one before
  the start instant in the same period (its age is 0, which is never looked at: the k = 0 cell is
  the cohort size by definition).
- A bracket counts literally "a return at some age in [from, to]": a bracket starting at 0 would
  count members with a return event at age 0 (the start event itself when it is a return event).
- max_periods and brackets given as a mapping must name every grain used; a report without
  start_events / return_events / cohort means any / any / first_time; its name is trimmed and
  lower-cased; start_events and return_events are 'any' or a list of names (a single name is a
  one-item list), trimmed and compared exactly (case-sensitive, as staging keeps names as given).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from datetime import date, datetime, timedelta

import pandas as pd

SEGMENT_ATTRIBUTES = ("country", "acquisition_channel")
ALL_GRAINS = ("day", "week", "month", "quarter", "year")
RETENTION_GRAINS = ("day", "week", "month")
ROLLING_WINDOW = {"day": timedelta(days=1), "week": timedelta(days=7)}
USAGE_FREQUENCY_GRAINS = ("week", "month")

DEFAULT_REPORTS = [{"name": "any_activity", "start_events": "any", "return_events": "any", "cohort": "first_time"}]
DEFAULT_GRAINS = ["day", "week", "month"]
DEFAULT_WINDOWS = ["calendar"]
DEFAULT_MAX_PERIODS = {"day": 90, "week": 52, "month": 24}
DEFAULT_BRACKETS = {
    "day": [[1, 1], [2, 7], [8, 14], [15, 30]],
    "week": [[1, 1], [2, 4], [5, 8], [9, 12]],
    "month": [[1, 1], [2, 3], [4, 6], [7, 12]],
}

COLUMNS = {
    "event_retention": [
        "report_name", "cohort_grain", "window_type", "segment_type", "segment_value", "cohort_start",
        "period_number", "cohort_size", "retained_users", "retained_on_or_after_users", "retention_pct",
        "retention_on_or_after_pct", "is_complete"],
    "event_retention_summary": [
        "report_name", "cohort_grain", "window_type", "segment_type", "segment_value", "period_number",
        "cohorts_averaged", "cohort_users", "retained_users", "retained_on_or_after_users", "retention_pct",
        "retention_on_or_after_pct"],
    "event_retention_brackets": [
        "report_name", "cohort_grain", "window_type", "segment_type", "segment_value", "cohort_start",
        "bracket_from", "bracket_to", "bracket_label", "cohort_size", "retained_users", "retention_pct",
        "is_complete"],
    "user_lifecycle_by_period": [
        "period_grain", "period_start", "period_end", "segment_type", "segment_value", "active_users",
        "new_users", "retained_users", "resurrected_users", "dormant_users", "retention_rate_pct",
        "quick_ratio", "is_complete"],
    "stickiness_by_day": [
        "activity_date", "segment_type", "segment_value", "dau", "wau_7d", "mau_28d", "dau_mau_pct",
        "dau_wau_pct"],
    "usage_frequency_by_period": [
        "period_grain", "period_start", "period_end", "segment_type", "segment_value", "active_days", "users",
        "active_users", "users_pct", "is_complete"],
}
# the columns that identify a row of each mart
KEYS = {
    "event_retention": ("report_name", "cohort_grain", "window_type", "segment_type", "segment_value",
                        "cohort_start", "period_number"),
    "event_retention_summary": ("report_name", "cohort_grain", "window_type", "segment_type", "segment_value",
                                "period_number"),
    "event_retention_brackets": ("report_name", "cohort_grain", "window_type", "segment_type", "segment_value",
                                 "cohort_start", "bracket_from", "bracket_to"),
    "user_lifecycle_by_period": ("period_grain", "period_start", "segment_type", "segment_value"),
    "stickiness_by_day": ("activity_date", "segment_type", "segment_value"),
    "usage_frequency_by_period": ("period_grain", "period_start", "segment_type", "segment_value", "active_days"),
}
MARTS = tuple(COLUMNS)


# --- calendar ---------------------------------------------------------------------------------
def period_start(day: date, grain: str) -> date:
    """The first day of the calendar period (at `grain`) containing `day`; weeks are ISO weeks,
    starting on Monday."""
    if grain == "day":
        return day
    if grain == "week":
        return day - timedelta(days=day.weekday())  # weekday(): Monday 0 ... Sunday 6
    if grain == "month":
        return date(day.year, day.month, 1)
    if grain == "quarter":
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    if grain == "year":
        return date(day.year, 1, 1)
    raise ValueError(f"unknown grain {grain!r}")


def shift_period(start: date, grain: str, periods: int) -> date:
    """The start of the period `periods` periods after the one starting at `start`."""
    if grain == "day":
        return start + timedelta(days=periods)
    if grain == "week":
        return start + timedelta(days=7 * periods)
    months = {"month": 1, "quarter": 3, "year": 12}[grain] * periods
    index = start.year * 12 + start.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def period_starts(first_day: date, last_day: date, grain: str) -> list[date]:
    """Every period start from the period containing first_day to the one containing last_day,
    one step at a time."""
    starts = [period_start(first_day, grain)]
    last = period_start(last_day, grain)
    while starts[-1] < last:
        starts.append(shift_period(starts[-1], grain, 1))
    return starts


def midnight(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time())


def percent(part: int, whole: int) -> float | None:
    return None if whole == 0 else 100 * part / whole


def bracket_label(bracket_from: int, bracket_to: int) -> str:
    return str(bracket_from) if bracket_from == bracket_to else f"{bracket_from}-{bracket_to}"


# --- variables --------------------------------------------------------------------------------
def _as_list(value) -> list:
    if isinstance(value, str):
        return [part.strip().lower() for part in value.split(",") if part.strip()]
    return [str(part).strip().lower() for part in value]


def _event_names(value) -> frozenset[str] | None:
    """None for 'any' (every event), else the set of names."""
    if value is None or (isinstance(value, str) and value.strip().lower() == "any"):
        return None
    if isinstance(value, str):
        return frozenset([value.strip()])
    return frozenset(str(name).strip() for name in value)


def _per_grain(value, default: dict, grains: list[str], name: str) -> dict:
    if value is None:
        return {grain: default[grain] for grain in grains}
    if isinstance(value, dict):
        missing = [grain for grain in grains if grain not in value]
        if missing:
            raise ValueError(f"{name} names no value for the grain(s) {missing}")
        return {grain: value[grain] for grain in grains}
    return {grain: value for grain in grains}


class EventOracle:
    """The six event marts of one build, from its staged events, segments and variables.

    events: rows of (customer_id, event_name, occurred_at) -- tuples, dicts or a DataFrame -- with
    occurred_at a naive local wall-clock datetime (or pandas Timestamp) in reporting_timezone.
    segments: customer_id -> {'country': ..., 'acquisition_channel': ...} ('unknown' when missing).
    """

    def __init__(self, events, segments: dict[str, dict], *, as_of_date: date, reports=None, grains=None,
                 windows=None, max_periods=None, brackets=None, period_grains=None):
        self.as_of_date = as_of_date
        self.as_of_end = midnight(as_of_date + timedelta(days=1))

        self.grains = _as_list(grains if grains is not None else DEFAULT_GRAINS)
        self.windows = _as_list(windows if windows is not None else DEFAULT_WINDOWS)
        for grain in self.grains:
            if grain not in RETENTION_GRAINS:
                raise ValueError(f"event_retention_grains: unknown grain {grain!r}")
        for window in self.windows:
            if window not in ("calendar", "rolling"):
                raise ValueError(f"event_retention_windows: unknown window {window!r}")
        if "rolling" in self.windows and "month" in self.grains:
            raise ValueError("event_retention_windows has rolling, which has no month grain: drop month from"
                             " event_retention_grains or rolling from event_retention_windows")
        self.max_periods = {g: int(v) for g, v in
                            _per_grain(max_periods, DEFAULT_MAX_PERIODS, self.grains,
                                       "event_retention_max_periods").items()}
        self.brackets = {g: [(int(a), int(b)) for a, b in v] for g, v in
                         _per_grain(brackets, DEFAULT_BRACKETS, self.grains, "event_retention_brackets").items()}
        self.reports = []
        for report in (reports if reports is not None else DEFAULT_REPORTS):
            cohort = str(report.get("cohort", "first_time")).strip().lower()
            if cohort not in ("first_time", "recurring"):
                raise ValueError(f"report {report!r}: cohort must be first_time or recurring")
            self.reports.append({
                "name": str(report["name"]).strip().lower(),
                "start_events": _event_names(report.get("start_events", "any")),
                "return_events": _event_names(report.get("return_events", "any")),
                "cohort": cohort,
            })
        self.period_grains = _as_list(period_grains if period_grains is not None else ["month"])

        self.segments_of: dict[str, list[tuple[str, str]]] = {}
        for customer, attributes in segments.items():
            self.segments_of[customer] = [("all", "all")] + [
                (attribute, attributes.get(attribute) or "unknown") for attribute in SEGMENT_ATTRIBUTES]

        self.events: list[tuple[str, str, datetime]] = []
        for customer, name, moment in _event_rows(events):
            if moment.tzinfo is not None:
                raise ValueError("occurred_at must be a naive local wall-clock time")
            if moment >= self.as_of_end:  # ignored by every mart
                continue
            if customer not in self.segments_of:
                raise ValueError(f"event of customer {customer!r}, who has no segments")
            self.events.append((customer, name, moment))
        self.events.sort(key=lambda e: (e[2], e[0], e[1]))
        self.users = sorted({customer for customer, _, _ in self.events})
        self.first_event_date = min((m.date() for _, _, m in self.events), default=None)

    @classmethod
    def from_variables(cls, events, segments, variables: dict) -> "EventOracle":
        """An oracle for the dbt --vars of a build (as_of_date required)."""
        period_grains = variables.get("period_grains")
        if period_grains is None and variables.get("period_grain") is not None:
            period_grains = [variables["period_grain"]]
        return cls(events, segments, as_of_date=date.fromisoformat(variables["as_of_date"]),
                   reports=variables.get("event_retention_reports"),
                   grains=variables.get("event_retention_grains"),
                   windows=variables.get("event_retention_windows"),
                   max_periods=variables.get("event_retention_max_periods"),
                   brackets=variables.get("event_retention_brackets"),
                   period_grains=period_grains)

    # --- helpers ------------------------------------------------------------------------------
    def segment_values(self) -> list[tuple[str, str]]:
        """Every segment (type, value) that has an event user."""
        return sorted({segment for user in self.users for segment in self.segments_of[user]})

    def in_segment(self, user: str, segment: tuple[str, str]) -> bool:
        return segment in self.segments_of[user]

    def period_end(self, start: date, grain: str) -> date:
        """period_end: the next period's start, but as_of_date + 1 for the period containing it."""
        return min(shift_period(start, grain, 1), self.as_of_date + timedelta(days=1))

    def period_is_complete(self, start: date, grain: str) -> bool:
        return midnight(shift_period(start, grain, 1)) <= self.as_of_end

    def marts(self) -> dict[str, pd.DataFrame]:
        return {name: getattr(self, name)() for name in MARTS}

    # --- event retention ----------------------------------------------------------------------
    def _memberships(self, report: dict, grain: str) -> list[dict]:
        """The cohort memberships of a report at a grain: user, start instant, cohort_start."""
        starts = report["start_events"]
        start_moments = defaultdict(list)
        for customer, name, moment in self.events:
            if starts is None or name in starts:
                start_moments[customer].append(moment)
        members = []
        for customer, moments in start_moments.items():
            if report["cohort"] == "first_time":
                first = min(moments)
                members.append({"user": customer, "start": first, "cohort_start": period_start(first.date(), grain)})
            else:
                by_period = defaultdict(list)
                for moment in moments:
                    by_period[period_start(moment.date(), grain)].append(moment)
                for cohort_start, in_period in by_period.items():
                    members.append({"user": customer, "start": min(in_period), "cohort_start": cohort_start})
        return members

    def _return_moments(self, report: dict) -> dict[str, list[datetime]]:
        returns = report["return_events"]
        found = defaultdict(list)
        for customer, name, moment in self.events:
            if returns is None or name in returns:
                found[customer].append(moment)
        return found

    @functools.cache  # noqa: B019 (one oracle per build; kept alive by the test anyway)
    def _period_index(self, grain: str) -> dict[date, int]:
        """Period start -> its position, counting periods one by one from the first event's."""
        if self.first_event_date is None:
            return {}
        return {start: i for i, start in enumerate(period_starts(self.first_event_date, self.as_of_date, grain))}

    def _ages(self, member: dict, returns: list[datetime], grain: str, window: str) -> set[int]:
        """The ages (k >= 0) of the member's return events."""
        ages = set()
        for moment in returns:
            if window == "calendar":
                index = self._period_index(grain)
                k = index[period_start(moment.date(), grain)] - index[member["cohort_start"]]
            else:
                if moment < member["start"]:
                    continue
                k = (moment - member["start"]) // ROLLING_WINDOW[grain]
            if k >= 0:
                ages.add(k)
        return ages

    def _last_age(self, member: dict, grain: str, window: str) -> int:
        """Uncapped K of one member: calendar, the periods from the cohort's to as_of_date's;
        rolling, the largest k whose window has begun (start + k * window < as_of_end)."""
        if window == "calendar":
            index = self._period_index(grain)
            return index[period_start(self.as_of_date, grain)] - index[member["cohort_start"]]
        k = 0
        while member["start"] + (k + 1) * ROLLING_WINDOW[grain] < self.as_of_end:
            k += 1
        return k

    def _is_complete(self, members: list[dict], grain: str, window: str, k: int) -> bool:
        if window == "calendar":
            cohort_start = members[0]["cohort_start"]
            return midnight(shift_period(cohort_start, grain, k + 1)) <= self.as_of_end
        return max(m["start"] + (k + 1) * ROLLING_WINDOW[grain] for m in members) <= self.as_of_end

    @functools.cached_property
    def _cohorts(self) -> list[dict]:
        """Every cohort: (report, grain, window, segment, cohort_start) with its members, each with
        the set of ages of their returns; and the cohort's uncapped K."""
        cohorts = []
        for report in self.reports:
            returns = self._return_moments(report)
            for grain in self.grains:
                memberships = self._memberships(report, grain)
                for window in self.windows:
                    grouped = defaultdict(list)
                    for member in memberships:
                        member = dict(member, ages=self._ages(member, returns.get(member["user"], []), grain, window))
                        member["last_age"] = self._last_age(member, grain, window)
                        for segment in self.segments_of[member["user"]]:
                            grouped[(segment, member["cohort_start"])].append(member)
                    for (segment, cohort_start), members in sorted(grouped.items()):
                        users = [m["user"] for m in members]
                        assert len(users) == len(set(users)), "a user is in a cohort twice"
                        cohorts.append({
                            "report_name": report["name"], "cohort_grain": grain, "window_type": window,
                            "segment_type": segment[0], "segment_value": segment[1], "cohort_start": cohort_start,
                            "members": members,
                            "last_age": max(m["last_age"] for m in members),
                        })
        return cohorts

    @functools.cache  # noqa: B019
    def _event_retention_rows(self) -> list[dict]:
        rows = []
        for cohort in self._cohorts:
            members, grain, window = cohort["members"], cohort["cohort_grain"], cohort["window_type"]
            size = len(members)
            for k in range(min(cohort["last_age"], self.max_periods[grain]) + 1):
                if k == 0:
                    retained = on_or_after = size
                else:
                    retained = sum(1 for m in members if k in m["ages"])
                    on_or_after = sum(1 for m in members if any(age >= k for age in m["ages"]))
                rows.append({
                    **{c: cohort[c] for c in ("report_name", "cohort_grain", "window_type", "segment_type",
                                              "segment_value", "cohort_start")},
                    "period_number": k,
                    "cohort_size": size,
                    "retained_users": retained,
                    "retained_on_or_after_users": on_or_after,
                    "retention_pct": percent(retained, size),
                    "retention_on_or_after_pct": percent(on_or_after, size),
                    "is_complete": self._is_complete(members, grain, window, k),
                })
        return rows

    def event_retention(self) -> pd.DataFrame:
        return frame("event_retention", self._event_retention_rows())

    def event_retention_summary(self) -> pd.DataFrame:
        pooled = {}
        for cell in self._event_retention_rows():
            if not cell["is_complete"]:
                continue
            key = tuple(cell[c] for c in KEYS["event_retention_summary"])
            total = pooled.setdefault(key, {"cohorts_averaged": 0, "cohort_users": 0, "retained_users": 0,
                                            "retained_on_or_after_users": 0})
            total["cohorts_averaged"] += 1
            total["cohort_users"] += cell["cohort_size"]
            total["retained_users"] += cell["retained_users"]
            total["retained_on_or_after_users"] += cell["retained_on_or_after_users"]
        rows = []
        for key, total in sorted(pooled.items()):
            rows.append({
                **dict(zip(KEYS["event_retention_summary"], key)),
                **total,
                "retention_pct": percent(total["retained_users"], total["cohort_users"]),
                "retention_on_or_after_pct": percent(total["retained_on_or_after_users"], total["cohort_users"]),
            })
        return frame("event_retention_summary", rows)

    def event_retention_brackets(self) -> pd.DataFrame:
        rows = []
        for cohort in self._cohorts:
            members, grain, window = cohort["members"], cohort["cohort_grain"], cohort["window_type"]
            for bracket_from, bracket_to in self.brackets[grain]:
                if bracket_from > cohort["last_age"]:
                    continue
                retained = sum(1 for m in members if any(bracket_from <= age <= bracket_to for age in m["ages"]))
                rows.append({
                    **{c: cohort[c] for c in ("report_name", "cohort_grain", "window_type", "segment_type",
                                              "segment_value", "cohort_start")},
                    "bracket_from": bracket_from,
                    "bracket_to": bracket_to,
                    "bracket_label": bracket_label(bracket_from, bracket_to),
                    "cohort_size": len(members),
                    "retained_users": retained,
                    "retention_pct": percent(retained, len(members)),
                    "is_complete": self._is_complete(members, grain, window, bracket_to),
                })
        return frame("event_retention_brackets", rows)

    # --- lifecycle, stickiness, usage frequency -----------------------------------------------
    def _active_periods(self, grain: str) -> dict[str, set[date]]:
        found = defaultdict(set)
        for customer, _, moment in self.events:
            found[customer].add(period_start(moment.date(), grain))
        return found

    def user_lifecycle_by_period(self) -> pd.DataFrame:
        rows = []
        if self.first_event_date is None:
            return frame("user_lifecycle_by_period", rows)
        for grain in self.period_grains:
            active = self._active_periods(grain)
            first = {user: min(periods) for user, periods in active.items()}
            starts = period_starts(self.first_event_date, self.as_of_date, grain)
            for segment in self.segment_values():
                users = [u for u in self.users if self.in_segment(u, segment)]
                for i, start in enumerate(starts):
                    previous = starts[i - 1] if i else None
                    now = {u for u in users if start in active[u]}
                    before = {u for u in users if previous is not None and previous in active[u]}
                    new = {u for u in now if first[u] == start}
                    retained = now & before
                    resurrected = {u for u in now if u not in before and first[u] < start}
                    dormant = before - now
                    assert len(now) == len(new) + len(retained) + len(resurrected)
                    assert len(before) == len(retained) + len(dormant)
                    gained = len(new) + len(resurrected)
                    rows.append({
                        "period_grain": grain,
                        "period_start": start,
                        "period_end": self.period_end(start, grain),
                        "segment_type": segment[0],
                        "segment_value": segment[1],
                        "active_users": len(now),
                        "new_users": len(new),
                        "retained_users": len(retained),
                        "resurrected_users": len(resurrected),
                        "dormant_users": len(dormant),
                        # the retention_rate macro: ((CE - CN) / CS) * 100
                        "retention_rate_pct": percent(len(now) - gained, len(before)),
                        "quick_ratio": None if not dormant else gained / len(dormant),
                        "is_complete": self.period_is_complete(start, grain),
                    })
        return frame("user_lifecycle_by_period", rows)

    def stickiness_by_day(self) -> pd.DataFrame:
        rows = []
        if self.first_event_date is None:
            return frame("stickiness_by_day", rows)
        users_on = defaultdict(set)  # day -> users with an event that day
        for customer, _, moment in self.events:
            users_on[moment.date()].add(customer)
        days = period_starts(self.first_event_date, self.as_of_date, "day")
        for segment in self.segment_values():
            for day in days:
                dau = {u for u in users_on[day] if self.in_segment(u, segment)}
                wau = set()
                for back in range(7):
                    wau |= {u for u in users_on[day - timedelta(days=back)] if self.in_segment(u, segment)}
                mau = set()
                for back in range(28):
                    mau |= {u for u in users_on[day - timedelta(days=back)] if self.in_segment(u, segment)}
                rows.append({
                    "activity_date": day,
                    "segment_type": segment[0],
                    "segment_value": segment[1],
                    "dau": len(dau),
                    "wau_7d": len(wau),
                    "mau_28d": len(mau),
                    "dau_mau_pct": percent(len(dau), len(mau)),
                    "dau_wau_pct": percent(len(dau), len(wau)),
                })
        return frame("stickiness_by_day", rows)

    def usage_frequency_by_period(self) -> pd.DataFrame:
        rows = []
        for grain in USAGE_FREQUENCY_GRAINS:
            days_of = defaultdict(set)  # (user, period_start) -> distinct local days with an event
            for customer, _, moment in self.events:
                days_of[(customer, period_start(moment.date(), grain))].add(moment.date())
            for segment in self.segment_values():
                for start in sorted({p for _, p in days_of}):
                    counts = [len(days) for (user, p), days in days_of.items()
                              if p == start and self.in_segment(user, segment)]
                    for active_days in sorted(set(counts)):
                        users = sum(1 for c in counts if c == active_days)
                        rows.append({
                            "period_grain": grain,
                            "period_start": start,
                            "period_end": self.period_end(start, grain),
                            "segment_type": segment[0],
                            "segment_value": segment[1],
                            "active_days": active_days,
                            "users": users,
                            "active_users": len(counts),
                            "users_pct": percent(users, len(counts)),
                            "is_complete": self.period_is_complete(start, grain),
                        })
        return frame("usage_frequency_by_period", rows)


def _event_rows(events):
    """(customer_id, event_name, occurred_at as datetime) from tuples, dicts or a DataFrame."""
    if isinstance(events, pd.DataFrame):
        events = events[["customer_id", "event_name", "occurred_at"]].itertuples(index=False, name=None)
    for event in events:
        if isinstance(event, dict):
            event = (event["customer_id"], event["event_name"], event["occurred_at"])
        customer, name, moment = event
        if isinstance(moment, pd.Timestamp):
            moment = moment.to_pydatetime()
        elif isinstance(moment, str):
            moment = datetime.fromisoformat(moment)
        yield str(customer), str(name), moment


def frame(mart: str, rows: list[dict]) -> pd.DataFrame:
    """The rows as a DataFrame of plain Python values, with exactly the mart's columns in order."""
    for row in rows:
        assert set(row) == set(COLUMNS[mart]), (mart, sorted(set(row) ^ set(COLUMNS[mart])))
    return pd.DataFrame([[row[c] for c in COLUMNS[mart]] for row in rows], columns=COLUMNS[mart], dtype=object)
