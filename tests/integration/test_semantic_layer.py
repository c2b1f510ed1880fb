"""The dbt semantic layer (models/semantic/, MetricFlow) gives the marts' numbers.

One demo build at two grains (month and quarter). For every metric of every semantic model, at
every built grain, overall and by each segment type, the MetricFlow query engine (the one behind
`mf query`, run in this process so that some forty queries take seconds, not minutes) must return
exactly the mart's rows: the same periods and segments, counts and amounts equal, rates within
1e-9. The metrics' formulas are written again in the YAML (MetricFlow cannot call the project's
macros), so this test is what keeps the two definitions one. The product-usage metrics are
compared the same way on the demo events: the lifecycle per period, and DAU, WAU, MAU and
stickiness per day, and over weeks and months as the last day's (never a sum of days). The
README's `mf query` command is also run as a user would, through the CLI.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import PROJECT_DIR, assert_same_value, build, read_mart

GRAINS = ("month", "quarter")
SEGMENT_TYPES = ("all", "country", "acquisition_channel", "plan")

# entity (the semantic model's primary entity) -> its mart, and each metric -> the mart column or
# a function of the mart row that holds the same figure
PERIOD_METRICS = {
    "retention": ("retention_by_period", {
        "customers_at_start": "customers_at_start",
        "customers_at_end": "customers_at_end",
        "new_customers": "new_customers",
        "won_customers": lambda row: row["new_customers"] + row["reactivated_customers"] + row["moved_in_customers"],
        "churned_customers": "churned_customers",
        "retention_rate": "retention_rate_pct",
        "churn_rate": "churn_rate_pct",
    }),
    "revenue": ("revenue_retention_by_period", {
        "mrr": "mrr_at_end",
        "mrr_at_start": "mrr_at_start",
        "expansion_mrr": "expansion_mrr",
        "contraction_mrr": "contraction_mrr",
        "churned_mrr": "churned_mrr",
        "gross_revenue_retention": "gross_revenue_retention_pct",
        "net_revenue_retention": "net_revenue_retention_pct",
    }),
    "nps": ("nps_by_period", {
        "responses": "responses",
        "promoters": "promoters",
        "detractors": "detractors",
        "nps": "nps",
        "promoter_share": "promoter_pct",
        "detractor_share": "detractor_pct",
    }),
    "cltv": ("cltv_by_period", {
        "revenue": "revenue",
        "paying_customers": "paying_customers",
        "arpa": "arpa",
        "cltv": "cltv",
    }),
    "lifecycle": ("user_lifecycle_by_period", {
        "active_users": "active_users",
        "new_users": "new_users",
        "retained_users": "retained_users",
        "resurrected_users": "resurrected_users",
        "dormant_users": "dormant_users",
        "gained_users": lambda row: row["new_users"] + row["resurrected_users"],
        "quick_ratio": "quick_ratio",
    }),
}
# stickiness_by_day: metric -> the mart column, or a function of the mart row
STICKINESS_METRICS = {
    "dau": "dau",
    "wau": "wau_7d",
    "mau": "mau_28d",
    "stickiness": lambda row: None if row["dau_mau_pct"] is None else row["dau_mau_pct"] / 100,
}
STICKINESS_SEGMENT_TYPES = ("all", "country", "acquisition_channel")
COHORT_METRICS = {"cohort_size": "cohort_size", "cohort_retention": "retention_pct",
                  "cohort_retention_on_or_after": "retention_on_or_after_pct"}
SAVED_QUERIES = ("retention_over_time", "retention_by_country", "revenue_retention_over_time", "nps_over_time",
                 "cltv_over_time", "cohort_retention_curve", "user_lifecycle_over_time", "stickiness_over_time")


@pytest.fixture(scope="module")
def semantic_build(tmp_path_factory) -> Path:
    """The demo data built at two grains. MetricFlow reads target/semantic_manifest.json under
    the project directory, so the build gets a project directory of its own: links to the
    project's files beside its own target folder."""
    work_dir = tmp_path_factory.mktemp("semantic")
    build(work_dir, {"period_grains": list(GRAINS)}, write_json=True)
    project = work_dir / "project"
    project.mkdir()
    # scripts: profiles.yml loads a DuckDB plugin from there (module_paths)
    for name in ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "tests", "scripts"):
        (project / name).symlink_to(PROJECT_DIR / name)
    (project / "target").symlink_to(work_dir / "target")
    return work_dir


@pytest.fixture(scope="module")
def marts(semantic_build) -> dict[str, list[dict]]:
    """The compared marts' rows, read before the engine opens the database file (DuckDB allows no
    read-only connection beside the engine's read-write one in the same process)."""
    names = [mart for mart, _ in PERIOD_METRICS.values()] + ["cohort_retention", "cohort_retention_summary",
                                                             "stickiness_by_day"]
    return {name: read_mart(semantic_build / "retention.duckdb", name) for name in names}


@pytest.fixture(scope="module")
def engine(semantic_build, marts):
    """MetricFlow's engine on the build, set up as `mf` sets itself up."""
    from dbt_metricflow.cli.cli_configuration import CLIConfiguration

    saved = os.environ.get("DBT_DUCKDB_PATH")
    os.environ["DBT_DUCKDB_PATH"] = str(semantic_build / "retention.duckdb")
    try:
        configuration = CLIConfiguration()
        configuration.setup(dbt_profiles_path=PROJECT_DIR, dbt_project_path=semantic_build / "project",
                            configure_file_logging=False)
        yield configuration.mf
    finally:
        if saved is None:
            os.environ.pop("DBT_DUCKDB_PATH", None)
        else:
            os.environ["DBT_DUCKDB_PATH"] = saved


def query(engine, metrics, group_by, where=(), saved_query=None) -> list[dict]:
    """A MetricFlow query's rows as dicts keyed by column name."""
    from metricflow.engine.metricflow_engine import MetricFlowQueryRequest

    request = MetricFlowQueryRequest.create(saved_query_name=saved_query, metric_names=metrics,
                                            group_by_names=group_by, where_constraints=list(where))
    table = engine.query(request).result_df
    return [dict(zip(table.column_names, row)) for row in table.rows]


def as_date(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def expected_value(row: dict, source):
    return source(row) if callable(source) else row[source]


def assert_same_figure(actual, expected, where: str) -> None:
    """Counts and amounts exactly (Decimal amounts as Decimal), rates within 1e-9."""
    if isinstance(expected, Decimal) and actual is not None:
        actual = Decimal(str(actual))
    assert_same_value(actual, expected, where)


@pytest.mark.parametrize("grain", GRAINS)
@pytest.mark.parametrize("entity", sorted(PERIOD_METRICS))
def test_period_metrics_equal_the_marts(marts, engine, entity, grain):
    mart, metrics = PERIOD_METRICS[entity]
    mart_rows = [row for row in marts[mart] if row["period_grain"] == grain]
    for segment_type in SEGMENT_TYPES:
        expected = {(row["period_start"], row["segment_value"]): row
                    for row in mart_rows if row["segment_type"] == segment_type}
        if entity == "retention" or segment_type != "plan":
            assert expected, f"{mart} has no {grain} rows for segment type {segment_type}"
        rows = query(engine, list(metrics), [f"metric_time__{grain}", f"{entity}__segment_value"],
                     [f"{{{{ Dimension('{entity}__period_grain') }}}} = '{grain}'",
                      f"{{{{ Dimension('{entity}__segment_type') }}}} = '{segment_type}'"])
        actual = {(as_date(row[f"metric_time__{grain}"]), row[f"{entity}__segment_value"]): row for row in rows}
        assert set(actual) == set(expected), f"{mart} {grain} {segment_type}: other periods or segments"
        for key, mart_row in expected.items():
            for metric, source in metrics.items():
                assert_same_figure(actual[key][metric], expected_value(mart_row, source),
                                   f"{metric} vs {mart} {grain} {segment_type} {key}")


@pytest.mark.parametrize("grain", GRAINS)
def test_cohort_metrics_equal_the_cohort_marts(marts, engine, grain):
    grain_filter = f"{{{{ Dimension('cohort__period_grain') }}}} = '{grain}'"
    cells = {(row["cohort_start"], row["period_number"]): row
             for row in marts["cohort_retention"] if row["period_grain"] == grain}
    rows = query(engine, list(COHORT_METRICS), [f"metric_time__{grain}", "cohort__period_number"], [grain_filter])
    actual = {(as_date(row[f"metric_time__{grain}"]), row["cohort__period_number"]): row for row in rows}
    assert cells and set(actual) == set(cells)
    for key, cell in cells.items():
        for metric, column in COHORT_METRICS.items():
            assert_same_figure(actual[key][metric], cell[column], f"{metric} vs cohort_retention {grain} {key}")

    # pooled over the complete cells of each age: the weighted average curve
    summary = {row["period_number"]: row for row in marts["cohort_retention_summary"]
               if row["period_grain"] == grain and row["cohorts_averaged"] > 0}
    rows = query(engine, ["cohort_size", "cohort_retention", "cohort_retention_on_or_after"], ["cohort__period_number"],
                 [grain_filter, "{{ Dimension('cohort__is_complete') }}"])
    actual = {row["cohort__period_number"]: row for row in rows}
    assert summary and set(actual) == set(summary)
    for age, row in summary.items():
        assert_same_figure(actual[age]["cohort_size"], row["cohort_customers"], f"cohort_size at age {age}")
        assert_same_figure(actual[age]["cohort_retention"], row["retention_pct"], f"curve at age {age}")
        assert_same_figure(actual[age]["cohort_retention_on_or_after"], row["retention_on_or_after_pct"],
                           f"on-or-after curve at age {age}")


def test_stickiness_metrics_equal_the_mart(marts, engine):
    """Per day, overall and by each segment type: the mart's row; stickiness is dau_mau_pct / 100."""
    for segment_type in STICKINESS_SEGMENT_TYPES:
        expected = {(row["activity_date"], row["segment_value"]): row
                    for row in marts["stickiness_by_day"] if row["segment_type"] == segment_type}
        assert expected, f"stickiness_by_day has no rows for segment type {segment_type}"
        rows = query(engine, list(STICKINESS_METRICS), ["metric_time__day", "stickiness__segment_value"],
                     [f"{{{{ Dimension('stickiness__segment_type') }}}} = '{segment_type}'"])
        actual = {(as_date(row["metric_time__day"]), row["stickiness__segment_value"]): row for row in rows}
        assert set(actual) == set(expected), f"stickiness_by_day {segment_type}: other days or segments"
        for key, mart_row in expected.items():
            for metric, source in STICKINESS_METRICS.items():
                assert_same_figure(actual[key][metric], expected_value(mart_row, source),
                                   f"{metric} vs stickiness_by_day {segment_type} {key}")


@pytest.mark.parametrize("grain", ("week", "month"))
def test_stickiness_over_several_days_is_the_last_days(marts, engine, grain):
    """A user active on several days is one user of each: over a week or a month, each count is
    the period's last day's (semi-additive), and stickiness that day's ratio, never a sum."""
    days = [row for row in marts["stickiness_by_day"] if row["segment_type"] == "all"]
    last_days = {}
    for row in days:
        day = row["activity_date"]
        start = day - timedelta(days=day.weekday()) if grain == "week" else day.replace(day=1)
        if start not in last_days or day > last_days[start]["activity_date"]:
            last_days[start] = row
    rows = query(engine, list(STICKINESS_METRICS), [f"metric_time__{grain}"],
                 ["{{ Dimension('stickiness__segment_type') }} = 'all'"])
    actual = {as_date(row[f"metric_time__{grain}"]): row for row in rows}
    assert last_days and set(actual) == set(last_days)
    for start, mart_row in last_days.items():
        for metric, source in STICKINESS_METRICS.items():
            assert_same_figure(actual[start][metric], expected_value(mart_row, source),
                               f"{metric} of the {grain} of {start} vs stickiness_by_day {mart_row['activity_date']}")


def test_every_metric_is_compared(semantic_build):
    """A metric added to the YAML without a place in this test would go unchecked."""
    manifest = json.loads((semantic_build / "target" / "semantic_manifest.json").read_text())
    defined = {metric["name"] for metric in manifest["metrics"]}
    compared = {metric for _, metrics in PERIOD_METRICS.values() for metric in metrics} | set(COHORT_METRICS) | {
        "cohort_active_customers", "cohort_active_on_or_after_customers"} | set(STICKINESS_METRICS)
    assert defined == compared
    assert {saved["name"] for saved in manifest["saved_queries"]} == set(SAVED_QUERIES)


@pytest.mark.parametrize("saved_query", SAVED_QUERIES)
def test_saved_queries_run(engine, saved_query):
    assert query(engine, None, None, saved_query=saved_query), f"{saved_query} returned no row"


def test_readme_mf_query_prints_the_marts_numbers(semantic_build, marts, tmp_path):
    """The README's command, through the `mf` CLI, gives retention_by_period's monthly rates."""
    output = tmp_path / "retention.csv"
    # a copy: the in-process engine of the other tests may hold the build's file open for writing
    database = tmp_path / "retention.duckdb"
    shutil.copyfile(semantic_build / "retention.duckdb", database)
    where = ("{{ Dimension('retention__period_grain') }} = 'month'"
             " and {{ Dimension('retention__segment_type') }} = 'all'")
    result = subprocess.run(
        [str(Path(sys.executable).parent / "mf"), "query", "--metrics", "retention_rate", "--group-by",
         "metric_time__month", "--where", where, "--csv", str(output)],
        cwd=semantic_build / "project", capture_output=True, text=True, timeout=600,
        env={**os.environ, "DBT_PROFILES_DIR": str(PROJECT_DIR),
             "DBT_DUCKDB_PATH": str(database)},
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    with output.open() as handle:
        printed = {row["metric_time__month"][:10]: row["retention_rate"] for row in csv.DictReader(handle)}
    expected = {row["period_start"].isoformat(): row["retention_rate_pct"]
                for row in marts["retention_by_period"]
                if row["period_grain"] == "month" and row["segment_type"] == "all"}
    assert set(printed) == set(expected)
    for month, rate in expected.items():
        if rate is None:
            assert printed[month] == "", month
        else:
            assert abs(float(printed[month]) - rate) < 1e-9, month
