"""Bad input stops the build with a message that says what is wrong, never a silent drop."""

from __future__ import annotations

import pytest

from conftest import demo_data, run_dbt, write_csv_tables


def small_tables() -> dict[str, list[dict]]:
    return {name: list(rows) for name, rows in demo_data.edge_cases().items()}


def dbt_output(result) -> str:
    return result.stdout + result.stderr


def test_missing_raw_file_names_the_expected_paths(tmp_path):
    tables = small_tables()
    del tables["transactions"]
    write_csv_tables(tmp_path / "raw", tables)
    result = run_dbt(tmp_path, {"raw_source": "files", "raw_path": str(tmp_path / "raw")})
    assert result.returncode != 0
    assert "Raw table 'transactions' not found: expected" in dbt_output(result)


@pytest.mark.parametrize(("variables", "message"), [
    ({"period_grain": "fortnight"}, "take grains among day, week, month, quarter, year; got 'fortnight'"),
    ({"period_grains": ["month", "Fortnight"]}, "take grains among day, week, month, quarter, year; got 'Fortnight'"),
    ({"period_grains": []}, "Variable period_grains lists no grain."),
    ({"period_grains": ["month", "quarter"], "period_grain": "week"},
     "Variables period_grain ('week') and period_grains (month, quarter) disagree"),
    ({"activity_mode": "usage"}, "activity_mode must be 'subscription' or 'transaction'; got 'usage'"),
    ({"reporting_timezone": "Mars/Olympus"}, "reporting_timezone must be an IANA time zone name"),
    ({"as_of_date": "2025-02-30"}, "day is out of range for month"),
    ({"as_of_date": "15/06/2025"}, "as_of_date must be a date written YYYY-MM-DD; got '15/06/2025'"),
    ({"cltv_churn_window_periods": 0}, "cltv_churn_window_periods must be a whole number of periods >= 1"),
    ({"gross_margin": "70%"}, "gross_margin must be a number such as 1.0 or 0.7; got '70%'"),
    ({"raw_source": "ftp"}, "raw_source must be demo, files or tables; got 'ftp'"),
    ({"raw_source": "files"}, "raw_source 'files' needs the variable raw_path"),
])
def test_invalid_variable_is_named(tmp_path, variables, message):
    result = run_dbt(tmp_path, variables, command="parse")
    assert result.returncode != 0
    assert message in dbt_output(result)


def test_unparseable_value_fails_its_test_and_stops_the_marts(tmp_path):
    tables = small_tables()
    tables["transactions"][0] = dict(tables["transactions"][0], amount="12,50")
    tables["survey_responses"][0] = dict(tables["survey_responses"][0], score="N/A")
    write_csv_tables(tmp_path / "raw", tables)
    result = run_dbt(tmp_path, {"raw_source": "files", "raw_path": str(tmp_path / "raw"), "as_of_date": "2025-06-15"},
                     extra_arguments=("--exclude-resource-type", "unit_test"))
    output = dbt_output(result)
    assert result.returncode != 0
    assert "FAIL 1 raw_values_parse_stg_raw__transactions" in output
    assert "FAIL 1 raw_values_parse_stg_raw__survey_responses" in output
    assert "SKIP relation marts.retention_by_period" in output


def test_orphan_customer_id_fails_the_relationship_test(tmp_path):
    tables = small_tables()
    tables["subscriptions"].append(dict(tables["subscriptions"][0], subscription_id="orphan", customer_id="nobody"))
    write_csv_tables(tmp_path / "raw", tables)
    result = run_dbt(tmp_path, {"raw_source": "files", "raw_path": str(tmp_path / "raw"), "as_of_date": "2025-06-15"},
                     extra_arguments=("--exclude-resource-type", "unit_test"))
    assert result.returncode != 0
    assert "FAIL 1 relationships_stg_raw__subscriptions_customer_id" in dbt_output(result)
