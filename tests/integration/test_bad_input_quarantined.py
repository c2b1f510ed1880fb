"""The bad-input corpus: kinds of bad (or merely odd) rows, judged together in one build.

The corpus starts from the hand-written edge-case tables (demo_data.edge_cases) and adds or
rewrites a few rows per case. The cases' quarantined rows have keys of their own (their own ids,
or rows under customer 00001, whose rows they cannot change once quarantined); exact_duplicate
copies rows that two earlier cases rewrote, in the order of CORPUS. So one build judges them all
(dbt's fixed cost dominates a build of this size). The build must succeed, the quarantine must
hold exactly the rows listed, with their reasons, and every mart must equal (`except` both ways)
the marts built from the rows a correct staging keeps: the edge-case tables, with the rows and
values a case's `keep` writes. data_quality_by_source is the one mart left out of that
comparison, since counting the rejected rows is its job; it is checked against the quarantine
instead. Each case with quarantined rows is also its own test, reading the shared build; the
kept cases have tests of their values.
"""

from __future__ import annotations

import copy
import hashlib
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import (
    demo_data,
    mart_names,
    mart_row_differences,
    run_dbt,
    staged_row_differences,
    write_csv_tables,
    write_parquet_table,
)

AS_OF = "2025-06-15"
SALT = "pepper-for-tests"
SALT_ENV = {"CUSTOMER_RETENTION_EMAIL_SALT": SALT}
NOT_COMPARED = {"data_quality_by_source"}


def edge_tables() -> dict[str, list[dict]]:
    return copy.deepcopy(demo_data.edge_cases())


def files_variables(folder: Path, **extra) -> dict:
    return {"raw_source": "files", "raw_path": str(folder), "as_of_date": AS_OF, **extra}


def build_files(work_dir: Path, max_rejected_share: float = 0.5) -> tuple[Path, str]:
    """dbt build the raw files in work_dir/raw; the build must succeed. The edge-case tables are
    small (9 customers), so one bad row is already more than the default 5%: these builds allow
    half (test_mostly_broken_export_stops_the_marts tests the default)."""
    result = run_dbt(work_dir, files_variables(work_dir / "raw", max_rejected_share=max_rejected_share),
                     extra_arguments=("--exclude-resource-type", "unit_test"), extra_env=SALT_ENV)
    if result.returncode != 0:
        pytest.fail(f"dbt build failed:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}")
    return work_dir / "retention.duckdb", result.stdout


def build_tables(work_dir: Path, tables: dict[str, list[dict]], **options) -> tuple[Path, str]:
    """Write the tables as CSV files and build them (build_files)."""
    write_csv_tables(work_dir / "raw", tables)
    return build_files(work_dir, **options)


def quarantine(database: Path) -> list[tuple]:
    connection = duckdb.connect(str(database), read_only=True)
    try:
        return sorted(connection.execute(
            "select source_table, row_key, rejection_reason, rejected_column"
            " from staging.stg_raw__quarantined_rows"
        ).fetchall(), key=repr)
    finally:
        connection.close()


def sources_over_limit(database: Path) -> list[tuple]:
    """(source_table, rejected rows, raw rows) of each source above max_rejected_share."""
    connection = duckdb.connect(str(database), read_only=True)
    try:
        return connection.execute(
            "select distinct source_table, source_rejected_rows, source_raw_rows from marts.data_quality_by_source"
            " where is_source_over_limit").fetchall()
    finally:
        connection.close()


def mart_differences(left: Path, right: Path, skip=frozenset(NOT_COMPARED)) -> dict[str, tuple[int, int]]:
    return mart_row_differences(left, right, skip)


@pytest.fixture(scope="module")
def clean_build(tmp_path_factory) -> tuple[Path, str]:
    return build_tables(tmp_path_factory.mktemp("clean"), edge_tables())


# --- the corpus: (id, mutate(bad tables), expected quarantine, keep(clean tables) or None) --------
# mutate adds or rewrites the case's raw rows; keep writes into the clean tables the rows staging
# must keep from them, where they are not the edge-case rows as they stand.

def add(tables, table, **row):
    columns = demo_data.COLUMNS[table]
    tables[table].append({column: row.get(column, "") for column in columns})


def first(tables, table, **match):
    return next(row for row in tables[table] if all(row[k] == v for k, v in match.items()))


def missing_keys(tables):
    add(tables, "customers", customer_id="  ", created_at="2024-03-01", email="nokey@example.com", country="US")
    add(tables, "subscriptions", subscription_id="", customer_id="00001", plan="basic",
        started_at="2024-03-01", mrr="19.00")
    add(tables, "transactions", transaction_id=" ", customer_id="00001", occurred_at="2024-03-01", amount="5")
    add(tables, "survey_responses", response_id="", customer_id="00001", responded_at="2024-03-01", score="9")


def exact_duplicates(tables):
    tables["customers"].append(dict(first(tables, "customers", customer_id="00003")))
    tables["subscriptions"].append(dict(first(tables, "subscriptions", subscription_id="E0004")))
    twice = dict(first(tables, "transactions", transaction_id="E0000002"))
    # padding and another spelling of the same instant: the staged values are still equal
    tables["transactions"].append(dict(twice, amount=" 19.0 ", occurred_at="2024-03-10T09:05:00+01:00"))
    tables["survey_responses"].append(dict(first(tables, "survey_responses", response_id="1011")))


def conflicting_duplicates(tables):
    # older versions of existing rows: the latest timestamp wins, so the edge-case row is kept
    add(tables, "customers", customer_id="00005", created_at="2024-04-01", email="old@example.com", country="GB",
        acquisition_channel="organic")
    add(tables, "subscriptions", subscription_id="E0009", customer_id="00006", plan="basic",
        started_at="2024-05-14T12:00:00Z", mrr="9.00")
    add(tables, "transactions", transaction_id="E0000003", customer_id="00001", occurred_at="2024-04-09T08:05:00Z",
        amount="190.00")
    add(tables, "survey_responses", response_id="1013", customer_id="00004", responded_at="2024-09-30", score="2")


def unparseable_timestamps(tables):
    add(tables, "customers", customer_id="00100", created_at="2024-13-01", country="US")
    add(tables, "subscriptions", subscription_id="X1", customer_id="00001", plan="basic",
        started_at="yesterday", mrr="19.00")
    add(tables, "subscriptions", subscription_id="X2", customer_id="00001", plan="basic",
        started_at="2024-03-01", ended_at="2024-02-30", mrr="19.00")
    add(tables, "transactions", transaction_id="X3", customer_id="00001", occurred_at="15/06/2024", amount="5")
    add(tables, "survey_responses", response_id="X4", customer_id="00001", responded_at="2024-06-01 25:00", score="9")


def future_timestamps(tables):
    add(tables, "customers", customer_id="00101", created_at="2099-01-01", country="US")
    add(tables, "subscriptions", subscription_id="X5", customer_id="00001", plan="basic",
        started_at="2099-03-01T00:00:00Z", mrr="19.00")
    add(tables, "transactions", transaction_id="X6", customer_id="00001", occurred_at="2099-01-01", amount="5")
    add(tables, "survey_responses", response_id="X7", customer_id="00001", responded_at="2099-12-31T23:00:00Z",
        score="9")
    # after as_of_date but before the build: not bad, just outside the reporting window
    add(tables, "transactions", transaction_id="X8", customer_id="00001", occurred_at="2025-07-01", amount="5")
    # a scheduled end after the build: kept, and the same as an open end inside the window
    first(tables, "subscriptions", subscription_id="E0013")["ended_at"] = "2099-01-01"


def ended_before_started(tables):
    add(tables, "subscriptions", subscription_id="X9", customer_id="00001", plan="basic",
        started_at="2024-03-01", ended_at="2024-02-28T23:59:59Z", mrr="19.00")


def bad_mrr(tables):
    add(tables, "subscriptions", subscription_id="X10", customer_id="00001", plan="basic",
        started_at="2024-03-01", mrr="-19.00")
    add(tables, "subscriptions", subscription_id="X11", customer_id="00001", plan="basic",
        started_at="2024-03-01", mrr="nineteen")
    add(tables, "subscriptions", subscription_id="X12", customer_id="00001", plan="basic",
        started_at="2024-03-01", mrr="")


def bad_amounts(tables):
    add(tables, "transactions", transaction_id="X13", customer_id="00001", occurred_at="2024-03-01", amount="12,50")
    add(tables, "transactions", transaction_id="X14", customer_id="00001", occurred_at="2024-03-01", amount="N/A")
    add(tables, "transactions", transaction_id="X15", customer_id="00001", occurred_at="2024-03-01", amount="$5")


def bad_scores(tables):
    for response_id, score in [("X16", "11"), ("X17", "-1"), ("X18", "7.5"), ("X19", "N/A"), ("X20", " ")]:
        add(tables, "survey_responses", response_id=response_id, customer_id="00001",
            responded_at="2024-03-01", score=score)


def orphans(tables):
    add(tables, "subscriptions", subscription_id="X21", customer_id="nobody", plan="basic",
        started_at="2024-03-01", mrr="19.00")
    add(tables, "transactions", transaction_id="X22", customer_id="1", occurred_at="2024-03-01", amount="5")
    add(tables, "survey_responses", response_id="X23", customer_id="00001 x", responded_at="2024-03-01", score="9")
    # a customer whose only row is quarantined takes its rows with it
    add(tables, "customers", customer_id="00102", created_at="not a date", country="US")
    add(tables, "transactions", transaction_id="X24", customer_id="00102", occurred_at="2024-03-01", amount="5")


def blank_attributes(tables):
    first(tables, "customers", customer_id="00003").update(country="  ", acquisition_channel="")


def unknown_attributes(clean):
    first(clean, "customers", customer_id="00003").update(country="unknown", acquisition_channel="unknown")


def leading_zero_ids(tables):
    """Three customers whose ids differ only in leading zeros, each with a subscription: all kept."""
    for customer_id in ["0042", "042", "42"]:
        add(tables, "customers", customer_id=customer_id, created_at="2024-03-01", country="US")
        add(tables, "subscriptions", subscription_id=f"S{customer_id}", customer_id=customer_id, plan="basic",
            started_at="2024-03-01", mrr="19.00")


def odd_original_values(tables):
    """Rows whose raw values the quarantine must keep as they came (but for the email address)."""
    add(tables, "transactions", transaction_id="X30", customer_id="00001", occurred_at="2024-03-01",
        amount='12,50 "EUR"\tnet')
    add(tables, "customers", customer_id="00103", created_at="2024-02-30", email="secret@example.com", country="DE")


def time_zones(tables):
    # the same instants written with offsets, Z and as dates: accepted, and converted to UTC
    first(tables, "subscriptions", subscription_id="E0001")["started_at"] = "2024-02-10T10:00:00+02:00"
    first(tables, "subscriptions", subscription_id="E0004")["ended_at"] = "2024-08-15T05:00:00-0500"
    first(tables, "subscriptions", subscription_id="E0008")["started_at"] = "2024-05-01"
    first(tables, "transactions", transaction_id="E0000005")["occurred_at"] = "2024-07-05T10:00Z"
    first(tables, "survey_responses", response_id="1011")["responded_at"] = "2024-08-02T09:00:00+01"
    first(tables, "customers", customer_id="00001")["created_at"] = "2024-02-10 08:00:00z"


CORPUS = [
    # the cases that rewrite edge-case rows come first, since exact_duplicate copies some of them
    ("blank_attribute_is_unknown", blank_attributes, [], unknown_attributes),
    ("time_zone_offsets_and_dates", time_zones, [], None),
    ("missing_key", missing_keys, [
        ("customers", None, "missing_key", "customer_id"),
        ("subscriptions", None, "missing_key", "subscription_id"),
        ("survey_responses", None, "missing_key", "response_id"),
        ("transactions", None, "missing_key", "transaction_id"),
    ], None),
    ("exact_duplicate", exact_duplicates, [
        ("customers", "00003", "duplicate_row", "customer_id"),
        ("subscriptions", "E0004", "duplicate_row", "subscription_id"),
        ("survey_responses", "1011", "duplicate_row", "response_id"),
        ("transactions", "E0000002", "duplicate_row", "transaction_id"),
    ], None),
    ("conflicting_duplicate", conflicting_duplicates, [
        ("customers", "00005", "conflicting_duplicate", "customer_id"),
        ("subscriptions", "E0009", "conflicting_duplicate", "subscription_id"),
        ("survey_responses", "1013", "conflicting_duplicate", "response_id"),
        ("transactions", "E0000003", "conflicting_duplicate", "transaction_id"),
    ], None),
    ("unparseable_timestamp", unparseable_timestamps, [
        ("customers", "00100", "unparseable_timestamp", "created_at"),
        ("subscriptions", "X1", "unparseable_timestamp", "started_at"),
        ("subscriptions", "X2", "unparseable_timestamp", "ended_at"),
        ("survey_responses", "X4", "unparseable_timestamp", "responded_at"),
        ("transactions", "X3", "unparseable_timestamp", "occurred_at"),
    ], None),
    ("future_timestamp", future_timestamps, [
        ("customers", "00101", "future_timestamp", "created_at"),
        ("subscriptions", "X5", "future_timestamp", "started_at"),
        ("survey_responses", "X7", "future_timestamp", "responded_at"),
        ("transactions", "X6", "future_timestamp", "occurred_at"),
    ], None),
    ("ended_before_started", ended_before_started, [
        ("subscriptions", "X9", "ended_before_started", "ended_at"),
    ], None),
    ("negative_or_non_numeric_mrr", bad_mrr, [
        ("subscriptions", "X10", "negative_mrr", "mrr"),
        ("subscriptions", "X11", "not_a_number", "mrr"),
        ("subscriptions", "X12", "missing_value", "mrr"),
    ], None),
    ("non_numeric_amount", bad_amounts, [
        ("transactions", "X13", "not_a_number", "amount"),
        ("transactions", "X14", "not_a_number", "amount"),
        ("transactions", "X15", "not_a_number", "amount"),
    ], None),
    ("bad_score", bad_scores, [
        ("survey_responses", "X16", "score_out_of_range", "score"),
        ("survey_responses", "X17", "score_out_of_range", "score"),
        ("survey_responses", "X18", "score_not_whole", "score"),
        ("survey_responses", "X19", "not_a_number", "score"),
        ("survey_responses", "X20", "missing_value", "score"),
    ], None),
    ("orphan", orphans, [
        ("customers", "00102", "unparseable_timestamp", "created_at"),
        ("subscriptions", "X21", "orphan_customer", "customer_id"),
        ("survey_responses", "X23", "orphan_customer", "customer_id"),
        ("transactions", "X22", "orphan_customer", "customer_id"),
        ("transactions", "X24", "customer_rejected", "customer_id"),
    ], None),
    ("leading_zeros_kept", leading_zero_ids, [], leading_zero_ids),
    ("original_values_kept", odd_original_values, [
        ("customers", "00103", "unparseable_timestamp", "created_at"),
        ("transactions", "X30", "not_a_number", "amount"),
    ], None),
]
EXPECTED = sorted((row for _, _, expected, _ in CORPUS for row in expected), key=repr)
STAGED = [f"stg_raw__{table}" for table in demo_data.COLUMNS]


@pytest.fixture(scope="module")
def corpus_builds(tmp_path_factory) -> dict[str, tuple[Path, str]]:
    """The corpus ("bad") and the rows staging must keep from it ("clean"), each built once. Every
    row of a source may be rejected here (max_rejected_share 1): the corpus rejects half the rows
    of some sources or more, and test_mostly_broken_export_stops_the_marts tests the limit."""
    tables, clean = edge_tables(), edge_tables()
    for _, mutate, _, keep in CORPUS:
        mutate(tables)
        if keep:
            keep(clean)
    return {
        "bad": build_tables(tmp_path_factory.mktemp("corpus"), tables, max_rejected_share=1),
        "clean": build_tables(tmp_path_factory.mktemp("corpus_clean"), clean, max_rejected_share=1),
    }


@pytest.mark.parametrize(("case", "expected"), [(case, expected) for case, _, expected, _ in CORPUS if expected],
                         ids=[case for case, _, expected, _ in CORPUS if expected])
def test_bad_input_case(corpus_builds, case, expected):
    """The quarantine rows of the case's keys (or without a key, for missing_key) are exactly its
    rows, each with its reason and column."""
    keys = {(table, key) for table, key, _, _ in expected}
    rows = [row for row in quarantine(corpus_builds["bad"][0]) if (row[0], row[1]) in keys]
    assert rows == sorted(expected, key=repr)


def test_the_quarantine_holds_exactly_the_corpus_rows(corpus_builds):
    assert quarantine(corpus_builds["bad"][0]) == EXPECTED


def test_kept_rows_are_staged_as_the_clean_rows(corpus_builds):
    """Blank attributes, offsets and dates and ids that differ in leading zeros stage exactly as the
    clean rows. The clean rows leave out future_timestamp's kept rows, so that the marts are
    compared with a build without them: a payment after as_of_date (X8) and a scheduled end after
    the build (E0013's, open in the clean rows) are the only staged rows that differ."""
    assert staged_row_differences(corpus_builds["bad"][0], corpus_builds["clean"][0], STAGED,
                                  ignore={"row_hash"}) == {"stg_raw__subscriptions": (1, 1),
                                                           "stg_raw__transactions": (1, 0)}


# the values time_zones rewrites: (table, key column, key, column)
REWRITTEN_INSTANTS = [
    ("subscriptions", "subscription_id", "E0001", "started_at"),
    ("subscriptions", "subscription_id", "E0004", "ended_at"),
    ("subscriptions", "subscription_id", "E0008", "started_at"),
    ("transactions", "transaction_id", "E0000005", "occurred_at"),
    ("survey_responses", "response_id", "1011", "responded_at"),
    ("customers", "customer_id", "00001", "created_at"),
]


def test_kept_cases_stage_their_values(corpus_builds):
    """blank_attribute_is_unknown and time_zone_offsets_and_dates, each on its own rows: blanks
    become 'unknown', and offsets, Z and dates become the same instants in UTC."""
    connection = duckdb.connect(str(corpus_builds["bad"][0]), read_only=True)
    try:
        connection.execute("set TimeZone = 'UTC'")
        attributes = connection.execute(
            "select country, acquisition_channel from staging.stg_raw__customers where customer_id = '00003'").fetchall()
        instants = {key: connection.execute(
            f"select strftime({column}, '%Y-%m-%d %H:%M') from staging.stg_raw__{table} where {key_column} = ?",
            [key]).fetchall()[0][0] for table, key_column, key, column in REWRITTEN_INSTANTS}
    finally:
        connection.close()
    assert attributes == [("unknown", "unknown")]
    assert instants == {"E0001": "2024-02-10 08:00", "E0004": "2024-08-15 10:00", "E0008": "2024-05-01 00:00",
                        "E0000005": "2024-07-05 10:00", "1011": "2024-08-02 08:00", "00001": "2024-02-10 08:00"}


def test_the_marts_equal_a_build_of_the_rows_kept(corpus_builds):
    assert mart_differences(corpus_builds["bad"][0], corpus_builds["clean"][0]) == {}


def test_rejected_rows_are_reported_and_counted(corpus_builds):
    """Each rejected row is reported by the warning, and counted in data_quality_by_source."""
    database, output = corpus_builds["bad"]
    for table in {source for source, *_ in EXPECTED}:
        rejected = sum(1 for source, *_ in EXPECTED if source == table)
        assert f"WARN {rejected} rows_rejected_base_raw__{table}" in output
    connection = duckdb.connect(str(database), read_only=True)
    try:
        by_reason = dict(((s, r), n) for s, r, n in connection.execute(
            "select source_table, rejection_reason, rejected_rows from marts.data_quality_by_source"
            " where rejected_rows > 0").fetchall())
    finally:
        connection.close()
    expected_counts: dict = {}
    for source, _, reason, _ in EXPECTED:
        expected_counts[(source, reason)] = expected_counts.get((source, reason), 0) + 1
    assert by_reason == expected_counts


def insert_lines(path: Path, lines: dict[int, str], newline: str = "\n") -> None:
    """Put each text at its 1-based line number in the CSV file (the header is line 1), and
    write the file back with the given line ends."""
    content = path.read_text().splitlines()
    for number in sorted(lines):
        content.insert(number - 1, lines[number])
    path.write_bytes((newline.join(content) + newline).encode())


def malformed_lines(database: Path) -> list[tuple]:
    connection = duckdb.connect(str(database), read_only=True)
    try:
        return connection.execute(
            "select source_table, source_file, line_number, raw_line from staging.base_raw__malformed_lines"
            " order by source_table, line_number").fetchall()
    finally:
        connection.close()


def test_malformed_csv_lines_are_quarantined_and_the_rest_builds(tmp_path, clean_build):
    """A short line, a line with an extra field, and an unterminated quote (the last line: a quoted
    field may hold line breaks, so the quote runs to the end of the file) become quarantine rows
    (malformed_line) with their file, line number and text; every other line builds as if the bad
    ones were not there, and raw lines = staged + quarantined still reconciles."""
    raw = tmp_path / "raw"
    write_csv_tables(raw, edge_tables())
    insert_lines(raw / "transactions.csv", {3: "X40,00001,2024-03-01", 6: "X41,00001,2024-03-01,5,EUR"})
    with (raw / "transactions.csv").open("a") as handle:
        handle.write('X42,00001,"2024-03-01,5\n')
    # a CRLF file; an email address in a customers line is not kept
    insert_lines(raw / "customers.csv", {4: "00104,2024-03-01,malformed@example.com,US"}, newline="\r\n")
    insert_lines(raw / "survey_responses.csv", {2: '1099,00001,2024-03-01,9,"a ""quoted"" comment",x'})
    # padding around a header's names is not part of them
    text = (raw / "transactions.csv").read_text()
    (raw / "transactions.csv").write_text(text.replace("transaction_id,customer_id,", "transaction_id , customer_id,", 1))
    database, output = build_files(tmp_path)

    transactions, customers, responses = (str(raw / f"{name}.csv")
                                          for name in ("transactions", "customers", "survey_responses"))
    data_lines = {name: len(rows) for name, rows in edge_tables().items()}
    assert malformed_lines(database) == [
        ("customers", customers, 4, "00104,2024-03-01,<email removed>,US"),
        ("survey_responses", responses, 2, '1099,00001,2024-03-01,9,"a ""quoted"" comment",x'),
        ("transactions", transactions, 3, "X40,00001,2024-03-01"),
        ("transactions", transactions, 6, "X41,00001,2024-03-01,5,EUR"),
        ("transactions", transactions, data_lines["transactions"] + 4, 'X42,00001,"2024-03-01,5'),
    ]
    connection = duckdb.connect(str(database), read_only=True)
    try:
        quarantined = connection.execute(
            "select source_table, row_key, customer_id, rejection_reason, rejected_column, raw_values, source_file,"
            " line_number from staging.stg_raw__quarantined_rows order by source_table, line_number").fetchall()
        counts = connection.execute(
            "select source_table, source_raw_rows, source_staged_rows, rejected_rows from marts.data_quality_by_source"
            " where rejection_reason = 'malformed_line' order by source_table").fetchall()
    finally:
        connection.close()
    assert quarantined == [
        ("customers", None, None, "malformed_line", "csv_line",
         '{"csv_line": "00104,2024-03-01,<email removed>,US"}', customers, 4),
        ("survey_responses", None, None, "malformed_line", "csv_line",
         '{"csv_line": "1099,00001,2024-03-01,9,\\"a \\"\\"quoted\\"\\" comment\\",x"}', responses, 2),
        ("transactions", None, None, "malformed_line", "csv_line", '{"csv_line": "X40,00001,2024-03-01"}',
         transactions, 3),
        ("transactions", None, None, "malformed_line", "csv_line", '{"csv_line": "X41,00001,2024-03-01,5,EUR"}',
         transactions, 6),
        ("transactions", None, None, "malformed_line", "csv_line", '{"csv_line": "X42,00001,\\"2024-03-01,5"}',
         transactions, data_lines["transactions"] + 4),
    ]
    # raw rows are the data lines read plus the malformed ones; none of those is staged
    malformed = {"customers": 1, "subscriptions": 0, "survey_responses": 1, "transactions": 3}
    # (no events file: the optional table's row counts nothing)
    assert counts == [(table, data_lines.get(table, 0) + malformed.get(table, 0), data_lines.get(table, 0),
                       malformed.get(table, 0)) for table in sorted(set(data_lines) | {"events"})]
    assert "PASS assert_staging_keeps_every_raw_row" in output
    assert "WARN 5 rows_rejected_base_raw__malformed_lines" in output
    # the marts equal those of the files without the bad lines
    assert mart_differences(database, clean_build[0]) == {}


def test_leading_zeros_are_kept_as_text(corpus_builds):
    connection = duckdb.connect(str(corpus_builds["bad"][0]), read_only=True)
    try:
        kept = connection.execute(
            "select customer_id from marts.customers where customer_id like '%42' order by customer_id").fetchall()
        subscriptions = connection.execute(
            "select subscription_id, customer_id from staging.stg_raw__subscriptions"
            " where customer_id like '%42' order by 1").fetchall()
    finally:
        connection.close()
    assert kept == [("0042",), ("042",), ("42",)]
    assert subscriptions == [("S0042", "0042"), ("S042", "042"), ("S42", "42")]


def test_quarantine_keeps_the_original_values(corpus_builds):
    connection = duckdb.connect(str(corpus_builds["bad"][0]), read_only=True)
    try:
        rows = dict(connection.execute(
            "select row_key, raw_values from staging.stg_raw__quarantined_rows"
            " where row_key in ('X30', '00103')").fetchall())
    finally:
        connection.close()
    assert rows["X30"] == ('{"transaction_id": "X30", "customer_id": "00001", "occurred_at": "2024-03-01",'
                           ' "amount": "12,50 \\"EUR\\"\\tnet"}')
    digest = hashlib.sha256((SALT + "secret@example.com").encode()).hexdigest()
    assert rows["00103"] == ('{"customer_id": "00103", "created_at": "2024-02-30", "email_hash": "'
                             + digest + '", "country": "DE", "acquisition_channel": null}')


def test_email_is_kept_only_as_a_salted_hash_in_staging(tmp_path, clean_build):
    database = clean_build[0]
    connection = duckdb.connect(str(database), read_only=True)
    try:
        hashes = dict(connection.execute("select customer_id, email_hash from staging.stg_raw__customers").fetchall())
    finally:
        connection.close()
    for row in edge_tables()["customers"]:
        expected = hashlib.sha256((SALT + row["email"].strip().lower()).encode()).hexdigest()
        assert hashes[row["customer_id"]] == expected
    # without a salt nothing is kept: an unsalted hash of an address can be reversed
    write_csv_tables(tmp_path / "raw", edge_tables())
    result = run_dbt(tmp_path, files_variables(tmp_path / "raw"), command="run",
                     extra_arguments=("--select", "+stg_raw__customers"),
                     extra_env={"CUSTOMER_RETENTION_EMAIL_SALT": ""})
    assert result.returncode == 0, result.stdout[-3000:]
    connection = duckdb.connect(str(tmp_path / "retention.duckdb"), read_only=True)
    try:
        assert connection.execute("select count(email_hash) from staging.stg_raw__customers").fetchall() == [(0,)]
    finally:
        connection.close()


def test_every_raw_source_mode_quarantines_alike(tmp_path):
    """The same bad rows from Parquet files and from tables in the raw schema (CSV: the corpus)."""
    tables = edge_tables()
    bad_amounts(tables)
    bad_scores(tables)
    orphans(tables)
    expected = sorted([
        ("customers", "00102", "unparseable_timestamp", "created_at"),
        ("subscriptions", "X21", "orphan_customer", "customer_id"),
        ("survey_responses", "X16", "score_out_of_range", "score"),
        ("survey_responses", "X17", "score_out_of_range", "score"),
        ("survey_responses", "X18", "score_not_whole", "score"),
        ("survey_responses", "X19", "not_a_number", "score"),
        ("survey_responses", "X20", "missing_value", "score"),
        ("survey_responses", "X23", "orphan_customer", "customer_id"),
        ("transactions", "X13", "not_a_number", "amount"),
        ("transactions", "X14", "not_a_number", "amount"),
        ("transactions", "X15", "not_a_number", "amount"),
        ("transactions", "X22", "orphan_customer", "customer_id"),
        ("transactions", "X24", "customer_rejected", "customer_id"),
    ], key=repr)
    parquet = tmp_path / "parquet"
    for name, rows in tables.items():
        write_parquet_table(parquet / "raw", name, rows, {})
    build_files(parquet)
    assert quarantine(parquet / "retention.duckdb") == expected
    # tables in the raw schema of the same database
    tabled = tmp_path / "tables"
    tabled.mkdir()
    connection = duckdb.connect(str(tabled / "retention.duckdb"))
    try:
        connection.execute("create schema raw")
        for name in tables:
            connection.execute(f"create table raw.{name} as select * from '{parquet / 'raw' / (name + '.parquet')}'")
    finally:
        connection.close()
    result = run_dbt(tabled, {"raw_source": "tables", "as_of_date": AS_OF, "max_rejected_share": 0.5},
                     extra_arguments=("--exclude-resource-type", "unit_test"))
    assert result.returncode == 0, result.stdout[-4000:]
    assert quarantine(tabled / "retention.duckdb") == expected
    assert mart_differences(parquet / "retention.duckdb", tabled / "retention.duckdb", skip=frozenset()) == {}


RAW_TYPES = {
    "customers": {"created_at": "date"},
    "subscriptions": {"started_at": "timestamptz", "ended_at": "timestamp_ms", "mrr": "decimal(12,2)"},
    "transactions": {"occurred_at": "timestamp", "amount": "double"},
    "survey_responses": {"responded_at": "timestamp_s", "score": "integer"},
}


def typed_edge_values(tables):
    """Values a typed column can hold that its text reading judges: a year before 1000 and an
    infinite timestamp (unparseable), NaN (not a number), an amount too large for the marts and a
    non-zero amount that rounds to 0 at 6 decimals (both out of range), a score out of range; and a missing (null) value in each
    typed column that must have one, which is_missing reads as null rather than as text."""
    add(tables, "transactions", transaction_id="T1", customer_id="00001", occurred_at="0999-06-01 00:00:00", amount="5")
    add(tables, "transactions", transaction_id="T2", customer_id="00001", occurred_at="infinity", amount="5")
    add(tables, "transactions", transaction_id="T3", customer_id="00001", occurred_at="2024-03-01", amount="nan")
    add(tables, "transactions", transaction_id="T4", customer_id="00001", occurred_at="2024-03-01", amount="1e25")
    add(tables, "transactions", transaction_id="T5", customer_id="00001", occurred_at="2024-03-01 10:00:00",
        amount="1e-7")
    add(tables, "survey_responses", response_id="T6", customer_id="00001", responded_at="2024-03-01", score="11")
    add(tables, "transactions", transaction_id="T7", customer_id="00001", occurred_at="", amount="5")
    add(tables, "transactions", transaction_id="T8", customer_id="00001", occurred_at="2024-03-02", amount="")
    add(tables, "subscriptions", subscription_id="T9", customer_id="00001", plan="basic", started_at="2024-03-01",
        mrr="")
    add(tables, "subscriptions", subscription_id="T10", customer_id="00001", plan="basic", started_at="",
        mrr="19.00")
    add(tables, "survey_responses", response_id="T11", customer_id="00001", responded_at="2024-03-01", score="")
    add(tables, "survey_responses", response_id="T12", customer_id="00001", responded_at="", score="5")


def test_typed_columns_are_judged_as_their_text(tmp_path):
    """Typed Parquet columns (a date, timestamps with and without a time zone, at second and
    millisecond precision, a decimal, a double, an integer) skip text parsing on DuckDB
    (raw_column_types). The same data written as CSV by DuckDB, i.e. the typed values as text,
    must stage, quarantine and report identically."""
    tables = edge_tables()
    typed_edge_values(tables)
    for row in tables["customers"]:  # a date column
        row["created_at"] = row["created_at"][:10]
    typed = tmp_path / "typed"
    for name, rows in tables.items():
        write_parquet_table(typed / "raw", name, rows, RAW_TYPES[name])
    text = tmp_path / "text"
    (text / "raw").mkdir(parents=True)
    connection = duckdb.connect()
    try:
        connection.execute("set TimeZone = 'UTC'")
        for name in tables:
            kinds = connection.execute(f"describe select * from '{typed / 'raw' / name}.parquet'").fetchall()
            # Parquet keeps the types (second and millisecond timestamps read back as timestamp)
            read_back = {"timestamptz": "timestamp with time zone", "timestamp_ms": "timestamp",
                         "timestamp_s": "timestamp"}
            assert {column: kind.lower() for column, kind, *_ in kinds if column in RAW_TYPES[name]} == {
                column: read_back.get(kind, kind) for column, kind in RAW_TYPES[name].items()}
            connection.execute(f"copy (select * from '{typed / 'raw' / name}.parquet')"
                               f" to '{text / 'raw' / name}.csv' (header)")
    finally:
        connection.close()
    for work in (typed, text):
        build_files(work)
    expected = sorted([
        ("subscriptions", "T10", "missing_value", "started_at"),
        ("subscriptions", "T9", "missing_value", "mrr"),
        ("survey_responses", "T11", "missing_value", "score"),
        ("survey_responses", "T12", "missing_value", "responded_at"),
        ("survey_responses", "T6", "score_out_of_range", "score"),
        ("transactions", "T1", "unparseable_timestamp", "occurred_at"),
        ("transactions", "T2", "unparseable_timestamp", "occurred_at"),
        ("transactions", "T3", "not_a_number", "amount"),
        ("transactions", "T4", "amount_out_of_range", "amount"),
        ("transactions", "T5", "amount_out_of_range", "amount"),
        ("transactions", "T7", "missing_value", "occurred_at"),
        ("transactions", "T8", "missing_value", "amount"),
    ], key=repr)
    assert quarantine(typed / "retention.duckdb") == expected
    assert quarantine(text / "retention.duckdb") == expected
    # every column but the raw values' text and hash, which differ with their types
    assert staged_row_differences(typed / "retention.duckdb", text / "retention.duckdb",
                                  [f"base_raw__{table}" for table in demo_data.COLUMNS],
                                  ignore={"raw_values", "row_hash"}) == {}
    assert mart_differences(typed / "retention.duckdb", text / "retention.duckdb", skip=frozenset()) == {}


def test_mostly_broken_export_stops_the_marts(tmp_path):
    """A row with a bad amount and a malformed line, 2 of 15 transactions (13%), are above a limit
    of 10%, which either alone is not (1 of 14, 7%): malformed lines count towards the share like
    rejected rows, and the marts stop."""
    tables = edge_tables()
    add(tables, "transactions", transaction_id="B1", customer_id="00001", occurred_at="2024-03-01", amount="?")
    write_csv_tables(tmp_path / "raw", tables)
    insert_lines(tmp_path / "raw" / "transactions.csv", {3: "B2,00001,2024-03-01,5,5"})
    result = run_dbt(tmp_path, files_variables(tmp_path / "raw", max_rejected_share=0.1),
                     extra_arguments=("--exclude-resource-type", "unit_test"))
    output = result.stdout
    assert result.returncode != 0
    assert "FAIL 1 rejected_share_within_limit_stg_raw__transactions" in output
    assert "SKIP relation marts.retention_by_period" in output
    # the quarantine and the data quality mart are still built, to show why
    assert sources_over_limit(tmp_path / "retention.duckdb") == [("transactions", 2, 15)]
    # with a higher limit the same export builds
    result = run_dbt(tmp_path, files_variables(tmp_path / "raw", max_rejected_share=0.2),
                     extra_arguments=("--exclude-resource-type", "unit_test"))
    assert result.returncode == 0, result.stdout[-4000:]


def test_a_second_build_over_the_same_file_changes_nothing(tmp_path, clean_build):
    """A build of the same input into a new file gives the same marts as the first (clean_build);
    then the daily path: build the same input again over the same DuckDB file, so the incremental
    models merge into their existing tables. Every mart, and the quarantine, stay as they were."""
    database, _ = build_tables(tmp_path, edge_tables())
    assert mart_differences(database, clean_build[0], skip=frozenset()) == {}
    first_build = tmp_path / "first.duckdb"
    shutil.copyfile(database, first_build)
    rebuilt, _ = build_files(tmp_path)
    assert rebuilt == database
    assert mart_differences(rebuilt, first_build, skip=frozenset()) == {}
    assert quarantine(rebuilt) == quarantine(first_build)


EMAIL_NAME = re.compile(r"e[-_ ]?mail", re.IGNORECASE)
EMAIL_VALUE = r"[^@\s]+@[^@\s]+[.][^@\s]+"


def email_findings(connection, catalog: str, schema: str) -> list[tuple[str, str, str]]:
    """(table, column, why) for every column of the schema whose name looks like an email column,
    or whose text values include one that looks like an email address."""
    findings = []
    columns = connection.execute(
        "select table_name, column_name, data_type from information_schema.columns"
        " where table_catalog = ? and table_schema = ? order by table_name, ordinal_position",
        [catalog, schema]).fetchall()
    for table, column, data_type in columns:
        if EMAIL_NAME.search(column):
            findings.append((table, column, "name"))
        if data_type.upper() in ("VARCHAR", "TEXT", "STRING") or data_type.upper().startswith("VARCHAR"):
            hits = connection.execute(
                f'select count(*) from {catalog}.{schema}.{table} where regexp_matches("{column}", ?)',
                [EMAIL_VALUE]).fetchall()[0][0]
            if hits:
                findings.append((table, column, "values"))
    return findings


def test_no_mart_holds_an_email_address(clean_build):
    """The raw customers all have an email address; none of it, nor a column for it, reaches a mart."""
    connection = duckdb.connect()
    try:
        connection.execute(f"attach '{clean_build[0]}' as built (read_only)")
        assert len(mart_names(connection, "built")) >= 10
        assert email_findings(connection, "built", "marts") == []
        # the check itself finds both kinds of leak
        connection.execute("create schema memory.leaky")
        connection.execute("create table memory.leaky.customers as select 'x' as contact_email, 'ok' as note")
        connection.execute("create table memory.leaky.answers as select 'mail me: a.b@example.co.uk' as comment")
        assert email_findings(connection, "memory", "leaky") == [
            ("answers", "comment", "values"), ("customers", "contact_email", "name")]
    finally:
        connection.close()
