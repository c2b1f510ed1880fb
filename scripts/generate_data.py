"""Synthetic raw data in the input contract, at any size: the benchmark's input.

    python scripts/generate_data.py --customers 1000000 --out data/1m            (Parquet)
    python scripts/generate_data.py --customers 10000 --out data/10k --format csv --seed 7

Writes customers, subscriptions, transactions and survey_responses (.parquet or .csv) into --out,
ready for `--vars '{raw_source: files, raw_path: <out>, as_of_date: <end>}'`. The same seed and
size always give the same files. 1M customers (about 17M transactions) take well under a minute.

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
- country and acquisition channel are sometimes missing.
Timestamps are UTC (Parquet: timestamp columns; CSV: ISO 8601 with Z). Amounts are decimals.
"""

from __future__ import annotations

import argparse
import calendar
import sys
import time
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write synthetic raw data in the input contract.")
    parser.add_argument("--customers", type=int, required=True, help="number of customers")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the four files into")
    parser.add_argument("--seed", type=int, default=20240101)
    parser.add_argument("--format", choices=["parquet", "csv"], default="parquet")
    parser.add_argument("--start", type=date.fromisoformat, default=date(2021, 1, 1), help="first signup day")
    parser.add_argument("--end", type=date.fromisoformat, default=date(2025, 1, 1),
                        help="the snapshot: nothing happens on or after it (use the day before as as_of_date)")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    arguments = parser.parse_args(argv)
    if arguments.customers < 1 or arguments.start >= arguments.end:
        parser.error("--customers must be at least 1 and --start before --end")
    began = time.perf_counter()
    frames = simulate(arguments.customers, arguments.seed, arguments.start, arguments.end, not arguments.quiet)
    counts = write(frames, arguments.out, arguments.format, not arguments.quiet)
    print(f"Wrote {', '.join(f'{n:,} {t}' for t, n in counts.items())} to {arguments.out}"
          f" in {time.perf_counter() - began:.1f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
