"""The synthetic-data generator (scripts/generate_data.py): reproducible, in the input contract, and
with the distributions it promises, checked on its files; and the project builds on its output
with nothing quarantined."""

from __future__ import annotations

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
    generate_data.main(["--customers", "20000", "--out", str(tmp_path / "again"), "--quiet"])
    generate_data.main(["--customers", "20000", "--out", str(tmp_path / "other"), "--quiet", "--seed", "7"])
    for table in TABLES:
        same = (tmp_path / "again" / f"{table}.parquet").read_bytes()
        assert same == (generated / f"{table}.parquet").read_bytes(), table
        assert (tmp_path / "other" / f"{table}.parquet").read_bytes() != same, table


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
    """...and both predictive CLV models fit it: every customer with a purchase gets a value."""
    raw = tmp_path / "raw"
    generate_data.main(["--customers", "1500", "--out", str(raw), "--format", "csv", "--quiet"])
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
    finally:
        connection.close()
    assert reactivated > 0 and moved_in > 0
    assert fits == [("bg_nbd", True), ("gamma_gamma", True)]
    assert valued == buyers > 1000
