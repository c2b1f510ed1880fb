"""Bad configuration stops the build with a message that says what is wrong. (Bad raw rows are
quarantined instead: test_bad_input_quarantined.py.)"""

from __future__ import annotations

import csv

import duckdb
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


def without_columns(tables: dict[str, list[dict]], table: str, *columns: str) -> None:
    for row in tables[table]:
        for column in columns:
            del row[column]


def write_tables(folder, tables: dict[str, list[dict]]) -> None:
    """Each table as a CSV file with the columns its rows have."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        with (folder / f"{name}.csv").open("w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)


@pytest.mark.parametrize("raw_source", ["files", "tables"])
def test_missing_columns_are_listed_before_any_model_runs(tmp_path, raw_source):
    """One message names every missing column with its table and where it was looked for, and
    points to the input contract; no model runs (the binder error it replaces named another
    column)."""
    tables = small_tables()
    without_columns(tables, "subscriptions", "mrr")
    without_columns(tables, "customers", "email", "country")
    write_tables(tmp_path / "raw", tables)
    if raw_source == "files":
        variables = {"raw_source": "files", "raw_path": str(tmp_path / "raw")}
        where = {name: str(tmp_path / "raw" / f"{name}.csv") for name in tables}
    else:
        connection = duckdb.connect(str(tmp_path / "retention.duckdb"))
        try:
            connection.execute("create schema landing")
            for name in tables:
                connection.execute(f"create table landing.{name} as select * from"
                                   f" read_csv('{tmp_path / 'raw' / name}.csv', all_varchar = true)")
        finally:
            connection.close()
        variables = {"raw_source": "tables", "raw_schema": "landing"}
        where = {name: f'table "retention"."landing"."{name}"' for name in tables}
    result = run_dbt(tmp_path, variables)
    output = dbt_output(result)
    assert result.returncode != 0
    assert "does not meet the input contract (README, Input contract)" in output
    assert (f"- customers ({where['customers']}): missing column(s) email, country;"
            " has customer_id, created_at, acquisition_channel") in output
    assert f"- subscriptions ({where['subscriptions']}): missing column(s) mrr;" in output
    assert "transactions (" not in output and "survey_responses (" not in output
    assert "START sql" not in output and "Binder Error" not in output


def test_empty_csv_file_stops_naming_it(tmp_path):
    write_csv_tables(tmp_path / "raw", small_tables())
    (tmp_path / "raw" / "transactions.csv").write_bytes(b"")
    result = run_dbt(tmp_path, {"raw_source": "files", "raw_path": str(tmp_path / "raw")})
    output = dbt_output(result)
    assert result.returncode != 0
    assert (f"Raw file {tmp_path / 'raw' / 'transactions.csv'} is empty: a CSV file needs at least its"
            " header row (README, Input contract).") in output
    assert "START sql" not in output


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
