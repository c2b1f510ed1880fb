"""Small, deterministic raw data sets in the input contract, for the demo seeds and the tests.

`generate(seed, customers, start, end)` simulates a small subscription business: signups that
grow over time, a monthly churn hazard that falls with tenure, reactivations after a gap,
upgrades that replace a subscription at the same instant, monthly payments with some refunds,
and NPS answers. `edge_cases()` adds hand-written customers that each show one edge case of the
metric definitions. Timestamps come in several ISO 8601 spellings (Z suffix, offsets, naive,
date-only), identifiers keep leading zeros, and some attributes are blank. `generate_events`
adds the optional fifth table, product-usage events, for the customers `generate` simulated.

    python scripts/demo_data.py seeds/demo      # rewrites the demo seeds
"""

from __future__ import annotations

import csv
import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

COLUMNS = {
    "customers": ["customer_id", "created_at", "email", "country", "acquisition_channel"],
    "subscriptions": ["subscription_id", "customer_id", "plan", "started_at", "ended_at", "mrr"],
    "transactions": ["transaction_id", "customer_id", "occurred_at", "amount"],
    "survey_responses": ["response_id", "customer_id", "responded_at", "score", "comment"],
}

# The optional fifth raw table. Not in COLUMNS: the tests read COLUMNS as the four tables that
# every build has.
OPTIONAL_COLUMNS = {
    "events": ["event_id", "customer_id", "event_name", "occurred_at"],
}

PLANS = {"basic": "19.00", "pro": "49.00", "business": "149.00"}
COUNTRIES = ["US", "US", "US", "GB", "GB", "DE", "FR", ""]
CHANNELS = ["organic", "organic", "paid_search", "referral", "partner", ""]
COMMENTS = ["", "", "Great support", "Too expensive", "Missing integrations", "Love it", "N/A"]
# Product usage: each day a customer uses the product starts with app_opened, and a few more
# events of these names (weights) may follow.
EVENT_NAMES = ["app_opened", "report_viewed", "export_created", "invite_sent"]
EVENT_WEIGHTS = [0.35, 0.4, 0.15, 0.1]
NEVER_USES = 0.15            # share of customers with no event at all
USAGE_DECAY_DAYS = 42        # usage falls over the last six weeks before a subscription ends
AFTER_CHURN_DAYS = 45        # and now and then a visit in the weeks after it
AFTER_CHURN_CHANCE = 0.03
EXTRA_EVENTS_MEAN = 1.2      # events after app_opened on a day of use: int(exponential of this mean)
# The customer's wall-clock offset from UTC by country (unknown: anywhere): sessions happen in the
# local day and evening, so many fall between 22:00 and 02:00 UTC.
UTC_OFFSETS = {"US": [-8, -7, -6, -5], "GB": [0, 1], "DE": [1, 2], "FR": [1, 2], "": [-5, 0, 1, 9]}


def _iso(moment: datetime, style: int) -> str:
    """One UTC instant written in one of several ISO 8601 spellings."""
    if style == 0:
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    if style == 1:
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    if style == 2:
        shifted = moment.astimezone(timezone(timedelta(hours=2)))
        return shifted.strftime("%Y-%m-%dT%H:%M:%S+02:00")
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _parse(text: str) -> datetime:
    """A timestamp _iso wrote, as an aware UTC datetime (naive spellings are UTC)."""
    moment = datetime.fromisoformat(text)
    return moment.astimezone(timezone.utc) if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _add_months(moment: datetime, months: int) -> datetime:
    month_index = moment.month - 1 + months
    year = moment.year + month_index // 12
    month = month_index % 12 + 1
    day = min(moment.day, 28)
    return moment.replace(year=year, month=month, day=day)


def generate(seed: int, customers: int, start: datetime, end: datetime) -> dict[str, list[dict]]:
    """Simulated raw tables for `customers` customers signing up between start and end (UTC)."""
    rng = random.Random(seed)
    tables: dict[str, list[dict]] = {name: [] for name in COLUMNS}
    span = (end - start).total_seconds()
    subscription_number = transaction_number = response_number = 0

    for index in range(customers):
        customer_id = f"{index + 100:05d}"
        # Signups grow over time: the square root of a uniform leans towards the end.
        created = start + timedelta(seconds=span * rng.random() ** 0.7)
        created = created.replace(microsecond=0)
        tables["customers"].append({
            "customer_id": customer_id,
            "created_at": _iso(created, rng.randrange(4)),
            "email": f"customer{index}@example.com",
            "country": rng.choice(COUNTRIES),
            "acquisition_channel": rng.choice(CHANNELS),
        })

        plan = rng.choice(["basic", "basic", "pro", "business"])
        started = created + timedelta(hours=rng.randrange(0, 72))
        spells = 0
        while started < end and spells < 3:
            spells += 1
            months = 0
            ended = None
            current_start = started
            while True:
                months += 1
                # Churn hazard falls with tenure.
                hazard = 0.14 if months <= 2 else 0.07 if months <= 6 else 0.03
                candidate = _add_months(started, months)
                if candidate >= end:
                    break
                if rng.random() < hazard:
                    ended = candidate
                    break
                if rng.random() < 0.04 and plan != "business":
                    # Upgrade: one subscription ends at the instant the next starts.
                    subscription_number += 1
                    tables["subscriptions"].append({
                        "subscription_id": f"S{subscription_number:05d}",
                        "customer_id": customer_id,
                        "plan": plan,
                        "started_at": _iso(current_start, rng.randrange(4)),
                        "ended_at": _iso(candidate, 0),
                        "mrr": PLANS[plan],
                    })
                    plan = "pro" if plan == "basic" else "business"
                    current_start = candidate
            subscription_number += 1
            tables["subscriptions"].append({
                "subscription_id": f"S{subscription_number:05d}",
                "customer_id": customer_id,
                "plan": plan,
                "started_at": _iso(current_start, rng.randrange(4)),
                "ended_at": "" if ended is None else _iso(ended, rng.randrange(4)),
                "mrr": PLANS[plan],
            })
            # Monthly payments while subscribed, a few refunded.
            payment = started
            stop = ended or end
            while payment < stop:
                transaction_number += 1
                amount = PLANS[plan] if payment >= current_start else "19.00"
                tables["transactions"].append({
                    "transaction_id": f"T{transaction_number:06d}",
                    "customer_id": customer_id,
                    "occurred_at": _iso(payment + timedelta(minutes=rng.randrange(5, 90)), rng.randrange(4)),
                    "amount": amount,
                })
                if rng.random() < 0.03:
                    transaction_number += 1
                    tables["transactions"].append({
                        "transaction_id": f"T{transaction_number:06d}",
                        "customer_id": customer_id,
                        "occurred_at": _iso(payment + timedelta(days=rng.randrange(1, 20)), 0),
                        "amount": f"-{amount}",
                    })
                payment = _add_months(payment, 1)
            # NPS answers: unhappy customers leave sooner.
            answers = rng.randrange(0, 3)
            for _ in range(answers):
                answered = started + timedelta(days=rng.randrange(5, 300), seconds=rng.randrange(86400))
                if answered >= stop:
                    continue
                response_number += 1
                base = 8 if ended is None else 5
                score = max(0, min(10, int(round(rng.gauss(base, 2.2)))))
                tables["survey_responses"].append({
                    "response_id": str(response_number),
                    "customer_id": customer_id,
                    "responded_at": _iso(answered.replace(microsecond=0), rng.randrange(4)),
                    "score": str(score),
                    "comment": rng.choice(COMMENTS),
                })
            if ended is None:
                break
            # Some churned customers come back after a gap.
            if rng.random() < 0.25:
                started = ended + timedelta(days=rng.randrange(20, 150))
            else:
                break
    return tables


def _subscribed_spells(subscriptions: list[dict]) -> dict[str, list[tuple[datetime, datetime | None]]]:
    """Per customer, the spans covered by a subscription (None: still open), an upgrade's two
    subscriptions (or overlapping ones) merged into one span."""
    by_customer: dict[str, list[tuple[datetime, datetime | None]]] = {}
    for row in subscriptions:
        ended = _parse(row["ended_at"]) if row["ended_at"] else None
        by_customer.setdefault(row["customer_id"], []).append((_parse(row["started_at"]), ended))
    spells = {}
    for customer_id, spans in by_customer.items():
        merged: list[list] = []
        for started, ended in sorted(spans, key=lambda span: span[0]):
            if merged and (merged[-1][1] is None or started <= merged[-1][1]):
                last_ended = merged[-1][1]
                merged[-1][1] = None if last_ended is None or ended is None else max(last_ended, ended)
            else:
                merged.append([started, ended])
        spells[customer_id] = [(started, ended) for started, ended in merged]
    return spells


def _usage_chance(moment: datetime, spells: list[tuple[datetime, datetime | None]], engagement: float) -> float:
    """The chance that a customer uses the product on the day around `moment`."""
    chance = engagement if spells and moment < spells[0][0] else 0.0    # trying it before subscribing
    for started, ended in spells:
        if started <= moment and (ended is None or moment < ended):
            if ended is None:
                return engagement
            days_left = (ended - moment).total_seconds() / 86400
            return engagement * (0.1 + 0.9 * min(1.0, days_left / USAGE_DECAY_DAYS))
        if ended is not None and ended <= moment < ended + timedelta(days=AFTER_CHURN_DAYS):
            chance = AFTER_CHURN_CHANCE
    return chance


def generate_events(tables: dict[str, list[dict]], seed: int, until: datetime, late: int = 0) -> list[dict]:
    """Product-usage events of the customers of `generate`'s tables, before `until` (UTC), and
    `late` more in the week after it. From a random generator of its own, so the other tables
    are the same with or without events. Subscribers use the product on many days, the more
    engaged ones on more; usage decays in the weeks before a subscription ends, a few come back
    after it, and some customers never use the product. Nothing happens within a day of signup."""
    rng = random.Random(seed)
    spells = _subscribed_spells(tables["subscriptions"])
    sessions = []
    for customer in tables["customers"]:
        if rng.random() < NEVER_USES:
            continue
        # most customers are occasional users, a few use the product nearly every day
        engagement = min(0.9, rng.betavariate(0.8, 6.0))
        offset = timedelta(hours=rng.choice(UTC_OFFSETS[customer["country"]]))
        signup = _parse(customer["created_at"])
        day = datetime.combine(signup.date(), datetime.min.time(), timezone.utc) + timedelta(days=1)
        while day < until + timedelta(days=7):
            noon = day + timedelta(hours=12)
            if rng.random() < _usage_chance(noon, spells.get(customer["customer_id"], []), engagement):
                # a local hour between 07:00 and midnight, most often early afternoon
                local = timedelta(hours=rng.triangular(7, 24, 14))
                started = (day + local - offset).replace(microsecond=0)
                if started >= signup + timedelta(days=1):
                    sessions.append((started, customer["customer_id"], 1 + int(rng.expovariate(1 / EXTRA_EVENTS_MEAN))))
            day += timedelta(days=1)
    events = []
    for started, customer_id, count in sessions:
        moment = started
        for number in range(count):
            name = "app_opened" if number == 0 else rng.choices(EVENT_NAMES, EVENT_WEIGHTS)[0]
            events.append((moment, customer_id, name))
            moment += timedelta(seconds=rng.randrange(20, 900))
    events.sort()
    kept = [event for event in events if event[0] < until]
    after = [event for event in events if event[0] >= until]
    kept += sorted(rng.sample(after, min(late, len(after))))
    return [
        {"event_id": f"e{number:06d}", "customer_id": customer_id, "event_name": name,
         "occurred_at": _iso(moment, rng.randrange(4))}
        for number, (moment, customer_id, name) in enumerate(kept, start=1)
    ]


def edge_case_events() -> list[dict]:
    """Events of the hand-written customers that show the snapshot's cut (docs/demo-data.md)."""
    events = [
        ("E0001", "00009", "app_opened", "2025-06-15T23:59:59Z"),     # the snapshot date's last second: counts
        ("E0002", "00009", "report_viewed", "2025-06-16T00:00:00Z"),  # midnight after it: ignored
        ("E0003", "00008", "app_opened", "2025-06-20T10:30:00Z"),     # after the snapshot: ignored
    ]
    return [dict(zip(OPTIONAL_COLUMNS["events"], row)) for row in events]


def edge_cases() -> dict[str, list[dict]]:
    """Hand-written customers 00001-00009, one edge case each (see docs/demo-data.md)."""
    customers = [
        # id, created_at, country, channel
        ("00001", "2024-02-10T08:00:00Z", "US", "organic"),         # churns, then comes back
        ("00002", "2024-07-05", "GB", "paid_search"),               # joins and leaves in July 2024
        ("00003", "2024-03-01T10:00:00Z", "DE", "referral"),        # overlapping subscriptions
        ("00004", "2024-04-12T09:30:00+00:00", "FR", "partner"),    # upgrade at the same instant
        ("00005", "2024-04-28", "US", "organic"),                   # starts and ends on month boundaries
        ("00006", "2024-05-15T12:00:00Z", "GB", "referral"),        # two answers at the same instant
        ("00007", "2024-06-01T00:00:00Z", "", ""),                  # no country, no channel; a refund
        ("00008", "2025-06-10T09:00:00Z", "US", "paid_search"),     # activity after as_of_date
        ("00009", "2024-01-02T09:00:00Z", "DE", "organic"),         # the first customer: January's CS is 0
    ]
    subscriptions = [
        ("E0001", "00001", "basic", "2024-02-10T08:00:00Z", "2024-05-20T08:00:00Z", "19.00"),
        ("E0002", "00001", "basic", "2024-09-03T11:00:00Z", "", "19.00"),
        ("E0003", "00002", "pro", "2024-07-05", "2024-07-25", "49.00"),
        ("E0004", "00003", "basic", "2024-03-01T10:00:00Z", "2024-08-15T10:00:00Z", "19.00"),
        ("E0005", "00003", "pro", "2024-06-01T10:00:00Z", "2024-10-01T10:00:00Z", "49.00"),
        ("E0006", "00004", "basic", "2024-04-12T09:30:00+00:00", "2024-09-12T09:30:00Z", "19.00"),
        ("E0007", "00004", "pro", "2024-09-12T11:30:00+02:00", "", "49.00"),
        ("E0008", "00005", "pro", "2024-05-01T00:00:00Z", "2024-11-01 00:00:00", "49.00"),
        ("E0009", "00006", "basic", "2024-05-15T12:00:00Z", "", "19.00"),
        ("E0010", "00007", "business", "2024-06-01T00:00:00Z", "", "149.00"),
        ("E0011", "00008", "basic", "2025-06-20T10:00:00Z", "", "19.00"),
        ("E0012", "00006", "pro", "2025-06-03T08:00:00Z", "2025-06-30T08:00:00Z", "49.00"),
        ("E0013", "00009", "pro", "2024-01-02T09:00:00Z", "", "49.00"),
    ]
    transactions = [
        ("E0000001", "00001", "2024-02-10T08:05:00Z", "19.00"),
        ("E0000002", "00001", "2024-03-10T08:05:00Z", "19.00"),
        ("E0000003", "00001", "2024-04-10T08:05:00Z", "19.00"),
        ("E0000004", "00001", "2024-09-03T11:05:00Z", "19.00"),
        ("E0000005", "00002", "2024-07-05T10:00:00Z", "49.00"),
        ("E0000006", "00002", "2024-07-20T10:00:00Z", "-49.00"),
        ("E0000007", "00007", "2024-06-01T00:10:00Z", "149.00"),
        ("E0000008", "00007", "2024-06-15T09:00:00Z", "-149.00"),
        ("E0000009", "00007", "2024-07-01T00:10:00Z", "149.00"),
        ("E0000010", "00008", "2025-06-20T10:05:00Z", "19.00"),
        ("E0000011", "00009", "2024-01-02T09:05:00Z", "49.00"),
        ("E0000012", "00009", "2025-06-16T00:00:00Z", "49.00"),
        ("E0000013", "00009", "2025-06-15T23:59:59Z", "49.00"),
    ]
    survey_responses = [
        # customer 00006: three answers in June 2024, two of them at the same instant; 1010 wins.
        ("998", "00006", "2024-06-20T15:00:00Z", "3", "Slow onboarding"),
        ("1010", "00006", "2024-06-20T15:00:00Z", "9", "Sorted now"),
        ("990", "00006", "2024-06-02T08:00:00Z", "6", ""),
        ("1011", "00006", "2024-08-02T08:00:00Z", "10", "Great support"),
        ("1012", "00008", "2025-07-01T08:00:00Z", "10", "After the cut"),
        ("1013", "00004", "2024-10-01", "8", ""),
    ]
    return {
        "customers": [
            {"customer_id": c, "created_at": t, "email": f"edge{c}@example.com", "country": k, "acquisition_channel": a}
            for c, t, k, a in customers
        ],
        "subscriptions": [
            dict(zip(COLUMNS["subscriptions"], (s, c, p, b, e, m))) for s, c, p, b, e, m in subscriptions
        ],
        "transactions": [dict(zip(COLUMNS["transactions"], row)) for row in transactions],
        "survey_responses": [dict(zip(COLUMNS["survey_responses"], row)) for row in survey_responses],
    }


def messy_rows() -> dict[str, list[dict]]:
    """A few bad raw rows, as real exports have, for the quarantine to show (docs/demo-data.md).
    Each is quarantined with the reason in its comment; none changes a mart but
    data_quality_by_source. They stay well under max_rejected_share in every table."""
    edges = edge_cases()
    customers = [
        dict(edges["customers"][2]),                                          # duplicate_row (00003)
        {"customer_id": " ", "created_at": "2024-05-01", "email": "", "country": "US",
         "acquisition_channel": "organic"},                                   # missing_key
    ]
    subscriptions = [
        ("Q0001", "00001", "basic", "2024-06-01", "2024-05-01", "19.00"),     # ended_before_started
        ("Q0002", "00001", "basic", "2024-06-01", "", "N/A"),                 # not_a_number (mrr)
        ("Q0003", "99999", "basic", "2024-06-01", "", "19.00"),               # orphan_customer
    ]
    transactions = [
        ("Q0000001", "00001", "2024-03-11T08:05:00Z", "12,50"),               # not_a_number (amount)
        ("Q0000002", "00001", "2099-03-10T08:05:00Z", "19.00"),               # future_timestamp
        ("E0000002", "00001", "2024-03-10T08:05:00Z", "19.00"),               # duplicate_row
    ]
    survey_responses = [
        ("Q01", "00004", "2024-10-02", "11", ""),                             # score_out_of_range
        ("1011", "00006", "2024-08-01T08:00:00Z", "4", ""),                   # conflicting_duplicate
    ]
    events = [
        dict(edge_case_events()[0]),                                          # duplicate_row (E0001)
    ]
    return {
        "customers": customers,
        "subscriptions": [dict(zip(COLUMNS["subscriptions"], row)) for row in subscriptions],
        "transactions": [dict(zip(COLUMNS["transactions"], row)) for row in transactions],
        "survey_responses": [dict(zip(COLUMNS["survey_responses"], row)) for row in survey_responses],
        "events": events,
    }


def demo_tables() -> dict[str, list[dict]]:
    """The demo data: 18 months of a small subscription business, the edge cases, and a few bad
    rows for the quarantine."""
    simulated = generate(
        seed=20240101,
        customers=150,
        start=datetime(2024, 1, 3, tzinfo=timezone.utc),
        end=datetime(2025, 7, 31, tzinfo=timezone.utc),
    )
    edges = edge_cases()
    messy = messy_rows()
    tables = {name: edges[name] + simulated[name] + messy[name] for name in COLUMNS}
    # Events last, from a generator of their own, so the four tables above stay as they were.
    events = generate_events(simulated, seed=20240102, until=datetime(2025, 6, 16, tzinfo=timezone.utc), late=4)
    tables["events"] = edge_case_events() + events + messy["events"]
    return tables


def write_csv(path: Path, table: str, rows: list[dict]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames={**COLUMNS, **OPTIONAL_COLUMNS}[table], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(folder: str) -> None:
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    for table, rows in demo_tables().items():
        write_csv(target / f"raw_{table}.csv", table, rows)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "seeds/demo")
