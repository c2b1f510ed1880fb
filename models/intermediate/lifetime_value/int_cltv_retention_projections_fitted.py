"""int_cltv_retention_projections_fitted: the shifted-beta-geometric (sBG) retention model
(doc block sbg_model) fitted by maximum likelihood at each grain, overall and per segment (the
Python behind the retention_projection_parameters mart, which types and checks its columns).

Fader & Hardie (2007), "How to project customer retention": each customer cancels at each
renewal with a constant probability theta, and theta ~ Beta(alpha, beta) across customers. With
B the beta function:

    P(T = t) = B(alpha + 1, beta + t - 1) / B(alpha, beta)     lost at renewal t = 1, 2, ...
    S(t)     = B(alpha, beta + t) / B(alpha, beta)             alive after renewal t

The observations (int_cltv_subscriber_lifetimes_counted) are, per cohort, how many renewals each
member survived: a member who survived t renewals and was then lost contributes ln P(T = t + 1);
one still alive at the cohort's last observed age t contributes ln S(t) (right-censored, at a
different age per cohort). All cohorts of a segment are pooled into one likelihood, maximised over
(ln alpha, ln beta) with BFGS (analytic gradient below) and Nelder-Mead; the better optimum wins.
betaln keeps each term exact at ages where the beta functions themselves underflow.

Each row also carries its grain's discount rate, sbg_annual_discount_rate D converted to one
period, d = (1 + D)^(1 / periods per year) - 1 (a year is 365.25 days), the grain's length in
months, and the discounted expected lifetime of a new customer in payments, the first included
(Fader & Hardie 2010, "Customer-base valuation in a contractual setting"):

    DEL(d) = 2F1(1, beta; alpha + beta; 1 / (1 + d)) = 1 + D(0) / (1 + d)

with D(0) the expected discounted payments from the first renewal on (the DERL of
int_customer_subscriber_values_predicted at n = 0), computed by the same backward recurrence as
there, since scipy's hyp2f1 returns nan for some of these arguments (day grain).

Each grain and segment is fitted twice: on all the data (fit_window full, what the marts project
and value with) and on the data before the last cltv_holdout_periods periods (fit_window
calibration: each cohort that had started by then, observed to its age then), for the backtest
(int_cltv_retention_backtests_compared), which compares that fit's projection of the holdout
with what happened.

A fit that cannot be trusted does not fail silently: with fewer than clv_min_customers customers,
with no renewal observed yet or no customer lost yet, when the optimiser does not converge, or when
a parameter runs off to 0 or infinity, the row says converged = false with the reason, and alpha
and beta are null.
"""

import numpy as np
import pandas as pd
from scipy import optimize, special

PARAMETERS = ("alpha", "beta")
# An estimate beyond e^+-15 (about 3e-7 and 3e6) is a parameter running off to 0 or infinity.
MAX_ABS_LOG_PARAMETER = 15.0
# ... and with both beyond e^10 (about 22,000), Beta(alpha, beta) has narrowed to one theta.
HOMOGENEOUS_LOG_PARAMETER = 10.0
GROUP_COLUMNS = ["period_grain", "segment_type", "segment_value"]
COLUMNS = GROUP_COLUMNS + ["fit_window", "alpha", "beta", "cohorts_fitted", "customers_fitted", "log_likelihood",
                           "converged", "reason", "discount_rate_per_period", "months_per_period",
                           "discounted_expected_lifetime"]
PERIODS_PER_YEAR = {"day": 365.25, "week": 365.25 / 7, "month": 12.0, "quarter": 4.0, "year": 1.0}


def discount_rate_per_period(annual_rate, grain):
    """The yearly rate D as a rate per period of the grain: (1 + D)^(1 / periods per year) - 1."""
    return (1.0 + annual_rate) ** (1.0 / PERIODS_PER_YEAR[grain]) - 1.0


def discounted_expected_lifetime(alpha, beta, discount_rate):
    """DEL(d): a new customer's expected payments, the first (undiscounted) included, each later
    one discounted by (1 + d) per period: 1 + D(0) / (1 + d), with D(n) = r(n + 1) (1 + D(n + 1) /
    (1 + d)) run down from (1 + d) / d far above 0 (see int_customer_subscriber_values_predicted)."""
    discount = 1.0 / (1.0 + discount_rate)
    value = 1.0 / (1.0 - discount)
    for step in range(int(np.ceil(40.0 / np.log1p(discount_rate))), -1, -1):
        value = (beta + step) / (alpha + beta + step) * (1.0 + discount * value)
    return 1.0 + discount * value


def sbg_log_likelihood(params, survived, censored, weights, gradient=False):
    """Sum of the sBG log-likelihoods of members who survived `survived` renewals, then were lost
    (censored false: ln P(T = survived + 1)) or are still alive (censored true: ln S(survived)),
    each weighted by its count. With gradient=True, also the gradient in (alpha, beta), from
    d ln B(a, b) / da = psi(a) - psi(a + b):

        lost:  d/dalpha = psi(alpha + 1) - psi(alpha) + psi(alpha + beta) - psi(alpha + beta + t + 1)
               d/dbeta  = psi(beta + t) - psi(beta) + psi(alpha + beta) - psi(alpha + beta + t + 1)
        alive: d/dalpha = psi(alpha + beta) - psi(alpha + beta + t)
               d/dbeta  = psi(beta + t) - psi(beta) + psi(alpha + beta) - psi(alpha + beta + t)
    """
    alpha, beta = (float(p) for p in params)
    t = np.asarray(survived, dtype=float)
    alive = np.asarray(censored, dtype=bool)
    weights = np.asarray(weights, dtype=float)
    base = special.betaln(alpha, beta)
    terms = np.where(alive, special.betaln(alpha, beta + t), special.betaln(alpha + 1, beta + t)) - base
    value = float(np.sum(weights * terms))
    if not gradient:
        return value
    psi_ab = special.digamma(alpha + beta)
    psi_end = special.digamma(alpha + beta + t + np.where(alive, 0.0, 1.0))
    to_alpha = np.where(alive, 0.0, special.digamma(alpha + 1) - special.digamma(alpha)) + psi_ab - psi_end
    to_beta = special.digamma(beta + t) - special.digamma(beta) + psi_ab - psi_end
    return value, np.array([np.sum(weights * to_alpha), np.sum(weights * to_beta)])


def survival(alpha, beta, ages):
    """S(k) = B(alpha, beta + k) / B(alpha, beta) at each age k."""
    ages = np.asarray(ages, dtype=float)
    return np.exp(special.betaln(alpha, beta + ages) - special.betaln(alpha, beta))


def fit_sbg(survived, censored, weights):
    """Maximise the sBG likelihood over (ln alpha, ln beta), from alpha = beta = 1.
    Returns (alpha, beta, log-likelihood, converged, reason)."""
    data = (np.asarray(survived, dtype=float), np.asarray(censored, dtype=bool))
    weights = np.asarray(weights, dtype=float)
    total = float(np.sum(weights))

    def objective(log_params):
        value = sbg_log_likelihood(np.exp(log_params), *data, weights)
        return -value / total if np.isfinite(value) else np.inf

    def with_gradient(log_params):
        params = np.exp(log_params)
        value, slopes = sbg_log_likelihood(params, *data, weights, gradient=True)
        if not (np.isfinite(value) and np.all(np.isfinite(slopes))):
            return np.inf, np.zeros_like(log_params)
        return -value / total, -params * slopes / total

    candidates = []
    for method, function, options in (
        ("BFGS", with_gradient, {"gtol": 1e-9, "maxiter": 2000}),
        ("Nelder-Mead", objective, {"maxiter": 2000, "xatol": 1e-10, "fatol": 1e-13}),
    ):
        found = optimize.minimize(function, np.zeros(2), jac=method == "BFGS", method=method,
                                  options=options)
        polished = optimize.minimize(with_gradient, found.x, jac=True, method="BFGS",
                                     options={"gtol": 1e-9, "maxiter": 2000})
        candidates += [found, polished]
    best = min(candidates, key=lambda candidate: candidate.fun)
    alpha, beta = np.exp(best.x)
    value = sbg_log_likelihood((alpha, beta), *data, weights)
    at = f"alpha = {alpha:.4g}, beta = {beta:.4g}"
    if not (np.isfinite(alpha) and np.isfinite(beta) and np.isfinite(value)):
        return alpha, beta, value, False, f"no finite estimate ({at})"
    steepest = np.max(np.abs(with_gradient(best.x)[1]))
    # alpha and beta growing together: Beta(alpha, beta) narrows to a point, one theta for all
    homogeneous = np.min(best.x) > HOMOGENEOUS_LOG_PARAMETER
    if homogeneous and (np.max(best.x) > MAX_ABS_LOG_PARAMETER or steepest >= 1e-5):
        return alpha, beta, value, False, (
            f"no finite estimate: alpha and beta run off to infinity together ({at}), as the"
            f" churn seen is the same for every customer (theta = {alpha / (alpha + beta):.4g}"
            " per renewal), which the sBG model reaches only in the limit")
    if np.max(np.abs(best.x)) > MAX_ABS_LOG_PARAMETER:
        return alpha, beta, value, False, (
            f"no finite estimate: a parameter runs off to 0 or infinity ({at}); the data cannot"
            " pin the model down")
    if steepest >= 1e-5:
        return alpha, beta, value, False, (
            f"no optimum found: the likelihood still rises (gradient {steepest:.2g}) at {at}")
    return alpha, beta, value, True, ""


def fit_group(rows, min_customers):
    """One parameters row (a dict without the group columns) from one segment's observations."""
    customers = int(rows["customers"].sum())
    result = {"alpha": None, "beta": None, "cohorts_fitted": int(rows["cohort_start"].nunique()),
              "customers_fitted": customers, "log_likelihood": None, "converged": False}
    lost = int(rows.loc[~rows["is_censored"], "customers"].sum())
    if customers < min_customers:
        return {**result, "reason": f"too few customers to fit: {customers} < clv_min_customers ({min_customers})"}
    if int(rows["last_observed_age"].max()) == 0:
        return {**result, "reason": "no renewal observed yet: every cohort is in its first period"}
    if lost == 0:
        return {**result, "reason": "no customer lost yet: churn cannot be estimated"}
    alpha, beta, value, converged, reason = fit_sbg(
        rows["renewals_survived"].to_numpy(), rows["is_censored"].to_numpy(dtype=bool),
        rows["customers"].to_numpy())
    if not converged:
        return {**result, "log_likelihood": float(value) if np.isfinite(value) else None, "reason": reason}
    return {**result, "alpha": float(alpha), "beta": float(beta), "log_likelihood": float(value),
            "converged": True, "reason": ""}


def before_holdout(rows, holdout):
    """The observations as they stood `holdout` periods ago: the cohorts that had started by then,
    each observed to its age then (a member's renewals survived capped at it)."""
    kept = rows[rows["last_observed_age"] >= holdout].copy()
    kept["last_observed_age"] = kept["last_observed_age"] - holdout
    kept["renewals_survived"] = np.minimum(kept["renewals_survived"], kept["last_observed_age"])
    kept["is_censored"] = kept["renewals_survived"] == kept["last_observed_age"]
    return kept


def parameter_rows(lifetimes, min_customers, annual_discount_rate, holdout):
    """Two rows per grain and segment of the observations (a pandas DataFrame): fit_window full
    (all of them) and calibration (before the holdout)."""
    rows = []
    # in one order whatever order the table is read in, so that the likelihood's sums, and the
    # estimates, are the same to the last bit in every build of the same data
    lifetimes = lifetimes.sort_values(GROUP_COLUMNS + ["cohort_start", "last_observed_age", "renewals_survived"])
    for keys, group in lifetimes.groupby(GROUP_COLUMNS, sort=True):
        for window, observed in (("full", group), ("calibration", before_holdout(group, holdout))):
            if observed.empty:
                row = {"alpha": None, "beta": None, "cohorts_fitted": 0, "customers_fitted": 0,
                       "log_likelihood": None, "converged": False,
                       "reason": f"no cohort had started before the holdout (cltv_holdout_periods = {holdout})"}
            else:
                row = fit_group(observed, min_customers)
            rate = discount_rate_per_period(annual_discount_rate, keys[0])
            row.update({**dict(zip(GROUP_COLUMNS, keys)), "fit_window": window,
                        "discount_rate_per_period": rate,
                        "months_per_period": 12.0 / PERIODS_PER_YEAR[keys[0]],
                        "discounted_expected_lifetime": discounted_expected_lifetime(row["alpha"], row["beta"], rate)
                        if row["converged"] else None})
            rows.append(row)
    return rows


def model(dbt, session):
    dbt.config(materialized="table")
    lifetimes = dbt.ref("int_cltv_subscriber_lifetimes_counted").df()
    settings = dbt.ref("int_cltv_settings_resolved").df().iloc[0]
    rows = parameter_rows(lifetimes, int(settings["min_customers"]), float(settings["sbg_annual_discount_rate"]),
                          int(settings["holdout_periods"]))
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.astype({"alpha": "Float64", "beta": "Float64", "cohorts_fitted": "int64",
                         "discount_rate_per_period": "float64", "months_per_period": "float64",
                         "discounted_expected_lifetime": "Float64",
                         "customers_fitted": "int64", "log_likelihood": "Float64", "converged": "bool",
                         # "string", not object: an empty table (transaction mode) still has text columns
                         "period_grain": "string", "segment_type": "string", "segment_value": "string",
                         "fit_window": "string",
                         "reason": "string"})
