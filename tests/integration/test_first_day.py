"""A new user's first day (issue 24): no wrong number without a loud stop, no email address in any
mart, no crash on a messy file.

The corpus of bad rows shares one build: each bad row sits under a customer of its own or under
customer 00001 (whose rows it cannot change once quarantined), so one build judges them all. A
second build holds the rows a correct staging keeps, written as staging should keep them (an id
that is an email address as its salted hash, an attribute that is one as 'redacted'): every mart
of the two builds must be equal, the quarantine must hold exactly the expected rows, and every raw
row must be kept or quarantined. Each case is also its own test, reading the shared build.

The stops (a misspelt variable, switching the raw data, an as_of_date before the data) each run
dbt themselves; the cheap ones only parse.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import io
import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import demo_data, mart_row_differences, run_dbt, write_csv_tables

AS_OF = "2025-06-15"
SALT = "first-day-salt-7f3a"
SALT_ENV = {"CUSTOMER_RETENTION_EMAIL_SALT": SALT}


def email_key(address: str) -> str:
    """The key staging gives a customer id that is an email address: the salted hash."""
    return hashlib.sha256((SALT + address.strip().lower()).encode()).hexdigest()


def edge_tables() -> dict[str, list[dict]]:
    return copy.deepcopy(demo_data.edge_cases())


def row(table: str, **values) -> dict:
    return {column: values.get(column, "") for column in demo_data.COLUMNS[table]}


def variables(raw: Path, **extra) -> dict:
    return {"raw_source": "files", "raw_path": str(raw), "as_of_date": AS_OF, "max_rejected_share": 1, **extra}


def dbt_build(work: Path, raw: Path, *arguments: str, write_json: bool = False, **extra):
    return run_dbt(work, variables(raw, **extra), extra_arguments=("--exclude-resource-type", "unit_test", *arguments),
                   extra_env=SALT_ENV, write_json=write_json)


def must_build(work: Path, raw: Path, *arguments: str, **extra) -> Path:
    result = dbt_build(work, raw, *arguments, **extra)
    if result.returncode != 0:
        pytest.fail(f"dbt build failed:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}")
    return work / "retention.duckdb"


def query(database: Path, sql: str, parameters=()) -> list[tuple]:
    connection = duckdb.connect(str(database), read_only=True)
    try:
        return connection.execute(sql, list(parameters)).fetchall()
    finally:
        connection.close()


# --- the corpus: (case, table, raw row, expected (row_key, reason, column) or None if kept) ----------
# Rows under customer 00001 are quarantined and change nothing; the customers added here have
# nothing but their own row. A kept case gives the row as staging must keep it (clean=...).

EMAIL_ID = "Alice.Smith@Example.com"
PADDED_EMAIL_ID = "  alice.smith@example.com "


def case(name, table, raw, quarantined=None, clean="same"):
    return {"case": name, "table": table, "raw": raw, "quarantined": quarantined,
            "clean": raw if clean == "same" else clean}


def sub(subscription_id, **values):
    return row("subscriptions", subscription_id=subscription_id, customer_id=values.pop("customer_id", "00001"),
               plan=values.pop("plan", "basic"), started_at=values.pop("started_at", "2024-03-01"),
               mrr=values.pop("mrr", "19.00"), **values)


def txn(transaction_id, **values):
    return row("transactions", transaction_id=transaction_id, customer_id=values.pop("customer_id", "00001"),
               occurred_at=values.pop("occurred_at", "2024-03-01"), amount=values.pop("amount", "5"), **values)


def answer(response_id, **values):
    return row("survey_responses", response_id=response_id, customer_id=values.pop("customer_id", "00001"),
               responded_at=values.pop("responded_at", "2024-03-01"), score=values.pop("score", "9"), **values)


def customer(customer_id, **values):
    return row("customers", customer_id=customer_id, created_at=values.pop("created_at", "2024-03-01"),
               country=values.pop("country", "US"), **values)


CORPUS = [
    # keys
    case("blank_customer_key", "customers", customer("  ", email="nokey@example.com"),
         (None, "missing_key", "customer_id")),
    case("tab_only_customer_key", "customers", customer("\t"), (None, "missing_key", "customer_id")),
    case("nbsp_only_subscription_key", "subscriptions", sub("\u00a0"), (None, "missing_key", "subscription_id")),
    case("blank_transaction_key", "transactions", txn(" "), (None, "missing_key", "transaction_id")),
    case("tab_and_newline_response_key", "survey_responses", answer("\t\r\n"),
         (None, "missing_key", "response_id")),
    case("missing_customer_of_subscription", "subscriptions", sub("K1", customer_id=""),
         ("K1", "missing_value", "customer_id")),
    case("duplicate_transaction", "transactions", txn("E0000002", occurred_at="2024-03-10T08:05:00Z", amount="19.00"),
         ("E0000002", "duplicate_row", "transaction_id")),
    case("conflicting_duplicate_response", "survey_responses",
         answer("1013", customer_id="00004", responded_at="2024-09-30", score="2"),
         ("1013", "conflicting_duplicate", "response_id")),
    # timestamps
    case("created_at_month_13", "customers", customer("C100", created_at="2024-13-01"),
         ("C100", "unparseable_timestamp", "created_at")),
    case("started_at_yesterday", "subscriptions", sub("T1", started_at="yesterday"),
         ("T1", "unparseable_timestamp", "started_at")),
    case("occurred_at_day_first", "transactions", txn("T2", occurred_at="15/06/2024"),
         ("T2", "unparseable_timestamp", "occurred_at")),
    case("responded_at_hour_25", "survey_responses", answer("T3", responded_at="2024-06-01 25:00"),
         ("T3", "unparseable_timestamp", "responded_at")),
    case("ended_at_february_30", "subscriptions", sub("T4", ended_at="2024-02-30"),
         ("T4", "unparseable_timestamp", "ended_at")),
    case("created_at_2099", "customers", customer("C101", created_at="2099-01-01"),
         ("C101", "future_timestamp", "created_at")),
    case("started_at_2099", "subscriptions", sub("T5", started_at="2099-03-01T00:00:00Z"),
         ("T5", "future_timestamp", "started_at")),
    case("occurred_at_2099", "transactions", txn("T6", occurred_at="2099-01-01"),
         ("T6", "future_timestamp", "occurred_at")),
    case("responded_at_2099", "survey_responses", answer("T7", responded_at="2099-12-31T23:00:00Z"),
         ("T7", "future_timestamp", "responded_at")),
    case("created_at_year_1000", "customers", customer("C102", created_at="1000-01-01"),
         ("C102", "implausible_date", "created_at")),
    case("started_at_1999", "subscriptions", sub("T8", started_at="1999-12-31T23:59:59Z"),
         ("T8", "implausible_date", "started_at")),
    case("ended_at_1990", "subscriptions", sub("T9", ended_at="1990-01-01"), ("T9", "implausible_date", "ended_at")),
    case("occurred_at_1900", "transactions", txn("T10", occurred_at="1900-01-01"),
         ("T10", "implausible_date", "occurred_at")),
    case("responded_at_epoch", "survey_responses", answer("T11", responded_at="1970-01-01T00:00:00Z"),
         ("T11", "implausible_date", "responded_at")),
    case("ended_before_started", "subscriptions", sub("T12", ended_at="2024-02-28T23:59:59Z"),
         ("T12", "ended_before_started", "ended_at")),
    # numbers
    case("mrr_negative", "subscriptions", sub("N1", mrr="-19.00"), ("N1", "negative_mrr", "mrr")),
    case("mrr_in_words", "subscriptions", sub("N2", mrr="nineteen"), ("N2", "not_a_number", "mrr")),
    case("mrr_blank", "subscriptions", sub("N3", mrr=""), ("N3", "missing_value", "mrr")),
    case("mrr_2e15", "subscriptions", sub("N4", mrr="2e15"), ("N4", "amount_out_of_range", "mrr")),
    case("mrr_below_a_millionth", "subscriptions", sub("N5", mrr="0.0000001"), ("N5", "amount_out_of_range", "mrr")),
    case("mrr_1e30", "subscriptions", sub("N6", mrr="1e30"), ("N6", "amount_out_of_range", "mrr")),
    case("amount_decimal_comma", "transactions", txn("N7", amount="12,50"), ("N7", "not_a_number", "amount")),
    case("amount_not_available", "transactions", txn("N8", amount="N/A"), ("N8", "not_a_number", "amount")),
    case("amount_with_currency", "transactions", txn("N9", amount="$5"), ("N9", "not_a_number", "amount")),
    case("amount_6e21", "transactions", txn("N10", amount="6e21"), ("N10", "amount_out_of_range", "amount")),
    case("amount_6e21_twice", "transactions", txn("N11", amount="6e21"), ("N11", "amount_out_of_range", "amount")),
    case("refund_minus_6e21", "transactions", txn("N12", amount="-6e21"), ("N12", "amount_out_of_range", "amount")),
    case("amount_1e_minus_7", "transactions", txn("N13", amount="1e-7"), ("N13", "amount_out_of_range", "amount")),
    case("amount_trillion", "transactions", txn("N14", amount="1000000000000"),
         ("N14", "amount_out_of_range", "amount")),
    case("amount_nan", "transactions", txn("N15", amount="NaN"), ("N15", "not_a_number", "amount")),
    case("amount_infinity", "transactions", txn("N16", amount="Infinity"), ("N16", "not_a_number", "amount")),
    case("score_11", "survey_responses", answer("S1", score="11"), ("S1", "score_out_of_range", "score")),
    case("score_minus_1", "survey_responses", answer("S2", score="-1"), ("S2", "score_out_of_range", "score")),
    case("score_n_a", "survey_responses", answer("S3", score="N/A"), ("S3", "not_a_number", "score")),
    case("score_7_5", "survey_responses", answer("S4", score="7.5"), ("S4", "score_not_whole", "score")),
    case("score_blank", "survey_responses", answer("S5", score=" "), ("S5", "missing_value", "score")),
    # customers that do not exist, or whose only row was quarantined
    case("orphan_subscription", "subscriptions", sub("O1", customer_id="nobody"),
         ("O1", "orphan_customer", "customer_id")),
    case("orphan_transaction_without_leading_zeros", "transactions", txn("O2", customer_id="1"),
         ("O2", "orphan_customer", "customer_id")),
    case("orphan_answer", "survey_responses", answer("O3", customer_id="00001 x"),
         ("O3", "orphan_customer", "customer_id")),
    case("transaction_of_a_quarantined_customer", "transactions", txn("O4", customer_id="C100"),
         ("O4", "customer_rejected", "customer_id")),
    # email addresses: as the customer id (hashed, and still joined), in attributes (redacted)
    case("customer_id_is_an_email", "customers", customer(EMAIL_ID, email=EMAIL_ID, country="GB"),
         clean=customer(email_key(EMAIL_ID), email=EMAIL_ID, country="GB")),
    case("subscription_of_an_email_id", "subscriptions", sub("M1", customer_id=EMAIL_ID, plan="pro", mrr="49.00"),
         clean=sub("M1", customer_id=email_key(EMAIL_ID), plan="pro", mrr="49.00")),
    case("payment_of_a_padded_lowercase_email_id", "transactions",
         txn("M2", customer_id=PADDED_EMAIL_ID, amount="49.00"),
         clean=txn("M2", customer_id=email_key(EMAIL_ID), amount="49.00")),
    case("answer_of_an_email_id", "survey_responses", answer("M3", customer_id=EMAIL_ID, score="10"),
         clean=answer("M3", customer_id=email_key(EMAIL_ID), score="10")),
    case("country_is_an_email", "customers", customer("R1", country="bob@example.org"),
         clean=customer("R1", country="redacted")),
    case("channel_holds_an_email", "customers",
         customer("R2", acquisition_channel="referred by carol@example.co.uk"),
         clean=customer("R2", acquisition_channel="redacted")),
    case("plan_is_an_email", "subscriptions", sub("R3", customer_id="R1", plan="dave@example.com"),
         clean=sub("R3", customer_id="R1", plan="redacted")),
    case("orphan_email_id", "subscriptions", sub("R4", customer_id="nobody@example.com"),
         ("R4", "orphan_customer", "customer_id")),
    # odd but valid: kept as they are
    case("injection_looking_customer_id", "customers", customer("x'); drop table customers; --", country="FR")),
    case("injection_looking_subscription", "subscriptions",
         sub("'; select 1; --", customer_id="x'); drop table customers; --", plan="basic")),
    case("unicode_attributes", "customers", customer("U1", country="Côte d'Ivoire", acquisition_channel="café")),
    case("offset_timestamp", "transactions", txn("U2", customer_id="U1", occurred_at="2024-08-02T09:00:00+01")),
    case("lowercase_z_timestamp", "subscriptions",
         sub("U3", customer_id="U1", started_at="2024-02-10 08:00:00z", mrr="19")),
    case("padded_amount", "transactions", txn("U4", customer_id="U1", amount=" 19.0 "),
         clean=txn("U4", customer_id="U1", amount="19.0")),
    case("exponent_amount", "transactions", txn("U5", customer_id="U1", amount="1.9e1"),
         clean=txn("U5", customer_id="U1", amount="19")),
]
CASES = {entry["case"]: entry for entry in CORPUS}


def corpus_tables(clean: bool) -> dict[str, list[dict]]:
    tables = edge_tables()
    for entry in CORPUS:
        if not clean:
            tables[entry["table"]].append(entry["raw"])
        elif entry["quarantined"] is None:
            tables[entry["table"]].append(entry["clean"])
    return tables


@pytest.fixture(scope="module")
def corpus_builds(tmp_path_factory) -> dict[str, Path]:
    builds = {}
    for name, clean in (("bad", False), ("clean", True)):
        work = tmp_path_factory.mktemp(f"corpus_{name}")
        write_csv_tables(work / "raw", corpus_tables(clean))
        builds[name] = must_build(work, work / "raw")
    return builds


def quarantined(database: Path) -> list[tuple]:
    return sorted(query(database, "select source_table, row_key, rejection_reason, rejected_column"
                                  " from staging.stg_raw__quarantined_rows"), key=repr)


def test_the_corpus_is_large_enough():
    assert len(CORPUS) >= 60


@pytest.mark.parametrize("name", list(CASES))
def test_corpus_case(corpus_builds, name):
    """The case's row is quarantined with its reason, or kept as staging must keep it."""
    entry = CASES[name]
    rows = quarantined(corpus_builds["bad"])
    if entry["quarantined"] is not None:
        assert (entry["table"], *entry["quarantined"]) in rows
    else:
        key_column = {"customers": "customer_id", "subscriptions": "subscription_id",
                      "transactions": "transaction_id", "survey_responses": "response_id"}[entry["table"]]
        key = entry["clean"][key_column]
        assert [r for r in rows if r[0] == entry["table"] and r[1] == key] == []
        staged = query(corpus_builds["bad"], f"select count(*) from staging.stg_raw__{entry['table']}"
                                             f" where {key_column} = ?", [key])
        assert staged == [(1,)]


def test_the_quarantine_holds_exactly_the_corpus_rows(corpus_builds):
    expected = sorted(((entry["table"], *entry["quarantined"]) for entry in CORPUS if entry["quarantined"]), key=repr)
    assert quarantined(corpus_builds["bad"]) == expected


def test_every_raw_row_is_kept_or_quarantined(corpus_builds):
    written = {table: len(rows) for table, rows in corpus_tables(clean=False).items()}
    counts = dict((table, (raw, staged, rejected)) for table, raw, staged, rejected in query(
        corpus_builds["bad"], "select distinct source_table, source_raw_rows, source_staged_rows,"
                              " source_rejected_rows from marts.data_quality_by_source"))
    for table, rows in written.items():
        raw, staged, rejected = counts[table]
        assert (raw, staged + rejected) == (rows, rows), table


def test_the_marts_equal_a_build_of_the_rows_kept(corpus_builds):
    assert mart_row_differences(corpus_builds["bad"], corpus_builds["clean"],
                                skip=frozenset({"data_quality_by_source"})) == {}


def test_redacted_attributes_are_counted(corpus_builds):
    redacted = dict(query(corpus_builds["bad"], "select distinct source_table, source_redacted_rows"
                                                " from marts.data_quality_by_source"))
    assert redacted == {"customers": 2, "subscriptions": 1, "transactions": 0, "survey_responses": 0, "events": 0}


def test_no_email_address_in_any_mart_or_quarantine(corpus_builds):
    database = corpus_builds["bad"]
    connection = duckdb.connect(str(database), read_only=True)
    try:
        columns = connection.execute(
            "select table_schema, table_name, column_name from information_schema.columns"
            " where table_schema in ('marts', 'staging') and data_type = 'VARCHAR'").fetchall()
        leaks = []
        for schema, table, column in columns:
            hits = connection.execute(
                f'select count(*) from {schema}."{table}" where regexp_matches("{column}", \'[^@ ]+@[^@ ]+[.][^@ ]+\')'
            ).fetchall()[0][0]
            if hits:
                leaks.append((schema, table, column))
    finally:
        connection.close()
    assert leaks == []
    # the email-id customer's rows all joined under its hash
    assert query(database, "select count(*) from staging.stg_raw__subscriptions where customer_id = ?",
                 [email_key(EMAIL_ID)]) == [(1,)]


def test_the_email_data_test_fails_on_a_leak(corpus_builds, tmp_path):
    """The contains_no_email_address test on every mart can fail: plant an address in a copy."""
    work = tmp_path / "leak"
    work.mkdir()
    shutil.copyfile(corpus_builds["bad"], work / "retention.duckdb")
    connection = duckdb.connect(str(work / "retention.duckdb"))
    try:
        connection.execute("update marts.customers set country = 'leak@example.com' where customer_id = 'U1'")
    finally:
        connection.close()
    raw = corpus_builds["bad"].parent / "raw"
    result = run_dbt(work, variables(raw), command="test",
                     extra_arguments=("--select", "contains_no_email_address_customers_"), extra_env=SALT_ENV)
    assert result.returncode != 0
    assert "FAIL 1 contains_no_email_address_customers_" in result.stdout


def test_the_salt_never_reaches_dbt_files_or_output(corpus_builds):
    """The salt appears in no compiled SQL, log, manifest or console output (a failing build
    included: test_the_email_data_test_fails_on_a_leak's output is checked too)."""
    work = corpus_builds["bad"].parent
    result = dbt_build(work, work / "raw", "--select", "stg_raw__customers", write_json=True,
                       max_rejected_share=0.01)
    assert result.returncode != 0  # the corpus is over 1% bad: a failed build's output is checked too
    assert SALT not in result.stdout + result.stderr
    for path in list((work / "target").rglob("*")) + list((work / "logs").rglob("*")):
        if path.is_file():
            assert SALT.encode() not in path.read_bytes(), path


# --- switching the raw data, or a setting, in the same database ------------------------------------

def test_switching_the_raw_data_stops_until_a_full_refresh(tmp_path):
    first, second = tmp_path / "export_a", tmp_path / "export_b"
    write_csv_tables(first, edge_tables())
    fewer = edge_tables()
    fewer["survey_responses"] = fewer["survey_responses"][:2]
    write_csv_tables(second, fewer)
    work = tmp_path / "work"
    database = must_build(work, first)
    # a no-op rerun on the same folder passes
    must_build(work, first)
    before = tmp_path / "before.duckdb"
    shutil.copyfile(database, before)

    for raw, extra, changed in ((second, {}, f"raw_path: {second};"),
                                (first, {"activity_mode": "transaction"}, "activity_mode: transaction;"),
                                (first, {"period_grains": ["month", "week"]}, "period_grains: month,week;")):
        result = dbt_build(work, raw, **extra)
        assert result.returncode != 0
        assert "were built from other inputs than this run's" in result.stdout
        assert "--full-refresh" in result.stdout
        this_run = next(line for line in result.stdout.splitlines() if "This run:" in line)
        assert changed in this_run
        # nothing ran: the marts are those of the first build
        assert mart_row_differences(database, before) == {}

    must_build(work, second, "--full-refresh")
    reference = must_build(tmp_path / "fresh", second)
    assert mart_row_differences(database, reference) == {}
    # and the next daily run on the new folder is an ordinary incremental one
    must_build(work, second)
    assert mart_row_differences(database, reference) == {}


def test_as_of_date_before_all_the_data_stops(tmp_path):
    tables = edge_tables()
    write_csv_tables(tmp_path / "raw", tables)
    first_event = min(r[column][:10] for table, column in (("subscriptions", "started_at"),
                                                           ("transactions", "occurred_at"),
                                                           ("survey_responses", "responded_at"))
                      for r in tables[table])
    result = dbt_build(tmp_path, tmp_path / "raw", as_of_date="2019-01-01")
    assert result.returncode != 0
    assert ("Variable as_of_date (2019-01-01) is before all the data: the first subscription, transaction or"
            f" survey answer is on {first_event}") in result.stdout


# --- the CSV dialect: what an export tool writes, and one line that is not UTF-8 ---------------------

def csv_text(table: str, rows: list[dict], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=demo_data.COLUMNS[table], delimiter=delimiter, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def test_export_dialects_build_and_a_latin_1_line_is_quarantined(tmp_path):
    """A byte-order mark and CRLF (customers), semicolons (subscriptions), a quoted value holding
    a newline, a comma and quotes (a survey comment), and one transaction line in latin-1: that
    line alone is quarantined as malformed_line, and the marts equal those of the plain files."""
    tables = edge_tables()
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "customers.csv").write_bytes(b"\xef\xbb\xbf" + csv_text("customers", tables["customers"]).encode())
    (raw / "subscriptions.csv").write_text(csv_text("subscriptions", tables["subscriptions"], ";"))
    answers = copy.deepcopy(tables["survey_responses"])
    answers[0]["comment"] = 'line one\nline two, "quoted"'
    (raw / "survey_responses.csv").write_text(csv_text("survey_responses", answers))
    latin_1_line = "L1,00001,2024-03-01,5 \xe9\r\n"
    (raw / "transactions.csv").write_bytes(csv_text("transactions", tables["transactions"]).encode()
                                           + latin_1_line.encode("latin-1"))
    database = must_build(tmp_path / "dialects", raw)
    rows = query(database, "select source_table, rejection_reason, line_number from staging.stg_raw__quarantined_rows")
    assert rows == [("transactions", "malformed_line", len(tables["transactions"]) + 2)]
    assert query(database, "select response_comment from staging.stg_raw__survey_responses"
                           " where response_id = ?", [answers[0]["response_id"]]) == [(answers[0]["comment"],)]
    plain = tmp_path / "plain"
    write_csv_tables(plain / "raw", tables)
    assert mart_row_differences(database, must_build(plain, plain / "raw"),
                                skip=frozenset({"data_quality_by_source"})) == {}
