"""Bad configuration stops the build with a message that says what is wrong. (Bad raw rows are
quarantined instead: test_bad_input_quarantined.py.)"""

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
    ({"as_of_date": "2025-02-30"}, "Variable as_of_date must be a date that exists, written YYYY-MM-DD; got '2025-02-30'"),
    ({"earliest_plausible_date": "1999-13-01"},
     "Variable earliest_plausible_date must be a date that exists, written YYYY-MM-DD; got '1999-13-01'"),
    ({"raw_sorce": "files", "raw_path": "/data/acme"}, "Unknown variable 'raw_sorce' in --vars; did you mean 'raw_source'?"),
    ({"as_of_dte": "2025-06-15"}, "Unknown variable 'as_of_dte' in --vars; did you mean 'as_of_date'?"),
    ({"period_grian": "week"}, "Unknown variable 'period_grian' in --vars; did you mean 'period_grain'?"),
    ({"raw_path": "/data/acme"}, "Variable raw_path is set, but raw_source is 'demo', which does not read it"),
    ({"raw_schema": "landing"}, "Variable raw_schema is set, but raw_source is 'demo', which does not read it"),
    ({"raw_source": "files", "raw_path": "/data/acme", "raw_schema": "landing"},
     "Variable raw_schema is set, but raw_source is 'files', which does not read it"),
    ({"as_of_date": "15/06/2025"}, "as_of_date must be a date written YYYY-MM-DD; got '15/06/2025'"),
    ({"cltv_churn_window_periods": 0}, "cltv_churn_window_periods must be a whole number of periods >= 1"),
    ({"incremental_lookback_periods": -1},
     "incremental_lookback_periods must be a whole number of periods >= 0; got '-1'"),
    ({"gross_margin": "70%"}, "gross_margin must be a number such as 1.0 or 0.7; got '70%'"),
    ({"raw_source": "ftp"}, "raw_source must be demo, files or tables; got 'ftp'"),
    ({"raw_source": "files"}, "raw_source 'files' needs the variable raw_path"),
    ({"max_rejected_share": "5%"}, "max_rejected_share must be a share from 0 to 1, such as 0.05 for 5%; got '5%'"),
    ({"max_rejected_share": 5}, "max_rejected_share must be a share from 0 to 1, such as 0.05 for 5%; got '5'"),
    # names reach SQL: a value that could end a quoted name, or add a statement, stops the parse
    ({"marts_reader_role": "bi_reader; create table injected (id integer)"},
     "Variable marts_reader_role must be an identifier: a lowercase letter or underscore, then lowercase"
     " letters, digits or underscores, at most 63 characters; got 'bi_reader; create table injected (id integer)'"),
    ({"marts_reader_role": "BI_Reader"}, "Variable marts_reader_role must be an identifier"),
    ({"raw_source": "tables", "raw_schema": 'land"ing'},
     "Variable raw_schema must be an identifier: a letter or underscore, then letters, digits or underscores,"
     " at most 63 characters; got 'land\"ing'"),
    ({"raw_source": "tables", "raw_schema": "raw'; drop schema marts cascade; --"},
     "Variable raw_schema must be an identifier"),
    ({"raw_source": "tables", "raw_database": "warehouse.raw"},
     "Variable raw_database must be an identifier: a letter or underscore, then letters, digits or underscores,"
     " at most 63 characters; got 'warehouse.raw'"),
    ({"raw_source": "tables", "raw_schema": "r" * 64}, "Variable raw_schema must be an identifier"),
])
def test_invalid_variable_is_named(tmp_path, variables, message):
    result = run_dbt(tmp_path, variables, command="parse")
    assert result.returncode != 0
    assert message in dbt_output(result)
