"""Synthetic raw data in the input contract, at any size: the benchmark's input.

    python scripts/generate_data.py --customers 1000000 --out data/1m            (Parquet)
    python scripts/generate_data.py --customers 10000 --out data/10k --format csv --seed 7

Writes customers, subscriptions, transactions and survey_responses (.parquet or .csv) into --out,
and product-usage events as one file per day, events/YYYY-MM-DD.parquet (or .csv; --no-events
skips them), ready for `--vars '{raw_source: files, raw_path: <out>, as_of_date: <end>}'`. The
same seed and size always give the same files. 1M customers (about 17M transactions) take well
under a minute without events, and about four minutes with their 100M events (2 cores, 2.3 GiB
peak): the events are simulated and written a day at a time, so their memory does not grow with
their number.

The business it simulates, month by month from each customer's signup to --end:
- signups grow over the years and follow a seasonal cycle (a January and September high, a
  summer and December low), at a random time of day;
- each customer has a latent satisfaction; it sets both their survey scores and their churn
  hazard, so low scorers churn more: NPS correlates with later churn;
- the monthly churn hazard falls with tenure (high in the first months, lower for loyal customers);
- churned customers may come back after a gap of months (reactivation, a new subscription);
- customers upgrade and downgrade between basic, pro and business (the old subscription ends at
  the instant the new one starts);
- a payment every month while subscribed: the plan's price plus metered usage, which varies from
  month to month around a level of the customer's own (so spend per purchase varies within and
  between customers, as the predictive CLV's Gamma-Gamma model needs; with flat plan prices it
  finds no finite estimate); and a few refunds of the plan's price days later;
- now and then a one-off add-on purchase of varying price;
- survey answers now and then, scored 0-10;
- country and acquisition channel are sometimes missing;
- product usage: on each day a customer uses the product, an app_opened and now and then a few
  more events (report_viewed, export_created, invite_sent, settings_changed), at a local time of
  day (so many fall around midnight UTC). Subscribers use it on some days, each at a rate of their
  own that rises with satisfaction, less and less in the six weeks before their subscription ends,
  and now and then in the weeks after; some customers never use it. Nothing happens on the day of
  signup, so no event precedes it. From a stream of its own, like usage: the other tables are the
  same with or without events.
Timestamps are UTC (Parquet: timestamp columns; CSV: ISO 8601 with Z). Amounts are decimals.
"""

from __future__ import annotations

import argparse
import calendar
import sys
import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
from tqdm import tqdm

PLANS = np.array(["basic", "pro", "business"])
PLAN_MRR_CENTS = np.array([1900, 4900, 14900])
PLAN_SHARE = np.array([0.62, 0.29, 0.09])
COUNTRIES = np.array(["US", "GB", "DE", "FR", "NL", "ES", "BR", "IN", "JP", "CA"])
COUNTRY_SHARE = np.array([0.34, 0.14, 0.11, 0.09, 0.05, 0.05, 0.07, 0.06, 0.04, 0.05])
CHANNELS = np.array(["organic", "paid_search", "referral", "partner", "social"])
CHANNEL_SHARE = np.array([0.38, 0.27, 0.15, 0.1, 0.1])
MISSING_COUNTRY = 0.04
MISSING_CHANNEL = 0.07
DAY = 86_400
MONTH_DAYS = 30.436875
# Monthly signup seasonality, January first.
SEASON = np.array([1.25, 1.05, 1.0, 0.95, 0.95, 0.85, 0.8, 0.85, 1.2, 1.1, 1.0, 0.8])
ANNUAL_GROWTH = 0.35
BASE_HAZARD = 0.008
EARLY_HAZARD = 0.045        # extra hazard in month 0, decaying as 1 / sqrt(1 + tenure)
SATISFACTION_EFFECT = 0.55   # hazard multiplier exp(-effect * satisfaction)
UPGRADE_RATE = 0.025
DOWNGRADE_RATE = 0.012
COMEBACK_RATE = 0.04         # monthly chance that a churned customer returns
REFUND_RATE = 0.015
ADDON_RATE = 0.07            # monthly chance of a one-off add-on purchase while subscribed
ADDON_MEDIAN_CENTS = 2500
# Metered usage billed with each monthly payment: each customer's usage level is drawn once, as a
# share of their plan's price (gamma, mean USAGE_SHARE), and each month's charge around it (gamma,
# coefficient of variation 1 / sqrt(USAGE_MONTH_SHAPE)). Drawn from a stream of its own, so the
# rest of the data is the same as without usage for a given seed.
USAGE_SHARE = 0.2
USAGE_LEVEL_SHAPE = 2.0
USAGE_MONTH_SHAPE = 4.0
SURVEY_RATE = 0.08
# Product usage events. A customer's daily chance of use while subscribed is their engagement: a
# gamma draw (shape ENGAGEMENT_SHAPE) times exp(ENGAGEMENT_SATISFACTION * satisfaction), scaled so
# that customers average --events-per-customer events (at most MAX_DAILY_CHANCE a day). It falls
# linearly to USAGE_DECAY_FLOOR of itself over the USAGE_DECAY_DAYS before a subscription ends (a
# plan change does not end one), and is AFTER_CHURN_SHARE of itself for AFTER_CHURN_DAYS after.
EVENT_NAMES = np.array(["app_opened", "report_viewed", "export_created", "invite_sent", "settings_changed"])
# the names of the events after a day's first (which is app_opened)
LATER_EVENT_SHARE = np.array([0.3, 0.38, 0.15, 0.1, 0.07])
EVENTS_PER_ACTIVE_DAY = 1.7  # mean (geometric): an app_opened, and 0.7 more
MAX_EVENTS_PER_DAY = 40
EVENT_GAP_SECONDS = (20, 900)
EVENTS_PER_CUSTOMER = 100
NEVER_USES = 0.08
ENGAGEMENT_SHAPE = 1.5
ENGAGEMENT_SATISFACTION = 0.3
MAX_DAILY_CHANCE = 0.95
USAGE_DECAY_DAYS = 42
USAGE_DECAY_FLOOR = 0.1
AFTER_CHURN_DAYS = 45
AFTER_CHURN_SHARE = 0.15
# hours from UTC of each of COUNTRIES (missing: UTC); each customer is within an hour of it
COUNTRY_UTC_OFFSET = {"US": -6, "GB": 0, "DE": 1, "FR": 1, "NL": 1, "ES": 1, "BR": -3, "IN": 5.5, "JP": 9, "CA": -5}


def signup_times(rng: np.random.Generator, customers: int, start: date, end: date) -> np.ndarray:
    """Signup instants (epoch seconds) with growth and seasonality, by inverse sampling on days."""
    days = pd.date_range(start, end, freq="D", inclusive="left")
    years = np.asarray((days - pd.Timestamp(start)).days, dtype=float) / 365.25
    weights = (1 + ANNUAL_GROWTH) ** years * SEASON[np.asarray(days.month) - 1]
    # fewer signups in the last month, so that most customers have some history
    weights = weights * np.where(days >= pd.Timestamp(end) - pd.Timedelta(days=30), 0.5, 1.0)
    chosen = rng.choice(len(days), size=customers, p=weights / weights.sum())
    day_seconds = (days.values.astype("datetime64[s]").astype(np.int64))[chosen]
    return np.sort(day_seconds + rng.integers(0, DAY, size=customers))


def simulate(customers: int, seed: int, start: date, end: date, progress: bool = True) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    usage_rng = np.random.default_rng([seed, 1])
    end_s = calendar.timegm(end.timetuple())
    signup = signup_times(rng, customers, start, end)
    satisfaction = rng.normal(0.0, 1.0, customers)
    usage_level = usage_rng.gamma(USAGE_LEVEL_SHAPE, USAGE_SHARE / USAGE_LEVEL_SHAPE, customers)
    customer_ids = np.arange(customers)

    customer_frame = pd.DataFrame({
        "customer": customer_ids,
        "created_at": signup,
        "satisfaction": satisfaction,   # for the events; not written
        "country": np.where(rng.random(customers) < MISSING_COUNTRY, None,
                            COUNTRIES[rng.choice(len(COUNTRIES), customers, p=COUNTRY_SHARE)]),
        "acquisition_channel": np.where(rng.random(customers) < MISSING_CHANNEL, None,
                                        CHANNELS[rng.choice(len(CHANNELS), customers, p=CHANNEL_SHARE)]),
    })

    # State per customer: subscribed or not, plan, current subscription's start, months of tenure.
    plan = rng.choice(3, customers, p=PLAN_SHARE)
    active = np.ones(customers, dtype=bool)
    sub_start = signup.copy()
    tenure = np.zeros(customers, dtype=np.int64)
    subscriptions: list[tuple] = []
    transactions: list[tuple] = []
    responses: list[tuple] = []

    months = int(np.ceil((end_s - signup.min()) / (MONTH_DAYS * DAY))) + 1
    steps = tqdm(range(months), desc="simulating months", unit="month", disable=not progress, file=sys.stderr)
    for step in steps:
        now = signup + np.int64(step * MONTH_DAYS * DAY)
        alive = now < end_s
        if not alive.any():
            break
        paying = active & alive
        # a payment at each monthly anniversary while subscribed (the plan's price and the month's
        # usage), and now and then a refund of the plan's price
        who = customer_ids[paying]
        plan_price = PLAN_MRR_CENTS[plan[paying]]
        usage = usage_rng.gamma(USAGE_MONTH_SHAPE, 1.0 / USAGE_MONTH_SHAPE, who.size) * usage_level[paying]
        amount = plan_price + np.rint(plan_price * usage).astype(np.int64)
        transactions.append((who, now[paying], amount))
        refunded = paying & (rng.random(customers) < REFUND_RATE)
        refund_at = now[refunded] + rng.integers(DAY, 10 * DAY, refunded.sum())
        keep = refund_at < end_s
        transactions.append((customer_ids[refunded][keep], refund_at[keep], -PLAN_MRR_CENTS[plan[refunded]][keep]))
        # an add-on at a price ending in .99, log-normally spread around its median
        buying = paying & (rng.random(customers) < ADDON_RATE)
        bought_at = now[buying] + rng.integers(DAY, 25 * DAY, buying.sum())
        price = np.maximum(np.round(ADDON_MEDIAN_CENTS * np.exp(rng.normal(0.0, 0.6, buying.sum())), -2), 100) - 1
        keep = bought_at < end_s
        transactions.append((customer_ids[buying][keep], bought_at[keep], price[keep].astype(np.int64)))
        # survey answers, scored from satisfaction
        answering = paying & (rng.random(customers) < SURVEY_RATE)
        answered_at = now[answering] + rng.integers(0, 20 * DAY, answering.sum())
        score = np.clip(np.rint(7.4 + 1.9 * satisfaction[answering] + rng.normal(0, 1.3, answering.sum())), 0, 10)
        keep = answered_at < end_s
        responses.append((customer_ids[answering][keep], answered_at[keep], score[keep].astype(np.int64)))

        # the month's events, at a random moment before the next anniversary
        moment = now + rng.integers(DAY, 28 * DAY, customers)
        in_window = alive & (moment < end_s)
        hazard = (BASE_HAZARD + EARLY_HAZARD / np.sqrt(1 + tenure)) * np.exp(-SATISFACTION_EFFECT * satisfaction)
        draw = rng.random(customers)
        churns = paying & in_window & (draw < hazard)
        upgrades = paying & in_window & ~churns & (plan < 2) & (draw < hazard + UPGRADE_RATE)
        downgrades = (paying & in_window & ~churns & ~upgrades & (plan > 0)
                      & (draw < hazard + UPGRADE_RATE + DOWNGRADE_RATE))
        ending = churns | upgrades | downgrades
        subscriptions.append((customer_ids[ending], plan[ending], sub_start[ending], moment[ending]))
        plan = np.where(upgrades, plan + 1, np.where(downgrades, plan - 1, plan))
        sub_start = np.where(upgrades | downgrades, moment, sub_start)
        active = active & ~churns
        tenure = tenure + paying
        # a churned customer may come back, on a new subscription
        returning = ~active & ~churns & in_window & (rng.random(customers) < COMEBACK_RATE)
        active = active | returning
        sub_start = np.where(returning, moment, sub_start)
        plan = np.where(returning, rng.choice(3, customers, p=PLAN_SHARE), plan)

    open_subscriptions = active
    subscriptions.append((customer_ids[open_subscriptions], plan[open_subscriptions],
                          sub_start[open_subscriptions], np.full(open_subscriptions.sum(), -1)))

    def frame(parts, names):
        return pd.DataFrame({name: np.concatenate([part[i] for part in parts]) for i, name in enumerate(names)})

    subscription_frame = frame(subscriptions, ["customer", "plan", "started_at", "ended_at"])
    subscription_frame = subscription_frame.sort_values(["started_at", "customer"], kind="stable", ignore_index=True)
    transaction_frame = frame(transactions, ["customer", "occurred_at", "amount_cents"])
    transaction_frame = transaction_frame.sort_values(["occurred_at", "customer", "amount_cents"], kind="stable", ignore_index=True)
    response_frame = frame(responses, ["customer", "responded_at", "score"])
    response_frame = response_frame.sort_values(["responded_at", "customer"], kind="stable", ignore_index=True)
    return {"customers": customer_frame, "subscriptions": subscription_frame,
            "transactions": transaction_frame, "survey_responses": response_frame}


# Formatting happens in DuckDB, which writes the files: ids as text with leading zeros, timestamps
# as timestamp columns (Parquet) or ISO 8601 with Z (CSV), amounts as decimals.
def select_sql(table: str, file_format: str) -> str:
    def ts(column: str, nullable: bool = False) -> str:
        value = f"make_timestamp(cast({column} as bigint) * 1000000)"
        if file_format == "csv":
            value = f"strftime({value}, '%Y-%m-%dT%H:%M:%SZ')"
        return f"case when {column} >= 0 then {value} end" if nullable else value
    customer_id = "printf('C%08d', customer)"
    if table == "customers":
        return (f"select {customer_id} as customer_id, {ts('created_at')} as created_at,"
                f" printf('user%08d@example.com', customer) as email, country, acquisition_channel"
                f" from frame order by customer")
    if table == "subscriptions":
        return (f"select printf('S%09d', row_number() over (order by started_at, customer)) as subscription_id,"
                f" {customer_id} as customer_id, ['basic', 'pro', 'business'][plan + 1] as plan,"
                f" {ts('started_at')} as started_at, {ts('ended_at', nullable=True)} as ended_at,"
                f" cast([19, 49, 149][plan + 1] as decimal(12, 2)) as mrr from frame")
    if table == "transactions":
        return (f"select printf('T%010d', row_number() over (order by occurred_at, customer, amount_cents)) as transaction_id,"
                f" {customer_id} as customer_id, {ts('occurred_at')} as occurred_at,"
                f" cast(amount_cents as decimal(12, 2)) / 100 as amount from frame")
    if table == "events":
        names = ", ".join(f"'{name}'" for name in EVENT_NAMES)
        return (f"select printf('E%011d', event_number) as event_id, {customer_id} as customer_id,"
                f" [{names}][event_name + 1] as event_name, {ts('occurred_at')} as occurred_at"
                f" from frame order by event_number")
    return (f"select printf('R%09d', row_number() over (order by responded_at, customer, score)) as response_id,"
            f" {customer_id} as customer_id, {ts('responded_at')} as responded_at, cast(score as integer) as score,"
            f" case when score <= 3 then 'Not worth the price' when score >= 9 then 'Love it' end as comment"
            f" from frame")


def write(frames: dict[str, pd.DataFrame], out: Path, file_format: str, progress: bool = True) -> dict[str, int]:
    out.mkdir(parents=True, exist_ok=True)
    connection = duckdb.connect()
    connection.execute("set TimeZone = 'UTC'")
    counts = {}
    for table in tqdm(frames, desc="writing files", unit="table", disable=not progress, file=sys.stderr):
        frame = frames[table]  # noqa: F841 (read by DuckDB's replacement scan)
        for stale in (out / f"{table}.csv", out / f"{table}.parquet"):
            stale.unlink(missing_ok=True)
        target = out / f"{table}.{file_format}"
        options = "format parquet, compression zstd" if file_format == "parquet" else "format csv, header true"
        connection.execute(f"copy ({select_sql(table, file_format)}) to '{target}' ({options})")
        counts[table] = len(frames[table])
    connection.close()
    return counts


def usage_spells(subscriptions: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The spans each customer is subscribed (customer, start, end; end -1 while open), sorted by
    start. A plan change (one subscription ends at the instant the next starts) continues a span."""
    frame = subscriptions.sort_values(["customer", "started_at"], kind="stable")
    customer = frame["customer"].to_numpy()
    started = frame["started_at"].to_numpy()
    ended = frame["ended_at"].to_numpy()
    continues = np.zeros(len(frame), dtype=bool)
    continues[1:] = (customer[1:] == customer[:-1]) & (started[1:] == ended[:-1])
    first = np.flatnonzero(~continues)
    last = np.append(first[1:], len(frame)) - 1
    order = np.argsort(started[first], kind="stable")
    return customer[first][order], started[first][order], ended[last][order]


def remove_stale_events(out: Path) -> None:
    """Events of an earlier run in --out, which would otherwise be read with this run's tables."""
    for stale in (out / "events.csv", out / "events.parquet"):
        stale.unlink(missing_ok=True)
    folder = out / "events"
    if folder.is_dir():
        for stale in [*folder.glob("????-??-??.csv"), *folder.glob("????-??-??.parquet")]:
            stale.unlink()
        if not any(folder.iterdir()):
            folder.rmdir()


def first_event_day(customers: pd.DataFrame) -> int:
    """The first UTC day (epoch seconds) that may have events: the day after the first signup."""
    return int(customers["created_at"].min()) // DAY * DAY + DAY


def daily_events(customers: pd.DataFrame, subscriptions: pd.DataFrame, seed: int, end: date,
                 events_per_customer: float):
    """Simulate product usage a day at a time: yield each UTC day (epoch seconds) that has events,
    with the events' customers, instants (epoch seconds) and names (indexes into EVENT_NAMES),
    sorted by instant and customer. Only one day's events are held at a time."""
    rng = np.random.default_rng([seed, 2])
    end_s = calendar.timegm(end.timetuple())
    signup = customers["created_at"].to_numpy()
    count = len(signup)
    assert np.all(signup[1:] >= signup[:-1]), "customers must be numbered in order of signup"
    spell_customer, spell_start, spell_end = usage_spells(subscriptions)
    never = np.iinfo(np.int64).max
    spell_end = np.where(spell_end < 0, never, spell_end)

    # engagement: the daily chance of use while subscribed, before decay, scaled so that customers
    # average about events_per_customer events over their subscribed days
    level = rng.gamma(ENGAGEMENT_SHAPE, 1 / ENGAGEMENT_SHAPE, count)
    level *= np.exp(ENGAGEMENT_SATISFACTION * customers["satisfaction"].to_numpy())
    level *= rng.random(count) >= NEVER_USES
    subscribed_days = (np.minimum(spell_end, end_s) - spell_start) / DAY
    level_days = np.bincount(spell_customer, subscribed_days, minlength=count) @ level
    engagement = np.minimum(MAX_DAILY_CHANCE, level * events_per_customer * count
                            / (EVENTS_PER_ACTIVE_DAY * max(level_days, 1.0)))
    offset = (customers["country"].map(COUNTRY_UTC_OFFSET).fillna(0).to_numpy(dtype=float)
              + rng.integers(-1, 2, count)) * 3600

    current_end = np.full(count, never)  # the end of each customer's latest span begun
    started_any = np.zeros(count, dtype=bool)
    spells_begun = 0
    for day in range(first_event_day(customers), end_s, DAY):
        noon = day + DAY // 2
        starting = slice(spells_begun, np.searchsorted(spell_start, noon, side="right"))
        current_end[spell_customer[starting]] = spell_end[starting]
        started_any[spell_customer[starting]] = True
        spells_begun = starting.stop
        # only customers who signed up before the day began: the first `eligible`
        eligible = np.searchsorted(signup, day, side="right")
        days_left = (current_end[:eligible] - noon) / DAY
        decayed = np.minimum(1.0, USAGE_DECAY_FLOOR + (1 - USAGE_DECAY_FLOOR) * days_left / USAGE_DECAY_DAYS)
        chance = np.where(started_any[:eligible] & (days_left > 0), decayed,
                          np.where((days_left <= 0) & (days_left > -AFTER_CHURN_DAYS), AFTER_CHURN_SHARE, 0.0))
        chance *= engagement[:eligible]
        candidates = np.flatnonzero(chance > 0)
        users = candidates[rng.random(candidates.size) < chance[candidates]]
        if users.size == 0:
            continue
        # each user's events of the day: an app_opened, then the others minutes apart
        per_user = np.minimum(rng.geometric(1 / EVENTS_PER_ACTIVE_DAY, users.size), MAX_EVENTS_PER_DAY)
        firsts = np.cumsum(per_user) - per_user
        names = rng.choice(len(EVENT_NAMES), int(per_user.sum()), p=LATER_EVENT_SHARE)
        names[firsts] = 0
        gaps = rng.integers(*EVENT_GAP_SECONDS, names.size)
        gaps[firsts] = 0
        elapsed = np.cumsum(gaps)
        elapsed -= np.repeat(elapsed[firsts], per_user)
        # the first at a local hour between 07:00 and midnight, most often early afternoon, in
        # the UTC day, early enough for the last to fall in it too
        local = rng.triangular(7, 14, 24, users.size) * 3600
        first_at = np.mod(np.rint(local - offset[users]).astype(np.int64), DAY)
        first_at = np.minimum(first_at, DAY - 1 - elapsed[firsts + per_user - 1])
        occurred_at = day + np.repeat(first_at, per_user) + elapsed
        customer = np.repeat(users, per_user)
        order = np.lexsort((customer, occurred_at))
        yield day, customer[order], occurred_at[order], names[order]


def write_events(customers: pd.DataFrame, subscriptions: pd.DataFrame, out: Path, file_format: str, seed: int,
                 end: date, events_per_customer: float, progress: bool = True) -> int:
    """Write daily_events to events/YYYY-MM-DD.parquet (or .csv), numbered in order of time (days
    without an event get no file). A thread writes each day while the next is simulated (DuckDB
    releases the GIL), at most two days ahead. Returns the number of events."""
    folder = out / "events"
    folder.mkdir(parents=True, exist_ok=True)
    options = "format parquet, compression zstd" if file_format == "parquet" else "format csv, header true"
    select = select_sql("events", file_format)
    connection = duckdb.connect()
    connection.execute("set TimeZone = 'UTC'")

    def copy(frame: pd.DataFrame, target: Path) -> None:  # frame: read by DuckDB's replacement scan
        connection.execute(f"copy ({select}) to '{target}' ({options})")

    end_s = calendar.timegm(end.timetuple())
    first_day = first_event_day(customers)
    bar = tqdm(total=max(0, (end_s - first_day) // DAY), desc="writing events", unit="day",
               disable=not progress, file=sys.stderr)
    written = 0
    pending: deque[Future] = deque()
    try:
        with ThreadPoolExecutor(max_workers=1) as writer:
            days = daily_events(customers, subscriptions, seed, end, events_per_customer)
            for day, customer, occurred_at, names in days:
                frame = pd.DataFrame({"event_number": np.arange(written + 1, written + customer.size + 1),
                                      "customer": customer, "occurred_at": occurred_at, "event_name": names})
                target = folder / f"{np.datetime64(day, 's').astype('datetime64[D]')}.{file_format}"
                pending.append(writer.submit(copy, frame, target))
                written += customer.size
                bar.update((day - first_day) // DAY + 1 - bar.n)
                while len(pending) > 2:
                    pending.popleft().result()
            while pending:
                pending.popleft().result()
    finally:
        bar.close()
        connection.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write synthetic raw data in the input contract.")
    parser.add_argument("--customers", type=int, required=True, help="number of customers")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the four files into")
    parser.add_argument("--seed", type=int, default=20240101)
    parser.add_argument("--format", choices=["parquet", "csv"], default="parquet")
    parser.add_argument("--start", type=date.fromisoformat, default=date(2021, 1, 1), help="first signup day")
    parser.add_argument("--end", type=date.fromisoformat, default=date(2025, 1, 1),
                        help="the snapshot: nothing happens on or after it (use the day before as as_of_date)")
    parser.add_argument("--no-events", action="store_true", help="no product-usage events")
    parser.add_argument("--events-per-customer", type=float, default=EVENTS_PER_CUSTOMER,
                        help="average number of events per customer (about; the daily chance of use is capped)")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    arguments = parser.parse_args(argv)
    if arguments.customers < 1 or arguments.start >= arguments.end:
        parser.error("--customers must be at least 1 and --start before --end")
    if arguments.events_per_customer <= 0:
        parser.error("--events-per-customer must be positive (--no-events writes none)")
    began = time.perf_counter()
    frames = simulate(arguments.customers, arguments.seed, arguments.start, arguments.end, not arguments.quiet)
    counts = write(frames, arguments.out, arguments.format, not arguments.quiet)
    remove_stale_events(arguments.out)
    if not arguments.no_events:
        counts["events"] = write_events(frames["customers"], frames["subscriptions"], arguments.out, arguments.format,
                                        arguments.seed, arguments.end, arguments.events_per_customer,
                                        not arguments.quiet)
    print(f"Wrote {', '.join(f'{n:,} {t}' for t, n in counts.items())} to {arguments.out}"
          f" in {time.perf_counter() - began:.1f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
