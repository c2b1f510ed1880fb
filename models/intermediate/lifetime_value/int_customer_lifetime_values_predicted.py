"""int_customer_lifetime_values_predicted: forward-looking value per customer from the fitted
BG/NBD and Gamma-Gamma models (int_cltv_models_fitted), for every customer with a purchase up to
as_of_date (the Python behind the customer_lifetime_value mart).

With (x, t_x, T) = (frequency, recency, T) and the BG/NBD parameters (r, alpha, a, b), writing
D = 1 + [x > 0] * a / (b + x - 1) * ((alpha + T) / (alpha + t_x))^(r + x):

    probability_alive = 1 / D                                   (Fader, Hardie & Lee 2005, eq. 13)
    E[Y(t)] = (a + b + x - 1) / (a - 1)
              * (1 - ((alpha + T) / (alpha + T + t))^(r + x)
                     * 2F1(r + x, b + x; a + b + x - 1; t / (alpha + T + t))) / D      (eq. 10)

the expected number of purchases in the next t time units. A customer with no repeat purchase
has D = 1, so probability_alive = 1: a known property of BG/NBD (nobody is seen dropping out
before their first repeat), not a bug.

Gamma-Gamma (p, q, v): expected_average_spend = p (v + x m) / (p x + q - 1), the posterior mean
spend per purchase; with no repeat purchase (or a non-positive mean) the population mean
p v / (q - 1).

predicted_clv = gross_margin * expected_average_spend
                * sum over months k = 1..H of (E[Y(t_k)] - E[Y(t_(k-1))]) / (1 + d)^k

with t_k = k months in the time unit (a month is 365.25 / 12 days), H = clv_horizon_periods and
d = clv_discount_rate per month. expected_purchases = E[Y(t_H)].

If either model did not converge, the table is empty (cltv_model_parameters says why).
"""

import numpy as np
from scipy import special

DAYS_PER_MONTH = 365.25 / 12


def probability_alive(params, x, t_x, T):
    r, alpha, a, b = params
    x, t_x, T = (np.asarray(v, dtype=float) for v in (x, t_x, T))
    return 1.0 / _denominator(params, x, t_x, T)


def _denominator(params, x, t_x, T):
    r, alpha, a, b = params
    ratio = np.zeros_like(x)
    repeat = x > 0
    ratio[repeat] = np.exp(np.log(a) - np.log(b + x[repeat] - 1)
                           + (r + x[repeat]) * (np.log(alpha + T[repeat]) - np.log(alpha + t_x[repeat])))
    return 1.0 + ratio


def expected_purchases(params, t, x, t_x, T):
    """E[Y(t) | x, t_x, T]: expected purchases in the next t time units (eq. 10). Where scipy's
    hyp2f1 gives no finite value (a huge r + x, as when a fit makes the purchase rate nearly the
    same for everyone, or a = 1), the same quantity from its series (_series_expected_purchases)."""
    r, alpha, a, b = params
    x, t_x, T = (np.asarray(v, dtype=float) for v in (x, t_x, T))
    if t == 0:
        return np.zeros_like(x)
    z = t / (alpha + T + t)
    with np.errstate(all="ignore"):
        head = (a + b + x - 1) / (a - 1)
        tail = 1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * special.hyp2f1(r + x, b + x, a + b + x - 1, z)
        value = np.asarray(head * tail, dtype=float)
    failed = ~np.isfinite(value)
    if failed.any():
        value[failed] = _series_expected_purchases(params, t, x[failed], T[failed])
    return value / _denominator(params, x, t_x, T)


def _series_expected_purchases(params, t, x, T, max_terms=100_000):
    """E[Y(t)] x D from the series of eq. 10's bracket. By Euler's transformation,
    ((alpha + T) / (alpha + T + t))^(r + x) 2F1(r + x, b + x; c; z) = 2F1(r + x, a - 1; c; w) with
    c = a + b + x - 1 and w = -t / (alpha + T); its first term cancels the 1 and its second the head,
    leaving (r + x) t / (alpha + T) sum over m >= 0 of e_m, with e_0 = 1 and
    e_(m+1) = e_m (r + x + m + 1) (a + m) / ((a + b + x + m) (m + 2)) w: no cancellation, no
    1 / (a - 1). It converges for t < alpha + T (nan beyond, or if it has not after max_terms)."""
    r, alpha, a, b = params
    w = -t / (alpha + T)
    inside = np.abs(w) < 1
    w = np.where(inside, w, 0.0)
    term, total = np.ones_like(x), np.ones_like(x)
    for m in range(max_terms):
        term = term * (r + x + m + 1) * (a + m) / ((a + b + x + m) * (m + 2)) * w
        total = total + term
        if np.all(np.abs(term) <= 1e-17 * np.abs(total)):
            break
    else:
        total = np.full_like(x, np.nan)
    return np.where(inside, (r + x) * t / (alpha + T) * total, np.nan)


def expected_average_spend(params, x, m):
    p, q, v = params
    x = np.asarray(x, dtype=float)
    m = np.nan_to_num(np.asarray(m, dtype=float), nan=0.0)
    usable = (x > 0) & (m > 0)
    weighted = np.where(usable, x * m, 0.0)
    count = np.where(usable, x, 0.0)
    return p * (v + weighted) / (p * count + q - 1)


def discounted_purchases(params, x, t_x, T, horizon_months, monthly_rate, unit_days):
    """Sum over the horizon's months of each month's expected purchases, discounted to today."""
    total = np.zeros(len(np.asarray(x)))
    previous = np.zeros_like(total)
    for month in range(1, horizon_months + 1):
        cumulative = expected_purchases(params, month * DAYS_PER_MONTH / unit_days, x, t_x, T)
        total += (cumulative - previous) / (1 + monthly_rate) ** month
        previous = cumulative
    return total, previous


def customer_values(summary, bg_nbd, gamma_gamma, horizon_months, monthly_rate, unit_days, gross_margin):
    """Per-customer predictions, computed once per distinct (x, t_x, T) and mapped back."""
    x = summary["frequency"].to_numpy(dtype=float)
    t_x = summary["recency"].to_numpy(dtype=float)
    big_t = summary["t"].to_numpy(dtype=float)
    monetary = summary["monetary_value"].to_numpy(dtype=float, na_value=np.nan)
    keys = np.column_stack([x, t_x, big_t])
    unique, inverse = np.unique(keys, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    ux, utx, ut = unique[:, 0], unique[:, 1], unique[:, 2]
    alive = probability_alive(bg_nbd, ux, utx, ut)
    discounted, purchases = discounted_purchases(bg_nbd, ux, utx, ut, horizon_months, monthly_rate, unit_days)
    spend = expected_average_spend(gamma_gamma, x, monetary)
    return {
        "probability_alive": alive[inverse],
        "expected_purchases": purchases[inverse],
        "expected_average_spend": spend,
        "predicted_clv": gross_margin * spend * discounted[inverse],
    }


def model(dbt, session):
    dbt.config(materialized="table")
    summary = dbt.ref("int_customer_purchase_days_summarized").df()
    parameters = dbt.ref("int_cltv_models_fitted").df()
    # the fits on all the data (the calibration fit is the backtest's)
    parameters = parameters[parameters["fit_window"] == "full"]
    settings = dbt.ref("int_cltv_settings_resolved").df().iloc[0]
    frame = summary[["customer_id"]].copy()
    converged = len(parameters) > 0 and bool(parameters["converged"].all())
    if not converged:
        frame = frame.iloc[0:0]
    values = {"probability_alive": [], "expected_purchases": [], "expected_average_spend": [], "predicted_clv": []}
    if converged and len(frame):
        by_name = {(row.model, row.parameter): float(row.value) for row in parameters.itertuples()}
        values = customer_values(
            summary,
            [by_name[("bg_nbd", name)] for name in ("r", "alpha", "a", "b")],
            [by_name[("gamma_gamma", name)] for name in ("p", "q", "v")],
            int(settings["horizon_periods"]), float(settings["monthly_discount_rate"]),
            int(settings["unit_days"]), float(settings["gross_margin"]),
        )
    for name, column in values.items():
        frame[name] = np.asarray(column, dtype=float)
    return frame
