"""int_cltv_models_fitted: the BG/NBD and Gamma-Gamma models fitted by maximum likelihood (the
Python behind the cltv_model_parameters mart, which types and checks its columns).

BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): while alive, a
customer buys at rate lambda ~ Gamma(r, alpha); after each purchase they drop out with
probability p ~ Beta(a, b). For a customer with x repeat purchases, the last at t_x, observed
for T (eq. 6 of the paper):

    L = A1 * A2 * (A3 + [x > 0] * A4)
    ln A1 = lnG(r + x) - lnG(r) + r ln(alpha)
    ln A2 = lnG(a + b) + lnG(b + x) - lnG(b) - lnG(a + b + x)
    ln A3 = -(r + x) ln(alpha + T)
    ln A4 = ln(a) - ln(b + x - 1) - (r + x) ln(alpha + t_x)

Gamma-Gamma (Fader, Hardie & Lee 2005, "RFM and CLV: using iso-value curves"): the mean value
m of a customer's x repeat purchases, with spend per purchase ~ Gamma(p, nu) and nu ~ Gamma(q, v):

    ln L = lnG(p x + q) - lnG(p x) - lnG(q) + q ln(v) + (p x - 1) ln(m) + p x ln(x)
           - (p x + q) ln(v + x m)

Both are maximised over log-parameters (so every parameter stays positive), with Nelder-Mead and
BFGS (with the analytic gradients given in the likelihoods' docstrings), on the unique
(x, t_x, T) and (x, m) combinations weighted by their counts (a million generated customers
collapse to about 220,000 BG/NBD terms; their continuous spend leaves about 700,000 Gamma-Gamma
terms). Sums of logs, logaddexp, betaln and log1p keep the likelihood
exact where the products (or differences of large log-gammas) would under- or overflow or cancel.

A fit that cannot be trusted does not fail silently: with fewer than clv_min_customers customers,
when the optimiser does not converge, or when a parameter runs off to 0 or infinity (the data
cannot identify the model: a subscription business whose customers always pay the same amount
gives Gamma-Gamma no spread to fit), the rows say converged = false with the reason, and
int_customer_lifetime_values_predicted stays empty (a warn-level test reports it).

BG/NBD is fitted twice: on all the data (fit_window full, what the marts value with) and on the
calibration summary int_customer_purchase_days_calibrated (fit_window calibration: the customers
and purchase days before the holdout of the last cltv_holdout_periods periods), for the backtest
(int_customer_holdout_purchases_predicted), which predicts the holdout's purchases from that fit.
Gamma-Gamma is fitted on all the data only: the backtest judges the purchase model.
"""

import numpy as np
import pandas as pd
from scipy import optimize, special

BG_NBD_PARAMETERS = ("r", "alpha", "a", "b")
# An estimate beyond e^+-15 (about 3e-7 and 3e6) is a parameter running off to 0 or infinity.
MAX_ABS_LOG_PARAMETER = 15.0
# Above this many distinct rows, the search for the optimum runs on a sample of this many customers.
SEARCH_ROWS = 20_000
SEARCH_CUSTOMERS = 50_000
GAMMA_GAMMA_PARAMETERS = ("p", "q", "v")


def bg_nbd_log_likelihood(params, x, t_x, T, weights=None, gradient=False, groups=None):
    """Sum of the BG/NBD log-likelihoods (eq. 6) of customers (x, t_x, T), each weighted; with
    gradient=True, also its gradient with respect to (r, alpha, a, b):

        d/dr     = psi(r + x) - psi(r) + ln(alpha) - s3 ln(alpha + T) - s4 ln(alpha + t_x)
        d/dalpha = r / alpha - s3 (r + x) / (alpha + T) - s4 (r + x) / (alpha + t_x)
        d/da     = psi(a + b) - psi(a + b + x) + s4 / a
        d/db     = psi(a + b) + psi(b + x) - psi(b) - psi(a + b + x) - s4 / (b + x - 1)

    where s3 = A3 / (A3 + A4) and s4 = A4 / (A3 + A4) (s4 = 0 when x = 0). The terms in x alone
    are computed once per distinct x (groups: distinct_values(x), when the caller has it already)."""
    r, alpha, a, b = (float(p) for p in params)
    x, t_x, T = (np.asarray(v, dtype=float) for v in (x, t_x, T))
    weights = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float)
    xs, at = distinct_values(x) if groups is None else groups
    ln_a1 = special.gammaln(r + xs) - special.gammaln(r) + r * np.log(alpha)
    ln_a2 = special.gammaln(a + b) + special.gammaln(b + xs) - special.gammaln(b) - special.gammaln(a + b + xs)
    ln_a3 = -(r + x) * np.log(alpha + T)
    repeat = x > 0
    ln_a4 = np.full_like(x, -np.inf)
    ln_a4[repeat] = (np.log(a) - np.log(b + x[repeat] - 1) - (r + x[repeat]) * np.log(alpha + t_x[repeat]))
    ln_sum = np.logaddexp(ln_a3, ln_a4)
    value = float(np.sum(weights * ((ln_a1 + ln_a2)[at] + ln_sum)))
    if not gradient:
        return value
    s3, s4 = np.exp(ln_a3 - ln_sum), np.exp(ln_a4 - ln_sum)
    psi_ab = special.digamma(a + b)
    to_b = np.zeros_like(x)
    to_b[repeat] = s4[repeat] / (b + x[repeat] - 1)
    slopes = (
        (special.digamma(r + xs) - special.digamma(r))[at] + np.log(alpha)
        - s3 * np.log(alpha + T) - s4 * np.log(alpha + t_x),
        r / alpha - (r + x) * (s3 / (alpha + T) + s4 / (alpha + t_x)),
        (psi_ab - special.digamma(a + b + xs))[at] + s4 / a,
        (psi_ab + special.digamma(b + xs) - special.digamma(b) - special.digamma(a + b + xs))[at] - to_b,
    )
    return value, np.array([np.sum(weights * slope) for slope in slopes])


def gamma_gamma_log_likelihood(params, x, m, weights=None, gradient=False, groups=None):
    """Sum of the Gamma-Gamma log-likelihoods of customers with x > 0 repeat purchases of mean m > 0;
    with gradient=True, also its gradient with respect to (p, q, v):

        d/dp = x (psi(p x + q) - psi(p x) - ln(1 + v / (x m)))
        d/dq = psi(p x + q) - psi(q) + ln(v) - ln(v + x m)
        d/dv = q / v - (p x + q) / (v + x m)

    groups: distinct_values(x), when the caller has it already."""
    p, q, v = (float(value) for value in params)
    x, m = np.asarray(x, dtype=float), np.asarray(m, dtype=float)
    weights = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float)
    xs, at = distinct_values(x) if groups is None else groups
    px = p * x
    # lnG(px + q) - lnG(px) - lnG(q) = -ln B(px, q), and (px - 1) ln m + px ln x - (px + q) ln(v + x m)
    # = -px ln(1 + v / (x m)) - ln m - q ln(v + x m): the same terms, exact for a large px too
    ln_spread = np.log1p(v / (x * m))
    ln_total = np.log(v + x * m)
    terms = -special.betaln(p * xs, q)[at] + q * np.log(v) - px * ln_spread - np.log(m) - q * ln_total
    value = float(np.sum(weights * terms))
    if not gradient:
        return value
    psi_sum = special.digamma(p * xs + q)
    slopes = (
        x * ((psi_sum - special.digamma(p * xs))[at] - ln_spread),
        (psi_sum - special.digamma(q))[at] + np.log(v) - ln_total,
        q / v - (px + q) / (v + x * m),
    )
    return value, np.array([np.sum(weights * slope) for slope in slopes])


def distinct_values(values):
    """The distinct values of a 1-d array, and for each element the index of its value: one pass
    when the array is sorted (as the unique combinations fitted are), else np.unique."""
    if values.size and np.all(values[1:] >= values[:-1]):
        starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]])
        return values[starts], np.repeat(np.arange(starts.size), np.diff(np.r_[starts, values.size]))
    return np.unique(values, return_inverse=True)


def unique_with_counts(*columns):
    """The distinct rows of the given columns (sorted), one array per column, and how often each
    occurs."""
    frame = pd.DataFrame({index: np.asarray(column, dtype=float) for index, column in enumerate(columns)})
    counts = frame.groupby(list(frame.columns), sort=True, dropna=False).size()
    return ([counts.index.get_level_values(index).to_numpy(dtype=float) for index in range(len(columns))],
            counts.to_numpy(dtype=float))


def minimise(objective, start):
    """Two searches from `start`, BFGS (with the analytic gradient) and Nelder-Mead (which needs
    none), each polished by BFGS; the better optimum wins. Along a flat ridge one of them can
    wander off towards a boundary where the other finds the interior optimum. Nelder-Mead stops at
    tolerances above the objective's rounding noise (about 1e-14 of a mean log-likelihood of order
    10): tighter ones are never met (it then runs for a hundred thousand evaluations).
    It also stops after 1,000 iterations: along Gamma-Gamma's flat ridge it crawls (thousands of
    iterations, ending worse than BFGS); it is there to find the right
    region, and the BFGS polish then refines its optimum."""
    candidates = []
    for method, options in (("BFGS", {"gtol": 1e-7, "maxiter": 2000}),
                            ("Nelder-Mead", {"maxiter": 1000, "xatol": 1e-8, "fatol": 1e-11})):
        with_gradient = method == "BFGS"
        found = optimize.minimize(objective.with_gradient if with_gradient else objective, start,
                                  jac=with_gradient, method=method, options=options)
        polished = optimize.minimize(objective.with_gradient, found.x, jac=True, method="BFGS",
                                     options={"gtol": 1e-7, "maxiter": 2000})
        candidates += [found, polished]
    return min(candidates, key=lambda candidate: candidate.fun)


def scaled_objective(log_likelihood, data, weights):
    """-log L / customers at exp(log-parameters), so tolerances do not depend on the data's size;
    its .with_gradient gives the value and the gradient in log-parameters (d/d ln t = t d/dt).
    The first data column is x, whose distinct values are found once here, not at every call."""
    total = float(np.sum(weights))
    data = [np.asarray(column, dtype=float) for column in data]
    groups = distinct_values(data[0])

    def objective(log_params):
        value = log_likelihood(np.exp(log_params), *data, weights, groups=groups)
        return -value / total if np.isfinite(value) else np.inf

    def with_gradient(log_params):
        params = np.exp(log_params)
        value, slopes = log_likelihood(params, *data, weights, gradient=True, groups=groups)
        if not (np.isfinite(value) and np.all(np.isfinite(slopes))):
            return np.inf, np.zeros_like(log_params)
        return -value / total, -params * slopes / total

    objective.with_gradient = with_gradient
    return objective


def fit(log_likelihood, data, weights, names):
    """Maximise log_likelihood(params, *data, weights) over log-parameters, from all ones.
    Returns (params, log-likelihood, converged, message).

    With more than SEARCH_ROWS distinct rows, the global search runs on a reproducible sample of
    SEARCH_CUSTOMERS customers (drawn by their counts) and BFGS then finishes on all the rows
    from that optimum: the answer is the full data's optimum, found in a few full evaluations."""
    start = np.zeros(len(names))
    objective = scaled_objective(log_likelihood, data, weights)
    if len(weights) > SEARCH_ROWS:
        sample = np.random.default_rng(0).multinomial(SEARCH_CUSTOMERS, weights / np.sum(weights))
        kept = sample > 0
        start = minimise(scaled_objective(log_likelihood, [d[kept] for d in data], sample[kept]), start).x
        best = optimize.minimize(objective.with_gradient, start, jac=True, method="BFGS",
                                 options={"gtol": 1e-7, "maxiter": 200})
    else:
        best = minimise(objective, start)
    params = np.exp(best.x)
    value = log_likelihood(params, *data, weights)
    at = ", ".join(f"{name} = {param:.4g}" for name, param in zip(names, params))
    if not (np.all(np.isfinite(params)) and np.isfinite(value)):
        return params, value, False, f"no finite estimate ({at})"
    if np.max(np.abs(best.x)) > MAX_ABS_LOG_PARAMETER:
        # the likelihood still rises towards a parameter of 0 or infinity: the data cannot pin
        # the model down (for example, every customer always spends the same amount)
        return params, value, False, f"no finite estimate: a parameter runs off to 0 or infinity ({at})"
    gradient = np.max(np.abs(objective.with_gradient(best.x)[1]))
    if gradient >= 1e-4:
        return params, value, False, (
            f"no optimum found: the likelihood still rises (gradient {gradient:.2g}) at {at}; the data may not"
            " identify the model (for example, every customer always spends the same amount)")
    return params, value, True, ""


def fit_bg_nbd(frequency, recency, T):
    (x, t_x, big_t), counts = unique_with_counts(frequency, recency, T)
    return fit(bg_nbd_log_likelihood, (x, t_x, big_t), counts, BG_NBD_PARAMETERS)


def fit_gamma_gamma(frequency, monetary_value):
    (x, m), counts = unique_with_counts(frequency, monetary_value)
    return fit(gamma_gamma_log_likelihood, (x, m), counts, GAMMA_GAMMA_PARAMETERS)


def parameter_rows(summary, min_customers, fit_window="full"):
    """One row per model and parameter, from the per-customer summary (a pandas DataFrame):
    BG/NBD and Gamma-Gamma for fit_window full, BG/NBD alone for calibration."""
    frequency = summary["frequency"].to_numpy(dtype=float)
    recency = summary["recency"].to_numpy(dtype=float)
    big_t = summary["t"].to_numpy(dtype=float)
    # the calibration summary has no spend: Gamma-Gamma is not fitted on it
    monetary = (summary["monetary_value"].to_numpy(dtype=float, na_value=np.nan) if "monetary_value" in summary
                else np.full(len(frequency), np.nan))
    repeat = frequency > 0
    spending = repeat & (monetary > 0)
    rows = []
    models = (
        ("bg_nbd", BG_NBD_PARAMETERS, len(frequency), 0,
         lambda: fit_bg_nbd(frequency, recency, big_t)),
        ("gamma_gamma", GAMMA_GAMMA_PARAMETERS, int(spending.sum()), int((repeat & ~spending).sum()),
         lambda: fit_gamma_gamma(frequency[spending], monetary[spending])),
    )
    for model, names, customers, excluded, fitter in models[:1] if fit_window == "calibration" else models:
        if customers < min_customers:
            params, value, converged = [None] * len(names), None, False
            message = f"too few customers to fit: {customers} < clv_min_customers ({min_customers})"
        else:
            params, value, converged, message = fitter()
            if not converged:
                params = [None] * len(names)
        for name, parameter in zip(names, params):
            rows.append({
                "fit_window": fit_window,
                "model": model,
                "parameter": name,
                "value": None if parameter is None else float(parameter),
                "log_likelihood": None if value is None else float(value),
                "customers_fitted": customers,
                "customers_excluded": excluded,
                "converged": converged,
                "message": message,
            })
    return rows


def model(dbt, session):
    dbt.config(materialized="table")
    summary = dbt.ref("int_customer_purchase_days_summarized").df()
    calibration = dbt.ref("int_customer_purchase_days_calibrated").df()
    settings = dbt.ref("int_cltv_settings_resolved").df().iloc[0]
    min_customers = int(settings["min_customers"])
    rows = parameter_rows(summary, min_customers) + parameter_rows(calibration, min_customers, "calibration")
    frame = pd.DataFrame(rows, columns=[
        "fit_window", "model", "parameter", "value", "log_likelihood", "customers_fitted", "customers_excluded",
        "converged", "message",
    ])
    return frame.astype({"fit_window": "string",
                         "value": "Float64", "log_likelihood": "Float64", "customers_fitted": "int64",
                         "customers_excluded": "int64", "converged": "bool"})
