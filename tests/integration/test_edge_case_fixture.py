"""Every edge case of the specification in one small raw data set, with the marts worked out by hand.

Months of 2024, as_of_date 2024-06-15 (June is incomplete and ends at 2024-06-16), UTC,
subscription mode. Customers:

    A  [01-10, 03-20) and [05-05, open)                 churns in March, reactivated in May
    B  [02-05, 02-25)                                   joins and leaves inside February
    C  [02-10, 04-15) and [03-01, 05-10), overlapping   one spell [02-10, 05-10)
    D  basic [01-15 09:30, 03-15 09:30), pro from 03-15 09:30 (written +02:00): an upgrade, no churn
    E  [03-01 00:00, 05-01 00:00), on month boundaries  active at the instant 03-01, February's end
    F  only a subscription starting 06-20, after as_of_date: never active
    G  [04-10, 06-30), no country; its end is after as_of_date, so it is still active in June

Instants (CS at period_start, CE at period_end):

    month  CS            CE                   new   react  retained  churned  joined+left
    Jan    -             A D                  A D   -      -         -        -
    Feb    A D           A D C E              C E   -      A D       -        B
    Mar    A D C E       D C E                -     -      D C E     A        -
    Apr    D C E         D C G                G     -      D C       E        -
    May    D C G         D G A                -     A      D G       C        -
    Jun    D G A         D G A                -     -      D G A     -        -
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from conftest import build, read_mart, write_csv_tables


def customer(customer_id, created_at, country="US"):
    return {"customer_id": customer_id, "created_at": created_at, "email": f"{customer_id}@example.com",
            "country": country, "acquisition_channel": "organic"}


def subscription(subscription_id, customer_id, started_at, ended_at=""):
    return {"subscription_id": subscription_id, "customer_id": customer_id, "plan": "basic",
            "started_at": started_at, "ended_at": ended_at, "mrr": "10"}


TABLES = {
    "customers": [
        customer("A", "2024-01-10"), customer("B", "2024-02-05"), customer("C", "2024-02-10"),
        customer("D", "2024-01-15"), customer("E", "2024-02-28"), customer("F", "2024-06-01"),
        customer("G", "2024-04-10", country=""),
    ],
    "subscriptions": [
        subscription("s1", "A", "2024-01-10T08:00:00Z", "2024-03-20T08:00:00Z"),
        subscription("s2", "A", "2024-05-05T08:00:00Z"),
        subscription("s3", "B", "2024-02-05", "2024-02-25"),
        subscription("s4", "C", "2024-02-10", "2024-04-15"),
        subscription("s5", "C", "2024-03-01T12:00:00Z", "2024-05-10"),
        subscription("s6", "D", "2024-01-15T09:30:00Z", "2024-03-15T09:30:00Z"),
        subscription("s7", "D", "2024-03-15T11:30:00+02:00"),
        subscription("s8", "E", "2024-03-01T00:00:00Z", "2024-05-01T00:00:00Z"),
        subscription("s9", "F", "2024-06-20"),
        subscription("s10", "G", "2024-04-10", "2024-06-30"),
    ],
    "transactions": [
        {"transaction_id": "t1", "customer_id": "A", "occurred_at": "2024-01-10T08:00:00Z", "amount": "10"},
        {"transaction_id": "t2", "customer_id": "D", "occurred_at": "2024-01-15T09:30:00Z", "amount": "20"},
        {"transaction_id": "t3", "customer_id": "A", "occurred_at": "2024-02-10T08:00:00Z", "amount": "10"},
        {"transaction_id": "t4", "customer_id": "A", "occurred_at": "2024-02-20T08:00:00Z", "amount": "-10"},
        {"transaction_id": "t5", "customer_id": "D", "occurred_at": "2024-06-15T23:59:59Z", "amount": "20"},
        {"transaction_id": "t6", "customer_id": "D", "occurred_at": "2024-06-16T00:00:00Z", "amount": "20"},
    ],
    "survey_responses": [
        {"response_id": "8", "customer_id": "A", "responded_at": "2024-02-01T10:00:00Z", "score": "0", "comment": ""},
        {"response_id": "9", "customer_id": "A", "responded_at": "2024-02-12T10:00:00Z", "score": "3", "comment": ""},
        {"response_id": "10", "customer_id": "A", "responded_at": "2024-02-12T10:00:00Z", "score": "10", "comment": ""},
        {"response_id": "11", "customer_id": "D", "responded_at": "2024-02-13", "score": "7", "comment": ""},
        {"response_id": "12", "customer_id": "G", "responded_at": "2024-06-16T00:00:00Z", "score": "0", "comment": ""},
    ],
}

#            CS CE new react retained churned joined+left retention%        churn%
RETENTION = {
    date(2024, 1, 1): (0, 2, 2, 0, 0, 0, 0, None, None),
    date(2024, 2, 1): (2, 4, 2, 0, 2, 0, 1, 100.0, 0.0),
    date(2024, 3, 1): (4, 3, 0, 0, 3, 1, 0, 75.0, 25.0),
    date(2024, 4, 1): (3, 3, 1, 0, 2, 1, 0, 200 / 3, 100 / 3),
    date(2024, 5, 1): (3, 3, 0, 1, 2, 1, 0, 200 / 3, 100 / 3),
    date(2024, 6, 1): (3, 3, 0, 0, 3, 0, 0, 100.0, 0.0),
}
COLUMNS = ("customers_at_start", "customers_at_end", "new_customers", "reactivated_customers",
           "retained_customers", "churned_customers", "joined_and_left_customers",
           "retention_rate_pct", "churn_rate_pct")


@pytest.fixture(scope="module")
def marts(tmp_path_factory):
    work = tmp_path_factory.mktemp("edge_cases")
    write_csv_tables(work / "raw", TABLES)
    database = build(work, {"raw_source": "files", "raw_path": str(work / "raw"), "as_of_date": "2024-06-15",
                            "period_grain": "month", "activity_mode": "subscription",
                            "cltv_churn_window_periods": 3})
    return {name: read_mart(database, name)
            for name in ("retention_by_period", "nps_by_period", "cltv_by_period", "customers")}


def rows_for(rows, segment_type="all", segment_value="all"):
    return {r["period_start"]: r for r in rows
            if r["segment_type"] == segment_type and r["segment_value"] == segment_value}


def test_retention_by_hand(marts):
    rows = rows_for(marts["retention_by_period"])
    assert sorted(rows) == sorted(RETENTION)
    for period_start, expected in RETENTION.items():
        actual = tuple(rows[period_start][c] for c in COLUMNS)
        assert actual[:7] == expected[:7], period_start
        for got, want in zip(actual[7:], expected[7:]):
            assert got == pytest.approx(want, abs=1e-9) if want is not None else got is None, period_start
    june = rows[date(2024, 6, 1)]
    assert (june["is_complete"], june["period_end"]) == (False, date(2024, 6, 16))
    assert all(rows[d]["is_complete"] for d in RETENTION if d != date(2024, 6, 1))


def test_missing_country_is_its_own_segment(marts):
    unknown = rows_for(marts["retention_by_period"], "country", "unknown")
    assert [unknown[d]["customers_at_end"] for d in sorted(unknown)] == [0, 0, 0, 1, 1, 1]
    assert unknown[date(2024, 4, 1)]["new_customers"] == 1
    assert unknown[date(2024, 1, 1)]["retention_rate_pct"] is None


def test_nps_counts_the_latest_answer_per_customer(marts):
    february = rows_for(marts["nps_by_period"])[date(2024, 2, 1)]
    # A's counted answer is id 10 (a 10, over id 9 at the same instant and id 8 earlier); D's is a 7
    assert (february["responses"], february["promoters"], february["passives"], february["detractors"]) == (2, 1, 1, 0)
    assert february["nps"] == pytest.approx(50.0)
    assert february["nps_standard_error"] == pytest.approx(35.35533905932738)  # sqrt(1 * 2 - 1) / (2 sqrt 2) * 100
    assert february["nps_margin_of_error_95"] == pytest.approx(1.96 * 35.35533905932738)
    june = rows_for(marts["nps_by_period"])[date(2024, 6, 1)]
    assert june["responses"] == 0 and june["nps"] is None  # G's answer is after as_of_date


def test_revenue_and_cltv_by_hand(marts):
    rows = rows_for(marts["cltv_by_period"])
    revenue = {d: rows[d]["revenue"] for d in sorted(rows)}
    assert revenue == {date(2024, 1, 1): Decimal("30"), date(2024, 2, 1): Decimal("0"), date(2024, 3, 1): 0,
                       date(2024, 4, 1): 0, date(2024, 5, 1): 0, date(2024, 6, 1): Decimal("20")}
    february = rows[date(2024, 2, 1)]
    assert february["paying_customers"] == 0 and february["arpa"] is None  # A's payment was refunded
    assert february["is_lifetime_unbounded"] is True and february["cltv"] is None  # no churn in Jan-Feb
    june = rows[date(2024, 6, 1)]
    # churn pooled over April-June: (1 + 1 + 0) / (3 + 3 + 3); ARPA 20 from D's payment at 23:59:59
    assert june["trailing_churn_rate_pct"] == pytest.approx(200 / 9)
    assert june["cltv"] == pytest.approx(20 / (2 / 9))
    assert june["expected_lifetime_periods"] == pytest.approx(4.5)


def test_customers_by_hand(marts):
    customers = {r["customer_id"]: r for r in marts["customers"]}
    assert sorted(customers) == ["A", "B", "C", "D", "E", "F", "G"]
    assert {c for c, r in customers.items() if r["is_active"]} == {"A", "D", "G"}
    assert customers["A"]["latest_nps_score"] == 10 and customers["A"]["latest_nps_category"] == "promoter"
    assert customers["A"]["lifetime_revenue"] == Decimal("10")
    assert customers["D"]["lifetime_revenue"] == Decimal("40")
    assert customers["E"]["last_active_at"] == datetime(2024, 5, 1)
    assert customers["E"]["cohort_period_start"] == date(2024, 3, 1)
    assert customers["F"]["first_active_at"] is None and customers["F"]["cohort_period_start"] is None
    assert customers["G"]["country"] == "unknown" and customers["G"]["latest_nps_score"] is None
