"""Incremental staging (README, Incremental builds): after the first build, a run judges again only
the raw rows of the customers whose verdicts may have changed (customers_to_rejudge) and the rows
that share a key with them (raw_rows_to_rejudge), and the staged tables must equal a full
rebuild's, whatever changed in between.

A small hand-made business goes through three exports, each built incrementally over the last:

1. new rows (a new customer, a padded raw id " c08", a row without a customer); a changed
   amount; a deleted row, and every row of one customer deleted; a new row reusing another
   customer's key, later (that customer's unchanged row becomes conflicting_duplicate); an exact
   duplicate; a subscription of a customer that does not exist; a changed survey score; a
   customer row made invalid (its transactions become customer_rejected); and a transaction dated
   three minutes after the export, which the build rejects as future_timestamp;
2. the key reuse and the duplicate removed, the missing customer added, the invalid customer row
   fixed, and no change at all to the future row, whose moment has now passed;
3. nothing changed.

At each step the customers the run judges again (the markers of the model's incremental query,
compiled and run on the table before the run) are exactly those the changes touch, and after it
every staged table (the four base tables, row_hash included, and the quarantine) equals a
full-refresh build of the same export (`except all` both ways); so do the purchase days per
customer (int_customer_purchase_days_aggregated, which rebuilds only the customers whose counted
transactions changed, in the same way) and the RFM summary over them.
"""

from __future__ import annotations

import copy
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pytest

from conftest import run_dbt, staged_row_differences, write_csv_tables

STAGED_TABLES = ("base_raw__customers", "base_raw__subscriptions", "base_raw__transactions",
                 "base_raw__survey_responses", "stg_raw__quarantined_rows")
INCREMENTAL_TABLES = ("subscriptions", "transactions", "survey_responses")
# the purchase days per customer, incremental in the same way, over the staged transactions
PURCHASE_MODELS = ("int_customer_purchase_days_aggregated", "int_customer_purchase_days_summarized")
# staging (and the lookup seed it is tested against) and the purchase days, with the data tests
# whose parents are all selected
SELECT_STAGING = ("--select", "path:models/staging", "path:seeds/lookups", *PURCHASE_MODELS,
                  "--indirect-selection", "cautious", "--exclude-resource-type", "unit_test")
# rejected rows are most of these few rows: the limit would stop the build
VARIABLES_BASE = {"raw_source": "files", "as_of_date": "2025-06-30", "max_rejected_share": 1}


def business() -> dict[str, list[dict]]:
    """Ten customers, each with a subscription and three monthly payments; five survey answers."""
    customers = [f"c{number:02d}" for number in range(1, 11)]
    return {
        "customers": [{"customer_id": customer, "created_at": "2024-01-01", "email": "",
                       "country": "US", "acquisition_channel": "ads"} for customer in customers],
        "subscriptions": [{"subscription_id": f"s{customer}", "customer_id": customer, "plan": "basic",
                           "started_at": "2024-01-05", "ended_at": "", "mrr": "10"} for customer in customers],
        "transactions": [{"transaction_id": f"t{customer}_{month}", "customer_id": customer,
                          "occurred_at": f"2024-0{month}-05T10:00:00Z", "amount": f"{10 + month}"}
                         for customer in customers for month in (1, 2, 3)],
        "survey_responses": [{"response_id": f"r{customer}", "customer_id": customer,
                              "responded_at": "2024-02-10", "score": "9", "comment": ""}
                             for customer in customers[:5]],
    }


def transaction(tables: dict, transaction_id: str) -> dict:
    return next(row for row in tables["transactions"] if row["transaction_id"] == transaction_id)


def first_export(future_moment: datetime) -> dict[str, list[dict]]:
    tables = business()
    rows = tables["transactions"]
    rows.append({"transaction_id": "tc01_4", "customer_id": "c01", "occurred_at": "2025-01-10", "amount": "14"})
    transaction(tables, "tc02_1")["amount"] = "99"
    rows.remove(transaction(tables, "tc03_3"))
    tables["transactions"] = rows = [row for row in rows if row["customer_id"] != "c04"]
    # c05 reuses c06's key, later: c05's row is kept, c06's becomes a conflicting duplicate
    rows.append({"transaction_id": "tc06_1", "customer_id": "c05", "occurred_at": "2024-05-05", "amount": "5"})
    rows.append(dict(transaction(tables, "tc07_2")))
    rows.append({"transaction_id": "tc08_4", "customer_id": " c08", "occurred_at": "2024-04-05", "amount": "8"})
    rows.append({"transaction_id": "tnone", "customer_id": "", "occurred_at": "2024-04-05", "amount": "1"})
    rows.append({"transaction_id": "tc10_4", "customer_id": "c10", "amount": "3",
                 "occurred_at": future_moment.strftime("%Y-%m-%dT%H:%M:%SZ")})
    tables["customers"].append({"customer_id": "c11", "created_at": "2024-06-01", "email": "",
                                "country": "", "acquisition_channel": ""})
    rows.append({"transaction_id": "tc11_1", "customer_id": "c11", "occurred_at": "2024-06-05", "amount": "20"})
    next(row for row in tables["customers"] if row["customer_id"] == "c09")["created_at"] = "2099-01-01"
    tables["subscriptions"].append({"subscription_id": "sghost", "customer_id": "ghost", "plan": "pro",
                                    "started_at": "2024-03-01", "ended_at": "", "mrr": "30"})
    tables["survey_responses"][0]["score"] = "3"
    return tables


def second_export(first: dict[str, list[dict]]) -> dict[str, list[dict]]:
    tables = copy.deepcopy(first)
    tables["transactions"] = [row for row in tables["transactions"]
                              if not (row["transaction_id"] == "tc06_1" and row["customer_id"] == "c05")]
    duplicates = [row for row in tables["transactions"] if row["transaction_id"] == "tc07_2"]
    tables["transactions"].remove(duplicates[-1])
    tables["customers"].append({"customer_id": "ghost", "created_at": "2024-02-01", "email": "",
                                "country": "FR", "acquisition_channel": "partner"})
    next(row for row in tables["customers"] if row["customer_id"] == "c09")["created_at"] = "2024-01-01"
    return tables


# the customers each step's run judges again, per table ('' is the rows without a customer), and
# whose purchase days it rebuilds: those whose kept transactions up to as_of_date changed (c07's
# added duplicate and c10's future row are quarantined, so theirs did not; at the second step
# c10's row is kept but dated after as_of_date)
FIRST_REPLACED = {
    "transactions": {"c01", "c02", "c03", "c04", "c05", "c07", "c08", "c09", "c10", "c11", ""},
    "subscriptions": {"c09", "ghost"},
    "survey_responses": {"c01"},
    "purchase_days": {"c01", "c02", "c03", "c04", "c05", "c06", "c08", "c09", "c11"},
}
SECOND_REPLACED = {
    "transactions": {"c05", "c07", "c09", "c10", ""},
    "subscriptions": {"c09", "ghost"},
    "survey_responses": set(),
    "purchase_days": {"c05", "c06", "c09"},
}
THIRD_REPLACED = {"transactions": {""}, "subscriptions": set(), "survey_responses": set(), "purchase_days": set()}


def variables(raw: Path) -> dict:
    return {**VARIABLES_BASE, "raw_path": str(raw)}


def dbt(work: Path, command: str, arguments: tuple[str, ...]) -> None:
    result = run_dbt(work, variables(work / "raw"), command=command, extra_arguments=arguments)
    if result.returncode != 0:
        pytest.fail(f"dbt {command} failed:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}")


def build(work: Path, tables: dict[str, list[dict]], full_refresh: bool = False) -> Path:
    write_csv_tables(work / "raw", tables)
    dbt(work, "build", SELECT_STAGING + (("--full-refresh",) if full_refresh else ()))
    return work / "retention.duckdb"


def markers(work: Path, models: dict[str, tuple[str, str, str]]) -> dict[str, set[str]]:
    """For each model (name: (model, its folder under models/, its meta marker_column)), the
    customers its next incremental run replaces: its compiled incremental query (one that reads
    the model's own table), run on the tables as they are, returns one marker row for each."""
    dbt(work, "compile", ("--select", *(model for model, _, _ in models.values())))
    compiled = work / "target" / "compiled" / "customer_retention" / "models"
    connection = duckdb.connect(str(work / "retention.duckdb"), read_only=True)
    try:
        connection.execute("set TimeZone = 'UTC'")
        found = {}
        for name, (model, folder, marker) in models.items():
            query = (compiled / folder / f"{model}.sql").read_text()
            assert f'"{model}"' in query, f"{model} compiled as a full build"
            rows = connection.execute(
                f"select coalesce(customer_id, '') from ({query}) as result where {marker} is null").fetchall()
            found[name] = {customer for (customer,) in rows}
        return found
    finally:
        connection.close()


def replaced_customers(work: Path, tables: dict[str, list[dict]]) -> dict[str, set[str]]:
    """The customers the next incremental build replaces in each base model and in the purchase
    days, each found on the tables as the build finds them: after the customers' verdicts
    (base_raw__customers, a table) for the base models, after staging for the purchase days."""
    write_csv_tables(work / "raw", tables)
    dbt(work, "run", ("--select", "base_raw__customers"))
    found = markers(work, {table: (f"base_raw__{table}", "staging/raw/base", "row_hash")
                           for table in INCREMENTAL_TABLES})
    dbt(work, "run", ("--select", "path:models/staging"))
    found.update(markers(work, {"purchase_days": (PURCHASE_MODELS[0], "intermediate/lifetime_value", "transactions_hash")}))
    return found


def assert_same_as(database: Path, reference: Path) -> None:
    assert staged_row_differences(database, reference, STAGED_TABLES) == {}
    assert staged_row_differences(database, reference, PURCHASE_MODELS, schema="intermediate") == {}


def verdicts(database: Path, transaction_id: str) -> list[tuple]:
    connection = duckdb.connect(str(database), read_only=True)
    try:
        return connection.execute(
            "select customer_id, rejection_reason from staging.base_raw__transactions"
            " where transaction_id = ? order by customer_id", [transaction_id]).fetchall()
    finally:
        connection.close()


def test_incremental_staging_equals_a_full_rebuild_at_every_step(tmp_path):
    work = tmp_path / "incremental"
    build(work, business())

    # three minutes after the export: the first step's builds start before it (about 60 s of
    # builds here), the second's after it
    future_moment = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(seconds=180)
    first = first_export(future_moment)
    reference = build(tmp_path / "full-1", first, full_refresh=True)
    assert replaced_customers(work, first) == FIRST_REPLACED
    database = build(work, first)
    assert_same_as(database, reference)
    assert verdicts(database, "tc06_1") == [("c05", None), ("c06", "conflicting_duplicate")]
    assert verdicts(database, "tc10_4") == [("c10", "future_timestamp")]
    assert verdicts(database, "tc09_1") == [("c09", "customer_rejected")]

    second = second_export(first)
    time.sleep(max(0.0, (future_moment - datetime.now(timezone.utc)).total_seconds() + 1))
    assert replaced_customers(work, second) == SECOND_REPLACED
    database = build(work, second)
    reference = build(tmp_path / "full-2", second, full_refresh=True)
    assert_same_as(database, reference)
    assert verdicts(database, "tc06_1") == [("c06", None)]
    assert verdicts(database, "tc10_4") == [("c10", None)]

    assert replaced_customers(work, second) == THIRD_REPLACED
    database = build(work, second)
    reference = build(tmp_path / "full-3", second, full_refresh=True)
    assert_same_as(database, reference)
