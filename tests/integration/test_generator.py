"""The synthetic-data generator (scripts/generate_data.py): reproducible, in the input contract, and
with the distributions it promises, checked on its files; and the project builds on its output
with nothing quarantined."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import PROJECT_DIR, run_dbt

sys.path.insert(0, str(PROJECT_DIR / "scripts"))

import generate_data  # noqa: E402

TABLES = ("customers", "subscriptions", "transactions", "survey_responses")


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("generated")
    assert generate_data.main(["--customers", "20000", "--out", str(out), "--quiet"]) == 0
    return out


def query(sql: str) -> list[tuple]:
    connection = duckdb.connect()
    try:
        connection.execute("set TimeZone = 'UTC'")
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def test_same_seed_same_files_other_seed_other_files(tmp_path, generated):
    """(Without events, which the next test checks on fewer customers: they come from a stream of
    their own, so the tables are the same with or without them.)"""
    generate_data.main(["--customers", "20000", "--out", str(tmp_path / "again"), "--quiet", "--no-events"])
    generate_data.main(["--customers", "20000", "--out", str(tmp_path / "other"), "--quiet", "--seed", "7",
                        "--no-events"])
    for table in TABLES:
        same = (tmp_path / "again" / f"{table}.parquet").read_bytes()
        assert same == (generated / f"{table}.parquet").read_bytes(), table
        assert (tmp_path / "other" / f"{table}.parquet").read_bytes() != same, table
    assert not (tmp_path / "again" / "events").exists()


def test_same_seed_same_events_other_seed_other_events(tmp_path):
    """Every day's file is the same for a seed, and --no-events over an earlier run removes its
    events (the build would read them with the new tables). One year, to be quick."""
    def generate(folder: str, *arguments: str) -> Path:
        generate_data.main(["--customers", "2000", "--out", str(tmp_path / folder), "--quiet",
                            "--start", "2024-01-01", "--end", "2025-01-01", *arguments])
        return tmp_path / folder

    def day_files(folder: Path) -> dict[str, bytes]:
        return {path.name: path.read_bytes() for path in sorted((folder / "events").iterdir())}

    first = day_files(generate("first"))
    assert len(first) > 300
    assert day_files(generate("again")) == first
    other = day_files(generate("other", "--seed", "7"))
    assert sum(other.get(name) != content for name, content in first.items()) > 0.9 * len(first)
    generate("first", "--no-events")
    assert not (tmp_path / "first" / "events").exists()
    for table in TABLES:
        assert (tmp_path / "first" / f"{table}.parquet").read_bytes() == \
            (tmp_path / "again" / f"{table}.parquet").read_bytes(), table


def test_events_reference_customers_and_have_unique_ids(generated):
    path = str(generated)
    orphans = query(f"select count(*) from '{path}/events/*.parquet' as e"
                    f" anti join '{path}/customers.parquet' as c using (customer_id)")[0][0]
    assert orphans == 0
    events, ids = query(f"select count(*), count(distinct event_id) from '{path}/events/*.parquet'")[0]
    assert events == ids
    # the same column types as the other tables: text, and a timestamp like transactions.occurred_at
    types = query(f"select column_name, column_type from (describe select * from '{path}/events/*.parquet')")
    timestamp_type = query(f"select column_type from (describe select occurred_at from '{path}/transactions.parquet')")
    assert types == [("event_id", "VARCHAR"), ("customer_id", "VARCHAR"), ("event_name", "VARCHAR"),
                     ("occurred_at", timestamp_type[0][0])]


def test_events_one_file_per_day(generated):
    files = sorted(path.name for path in (generated / "events").iterdir())
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}\.parquet", name) for name in files), files[:5]
    # each file holds its own day's events only (UTC), and every day with an event has its file
    wrong_day, days = query(f"""
        select count(*) filter (where strftime(occurred_at, '%Y-%m-%d.parquet') != parse_filename(filename)),
            count(distinct strftime(occurred_at, '%Y-%m-%d.parquet'))
        from read_parquet('{generated}/events/*.parquet', filename = true)
    """)[0]
    assert wrong_day == 0 and days == len(files)
    # nearly every day of the four years, the first ones excepted (few customers yet)
    assert len(files) > 1400 and files[-1] == "2024-12-31.parquet"


def test_events_follow_signup_and_the_snapshot(generated):
    path = str(generated)
    early, late = query(f"""
        select count(*) filter (where e.occurred_at < c.created_at),
            count(*) filter (where e.occurred_at >= '2025-01-01')
        from '{path}/events/*.parquet' as e join '{path}/customers.parquet' as c using (customer_id)
    """)[0]
    assert early == late == 0


def test_event_distributions(generated):
    path = str(generated)
    # about 100 events per customer (100M at 1M customers); some customers never use the product
    events, users = query(f"select count(*), count(distinct customer_id) from '{path}/events/*.parquet'")[0]
    assert 90 < events / 20000 < 110 and 0.8 < users / 20000 < 0.95
    # app_opened, which starts every day of use, is the most frequent name, of a few
    names = query(f"select event_name, count(*) from '{path}/events/*.parquet' group by 1 order by 2 desc")
    assert names[0][0] == "app_opened" and 4 <= len(names) <= 6 and names[-1][1] > 0.01 * events
    # spread over the day: local times of day around the world put many around midnight UTC
    night = query(f"select avg((hour(occurred_at) >= 22 or hour(occurred_at) < 2)::int)"
                  f" from '{path}/events/*.parquet'")[0][0]
    assert night > 0.08
    # engaged subscribers use it on many days, most customers now and then
    active_days = query(f"""
        select quantile_cont(days, 0.5), quantile_cont(days, 0.99) from (
            select count(distinct occurred_at::date) as days from '{path}/events/*.parquet' group by customer_id)
    """)[0]
    assert active_days[0] >= 10 and active_days[1] >= 300


def test_churned_customers_use_the_product_less_after_their_end(generated):
    """Customers whose last subscription ended (two months before the snapshot or more, after four
    months or more): usage decays over the weeks before the end, and falls further after it."""
    path = str(generated)
    weeks_8_to_6, weeks_2_to_0, before, after = query(f"""
        with churned as (
            select customer_id, max(ended_at) as ended_at from '{path}/subscriptions.parquet' group by 1
            having bool_and(ended_at is not null) and max(ended_at) < timestamp '2024-11-01'
                and min(started_at) < max(ended_at) - interval 120 day
        ), relative as (
            select date_diff('second', c.ended_at, e.occurred_at) / 86400 as days
            from churned as c join '{path}/events/*.parquet' as e using (customer_id)
        )
        select count(*) filter (where days >= -56 and days < -42), count(*) filter (where days >= -14 and days < 0),
            count(*) filter (where days >= -42 and days < 0), count(*) filter (where days >= 0 and days < 42)
        from relative
    """)[0]
    assert weeks_2_to_0 < 0.5 * weeks_8_to_6
    assert 0 < after < 0.5 * before


def test_events_per_customer_and_csv_text(tmp_path):
    """--events-per-customer sets the average; in CSV every column is text, timestamps ISO 8601 with Z.
    One year, to be quick."""
    out = tmp_path / "csv"
    generate_data.main(["--customers", "2000", "--out", str(out), "--quiet", "--format", "csv",
                        "--start", "2024-01-01", "--events-per-customer", "20"])
    assert not list((out / "events").glob("*.parquet"))
    header = (out / "events" / "2024-12-31.csv").read_text().splitlines()[0]
    assert header == "event_id,customer_id,event_name,occurred_at"
    iso_utc = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"
    events, bad_timestamps, customers = query(f"""
        select count(*), count(*) filter (where not regexp_full_match(occurred_at, '{iso_utc}')),
            (select count(*) from read_csv('{out}/customers.csv', all_varchar = true))
        from read_csv('{out}/events/*.csv', all_varchar = true)
    """)[0]
    assert bad_timestamps == 0 and customers == 2000
    assert 15 < events / customers < 25


def test_distributions(generated):
    path = str(generated)
    # signups grow year on year, with a January and September high and a June and December low
    by_year = dict(query(f"select year(created_at), count(*) from '{path}/customers.parquet' group by 1"))
    assert by_year[2021] < by_year[2022] < by_year[2023]
    by_month = dict(query(f"select month(created_at), count(*) from '{path}/customers.parquet' group by 1"))
    assert min(by_month[1], by_month[9]) > max(by_month[6], by_month[12])
    # missing attributes
    missing = query(f"select avg((country is null)::int), avg((acquisition_channel is null)::int)"
                    f" from '{path}/customers.parquet'")[0]
    assert 0.02 < missing[0] < 0.06 and 0.05 < missing[1] < 0.09
    # about 16 payments per customer (17M at 1M), a few refunds
    payments, refunds = query(f"select count(*) filter (where amount > 0), count(*) filter (where amount < 0)"
                              f" from '{path}/transactions.parquet'")[0]
    assert 14 < payments / 20000 < 19 and 0.005 < refunds / payments < 0.03
    # spend varies within each customer (metered usage): a customer whose purchases (payments and
    # add-ons) all cost the same gives the Gamma-Gamma fit no spread to measure (27% of those with
    # three or more, before usage, and no finite estimate)
    all_equal = query(f"""
        select avg((distinct_amounts = 1)::int) from (
            select count(distinct amount) as distinct_amounts, count(*) as purchases
            from '{path}/transactions.parquet' where amount > 0 group by customer_id
        ) where purchases >= 3
    """)[0][0]
    assert all_equal < 0.001
    # and around a level of each customer's own: within one plan, customers' typical (median)
    # purchase differs (a flat price gives every basic customer a median of 19.00)
    basic_medians = query(f"""
        select quantile_cont(median_amount, 0.1), quantile_cont(median_amount, 0.9) from (
            select median(t.amount) as median_amount
            from '{path}/transactions.parquet' as t
            where t.amount > 0 and t.customer_id in (
                select customer_id from '{path}/subscriptions.parquet' group by 1
                having bool_and(plan = 'basic')
            )
            group by t.customer_id having count(*) >= 6
        )
    """)[0]
    assert basic_medians[1] - basic_medians[0] > 4
    # upgrades and downgrades: a subscription that ends at the instant the next one starts
    moves = query(f"""
        select count(*) from '{path}/subscriptions.parquet' as old
        join '{path}/subscriptions.parquet' as new
            on old.customer_id = new.customer_id and old.ended_at = new.started_at and old.plan != new.plan
    """)[0][0]
    assert moves > 1000
    # reactivations: a new subscription after a gap
    comebacks = query(f"""
        select count(*) from '{path}/subscriptions.parquet' as old
        join '{path}/subscriptions.parquet' as new
            on old.customer_id = new.customer_id and new.started_at > old.ended_at + interval 1 day
    """)[0][0]
    assert comebacks > 500
    # the churn hazard falls with tenure: more first subscriptions end in month 1 than in month 12
    early, late = query(f"""
        with first_spells as (
            select customer_id, min(started_at) as started_at from '{path}/subscriptions.parquet' group by 1
        ), ended as (
            select s.customer_id, date_diff('day', f.started_at, s.ended_at) / 30.44 as months
            from '{path}/subscriptions.parquet' as s join first_spells as f using (customer_id)
            where s.ended_at is not null and not exists (
                select 1 from '{path}/subscriptions.parquet' as n
                where n.customer_id = s.customer_id and n.started_at = s.ended_at)
        )
        select count(*) filter (where months < 1), count(*) filter (where months >= 11 and months < 12) from ended
    """)[0]
    assert early > 2 * late
    # NPS predicts churn: detractors end their subscription within 6 months more often than promoters
    detractor_churn, promoter_churn = query(f"""
        with answers as (
            select r.customer_id, r.score, exists (
                select 1 from '{path}/subscriptions.parquet' as s
                where s.customer_id = r.customer_id and s.ended_at > r.responded_at
                    and s.ended_at <= r.responded_at + interval 6 month
                    and not exists (select 1 from '{path}/subscriptions.parquet' as n
                                    where n.customer_id = s.customer_id and n.started_at = s.ended_at)
            ) as churned
            from '{path}/survey_responses.parquet' as r
            where r.responded_at < timestamp '2024-07-01'
        )
        select avg(churned::int) filter (where score <= 6), avg(churned::int) filter (where score >= 9) from answers
    """)[0]
    assert detractor_churn > 1.5 * promoter_churn
    scores = query(f"select min(score), max(score) from '{path}/survey_responses.parquet'")[0]
    assert scores == (0, 10)


def test_project_builds_on_generated_csv_with_nothing_quarantined(tmp_path):
    """...its daily event files included, every event staged; and both predictive CLV models fit
    it: every customer with a purchase gets a value."""
    raw = tmp_path / "raw"
    generate_data.main(["--customers", "1500", "--out", str(raw), "--format", "csv", "--quiet"])
    events = query(f"select count(*) from read_csv('{raw}/events/*.csv', all_varchar = true)")[0][0]
    result = run_dbt(tmp_path, {"raw_source": "files", "raw_path": str(raw), "as_of_date": "2024-12-31"},
                     extra_arguments=("--exclude-resource-type", "unit_test"))
    assert result.returncode == 0, result.stdout[-4000:]
    connection = duckdb.connect(str(tmp_path / "retention.duckdb"), read_only=True)
    try:
        assert connection.execute("select count(*) from staging.stg_raw__quarantined_rows").fetchall() == [(0,)]
        reactivated, moved_in = connection.execute(
            "select sum(reactivated_customers) filter (where segment_type = 'all'),"
            " sum(moved_in_customers) filter (where segment_type = 'plan')"
            " from marts.retention_by_period where period_grain = 'month'").fetchall()[0]
        fits = connection.execute(
            "select model, bool_and(converged) from marts.cltv_model_parameters group by 1 order by 1").fetchall()
        valued, buyers = connection.execute(
            "select (select count(*) from marts.customer_lifetime_value where predicted_clv > 0),"
            " (select count(distinct customer_id) from staging.stg_raw__transactions where amount > 0)").fetchall()[0]
        staged_events, retention_cells = connection.execute(
            "select (select count(*) from staging.stg_raw__events),"
            " (select count(*) from marts.event_retention)").fetchall()[0]
    finally:
        connection.close()
    assert staged_events == events > 100_000 and retention_cells > 0
    assert reactivated > 0 and moved_in > 0
    assert fits == [("bg_nbd", True), ("gamma_gamma", True)]
    assert valued == buyers > 1000
