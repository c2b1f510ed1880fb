"""Subscription lifetime value: the shifted-beta-geometric (sBG) retention model of the dbt Python
model models/intermediate/lifetime_value/int_cltv_retention_projections_fitted.py, checked against
Fader and Hardie's published fits, against the parameters of simulated cohorts, and end to end in
a dbt build whose observations, fits and projections are recomputed here from the simulation.

The model file is a plain Python module with a `model(dbt, session)` entry point; the tests import
it directly, so the code under test is the code dbt runs.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from scipy import special

from conftest import load_python_model, build, read_mart, write_csv_tables


sbg = load_python_model("int_cltv_retention_projections_fitted")
valuing = load_python_model("int_customer_subscriber_values_predicted")

# Fader and Hardie (2007), table 1: of 1,000 customers, those alive after renewals 1-7.
REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241]
HIGH_END = [1000, 869, 743, 653, 593, 551, 517, 491]


def paper_observations(alive: list[int]):
    """(survived, censored, weights) of one cohort observed for len(alive) - 1 renewals."""
    alive = np.array(alive, dtype=float)
    last = len(alive) - 1
    survived = np.arange(last + 1)
    censored = survived == last
    weights = np.r_[alive[:-1] - alive[1:], alive[-1]]
    return survived, censored, weights


# --- against the published fits ------------------------------------------------------------------

@pytest.mark.parametrize("alive, alpha, beta", [(REGULAR, 0.704, 1.182), (HIGH_END, 0.668, 3.806)])
def test_sbg_fit_matches_the_published_estimates(alive, alpha, beta):
    fitted_alpha, fitted_beta, _, converged, reason = sbg.fit_sbg(*paper_observations(alive))
    assert converged, reason
    assert fitted_alpha == pytest.approx(alpha, rel=0.01)
    assert fitted_beta == pytest.approx(beta, rel=0.01)


def test_sbg_likelihood_by_hand():
    """alpha = beta = 1 (theta uniform): P(T = t) = 1 / (t (t + 1)) and S(t) = 1 / (t + 1). Two
    lost at the first renewal (1/2 each), one at the third (1/12), one alive after 3 (1/4)."""
    value = sbg.sbg_log_likelihood((1.0, 1.0), [0, 2, 3], [False, False, True], [2, 1, 1])
    assert value == pytest.approx(2 * np.log(1 / 2) + np.log(1 / 12) + np.log(1 / 4), rel=1e-12)
    assert sbg.survival(1.0, 1.0, [0, 1, 4]) == pytest.approx([1, 1 / 2, 1 / 5], rel=1e-12)


@pytest.mark.parametrize("params", [(0.7, 1.2), (5.0, 40.0), (0.05, 0.3)])
def test_sbg_gradient_matches_finite_differences(params):
    survived, censored, weights = paper_observations(HIGH_END)
    _, gradient = sbg.sbg_log_likelihood(params, survived, censored, weights, gradient=True)
    step = 1e-6
    expected = []
    for i in range(2):
        up, down = list(params), list(params)
        up[i] += step * params[i]
        down[i] -= step * params[i]
        expected.append((sbg.sbg_log_likelihood(up, survived, censored, weights)
                         - sbg.sbg_log_likelihood(down, survived, censored, weights)) / (2 * step * params[i]))
    assert gradient == pytest.approx(expected, rel=1e-5)


# --- valuation --------------------------------------------------------------------------------

def derl_by_summation(alpha, beta, tenure, discount_rate, terms=200_000):
    """DERL(d, n) as its defining sum: S(n + k) / S(n) / (1 + d)^(k - 1) over k >= 1, with
    S(n + k) / S(n) the product of the renewal rates r(n + 1) ... r(n + k)."""
    k = np.arange(1, terms + 1)
    surviving = np.exp(np.cumsum(np.log((beta + tenure + k - 1) / (alpha + beta + tenure + k - 1))))
    return float(np.sum(surviving * np.exp(-(k - 1) * np.log1p(discount_rate))))


def test_valuation_matches_the_published_vector():
    """Fader and Hardie (2010): alpha 0.668, beta 3.806, d 0.10 give DERL(0) = 5.4149, DERL(7) =
    7.5299 and DEL = 5.9226."""
    derl = valuing.discounted_expected_residual_lifetime(0.668, 3.806, [0, 7], 0.10)
    assert derl == pytest.approx([5.4149, 7.5299], abs=5e-5)
    assert sbg.discounted_expected_lifetime(0.668, 3.806, 0.10) == pytest.approx(5.9226, abs=5e-5)


@pytest.mark.parametrize("grain", ["day", "week", "month", "quarter", "year"])
@pytest.mark.parametrize("alpha, beta", [(0.668, 3.806), (2.5, 26.0), (0.3, 40.0)])
def test_valuation_equals_its_defining_sums(grain, alpha, beta):
    """The hypergeometric closed forms equal the sums they stand for, at every grain's discount
    rate (10% a year), to 1e-9: DERL(d, n) for n = 0, 5, 300, DEL = 1 + DERL(d, 0) / (1 + d), and,
    for alpha > 1, the undiscounted remaining periods (beta + n) / (alpha - 1)."""
    rate = sbg.discount_rate_per_period(0.10, grain)
    assert (1 + rate) ** sbg.PERIODS_PER_YEAR[grain] == pytest.approx(1.10, rel=1e-12)
    terms = 200_000 if grain != "day" else 2_000_000
    tenures = [0, 5, 300]
    derl = valuing.discounted_expected_residual_lifetime(alpha, beta, tenures, rate)
    for value, tenure in zip(derl, tenures):
        assert value == pytest.approx(derl_by_summation(alpha, beta, tenure, rate, terms), rel=1e-9)
    assert sbg.discounted_expected_lifetime(alpha, beta, rate) == pytest.approx(1 + derl[0] / (1 + rate), rel=1e-12)
    remaining = valuing.expected_remaining_periods(alpha, beta, np.array(tenures, dtype=float))
    if alpha > 1:
        for value, tenure in zip(remaining, tenures):
            assert value == pytest.approx(derl_by_summation(alpha, beta, tenure, 0.0, 2_000_000), rel=1e-4)
    else:
        assert np.all(np.isnan(remaining))


def test_subscriber_values_by_hand():
    """Residual value = MRR x months per period x margin x DERL, with the fit of segment all at
    the subscriber's grain on all the data (not the backtest's calibration fit); a grain whose fit did not converge values nobody; a negative margin
    gives a negative value."""
    fits = pd.DataFrame([
        {"period_grain": "month", "segment_type": "all", "segment_value": "all", "fit_window": "full",
         "alpha": 0.668, "beta": 3.806, "converged": True, "discount_rate_per_period": 0.10, "months_per_period": 1.0},
        {"period_grain": "month", "segment_type": "all", "segment_value": "all", "fit_window": "calibration",
         "alpha": 2.0, "beta": 2.0, "converged": True, "discount_rate_per_period": 0.10, "months_per_period": 1.0},
        {"period_grain": "month", "segment_type": "plan", "segment_value": "pro", "fit_window": "full",
         "alpha": 9.0, "beta": 9.0, "converged": True, "discount_rate_per_period": 0.10, "months_per_period": 1.0},
        {"period_grain": "quarter", "segment_type": "all", "segment_value": "all", "fit_window": "full",
         "alpha": None, "beta": None, "converged": False, "discount_rate_per_period": 0.3, "months_per_period": 3.0},
    ])
    tenures = pd.DataFrame([
        {"customer_id": "a", "period_grain": "month", "tenure_periods": 0, "current_mrr": 20.0},
        {"customer_id": "b", "period_grain": "month", "tenure_periods": 7, "current_mrr": 10.0},
        {"customer_id": "a", "period_grain": "quarter", "tenure_periods": 0, "current_mrr": 20.0},
    ])
    values = valuing.value_rows(tenures, fits, gross_margin=0.5).set_index("customer_id")
    assert list(values.index) == ["a", "b"] and set(values["period_grain"]) == {"month"}
    assert values.loc["a", "residual_value"] == pytest.approx(20 * 0.5 * 5.4149, abs=1e-3)
    assert values.loc["b", "residual_value"] == pytest.approx(10 * 0.5 * 7.5299, abs=1e-3)
    assert values["expected_remaining_periods"].isna().all()  # alpha 0.668 <= 1
    negative = valuing.value_rows(tenures, fits, gross_margin=-0.2)
    assert (negative["residual_value"] < 0).all()


# --- parameter recovery --------------------------------------------------------------------------

def simulate_lifetimes(customers: int, alpha: float, beta: float, last_ages, seed: int):
    """Customers from the sBG story: theta ~ Beta(alpha, beta), lost at renewal T ~ Geometric(theta)
    (T = 1, 2, ...), each observed up to its cohort's last age (drawn from last_ages). Returns the
    renewals survived, whether censored, and the customers' T."""
    rng = np.random.default_rng(seed)
    theta = rng.beta(alpha, beta, customers)
    lifetimes = rng.geometric(theta)
    last = rng.choice(np.asarray(last_ages), customers)
    survived = np.minimum(lifetimes - 1, last)
    return survived, survived == last, lifetimes


def standard_errors(params, survived, censored, weights, step=1e-4):
    """Standard errors of (ln alpha, ln beta) at the optimum: the inverse of the observed
    information (the numerical Hessian of -log L in log-parameters)."""
    point = np.log(params)

    def negative(log_params):
        return -sbg.sbg_log_likelihood(np.exp(log_params), survived, censored, weights)

    hessian = np.zeros((2, 2))
    for i in range(2):
        for j in range(2):
            shifts = []
            for di, dj in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
                moved = point.copy()
                moved[i] += di * step
                moved[j] += dj * step
                shifts.append(negative(moved))
            hessian[i, j] = (shifts[0] - shifts[1] - shifts[2] + shifts[3]) / (4 * step * step)
    return np.sqrt(np.diag(np.linalg.inv(hessian)))


@pytest.mark.parametrize("alpha, beta", [(0.704, 1.182), (0.668, 3.806), (3.0, 12.0)])
def test_sbg_recovers_its_parameters(alpha, beta):
    """20,000 simulated customers in cohorts observed for 1 to 24 renewals (right-censored at
    different ages, as the build's cohorts are). Tolerance: 4 standard errors of each
    log-parameter (from the observed information at the optimum), so the test fails only if the
    fit is biased or far off, not by sampling noise (about 1 in 16,000 per parameter); each is
    also within 15% of the truth, which those standard errors (2% to 5% here) make a weaker,
    readable bound."""
    survived, censored, _ = simulate_lifetimes(20_000, alpha, beta, range(1, 25), seed=7)
    frame = pd.DataFrame({"survived": survived, "censored": censored}).value_counts().reset_index()
    data = (frame["survived"].to_numpy(), frame["censored"].to_numpy(), frame["count"].to_numpy())
    fitted_alpha, fitted_beta, _, converged, reason = sbg.fit_sbg(*data)
    assert converged, reason
    errors = standard_errors((fitted_alpha, fitted_beta), *data)
    z = (np.log([fitted_alpha, fitted_beta]) - np.log([alpha, beta])) / errors
    assert np.all(np.abs(z) < 4), (fitted_alpha, fitted_beta, z)
    assert [fitted_alpha, fitted_beta] == pytest.approx([alpha, beta], rel=0.15)


# --- fits that cannot be trusted -----------------------------------------------------------------

def observations(rows):
    return pd.DataFrame(rows, columns=["cohort_start", "last_observed_age", "renewals_survived",
                                       "is_censored", "customers"])


def test_untrustworthy_fits_say_why_and_give_no_values():
    few = observations([("2024-01-01", 3, 0, False, 5), ("2024-01-01", 3, 3, True, 10)])
    young = observations([("2024-06-01", 0, 0, True, 500)])
    no_loss = observations([("2024-01-01", 3, 3, True, 300), ("2024-02-01", 2, 2, True, 200)])
    # the same churn for every customer: exactly geometric, theta = 0.2, no spread to fit (the
    # expected counts, unrounded, so that the optimum is at infinity and not near it by chance)
    counts = 10_000 * 0.8 ** np.arange(13)
    same = observations([("2023-01-01", 12, t, t == 12, counts[t] - (counts[t + 1] if t < 12 else 0))
                         for t in range(13)])
    for rows, reason in ((few, "too few customers to fit: 15 < clv_min_customers (20)"),
                         (young, "no renewal observed yet"), (no_loss, "no customer lost yet"),
                         (same, "alpha and beta run off to infinity together")):
        fitted = sbg.fit_group(rows, min_customers=20)
        assert not fitted["converged"] and fitted["alpha"] is None and fitted["beta"] is None
        assert reason in fitted["reason"], fitted["reason"]
        assert fitted["customers_fitted"] == round(rows["customers"].sum())
    assert "theta = 0.2 " in sbg.fit_group(same, min_customers=20)["reason"]


# --- in the dbt build ----------------------------------------------------------------------------

AS_OF = date(2025, 6, 15)
FIRST_COHORT = date(2023, 1, 1)
PLANS = {"basic": (0.704, 1.182, "19.00"), "pro": (0.668, 3.806, "49.00")}


def month_start(months_after_first: int) -> date:
    year, month = divmod(FIRST_COHORT.month - 1 + months_after_first, 12)
    return date(FIRST_COHORT.year + year, month + 1, 1)


def subscriber_tables(customers: int, seed: int):
    """A subscription business on monthly cohorts from January 2023 to June 2025 (AS_OF): each
    customer's plan sets their sBG truth; a customer lost at renewal T ends during period T - 1 of
    their cohort (never on a period's start instant), and one in twenty of them comes back two
    months later on a new subscription (a reactivation the model must ignore). Returns the raw
    tables and the truth per customer: (plan, cohort index, T)."""
    rng = np.random.default_rng(seed)
    cohorts = (AS_OF.year - FIRST_COHORT.year) * 12 + AS_OF.month - FIRST_COHORT.month + 1
    tables = {"customers": [], "subscriptions": [], "transactions": [], "survey_responses": []}
    truth = []
    for i in range(customers):
        customer = f"S{i:05d}"
        plan = "basic" if i % 2 else "pro"
        alpha, beta, mrr = PLANS[plan]
        cohort = int(rng.integers(cohorts))
        start = month_start(cohort) + timedelta(days=int(rng.integers(0, 20)))
        if start > AS_OF:
            start = month_start(cohort)
        lifetime = int(rng.geometric(rng.beta(alpha, beta)))
        end = None
        if cohort + lifetime < cohorts:  # lost at a renewal that has happened by AS_OF
            lapse_month = month_start(cohort + lifetime - 1)
            earliest = max(start + timedelta(days=1), lapse_month + timedelta(days=1))
            end = earliest + timedelta(days=int(rng.integers(0, 27 - earliest.day + 1)))
        tables["customers"].append({"customer_id": customer, "created_at": start.isoformat(), "email": "",
                                    "country": "FR" if i % 3 else "US", "acquisition_channel": "organic"})
        tables["subscriptions"].append({"subscription_id": f"{customer}-1", "customer_id": customer,
                                        "plan": plan, "started_at": start.isoformat(),
                                        "ended_at": end.isoformat() if end else "", "mrr": mrr})
        if end is not None and i % 20 == 0 and end + timedelta(days=62) <= AS_OF:
            tables["subscriptions"].append({"subscription_id": f"{customer}-2", "customer_id": customer,
                                            "plan": "pro", "started_at": (end + timedelta(days=62)).isoformat(),
                                            "ended_at": "", "mrr": "49.00"})
        truth.append((plan, cohort, lifetime))
    return tables, truth, cohorts


@pytest.fixture(scope="module")
def subscriber_build(tmp_path_factory):
    work = tmp_path_factory.mktemp("subscribers")
    tables, truth, cohorts = subscriber_tables(12_000, seed=17)
    write_csv_tables(work / "raw", tables)
    database = build(work, {"raw_source": "files", "raw_path": str(work / "raw"),
                            "as_of_date": AS_OF.isoformat(), "period_grains": ["month"]})
    return database, truth, cohorts


def expected_observations(truth, cohorts) -> dict[tuple, int]:
    """Independently of the build: per (plan, cohort start, last observed age, renewals survived),
    the customers, from each customer's simulated cohort and T."""
    counts: dict[tuple, int] = {}
    for plan, cohort, lifetime in truth:
        last = cohorts - 1 - cohort
        key = (plan, month_start(cohort), last, min(lifetime - 1, last))
        counts[key] = counts.get(key, 0) + 1
    return counts


def test_observations_follow_each_customer_first_spell(subscriber_build):
    """The build's observations equal the simulation's: each customer's cohort and renewals
    survived, censored at their cohort's last age, reactivations ignored."""
    database, truth, cohorts = subscriber_build
    rows = read_mart(database, "int_cltv_subscriber_lifetimes_counted", schema="intermediate")
    built = {(r["segment_value"], r["cohort_start"], r["last_observed_age"], r["renewals_survived"]): r["customers"]
             for r in rows if r["segment_type"] == "plan"}
    assert built == expected_observations(truth, cohorts)
    assert all(r["is_censored"] == (r["renewals_survived"] == r["last_observed_age"]) for r in rows)


def test_plan_fits_match_an_independent_fit_and_the_truth(subscriber_build):
    """Each plan's fit in the mart equals the fit of the simulation's own observations (the same
    likelihood on an independent data path), and lands within 25% of the plan's truth (6,000
    customers per plan over 30 cohorts: standard errors of 5% to 10%)."""
    database, truth, cohorts = subscriber_build
    parameters = {(r["segment_type"], r["segment_value"]): r
                  for r in read_mart(database, "retention_projection_parameters")}
    assert {key for key in parameters if key[0] == "plan"} == {("plan", "basic"), ("plan", "pro")}
    assert all(r["converged"] and r["reason"] == "" for r in parameters.values()), parameters
    expected = expected_observations(truth, cohorts)
    for plan, (alpha, beta, _) in PLANS.items():
        keys = [key for key in expected if key[0] == plan]
        survived = np.array([key[3] for key in keys])
        censored = np.array([key[3] == key[2] for key in keys])
        weights = np.array([expected[key] for key in keys])
        own_alpha, own_beta, own_value, converged, _ = sbg.fit_sbg(survived, censored, weights)
        row = parameters[("plan", plan)]
        assert converged
        assert row["alpha"] == pytest.approx(own_alpha, rel=1e-6)
        assert row["beta"] == pytest.approx(own_beta, rel=1e-6)
        assert row["log_likelihood"] == pytest.approx(own_value, rel=1e-9)
        assert row["customers_fitted"] == weights.sum() == sum(1 for t in truth if t[0] == plan)
        assert row["cohorts_fitted"] == cohorts
        assert [row["alpha"], row["beta"]] == pytest.approx([alpha, beta], rel=0.25)


def test_projection_matches_the_survival_function(subscriber_build):
    """retention_projection's S(k) (a product of renewal rates in SQL) equals B(alpha, beta + k) /
    B(alpha, beta) to 1e-9, its renewal rates r(k), and its observed survival, renewal rates and
    product-limit curve the simulation's, over the cohorts that reached age k."""
    database, truth, cohorts = subscriber_build
    parameters = {(r["segment_type"], r["segment_value"]): r
                  for r in read_mart(database, "retention_projection_parameters")}
    projection = sorted(read_mart(database, "retention_projection"), key=lambda r: r["age"])
    assert {r["age"] for r in projection} == set(range(37))
    curve: dict[str, float] = {}
    for row in projection:
        fit = parameters[(row["segment_type"], row["segment_value"])]
        alpha, beta, age = fit["alpha"], fit["beta"], row["age"]
        expected = 100 * np.exp(special.betaln(alpha, beta + age) - special.betaln(alpha, beta))
        assert row["projected_survival_pct"] == pytest.approx(expected, rel=1e-9)
        if age == 0:
            assert row["projected_renewal_rate_pct"] is None
        else:
            assert row["projected_renewal_rate_pct"] == pytest.approx(
                100 * (beta + age - 1) / (alpha + beta + age - 1), rel=1e-12)
        if row["segment_type"] == "plan" and row["age"] <= 30:
            plan = row["segment_value"]
            members = [(cohorts - 1 - c, t) for p, c, t in truth if p == plan and cohorts - 1 - c >= age]
            assert row["observed_customers"] == len(members)
            assert row["surviving_customers"] == sum(1 for _, lifetime in members if lifetime - 1 >= age)
            assert row["is_observed"] == (age <= cohorts - 1)
            if 1 <= age <= cohorts - 1:
                # product-limit: each age's renewal rate over the cohorts that reached it
                renewing = sum(1 for _, lifetime in members if lifetime - 1 >= age - 1)
                surviving = sum(1 for _, lifetime in members if lifetime - 1 >= age)
                assert row["observed_renewal_rate_pct"] == pytest.approx(100 * surviving / renewing, rel=1e-12)
                curve[plan] = curve.get(plan, 1.0) * surviving / renewing
                assert row["observed_product_limit_survival_pct"] == pytest.approx(100 * curve[plan], rel=1e-9)


def test_every_active_subscriber_is_valued(subscriber_build):
    """Every subscriber active at AS_OF has a value: those never lapsed at their cohort's age,
    those who came back at their comeback's age (the model knows only the current spell), each
    with the MRR they pay then, the fit of segment all, and DERL recomputed here as its defining
    sum (gross margin 1, a month per period)."""
    database, truth, cohorts = subscriber_build
    overall = {(r["segment_type"], r["segment_value"]): r
               for r in read_mart(database, "retention_projection_parameters")}[("all", "all")]
    values = {r["customer_id"]: r for r in read_mart(database, "subscriber_lifetime_value")}
    expected = {}
    for i, (plan, cohort, lifetime) in enumerate(truth):
        if cohort + lifetime >= cohorts:
            expected[f"S{i:05d}"] = (cohorts - 1 - cohort, float(PLANS[plan][2]))
    tables, _, _ = subscriber_tables(12_000, seed=17)
    for subscription in tables["subscriptions"]:
        if subscription["subscription_id"].endswith("-2"):
            started = date.fromisoformat(subscription["started_at"])
            months = (started.year - FIRST_COHORT.year) * 12 + started.month - FIRST_COHORT.month
            expected[subscription["customer_id"]] = (cohorts - 1 - months, 49.0)
    assert {c: (v["tenure_periods"], float(v["current_mrr"])) for c, v in values.items()} == expected
    rate = 1.10 ** (1 / 12) - 1
    for tenure in sorted({v["tenure_periods"] for v in values.values()})[:6]:
        derl = derl_by_summation(overall["alpha"], overall["beta"], tenure, rate)
        for row in (v for v in values.values() if v["tenure_periods"] == tenure):
            assert row["discounted_expected_remaining_payments"] == pytest.approx(derl, rel=1e-9)
            assert row["residual_value"] == pytest.approx(float(row["current_mrr"]) * derl, rel=1e-9)
            assert row["alpha"] == overall["alpha"] and row["period_grain"] == "month"


def test_backtest_compares_the_calibration_fit_with_what_happened(subscriber_build):
    """The backtest, recomputed from the simulation: the model fitted on each plan's cohorts as
    they stood 3 periods (cltv_holdout_periods) before the last, each cohort observed to its age
    a then; per holdout period h, the members alive at a, those alive at a + h, and n x S(a + h) /
    S(a) summed over the cohorts. On data drawn from the model itself, the projection must be
    close: within 5% of the survivors in every holdout period."""
    database, truth, cohorts = subscriber_build
    holdout = 3
    backtest = {(r["segment_value"], r["holdout_period"]): r
                for r in read_mart(database, "retention_projection_backtest") if r["segment_type"] == "plan"}
    parameters = {r["segment_value"]: r for r in read_mart(database, "retention_projection_parameters")
                  if r["segment_type"] == "plan"}
    assert set(backtest) == {(plan, h) for plan in PLANS for h in (1, 2, 3)}
    for plan in PLANS:
        members = [(cohorts - 1 - c - holdout, t - 1) for p, c, t in truth if p == plan and cohorts - 1 - c >= holdout]
        observed = pd.DataFrame({"cohort_start": [a for a, _ in members], "last_observed_age": [a for a, _ in members],
                                 "renewals_survived": [min(s, a) for a, s in members],
                                 "is_censored": [s >= a for a, s in members], "customers": 1})
        fitted = sbg.fit_group(observed, min_customers=20)
        assert fitted["converged"], fitted
        alpha, beta = fitted["alpha"], fitted["beta"]
        absolute, actual_total = 0.0, 0
        for h in (1, 2, 3):
            row = backtest[(plan, h)]
            at_risk = [(a, s) for a, s in members if s >= a]
            actual = sum(1 for a, s in at_risk if s >= a + h)
            projected = sum(sbg.survival(alpha, beta, a + h) / sbg.survival(alpha, beta, a) for a, _ in at_risk)
            assert (row["cohorts"], row["customers_at_risk"], row["actual_survivors"]) == (
                len({a for a, _ in members}), len(at_risk), actual)
            assert row["projected_survivors"] == pytest.approx(projected, rel=1e-6)
            assert row["error_pct"] == pytest.approx(100 * (row["projected_survivors"] - actual) / actual, rel=1e-12)
            assert abs(row["error_pct"]) < 5, row
            absolute += abs(row["projected_survivors"] - actual)
            actual_total += actual
        assert parameters[plan]["backtest_error_pct"] == pytest.approx(100 * absolute / actual_total, rel=1e-9)


def test_calibration_observations_are_the_past_as_it_stood():
    """before_holdout: cohorts younger than the holdout are left out; a member lost after the
    calibration age is alive (censored) at it; one lost before keeps their loss."""
    rows = observations([("2024-01-01", 5, 1, False, 2), ("2024-01-01", 5, 4, False, 3),
                         ("2024-01-01", 5, 5, True, 4), ("2024-04-01", 2, 2, True, 7)])
    past = sbg.before_holdout(rows, 3)
    assert past[["last_observed_age", "renewals_survived", "is_censored", "customers"]].values.tolist() == [
        [2, 1, False, 2], [2, 2, True, 3], [2, 2, True, 4]]
