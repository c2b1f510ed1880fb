"""An independent, brute-force implementation of the metric definitions, in plain Python.

It shares no code with the dbt project: it reads the same raw rows (as text), applies the
definitions of METRICS.md directly (for every period and every customer it asks "was this
customer active at this instant?"), and returns the rows each mart should hold. The integration
tests compare the marts with it.
"""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

SEGMENT_TYPES = ("all", "country", "acquisition_channel")
MRR_MOVEMENTS = ("new_mrr", "reactivation_mrr", "expansion_mrr", "contraction_mrr", "churned_mrr")


def text(value) -> str | None:
    if value is None:
        return None
    stripped = str(value).strip()
    return stripped or None


def parse_instant(value, zone: ZoneInfo) -> datetime | None:
    """ISO 8601 text -> naive wall-clock time in `zone` (naive input is already in `zone`)."""
    raw = text(value)
    if raw is None:
        return None
    parsed = datetime.fromisoformat(raw.replace("z", "Z"))
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(zone).replace(tzinfo=None)
    return parsed


def truncate(moment: datetime | date, grain: str) -> date:
    day = moment.date() if isinstance(moment, datetime) else moment
    if grain == "day":
        return day
    if grain == "week":
        return day - timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    if grain == "quarter":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day.replace(month=1, day=1)


def next_period(start: date, grain: str) -> date:
    if grain == "day":
        return start + timedelta(days=1)
    if grain == "week":
        return start + timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[grain]
    index = start.month - 1 + months
    return date(start.year + index // 12, index % 12 + 1, 1)


@dataclass
class Period:
    start: date
    end: date  # exclusive; as_of_date + 1 for the last one
    is_complete: bool

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, datetime.min.time())

    @property
    def end_at(self) -> datetime:
        return datetime.combine(self.end, datetime.min.time())


class Oracle:
    def __init__(self, tables: dict[str, list[dict]], *, as_of_date: date, grain: str = "month",
                 mode: str = "subscription", timezone: str = "UTC", window: int = 3,
                 gross_margin: float = 1.0):
        self.grain, self.mode, self.window, self.gross_margin = grain, mode, window, gross_margin
        zone = ZoneInfo(timezone)
        self.as_of_date = as_of_date
        self.as_of_end = datetime.combine(as_of_date + timedelta(days=1), datetime.min.time())
        cutoff = self.as_of_end

        self.customers = {}
        for row in tables["customers"]:
            self.customers[text(row["customer_id"])] = {
                "country": text(row["country"]) or "unknown",
                "acquisition_channel": text(row["acquisition_channel"]) or "unknown",
                "created_at": parse_instant(row["created_at"], zone),
            }
        # Subscriptions as the spec reads them: events at or after the cut did not happen yet.
        self.subscriptions = []
        # The same subscriptions with their id, plan and MRR; never-active ones (ended <= started) left out.
        self.subscription_details: list[dict] = []
        for row in tables["subscriptions"]:
            started = parse_instant(row["started_at"], zone)
            ended = parse_instant(row["ended_at"], zone)
            if started >= cutoff:
                continue
            if ended is not None and ended >= cutoff:
                ended = None
            self.subscriptions.append((text(row["customer_id"]), started, ended))
            if ended is not None and ended <= started:
                continue
            self.subscription_details.append({
                "subscription_id": text(row["subscription_id"]),
                "customer": text(row["customer_id"]),
                "plan": text(row["plan"]) or "unknown",
                "mrr": Decimal(text(row["mrr"])),
                "started": started,
                "ended": ended,
            })
        self.transactions = [
            (text(row["customer_id"]), parse_instant(row["occurred_at"], zone), Decimal(text(row["amount"])))
            for row in tables["transactions"]
        ]
        self.transactions = [t for t in self.transactions if t[1] < cutoff]
        self.responses = [
            (text(row["response_id"]), text(row["customer_id"]), parse_instant(row["responded_at"], zone),
             int(Decimal(text(row["score"]))))
            for row in tables["survey_responses"]
        ]
        self.responses = [r for r in self.responses if r[2] < cutoff]

        instants = [s for _, s, _ in self.subscriptions] + [t for _, t, _ in self.transactions]
        instants += [r[2] for r in self.responses]
        self.periods: list[Period] = []
        if instants:
            start = truncate(min(instants), grain)
            last = truncate(as_of_date, grain)
            while start <= last:
                following = next_period(start, grain)
                if start == last:
                    # complete when as_of_date is its last day: its end instant has passed
                    end = as_of_date + timedelta(days=1)
                    self.periods.append(Period(start, end, end == following))
                else:
                    self.periods.append(Period(start, following, True))
                start = following

    # --- activity -------------------------------------------------------------------------
    def _active_at(self, customer: str, moment: datetime) -> bool:
        return any(
            c == customer and s <= moment and (e is None or moment < e)
            for c, s, e in self.subscriptions
        )

    def _active_during(self, customer: str, period: Period) -> bool:
        return any(
            c == customer and s < period.end_at and (e is None or e > period.start_at) and (e is None or e > s)
            for c, s, e in self.subscriptions
        )

    def first_active_at(self, customer: str) -> datetime | None:
        if self.mode == "subscription":
            starts = [s for c, s, e in self.subscriptions if c == customer and (e is None or e > s)]
        else:
            starts = [t for c, t, _ in self.transactions if c == customer]
        return min(starts) if starts else None

    def _transaction_periods(self, customer: str) -> set[date]:
        return {truncate(t, self.grain) for c, t, _ in self.transactions if c == customer}

    def classify(self, customer: str, index: int) -> dict[str, bool]:
        period = self.periods[index]
        if self.mode == "subscription":
            at_start = self._active_at(customer, period.start_at)
            at_end = self._active_at(customer, period.end_at)
            during = self._active_during(customer, period)
        else:
            active = self._transaction_periods(customer)
            at_start = index > 0 and self.periods[index - 1].start in active
            at_end = during = period.start in active
        first = self.first_active_at(customer)
        won = at_end and not at_start
        return {
            "start": at_start,
            "end": at_end,
            "during": during,
            "new": won and first >= period.start_at,
            "reactivated": won and first < period.start_at,
            "retained": at_start and at_end,
            "churned": at_start and not at_end,
            "joined_and_left": during and not at_start and not at_end,
        }

    def segments(self) -> list[tuple[str, str]]:
        found = {("all", "all")}
        for attributes in self.customers.values():
            found.add(("country", attributes["country"]))
            found.add(("acquisition_channel", attributes["acquisition_channel"]))
        return sorted(found)

    def members(self, segment_type: str, segment_value: str) -> list[str]:
        if segment_type == "all":
            return list(self.customers)
        return [c for c, a in self.customers.items() if a[segment_type] == segment_value]

    @functools.cache  # noqa: B019 (one oracle per data set; kept alive by the test anyway)
    def plans(self) -> list[str]:
        """The values of the 'plan' segments: every plan that is some customer's plan at some
        instant. The plan only changes when a subscription starts or ends, so the instants at
        which subscriptions start (and end, with others still running) cover every state."""
        found = set()
        for subscription in self.subscription_details:
            for moment in (subscription["started"], subscription["ended"]):
                if moment is not None:
                    plan = self.mrr_state(subscription["customer"], moment)[1]
                    if plan is not None:
                        found.add(plan)
        return sorted(found)

    # --- MRR ------------------------------------------------------------------------------
    @functools.cached_property
    def _details_by_customer(self) -> dict[str, list[dict]]:
        """subscription_details indexed by customer (built once)."""
        found: dict[str, list[dict]] = defaultdict(list)
        for subscription in self.subscription_details:
            found[subscription["customer"]].append(subscription)
        return dict(found)

    def mrr_state(self, customer: str, moment: datetime) -> tuple[Decimal, str | None]:
        """MRR of the customer's subscriptions active at the instant, and the plan of the one with
        the highest MRR (then latest start, then greatest id); None when nothing is active."""
        active = [
            s for s in self._details_by_customer.get(customer, [])
            if s["started"] <= moment and (s["ended"] is None or moment < s["ended"])
        ]
        if not active:
            return Decimal(0), None
        top = max(active, key=lambda s: (s["mrr"], s["started"], s["subscription_id"]))
        return sum((s["mrr"] for s in active), Decimal(0)), top["plan"]

    def paid_before(self, customer: str, moment: datetime) -> bool:
        """Whether a paying subscription (mrr > 0) of the customer started before the instant."""
        return any(s["mrr"] > 0 and s["started"] < moment for s in self._details_by_customer.get(customer, []))

    def _mrr_transition(self, customer: str, period: Period) -> dict:
        """MRR and plan at both ends of the period, the movement type (None when nothing moved)
        and the movement amount in its own column."""
        s, plan_s = self.mrr_state(customer, period.start_at)
        e, plan_e = self.mrr_state(customer, period.end_at)
        is_plan_change = plan_s is not None and plan_e is not None and plan_s != plan_e
        movement, amount = None, Decimal(0)
        if s == 0 and e > 0:
            movement = "reactivation" if self.paid_before(customer, period.start_at) else "new"
            amount = e
        elif s > 0 and e == 0:
            movement, amount = "churn", s
        elif 0 < s < e:
            movement, amount = "expansion", e - s
        elif 0 < e < s:
            movement, amount = "contraction", s - e
        elif is_plan_change:
            movement = "plan_change"
        column = {"new": "new_mrr", "reactivation": "reactivation_mrr", "expansion": "expansion_mrr",
                  "contraction": "contraction_mrr", "churn": "churned_mrr"}.get(movement)
        amounts = {key: Decimal(0) for key in MRR_MOVEMENTS}
        if column:
            amounts[column] = amount
        return {"s": s, "e": e, "plan_s": plan_s, "plan_e": plan_e, "movement_type": movement,
                "is_plan_change": is_plan_change, **amounts}

    @functools.cached_property
    def _mrr_transitions(self) -> dict[tuple[str, int], dict]:
        """_mrr_transition for every (customer, period index), computed once."""
        return {
            (customer, index): self._mrr_transition(customer, period)
            for customer in self.customers for index, period in enumerate(self.periods)
        }

    # --- marts ----------------------------------------------------------------------------
    @functools.cached_property
    def active_periods(self) -> dict[str, set[int]]:
        """Each customer with any activity: the indexes of the periods they were active in
        (computed once: both cohort marts and their summaries read it)."""
        found = {}
        for customer in self.customers:
            active = {i for i in range(len(self.periods)) if self.classify(customer, i)["during"]}
            if active:
                found[customer] = active
        return found

    def cohort_retention(self) -> dict[tuple, dict]:
        """Keyed by (cohort_start, period_number): each cohort followed customer by customer."""
        cohorts: dict[int, list[set[int]]] = {}
        for active in self.active_periods.values():
            cohorts.setdefault(min(active), []).append(active)
        rows = {}
        for first, members in cohorts.items():
            for index in range(first, len(self.periods)):
                on = sum(index in active for active in members)
                on_or_after = sum(max(active) >= index for active in members)
                rows[(self.periods[first].start, index - first)] = {
                    "period_start": self.periods[index].start,
                    "is_complete": self.periods[index].is_complete,
                    "cohort_size": len(members),
                    "active_customers": on,
                    "active_on_or_after_customers": on_or_after,
                    "retention_pct": on / len(members) * 100,
                    "retention_on_or_after_pct": on_or_after / len(members) * 100,
                }
        return rows

    def cltv_by_cohort(self) -> dict[tuple, dict]:
        """Keyed by (cohort_start, period_number): revenue summed transaction by transaction."""
        index_of = {period.start: i for i, period in enumerate(self.periods)}
        first = {c: min(active) for c, active in self.active_periods.items()}
        revenue: dict[tuple[int, int], Decimal] = {}
        for customer, moment, amount in self.transactions:
            if customer in first:
                # revenue from before the cohort period counts in period 0
                index = max(index_of[truncate(moment, self.grain)], first[customer])
                revenue[(first[customer], index)] = revenue.get((first[customer], index), Decimal(0)) + amount
        rows = {}
        for cohort in set(first.values()):
            size = sum(f == cohort for f in first.values())
            cumulative = Decimal(0)
            for index in range(cohort, len(self.periods)):
                cumulative += revenue.get((cohort, index), Decimal(0))
                rows[(self.periods[cohort].start, index - cohort)] = {
                    "period_start": self.periods[index].start,
                    "is_complete": self.periods[index].is_complete,
                    "cohort_size": size,
                    "revenue": revenue.get((cohort, index), Decimal(0)),
                    "cumulative_revenue": cumulative,
                    "cumulative_revenue_per_customer": float(cumulative) / size,
                }
        return rows

    def cltv_by_cohort_summary(self) -> dict[tuple, dict]:
        rows = {}
        triangle = self.cltv_by_cohort()
        for number in sorted({n for _, n in triangle}):
            cells = [c for (_, n), c in triangle.items() if n == number and c["is_complete"]]
            size = sum(c["cohort_size"] for c in cells)
            total = sum((c["cumulative_revenue"] for c in cells), Decimal(0))
            rows[(number,)] = {
                "cohorts_averaged": len(cells),
                "cohort_customers": size,
                "cumulative_revenue": total,
                "cumulative_revenue_per_customer": float(total) / size if size else None,
            }
        return rows

    def cohort_retention_summary(self) -> dict[tuple, dict]:
        """Keyed by (period_number,): complete cells pooled by size."""
        rows = {}
        triangle = self.cohort_retention()
        for number in sorted({n for _, n in triangle}):
            cells = [c for (_, n), c in triangle.items() if n == number and c["is_complete"]]
            size = sum(c["cohort_size"] for c in cells)
            on = sum(c["active_customers"] for c in cells)
            on_or_after = sum(c["active_on_or_after_customers"] for c in cells)
            rows[(number,)] = {
                "cohorts_averaged": len(cells),
                "cohort_customers": size,
                "active_customers": on,
                "active_on_or_after_customers": on_or_after,
                "retention_pct": on / size * 100 if size else None,
                "retention_on_or_after_pct": on_or_after / size * 100 if size else None,
            }
        return rows

    def retention_by_period(self) -> dict[tuple, dict]:
        classes = {
            (customer, index): self.classify(customer, index)
            for customer in self.customers for index in range(len(self.periods))
        }
        rows = {}
        for index, period in enumerate(self.periods):
            for segment in self.segments():
                members = self.members(*segment)
                count = lambda key: sum(classes[(c, index)][key] for c in members)  # noqa: E731
                cs, ce = count("start"), count("end")
                new, reactivated = count("new"), count("reactivated")
                churned = count("churned")
                rows[(period.start,) + segment] = self._retention_row(
                    period, cs, ce, new, reactivated, count("retained"), churned, count("joined_and_left"), 0, 0)
            if self.mode != "subscription":
                continue
            plans_at = {c: (self.mrr_state(c, period.start_at)[1], self.mrr_state(c, period.end_at)[1])
                        for c in self.customers}
            for plan in self.plans():
                count = lambda test: sum(bool(test(c, *plans_at[c])) for c in self.customers)  # noqa: E731
                cs = count(lambda c, ps, pe: ps == plan)
                ce = count(lambda c, ps, pe: pe == plan)
                new = count(lambda c, ps, pe: pe == plan and classes[(c, index)]["new"])
                reactivated = count(lambda c, ps, pe: pe == plan and classes[(c, index)]["reactivated"])
                retained = count(lambda c, ps, pe: ps == plan and pe == plan)
                churned = count(lambda c, ps, pe: ps == plan and pe != plan)
                moved_out = count(lambda c, ps, pe: ps == plan and pe is not None and pe != plan)
                moved_in = count(lambda c, ps, pe: pe == plan and ps is not None and ps != plan)
                joined_and_left = count(lambda c, ps, pe: classes[(c, index)]["joined_and_left"]
                                        and self._first_plan_during(c, period) == plan)
                rows[(period.start, "plan", plan)] = self._retention_row(
                    period, cs, ce, new, reactivated, retained, churned, joined_and_left, moved_in, moved_out)
        return rows

    def _first_plan_during(self, customer: str, period: Period) -> str | None:
        """The plan at the customer's first active instant in the period (None if never active in it)."""
        starts = [
            s["started"] for s in self._details_by_customer.get(customer, [])
            if s["started"] < period.end_at and (s["ended"] is None or s["ended"] > period.start_at)
        ]
        if not starts:
            return None
        return self.mrr_state(customer, max(min(starts), period.start_at))[1]

    @staticmethod
    def _retention_row(period: Period, cs: int, ce: int, new: int, reactivated: int, retained: int,
                       churned: int, joined_and_left: int, moved_in: int, moved_out: int) -> dict:
        """One retention_by_period row from its counts."""
        return {
            "customers_at_start": cs,
            "customers_at_end": ce,
            "new_customers": new,
            "reactivated_customers": reactivated,
            "retained_customers": retained,
            "churned_customers": churned,
            "joined_and_left_customers": joined_and_left,
            "moved_in_customers": moved_in,
            "moved_out_customers": moved_out,
            "retention_rate_pct": None if cs == 0 else (ce - new - reactivated - moved_in) / cs * 100,
            "churn_rate_pct": None if cs == 0 else churned / cs * 100,
            "is_complete": period.is_complete,
            "period_end": period.end,
        }

    def customer_mrr_movements(self) -> dict[tuple, dict]:
        """Keyed by (customer_id, period_start): customers whose MRR, or plan, differs between the
        period's start and end instants."""
        rows = {}
        for index, period in enumerate(self.periods):
            for customer in self.customers:
                t = self._mrr_transitions[(customer, index)]
                if t["s"] == t["e"] and not t["is_plan_change"]:
                    continue
                rows[(customer, period.start)] = {
                    "mrr_at_start": t["s"],
                    "mrr_at_end": t["e"],
                    "plan_at_start": t["plan_s"],
                    "plan_at_end": t["plan_e"],
                    "movement_type": t["movement_type"],
                    **{key: t[key] for key in MRR_MOVEMENTS},
                    "is_plan_change": t["is_plan_change"],
                }
        return rows

    @staticmethod
    def _zero_mrr_row(columns: tuple[str, ...]) -> dict:
        """Empty sums of a revenue_retention_by_period row: counts 0, money Decimal(0)."""
        return {key: 0 if key.startswith("paying") else Decimal(0) for key in columns}

    def revenue_retention_by_period(self) -> dict[tuple, dict]:
        """Keyed by (period_start, segment_type, segment_value): MRR at both ends, its movements and
        revenue retention, for the static segments and one segment per plan (customers counted
        under their plan at each instant; a plan change is a churn of the old plan and a move into
        the new one)."""
        columns = ("mrr_at_start", "mrr_at_end", "paying_customers_at_start", "paying_customers_at_end",
                   *MRR_MOVEMENTS, "moved_in_mrr", "moved_out_mrr")
        rows = {}
        for index, period in enumerate(self.periods):
            sums: dict[tuple, dict] = {}
            for segment in self.segments():
                total = sums[segment] = self._zero_mrr_row(columns)
                for customer in self.members(*segment):
                    t = self._mrr_transitions[(customer, index)]
                    total["mrr_at_start"] += t["s"]
                    total["mrr_at_end"] += t["e"]
                    total["paying_customers_at_start"] += t["s"] > 0
                    total["paying_customers_at_end"] += t["e"] > 0
                    for key in MRR_MOVEMENTS:
                        total[key] += t[key]
            for plan in self.plans():
                sums[("plan", plan)] = self._zero_mrr_row(columns)
            for customer in self.customers:
                t = self._mrr_transitions[(customer, index)]
                plan_s, plan_e = t["plan_s"], t["plan_e"]
                if plan_s is not None:
                    sums[("plan", plan_s)]["mrr_at_start"] += t["s"]
                    sums[("plan", plan_s)]["paying_customers_at_start"] += t["s"] > 0
                if plan_e is not None:
                    sums[("plan", plan_e)]["mrr_at_end"] += t["e"]
                    sums[("plan", plan_e)]["paying_customers_at_end"] += t["e"] > 0
                if t["is_plan_change"]:
                    sums[("plan", plan_s)]["churned_mrr"] += t["s"]
                    sums[("plan", plan_s)]["moved_out_mrr"] += t["s"]
                    sums[("plan", plan_e)]["moved_in_mrr"] += t["e"]
                elif plan_s is not None or plan_e is not None:
                    # same plan at both ends, or active at only one of them
                    total = sums[("plan", plan_s if plan_s is not None else plan_e)]
                    for key in MRR_MOVEMENTS:
                        total[key] += t[key]
            for segment, total in sums.items():
                start, end = total["mrr_at_start"], total["mrr_at_end"]
                gained = total["new_mrr"] + total["expansion_mrr"] + total["reactivation_mrr"] + total["moved_in_mrr"]
                lost = total["contraction_mrr"] + total["churned_mrr"]
                assert end == start + gained - lost, (period.start, segment, total)
                gross = start - total["churned_mrr"] - total["contraction_mrr"]
                net = start + total["expansion_mrr"] - total["contraction_mrr"] - total["churned_mrr"]
                rows[(period.start,) + segment] = {
                    **total,
                    "net_new_mrr": end - start,
                    "gross_revenue_retention_pct": None if start == 0 else float(gross / start * 100),
                    "net_revenue_retention_pct": None if start == 0 else float(net / start * 100),
                    "is_complete": period.is_complete,
                    "period_end": period.end,
                }
        return rows

    def _counted_responses(self) -> dict[tuple[str, date], tuple]:
        latest: dict[tuple[str, date], tuple] = {}
        for response in self.responses:
            slot = (response[1], truncate(response[2], self.grain))
            current = latest.get(slot)
            if current is None or _later(_response_key(response), _response_key(current)):
                latest[slot] = response
        return latest

    def nps_by_period(self) -> dict[tuple, dict]:
        counted = self._counted_responses()
        rows = {}
        for index, period in enumerate(self.periods):
            for segment in self.segments():
                members = set(self.members(*segment))
                scores = [r[3] for (c, p), r in counted.items() if p == period.start and c in members]
                n = len(scores)
                promoters = sum(s >= 9 for s in scores)
                passives = sum(7 <= s <= 8 for s in scores)
                detractors = sum(s <= 6 for s in scores)
                low = high = se = None
                if n:
                    p, d = promoters / n, detractors / n
                    se = math.sqrt(max(p + d - (p - d) ** 2, 0) / n) * 100
                    # adjusted Wald: n + 3 answers, promoters and detractors each + 0.75
                    pa, da = (promoters + 0.75) / (n + 3), (detractors + 0.75) / (n + 3)
                    centre = (pa - da) * 100
                    margin = 1.96 * math.sqrt((pa + da - (pa - da) ** 2) / (n + 3)) * 100
                    low, high = max(-100.0, centre - margin), min(100.0, centre + margin)
                previous = rows.get((self.periods[index - 1].start,) + segment) if index else None
                nps = (promoters - detractors) / n * 100 if n else None
                change = significant = None
                if previous and previous["nps"] is not None and nps is not None:
                    change = nps - previous["nps"]
                    significant = abs(change) > 1.96 * math.sqrt(se ** 2 + previous["nps_standard_error"] ** 2)
                rows[(period.start,) + segment] = {
                    "responses": n,
                    "promoters": promoters,
                    "passives": passives,
                    "detractors": detractors,
                    "promoter_pct": promoters / n * 100 if n else None,
                    "passive_pct": passives / n * 100 if n else None,
                    "detractor_pct": detractors / n * 100 if n else None,
                    "nps": nps,
                    "nps_standard_error": se,
                    "nps_margin_of_error_95": 1.96 * se if n else None,
                    "nps_ci_low_95": low,
                    "nps_ci_high_95": high,
                    "nps_change": change,
                    "is_nps_change_significant": significant,
                    "is_complete": period.is_complete,
                    "period_end": period.end,
                }
        return rows

    def retention_by_nps_category(self) -> dict[tuple, dict]:
        """CS and churned per period, split by the category of each customer's latest counted
        answer given in an earlier period ('no answer' without one)."""
        counted = self._counted_responses()
        rows = {}
        for index, period in enumerate(self.periods):
            tally = {category: [0, 0] for category in ("promoter", "passive", "detractor", "no answer")}
            for customer in self.customers:
                classes = self.classify(customer, index)
                if not classes["start"]:
                    continue
                earlier = [(p, r) for (c, p), r in counted.items() if c == customer and p < period.start]
                score = max(earlier)[1][3] if earlier else None
                category = ("no answer" if score is None else "promoter" if score >= 9
                            else "passive" if score >= 7 else "detractor")
                tally[category][0] += 1
                tally[category][1] += classes["churned"]
            for category, (cs, churned) in tally.items():
                rows[(period.start, category)] = {
                    "customers_at_start": cs,
                    "churned_customers": churned,
                    "churn_rate_pct": churned / cs * 100 if cs else None,
                    "is_complete": period.is_complete,
                    "period_end": period.end,
                }
        return rows

    def cltv_by_period(self) -> dict[tuple, dict]:
        retention = self.retention_by_period()
        rows = {}
        for index, period in enumerate(self.periods):
            window = self.periods[max(0, index - self.window + 1): index + 1]
            for segment in self.segments():
                members = set(self.members(*segment))
                net = defaultdict(Decimal)
                for customer, moment, amount in self.transactions:
                    if customer in members and truncate(moment, self.grain) == period.start:
                        net[customer] += amount
                revenue = sum(net.values(), Decimal(0))
                paying = sum(1 for value in net.values() if value > 0)
                churned = sum(retention[(w.start,) + segment]["churned_customers"] for w in window)
                at_start = sum(retention[(w.start,) + segment]["customers_at_start"] for w in window)
                churn = churned / at_start * 100 if at_start else None
                arpa = float(revenue) / paying if paying else None
                cltv = None
                if arpa is not None and churn:
                    cltv = arpa * self.gross_margin / (churn / 100)
                rows[(period.start,) + segment] = {
                    "paying_customers": paying,
                    "revenue": revenue,
                    "arpa": arpa,
                    "gross_margin": self.gross_margin,
                    "expected_lifetime_periods": 100 / churn if churn else None,
                    "cltv": cltv,
                    "trailing_churn_rate_pct": churn,
                    "is_lifetime_unbounded": churn == 0,
                    "is_complete": period.is_complete,
                    "period_end": period.end,
                }
        return rows

    def customers_mart(self) -> dict[str, dict]:
        counted_latest = {}
        for response in self.responses:
            current = counted_latest.get(response[1])
            if current is None or _later(_response_key(response), _response_key(current)):
                counted_latest[response[1]] = response
        rows = {}
        last = len(self.periods) - 1
        for customer, attributes in self.customers.items():
            first = self.first_active_at(customer)
            revenue = sum((a for c, _, a in self.transactions if c == customer), Decimal(0))
            has_transactions = any(c == customer for c, _, _ in self.transactions)
            created = attributes["created_at"]
            if not (created is None or created < self.as_of_end or first is not None
                    or has_transactions or customer in counted_latest):
                continue
            if self.mode == "subscription":
                ends = [self.as_of_end if e is None else e
                        for c, s, e in self.subscriptions if c == customer and (e is None or e > s)]
                last_active = max(ends) if ends else None
            else:
                moments = [t for c, t, _ in self.transactions if c == customer]
                last_active = max(moments) if moments else None
            latest = counted_latest.get(customer)
            score = latest[3] if latest else None
            rows[customer] = {
                "country": attributes["country"],
                "acquisition_channel": attributes["acquisition_channel"],
                "cohort_period_start": truncate(first, self.grain) if first else None,
                "first_active_at": first,
                "last_active_at": last_active,
                "lifetime_revenue": revenue,
                "is_active": bool(last >= 0 and self.classify(customer, last)["end"]),
                # the sBG values active subscribers; BG/NBD every buyer (transaction mode)
                "lifetime_value_model": (
                    ("sbg" if last >= 0 and self.classify(customer, last)["end"] else None)
                    if self.mode == "subscription" else ("bg_nbd" if has_transactions else None)),
                "latest_nps_score": score,
                "latest_nps_category": None if score is None else
                ("promoter" if score >= 9 else "passive" if score >= 7 else "detractor"),
            }
        return rows


def _response_key(response):
    """Sort key of a response: instant, then whether the id is text, its number, the id."""
    response_id = response[0]
    numeric = int(response_id) if response_id.lstrip("-").isdigit() else None
    return (response[2], numeric is None, numeric if numeric is not None else 0, response_id)


def _later(left, right) -> bool:
    """Whether response key `left` wins over `right`: later instant, then numeric ids (by
    value) over text ids, then the higher id."""
    if left[0] != right[0]:
        return left[0] > right[0]
    if left[1] != right[1]:
        return not left[1]  # numeric id wins over a text id
    if left[2] != right[2]:
        return left[2] > right[2]
    return left[3] > right[3]
