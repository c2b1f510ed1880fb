"""Predictive CLV: the BG/NBD and Gamma-Gamma likelihoods and predictions of the dbt Python models
(models/intermediate/lifetime_value/int_cltv_models_fitted.py and int_customer_lifetime_values_predicted.py),
and the BG/NBD backtest's (int_customer_holdout_purchases_predicted.py), checked against values
worked by hand, against an independent computation, against the parameters and the future
purchases of simulated customers, and end to end in a dbt build.

The model files are plain Python modules with a `model(dbt, session)` entry point; the tests
import them directly, so the code under test is the code dbt runs.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from conftest import load_python_model, build, read_mart, run_dbt, write_csv_tables


fitting = load_python_model("int_cltv_models_fitted")
predicting = load_python_model("int_customer_lifetime_values_predicted")
backtesting = load_python_model("int_customer_holdout_purchases_predicted")

BG_NBD_TRUTH = {"r": 0.25, "alpha": 4.0, "a": 0.8, "b": 2.5}
GAMMA_GAMMA_TRUTH = {"p": 6.0, "q": 4.0, "v": 15.0}


def simulate_bg_nbd(customers: int, seed: int, horizon=(30.0, 78.0)):
    """Customers from the BG/NBD story, in weeks: each observed for T; purchases at rate
    lambda ~ Gamma(r, alpha) while alive; after each repeat purchase, drop out with probability
    p ~ Beta(a, b). Returns frequency, recency, T and the repeat purchase times."""
    rng = np.random.default_rng(seed)
    r, alpha, a, b = BG_NBD_TRUTH.values()
    big_t = rng.uniform(*horizon, customers).round()
    rates = rng.gamma(r, 1 / alpha, customers)
    dropout = rng.beta(a, b, customers)
    frequency, recency, times = np.zeros(customers), np.zeros(customers), []
    for i in range(customers):
        moment, own = 0.0, []
        while True:
            moment += rng.exponential(1 / rates[i])
            if moment >= big_t[i]:
                break
            own.append(moment)
            if rng.random() < dropout[i]:
                break
        frequency[i], recency[i] = len(own), (own[-1] if own else 0.0)
        times.append(own)
    return frequency, recency, big_t, times


def simulate_spend(frequency, seed: int):
    """Gamma-Gamma: each customer's spend per purchase ~ Gamma(p, nu), nu ~ Gamma(q, v).
    Returns each customer's mean spend over their repeat purchases (nan without any)."""
    rng = np.random.default_rng(seed)
    p, q, v = GAMMA_GAMMA_TRUTH.values()
    scale = 1 / rng.gamma(q, 1 / v, len(frequency))
    count = np.maximum(frequency, 1)
    means = rng.gamma(p * count, scale / count)
    return np.where(frequency > 0, means, np.nan), scale


def standard_errors(log_likelihood, params, data, weights=None, step=1e-4):
    """Standard errors of the log-parameters at the optimum: the inverse of the observed
    information (the numerical Hessian of -log L in log-parameters)."""
    return np.sqrt(np.diag(np.linalg.inv(information(log_likelihood, params, data, weights, step))))


def information(log_likelihood, params, data, weights=None, step=1e-4):
    """The observed information in log-parameters: the numerical Hessian of -log L."""
    point = np.log(params)
    size = len(point)

    def negative(log_params):
        return -log_likelihood(np.exp(log_params), *data, weights)

    hessian = np.zeros((size, size))
    for i in range(size):
        for j in range(size):
            e_i, e_j = np.eye(size)[i] * step, np.eye(size)[j] * step
            hessian[i, j] = (negative(point + e_i + e_j) - negative(point + e_i - e_j)
                             - negative(point - e_i + e_j) + negative(point - e_i - e_j)) / (4 * step * step)
    return hessian


# --- by hand ------------------------------------------------------------------------------------

def test_bg_nbd_likelihood_by_hand():
    # x = 0: L = (alpha / (alpha + T))^r = (2 / 12)^0.5
    assert fitting.bg_nbd_log_likelihood((0.5, 2.0, 0.8, 2.5), [0], [0], [10]) == pytest.approx(0.5 * math.log(1 / 6))
    # r = alpha = a = b = 1, x = 1, t_x = 4, T = 10: A1 = 1, A2 = G(2)G(2) / (G(1)G(3)) = 1/2,
    # A3 = (1/11)^2, A4 = (1/1) (1/5)^2: L = (1/121 + 1/25) / 2 = 73 / 3025
    assert fitting.bg_nbd_log_likelihood((1, 1, 1, 1), [1], [4], [10]) == pytest.approx(math.log(73 / 3025))
    # the sum over customers, and a weight counts a customer that many times
    both = fitting.bg_nbd_log_likelihood((1, 1, 1, 1), [0, 1], [0, 4], [10, 10], [3, 1])
    assert both == pytest.approx(3 * math.log(1 / 11) + math.log(73 / 3025))


def test_bg_nbd_likelihood_matches_the_product_form():
    """The log form (gammaln, logaddexp) against eq. 6 written as a product with math.gamma."""
    r, alpha, a, b = 0.7, 3.0, 1.3, 2.2
    for x, t_x, big_t in [(0, 0.0, 5.0), (1, 2.5, 7.0), (4, 6.0, 9.5)]:
        a1 = math.gamma(r + x) * alpha ** r / math.gamma(r)
        a2 = math.gamma(a + b) * math.gamma(b + x) / (math.gamma(b) * math.gamma(a + b + x))
        a3 = (1 / (alpha + big_t)) ** (r + x)
        a4 = (a / (b + x - 1)) * (1 / (alpha + t_x)) ** (r + x) if x > 0 else 0.0
        expected = math.log(a1 * a2 * (a3 + a4))
        assert fitting.bg_nbd_log_likelihood((r, alpha, a, b), [x], [t_x], [big_t]) == pytest.approx(expected)


def test_gamma_gamma_likelihood_and_spend_by_hand():
    # p = q = v = x = m = 1: G(3) / (G(1) G(2)) * 1 / (1 + 1)^3 = 1/4
    assert fitting.gamma_gamma_log_likelihood((1, 2, 1), [1], [1]) == pytest.approx(math.log(0.25))
    # p = 6, q = 4, v = 15: x = 2, m = 20 gives 6 (15 + 40) / (12 + 4 - 1) = 22; no repeat, or
    # a non-positive mean, gives the population mean p v / (q - 1) = 30
    spend = predicting.expected_average_spend((6, 4, 15), [2, 0, 3], [20, np.nan, -5])
    assert spend == pytest.approx([22.0, 30.0, 30.0])


def test_predictions_by_hand():
    params = (1.0, 1.0, 1.0, 1.0)
    # x = 1, t_x = 4, T = 10: D = 1 + (1 / 1) (11 / 5)^2 = 5.84
    assert predicting.probability_alive(params, [1], [4], [10]) == pytest.approx([1 / 5.84])
    # a single purchase: alive with probability 1 (BG/NBD's known property)
    assert predicting.probability_alive(params, [0], [0], [10]) == pytest.approx([1.0])
    # r = a + b - 1 makes 2F1(r + x, b + x; a + b + x - 1; z) = (1 - z)^-(b + x), so with r = 2, alpha = 2,
    # a = 2, b = 1, T = 2, t = 4: the bracket is 1 - (4 / 8)^(r - b) = 1/2 and the head (a + b + x - 1) / (a - 1).
    # x = 0: 2 * 1/2 = 1. x = 1, t_x = 1: 3 * 1/2 / D, D = 1 + (2 / 1) (4 / 3)^3 = 155 / 27
    closed = predicting.expected_purchases((2.0, 2.0, 2.0, 1.0), 4.0, [0, 1], [0.0, 1.0], [2.0, 2.0])
    assert closed == pytest.approx([1.0, 1.5 * 27 / 155])
    # over a short t, E[Y(t)] ~ P(alive) * E[lambda | data] * t = P(alive) (r + x) / (alpha + T) t
    params = (0.7, 3.0, 1.3, 2.2)
    for x, t_x, big_t in [(0, 0.0, 5.0), (3, 4.0, 9.0)]:
        alive = predicting.probability_alive(params, [x], [t_x], [big_t])[0]
        short = predicting.expected_purchases(params, 1e-6, [x], [t_x], [big_t])[0] / 1e-6
        assert short == pytest.approx(alive * (params[0] + x) / (params[1] + big_t), rel=1e-4)
    # expected purchases grow with the horizon and vanish at 0
    horizons = [predicting.expected_purchases(params, t, [3], [4.0], [9.0])[0] for t in (0, 4, 26, 52)]
    assert horizons[0] == 0 and all(later > earlier for earlier, later in zip(horizons, horizons[1:]))


def test_discounting_by_hand():
    """With no discount the monthly sum telescopes to the horizon's expected purchases; with a
    discount each month's share is divided by (1 + d)^k."""
    params = (0.7, 3.0, 1.3, 2.2)
    x, t_x, big_t = np.array([3.0]), np.array([4.0]), np.array([9.0])
    undiscounted, purchases = predicting.discounted_purchases(params, x, t_x, big_t, 3, 0.0, 7)
    assert undiscounted == pytest.approx(purchases)
    discounted, _ = predicting.discounted_purchases(params, x, t_x, big_t, 3, 0.1, 7)
    months = [predicting.expected_purchases(params, k * 365.25 / 12 / 7, x, t_x, big_t)[0] for k in range(4)]
    expected = sum((months[k] - months[k - 1]) / 1.1 ** k for k in (1, 2, 3))
    assert discounted == pytest.approx([expected])


def test_aggregating_to_unique_combinations_changes_nothing():
    frequency, recency, big_t, _ = simulate_bg_nbd(500, seed=3)
    params = (0.3, 4.0, 0.9, 2.0)
    (x, t_x, t), counts = fitting.unique_with_counts(frequency, recency, big_t)
    assert len(x) < len(frequency)
    assert fitting.bg_nbd_log_likelihood(params, x, t_x, t, counts) == pytest.approx(
        fitting.bg_nbd_log_likelihood(params, frequency, recency, big_t))


def numerical_gradient(log_likelihood, params, data, weights, step=1e-6):
    """Central differences of log L, relative steps."""
    params = np.asarray(params, dtype=float)
    slopes = []
    for i in range(len(params)):
        delta = np.zeros_like(params)
        delta[i] = step * params[i]
        slopes.append((log_likelihood(params + delta, *data, weights)
                       - log_likelihood(params - delta, *data, weights)) / (2 * delta[i]))
    return np.array(slopes)


@pytest.mark.parametrize("params", [(0.3, 4.0, 0.9, 2.0), (2.5, 0.5, 3.0, 0.7), (16.0, 75.0, 0.3, 20.0)])
def test_bg_nbd_gradient_matches_finite_differences(params):
    frequency, recency, big_t, _ = simulate_bg_nbd(2_000, seed=4)
    (x, t_x, t), counts = fitting.unique_with_counts(frequency, recency, big_t)
    value, gradient = fitting.bg_nbd_log_likelihood(params, x, t_x, t, counts, gradient=True)
    assert value == pytest.approx(fitting.bg_nbd_log_likelihood(params, x, t_x, t, counts))
    expected = numerical_gradient(fitting.bg_nbd_log_likelihood, params, (x, t_x, t), counts)
    assert gradient == pytest.approx(expected, rel=1e-5, abs=1e-6 * np.abs(expected).max())
    # unsorted input gives the same answer (the terms in x alone are grouped either way)
    order = np.random.default_rng(0).permutation(len(x))
    shuffled = fitting.bg_nbd_log_likelihood(params, x[order], t_x[order], t[order], counts[order], gradient=True)
    assert shuffled[0] == pytest.approx(value) and shuffled[1] == pytest.approx(gradient)


@pytest.mark.parametrize("params", [(6.0, 4.0, 15.0), (0.8, 1.5, 0.2), (16000.0, 3.0, 0.005)])
def test_gamma_gamma_gradient_matches_finite_differences(params):
    frequency, _, _, _ = simulate_bg_nbd(3_000, seed=6)
    means, _ = simulate_spend(frequency, seed=7)
    repeat = frequency > 0
    (x, m), counts = fitting.unique_with_counts(frequency[repeat], means[repeat])
    value, gradient = fitting.gamma_gamma_log_likelihood(params, x, m, counts, gradient=True)
    assert value == pytest.approx(fitting.gamma_gamma_log_likelihood(params, x, m, counts))
    expected = numerical_gradient(fitting.gamma_gamma_log_likelihood, params, (x, m), counts)
    assert gradient == pytest.approx(expected, rel=1e-5, abs=1e-6 * np.abs(expected).max())


# --- parameter recovery -------------------------------------------------------------------------

def test_bg_nbd_recovers_its_parameters():
    """20,000 simulated customers. Tolerance: 4 standard errors of each log-parameter (from the
    observed information at the optimum), so the test fails only if the fit is biased or far off,
    not by sampling noise (about 1 in 16,000 per parameter); each is also within 15% of the truth,
    which those standard errors (1.5% to 7% here) make a weaker, readable bound."""
    frequency, recency, big_t, _ = simulate_bg_nbd(20_000, seed=1)
    params, _, converged, message = fitting.fit_bg_nbd(frequency, recency, big_t)
    assert converged, message
    (x, t_x, t), counts = fitting.unique_with_counts(frequency, recency, big_t)
    errors = standard_errors(fitting.bg_nbd_log_likelihood, params, (x, t_x, t), counts)
    truth = np.array(list(BG_NBD_TRUTH.values()))
    z = (np.log(params) - np.log(truth)) / errors
    assert np.all(np.abs(z) < 4), dict(zip(BG_NBD_TRUTH, zip(params, z)))
    assert params == pytest.approx(truth, rel=0.15)


def test_gamma_gamma_recovers_its_parameters():
    """The same rule for Gamma-Gamma, on the customers with repeat purchases among 45,000
    (about 21,000: at least the 20,000 of the BG/NBD check). Its v and q are only weakly told
    apart (their standard errors are 2% to 5% in log), hence 4 standard errors and a 25% readable
    bound."""
    frequency, _, _, _ = simulate_bg_nbd(45_000, seed=2)
    means, _ = simulate_spend(frequency, seed=5)
    repeat = frequency > 0
    assert repeat.sum() >= 20_000
    params, _, converged, message = fitting.fit_gamma_gamma(frequency[repeat], means[repeat])
    assert converged, message
    errors = standard_errors(fitting.gamma_gamma_log_likelihood, params, (frequency[repeat], means[repeat]))
    truth = np.array(list(GAMMA_GAMMA_TRUTH.values()))
    z = (np.log(params) - np.log(truth)) / errors
    assert np.all(np.abs(z) < 4), dict(zip(GAMMA_GAMMA_TRUTH, zip(params, z)))
    assert params == pytest.approx(truth, rel=0.25)


def test_a_fit_that_runs_off_is_flagged_and_gives_no_values():
    """Enough customers, but every repeat purchase costs the same: Gamma-Gamma has no spread to
    fit, its likelihood keeps rising as p and q grow without bound, and its rows say converged =
    false with the reason and no values. BG/NBD, fitted on the same customers, is unaffected."""
    frequency, recency, big_t, _ = simulate_bg_nbd(3000, seed=3)
    summary = pd.DataFrame({"frequency": frequency, "recency": recency, "t": big_t,
                            "monetary_value": np.where(frequency > 0, 20.0, np.nan)})
    rows = fitting.parameter_rows(summary, min_customers=20)
    bg_nbd = [r for r in rows if r["model"] == "bg_nbd"]
    gamma_gamma = [r for r in rows if r["model"] == "gamma_gamma"]
    assert len(bg_nbd) == 4 and all(r["converged"] and r["value"] > 0 for r in bg_nbd)
    assert [r["parameter"] for r in gamma_gamma] == ["p", "q", "v"]
    assert all(not r["converged"] and r["value"] is None for r in gamma_gamma)
    assert all("runs off to 0 or infinity" in r["message"] for r in gamma_gamma)
    assert gamma_gamma[0]["customers_fitted"] == int((frequency > 0).sum()) >= 20


# --- the backtest's predictions -----------------------------------------------------------------

def gauss_hypergeometric(a, b, c, z, terms=2000):
    """2F1(a, b; c; z) for |z| < 1 from its defining series, sum over n of (a)_n (b)_n / (c)_n z^n / n!,
    term by term (not scipy's hyp2f1, which the models use)."""
    total, term = 1.0, 1.0
    for n in range(terms):
        term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z
        total += term
        if abs(term) < 1e-17 * abs(total):
            break
    return total


def conditional_expectation(params, t, x, t_x, big_t):
    """E[Y(t) | x, t_x, T], written from Fader, Hardie & Lee (2005), eq. 10, as printed: a product,
    with math.pow and the series above."""
    r, alpha, a, b = params
    bracket = 1 - ((alpha + big_t) / (alpha + big_t + t)) ** (r + x) * gauss_hypergeometric(
        r + x, b + x, a + b + x - 1, t / (alpha + big_t + t))
    numerator = (a + b + x - 1) / (a - 1) * bracket
    denominator = 1 + (x > 0) * a / (b + x - 1) * ((alpha + big_t) / (alpha + t_x)) ** (r + x)
    return numerator / denominator


def test_holdout_predictions_match_the_paper_and_the_lifetime_value_model():
    """The backtest's E[Y(t*)] on a small generated data set (200 customers, two parameter sets,
    a short and a long holdout): equal to the paper's formula computed independently, and to the
    lifetime value model's copy of it (dbt Python models cannot import each other)."""
    frequency, recency, big_t, _ = simulate_bg_nbd(200, seed=21)
    summary = pd.DataFrame({"frequency": frequency, "recency": recency, "t": big_t})
    # the last: a fit on a small calibration summary (tests/integration/test_incremental_runs.py,
    # transaction_week_and_month) with the purchase rate nearly the same for everyone, where scipy's
    # hyp2f1 returns nan and the series takes over
    for params in [(0.25, 4.0, 0.8, 2.5), (2.0, 10.0, 1.6, 5.0), (136132.17, 730648.84, 0.0375, 0.677)]:
        for holdout in (1.5, 13.0):
            predicted = backtesting.holdout_predictions(summary.assign(holdout_length=holdout), params)
            expected = [conditional_expectation(params, holdout, x, tx, t)
                        for x, tx, t in zip(frequency, recency, big_t)]
            assert np.all(np.isfinite(predicted)) and predicted == pytest.approx(expected, rel=1e-7)
            assert predicted == pytest.approx(
                predicting.expected_purchases(params, holdout, frequency, recency, big_t), rel=1e-12)


@pytest.mark.parametrize("model", [backtesting, predicting], ids=["backtest", "lifetime_value"])
def test_the_series_equals_the_hypergeometric_form(model):
    """Where scipy's hyp2f1 is finite, the fallback series gives the same E[Y(t)] (both copies)."""
    frequency, recency, big_t, _ = simulate_bg_nbd(200, seed=22)
    for params in [(0.25, 4.0, 0.8, 2.5), (2.0, 10.0, 1.6, 5.0), (16.0, 75.0, 0.3, 20.0)]:
        for t in (0.5, 4.0, 26.0):
            inside = t < params[1] + big_t
            series = model._series_expected_purchases(params, t, frequency, big_t) / model._denominator(
                params, frequency, recency, big_t)
            direct = model.expected_purchases(params, t, frequency, recency, big_t)
            assert series[inside] == pytest.approx(direct[inside], rel=1e-9)
            assert np.all(np.isnan(series[~inside]))


def holdout_error_spread(summary, params, actual):
    """The standard deviations of the two independent parts of a predicted holdout total's error,
    for a BG/NBD fit at params on the summary's customers (frequency, recency, t, holdout_length):
    the customers' own randomness (the sum of Y_i - E[Y_i | data] has the variance of the sum of
    squared residuals, in expectation) and the estimate's (the delta method: the gradient of the
    predicted total in the log-parameters, through their covariance, the inverse observed
    information)."""
    predicted = backtesting.holdout_predictions(summary, params)
    randomness = math.sqrt(np.sum((np.asarray(actual, dtype=float) - predicted) ** 2))
    (x, t_x, big_t), counts = fitting.unique_with_counts(summary["frequency"], summary["recency"], summary["t"])
    covariance = np.linalg.inv(information(fitting.bg_nbd_log_likelihood, params, (x, t_x, big_t), counts))
    step = 1e-5
    slope = np.array([
        (backtesting.holdout_predictions(summary, np.exp(np.log(params) + step * unit)).sum()
         - backtesting.holdout_predictions(summary, np.exp(np.log(params) - step * unit)).sum()) / (2 * step)
        for unit in np.eye(len(params))])
    return randomness, math.sqrt(slope @ covariance @ slope)


def test_a_fit_before_the_holdout_predicts_it():
    """20,000 customers simulated from known BG/NBD parameters over T + 13 weeks; the model fitted
    on their first T weeks predicts the purchases of the last 13.

    Tolerance: the total's prediction error has two independent parts, the customers' own
    randomness (the variance of the sum of Y_i - E[Y_i | data], estimated by the sum of squared
    residuals, as E[Y_i | data] is the prediction) and the estimate's error (the delta method: the
    gradient of the predicted total in the log-parameters, through their covariance, the inverse
    observed information; holdout_error_spread). The error must be within 4 of their combined
    standard deviations (a false alarm about 1 in 16,000 runs). With the true parameters the
    customers' randomness alone applies. A readable bound too: within 10% of the actual total
    (about 4,600 purchases, whose 4 standard deviations are about 8% of it)."""
    holdout = 13.0
    frequency, recency, big_t, times = simulate_bg_nbd(20_000, seed=8, horizon=(30.0 + holdout, 78.0 + holdout))
    calibration_t = big_t - holdout
    x = np.array([sum(1 for moment in own if moment < end) for own, end in zip(times, calibration_t)], dtype=float)
    t_x = np.array([max([moment for moment in own if moment < end], default=0.0)
                    for own, end in zip(times, calibration_t)])
    actual = frequency - x
    summary = pd.DataFrame({"frequency": x, "recency": t_x, "t": calibration_t, "holdout_length": holdout})

    truth = tuple(BG_NBD_TRUTH.values())
    at_truth = backtesting.holdout_predictions(summary, truth)
    randomness = math.sqrt(np.sum((actual - at_truth) ** 2))
    assert abs(at_truth.sum() - actual.sum()) < 4 * randomness

    params, _, converged, message = fitting.fit_bg_nbd(x, t_x, calibration_t)
    assert converged, message
    predicted = backtesting.holdout_predictions(summary, params)
    randomness, estimate = holdout_error_spread(summary, params, actual)
    error = predicted.sum() - actual.sum()
    assert abs(error) < 4 * math.hypot(randomness, estimate), (error, randomness, estimate)
    # and the tolerance is not vacuous: about 90 purchases, 2% of the total
    assert math.hypot(randomness, estimate) < 0.025 * actual.sum()
    assert predicted.sum() == pytest.approx(actual.sum(), rel=0.10)


# --- in the dbt build ---------------------------------------------------------------------------

AS_OF = date(2025, 6, 30)


def shop_tables(customers: int, seed: int) -> dict[str, list[dict]]:
    """A shop with no subscriptions: first purchases from 30 to 78 weeks before AS_OF, repeat
    purchases from the BG/NBD story, spend from Gamma-Gamma, and a few repeat days that are only
    a refund."""
    rng = np.random.default_rng(seed)
    frequency, recency, big_t, times = simulate_bg_nbd(customers, seed, horizon=(30.0, 78.0))
    _, scales = simulate_spend(frequency, seed + 1)
    tables = {"customers": [], "subscriptions": [], "transactions": [], "survey_responses": []}
    for i in range(customers):
        customer = f"C{i:05d}"
        first = AS_OF - timedelta(days=int(big_t[i] * 7))
        tables["customers"].append({"customer_id": customer, "created_at": first.isoformat(), "email": "",
                                    "country": "FR", "acquisition_channel": "organic"})
        for n, week in enumerate([0.0] + times[i]):
            moment = first + timedelta(days=week * 7)
            amount = round(float(rng.gamma(GAMMA_GAMMA_TRUTH["p"], scales[i])), 2)
            if i % 97 == 0 and frequency[i] == 1 and n == 1:
                amount = -amount  # a repeat day that is only a refund: Gamma-Gamma leaves it out
            tables["transactions"].append({"transaction_id": f"{customer}-{n}", "customer_id": customer,
                                           "occurred_at": moment.isoformat(), "amount": f"{amount:.2f}"})
    return tables


@pytest.fixture(scope="module")
def shop_build(tmp_path_factory):
    work = tmp_path_factory.mktemp("shop")
    write_csv_tables(work / "raw", shop_tables(4000, seed=11))
    return build(work, {"raw_source": "files", "raw_path": str(work / "raw"), "as_of_date": AS_OF.isoformat(),
                        "activity_mode": "transaction"})


def test_shop_fit_converges_near_the_truth(shop_build):
    parameters = {(r["model"], r["parameter"]): r for r in read_mart(shop_build, "cltv_model_parameters")}
    assert len(parameters) == 7 and all(r["converged"] for r in parameters.values())
    assert all(r["time_unit"] == "week" and r["as_of_date"] == AS_OF for r in parameters.values())
    # 4,000 customers (and purchase times rounded to days): the right neighbourhood, not recovery
    for (model, name), truth in [(("bg_nbd", k), v) for k, v in BG_NBD_TRUTH.items()] + \
                                [(("gamma_gamma", k), v) for k, v in GAMMA_GAMMA_TRUTH.items()]:
        assert parameters[(model, name)]["value"] == pytest.approx(truth, rel=0.5), (model, name)
    assert parameters[("bg_nbd", "r")]["customers_fitted"] == 4000
    summary = read_mart(shop_build, "int_customer_purchase_days_summarized", "intermediate")
    excluded = sum(1 for r in summary if r["frequency"] > 0 and r["monetary_value"] <= 0)
    assert excluded > 0 and parameters[("gamma_gamma", "p")]["customers_excluded"] == excluded
    assert parameters[("gamma_gamma", "p")]["customers_fitted"] == sum(
        1 for r in summary if r["frequency"] > 0 and r["monetary_value"] > 0)


def test_shop_customer_values(shop_build):
    rows = read_mart(shop_build, "customer_lifetime_value")
    assert len(rows) == 4000
    for row in rows:
        assert 0 <= row["probability_alive"] <= 1 and row["expected_purchases"] >= 0 and row["predicted_clv"] >= 0
        if row["frequency"] == 0:
            assert row["probability_alive"] == 1.0 and row["monetary_value"] is None
    # the values are those of the model functions at the stored parameters
    parameters = {(r["model"], r["parameter"]): r["value"] for r in read_mart(shop_build, "cltv_model_parameters")}
    bg_nbd = [parameters[("bg_nbd", k)] for k in BG_NBD_TRUTH]
    sample = rows[:50]
    x = np.array([r["frequency"] for r in sample], dtype=float)
    t_x = np.array([r["recency"] for r in sample])
    big_t = np.array([r["t"] for r in sample])
    assert [r["probability_alive"] for r in sample] == pytest.approx(
        list(predicting.probability_alive(bg_nbd, x, t_x, big_t)))
    # more recent and more frequent buyers are worth more: the top decile beats the bottom one
    ordered = sorted(rows, key=lambda r: r["predicted_clv"])
    assert np.mean([r["frequency"] for r in ordered[-400:]]) > np.mean([r["frequency"] for r in ordered[:400]])


def test_shop_backtest(shop_build):
    """The BG/NBD backtest end to end. Month grain, H = 3, as_of_date 30 June: the holdout runs
    from 1 April, 91 days, 13 weeks. Every customer first bought at least 30 weeks before, so all
    4,000 are in the calibration summary, which must be their full summary with the holdout's
    purchase days taken off; the predictions are the model function's at the stored calibration
    fit; the groups add up to all; the headline is the all row's error. The shop is drawn from
    BG/NBD, so the total must be predicted within 4 standard deviations of its error
    (holdout_error_spread; the purchase times rounded to days and merged per day bend the story
    a little, inside that)."""
    calibrated = {r["customer_id"]: r for r in read_mart(shop_build, "int_customer_purchase_days_calibrated",
                                                          "intermediate")}
    full = {r["customer_id"]: r for r in read_mart(shop_build, "int_customer_purchase_days_summarized", "intermediate")}
    assert len(calibrated) == 4000 and calibrated.keys() == full.keys()
    for customer, row in calibrated.items():
        assert row["holdout_start_date"] == date(2025, 4, 1) and row["holdout_length"] == 13.0
        assert row["frequency"] + row["holdout_purchases"] == full[customer]["frequency"]
        assert row["t"] + 13.0 == pytest.approx(full[customer]["t"])
        assert row["recency"] <= full[customer]["recency"]
        if row["holdout_purchases"] == 0:
            assert row["recency"] == full[customer]["recency"]

    fits = read_mart(shop_build, "int_cltv_models_fitted", "intermediate")
    calibration = {r["parameter"]: r["value"] for r in fits if r["fit_window"] == "calibration"}
    assert calibration.keys() == set(BG_NBD_TRUTH)
    assert all(r["converged"] and r["customers_fitted"] == 4000 for r in fits if r["fit_window"] == "calibration")
    params = [calibration[name] for name in BG_NBD_TRUTH]
    predictions = read_mart(shop_build, "int_customer_holdout_purchases_predicted", "intermediate")
    summary = pd.DataFrame([calibrated[r["customer_id"]] for r in predictions])
    assert [r["predicted_purchases"] for r in predictions] == pytest.approx(
        list(backtesting.holdout_predictions(summary, params)), rel=1e-12)
    assert [r["actual_purchases"] for r in predictions] == list(summary["holdout_purchases"])

    backtest = {r["frequency_group"]: r for r in read_mart(shop_build, "purchase_prediction_backtest")}
    assert set(backtest) == {"0", "1", "2", "3", "4", "5", "6", "7+", "all"}
    total = backtest.pop("all")
    assert total["customers"] == 4000 == sum(r["customers"] for r in backtest.values())
    assert total["actual_purchases"] == sum(r["actual_purchases"] for r in backtest.values())
    assert total["predicted_purchases"] == pytest.approx(sum(r["predicted_purchases"] for r in backtest.values()))
    assert total["predicted_purchases"] == pytest.approx(sum(r["predicted_purchases"] for r in predictions))
    for group, row in backtest.items():
        members = [r for r in predictions if min(r["frequency"], 7) == (7 if group == "7+" else int(group))]
        assert row["customers"] == len(members)
        assert row["actual_purchases_per_customer"] == pytest.approx(np.mean([r["actual_purchases"] for r in members]))

    headline = {r["model"]: r["backtest_error_pct"] for r in read_mart(shop_build, "cltv_model_parameters")}
    assert headline["bg_nbd"] == pytest.approx(total["error_pct"]) and headline["gamma_gamma"] is None
    randomness, estimate = holdout_error_spread(summary, params, summary["holdout_purchases"])
    error = total["predicted_purchases"] - total["actual_purchases"]
    assert abs(error) < 4 * math.hypot(randomness, estimate), (error, randomness, estimate)


def test_a_shop_is_valued_by_bg_nbd_and_not_by_the_subscription_model(shop_build):
    """Transaction mode: every buyer's lifetime_value_model is bg_nbd, and the subscription
    (sBG) marts are empty, with their columns typed (an empty Python model's text columns)."""
    customers = read_mart(shop_build, "customers")
    assert len(customers) == 4000 and {r["lifetime_value_model"] for r in customers} == {"bg_nbd"}
    for mart in ("retention_projection_parameters", "retention_projection", "subscriber_lifetime_value",
                 "retention_projection_backtest"):
        assert read_mart(shop_build, mart) == [], mart


def build_shop_with_warnings(work, tables) -> str:
    """Build a shop whose fit is expected to be flagged: the build must still succeed (the
    convergence test only warns); returns dbt's output, for the warning's count."""
    write_csv_tables(work / "raw", tables)
    variables = {"raw_source": "files", "raw_path": str(work / "raw"), "as_of_date": AS_OF.isoformat(),
                 "activity_mode": "transaction"}
    result = run_dbt(work, variables, extra_arguments=("--exclude-resource-type", "unit_test"))
    assert result.returncode == 0, result.stdout[-3000:]
    return result.stdout


def test_too_few_customers_flags_the_fit_and_leaves_values_empty(tmp_path):
    """Below clv_min_customers the build still succeeds: the parameter rows say converged =
    false with the reason, the warn-level test reports it, and no customer gets a value."""
    output = build_shop_with_warnings(tmp_path, shop_tables(15, seed=4))
    assert "WARN 7 cltv_model_parameters_converged" in output
    parameters = read_mart(tmp_path / "retention.duckdb", "cltv_model_parameters")
    assert len(parameters) == 7 and not any(r["converged"] for r in parameters)
    assert all(r["value"] is None and "too few customers" in r["message"] for r in parameters)
    assert all(r["backtest_error_pct"] is None for r in parameters)
    assert read_mart(tmp_path / "retention.duckdb", "customer_lifetime_value") == []
    # nor is the backtest's calibration fit run: no prediction, no backtest row
    assert read_mart(tmp_path / "retention.duckdb", "purchase_prediction_backtest") == []


def test_a_constant_price_shop_flags_gamma_gamma_and_leaves_values_empty(tmp_path):
    """Enough customers, one price for every purchase: the build succeeds, Gamma-Gamma's rows
    say converged = false (a parameter runs off), the warn-level test reports them, and no
    customer gets a value, since predicted_clv needs both models."""
    tables = shop_tables(300, seed=6)
    for row in tables["transactions"]:
        row["amount"] = "25.00"
    output = build_shop_with_warnings(tmp_path, tables)
    assert "WARN 3 cltv_model_parameters_converged" in output
    parameters = read_mart(tmp_path / "retention.duckdb", "cltv_model_parameters")
    assert sorted((r["model"], r["converged"]) for r in parameters) == \
        [("bg_nbd", True)] * 4 + [("gamma_gamma", False)] * 3
    assert all(r["value"] is None and "runs off" in r["message"] for r in parameters if r["model"] == "gamma_gamma")
    assert read_mart(tmp_path / "retention.duckdb", "customer_lifetime_value") == []
    # the backtest judges BG/NBD alone, which converged
    assert all((r["backtest_error_pct"] is None) == (r["model"] == "gamma_gamma") for r in parameters)
    assert len(read_mart(tmp_path / "retention.duckdb", "purchase_prediction_backtest")) > 1
