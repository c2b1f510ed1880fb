"""int_customer_subscriber_values_predicted: the residual value of every active subscriber from the
fitted shifted-beta-geometric model (int_cltv_retention_projections_fitted, segment all, at each
grain, fitted on all the data), the Python behind the subscriber_lifetime_value mart (doc block sbg_subscriber_value).

Fader & Hardie (2010), "Customer-base valuation in a contractual setting": for a customer whose
current spell has survived n renewals (int_cltv_subscriber_tenures_counted), with d the grain's
discount rate per period,

    DERL(d, n) = (beta + n) / (alpha + beta + n) * 2F1(1, beta + n + 1; alpha + beta + n + 1; 1 / (1 + d))

the discounted expected number of payments still to come, from the next renewal on, the next
one counted undiscounted. scipy's hyp2f1 returns nan for some of these arguments (1 / (1 + d) near
1 at day grain), so DERL is computed from its defining sum, D(n) = sum over k >= 1 of
S(n + k) / S(n) / (1 + d)^(k - 1), through the backward recurrence
D(n) = r(n + 1) (1 + D(n + 1) / (1 + d)), started far enough above the largest tenure (see
discounted_expected_residual_lifetime). Its value, with the customer's MRR at the end of as_of_date:

    residual_value = current_mrr * months per period * gross_margin * DERL(d, n)

and the undiscounted expected number of payments still to come, the sum over k >= 1 of
S(n + k) / S(n), is (beta + n) / (alpha - 1) when alpha > 1; when alpha <= 1 the sum diverges (a
share of customers with theta near 0 stays for ever) and expected_remaining_periods is null.

The beta-geometric model knows the customer only through n: a reactivated subscriber is valued
on their current spell, as if it were their first. Where the segment all did not converge at a
grain, that grain has no rows (retention_projection_parameters says why).
"""

import numpy as np
import pandas as pd

COLUMNS = ["customer_id", "period_grain", "tenure_periods", "current_mrr", "alpha", "beta",
           "discount_rate_per_period", "discounted_expected_remaining_payments",
           "expected_remaining_periods", "residual_value"]


def discounted_expected_residual_lifetime(alpha, beta, tenure, discount_rate):
    """DERL(d, n) for each tenure n (an array of whole numbers >= 0), by the backward recurrence
    D(n) = r(n + 1) (1 + D(n + 1) / (1 + d)) with r(n + 1) = (beta + n) / (alpha + beta + n).
    It starts from (1 + d) / d, D's limit when nobody churns (at most that far from the truth),
    STEPS_BELOW_START periods above the largest tenure: each step down multiplies that error by
    r / (1 + d) < 1 / (1 + d), so it ends below e^-40 of the start, far below double rounding.
    (int_cltv_retention_projections_fitted computes DEL = 1 + D(0) / (1 + d) the same way.)"""
    n = np.asarray(tenure, dtype=int)
    if n.size == 0:
        return np.zeros(0)
    discount = 1.0 / (1.0 + discount_rate)
    largest = int(n.max())
    remaining = np.empty(largest + 1)
    value = 1.0 / (1.0 - discount)
    for step in range(largest + int(np.ceil(40.0 / np.log1p(discount_rate))), -1, -1):
        value = (beta + step) / (alpha + beta + step) * (1.0 + discount * value)
        if step <= largest:
            remaining[step] = value
    return remaining[n]


def expected_remaining_periods(alpha, beta, tenure):
    """(beta + n) / (alpha - 1) for alpha > 1, else nan (an infinite expectation)."""
    n = np.asarray(tenure, dtype=float)
    return (beta + n) / (alpha - 1.0) if alpha > 1.0 else np.full_like(n, np.nan)


def value_rows(tenures, fits, gross_margin):
    """The subscribers of `tenures` (one row per customer and grain) valued with the converged fit
    of segment all at their grain (`fits`, the fitted model's rows)."""
    overall = fits[(fits["segment_type"] == "all") & (fits["fit_window"] == "full") & fits["converged"]]
    frames = []
    for fit in overall.itertuples():
        rows = tenures[tenures["period_grain"] == fit.period_grain].copy()
        if rows.empty:
            continue
        tenure = rows["tenure_periods"].to_numpy(dtype=float)
        mrr = rows["current_mrr"].to_numpy(dtype=float)
        derl = discounted_expected_residual_lifetime(fit.alpha, fit.beta, tenure, fit.discount_rate_per_period)
        rows["alpha"], rows["beta"] = float(fit.alpha), float(fit.beta)
        rows["discount_rate_per_period"] = float(fit.discount_rate_per_period)
        rows["discounted_expected_remaining_payments"] = derl
        rows["expected_remaining_periods"] = expected_remaining_periods(fit.alpha, fit.beta, tenure)
        rows["residual_value"] = mrr * fit.months_per_period * gross_margin * derl
        frames.append(rows[COLUMNS])
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)


def model(dbt, session):
    dbt.config(materialized="table")
    tenures = dbt.ref("int_cltv_subscriber_tenures_counted").df()
    fits = dbt.ref("int_cltv_retention_projections_fitted").df()
    settings = dbt.ref("int_cltv_settings_resolved").df().iloc[0]
    frame = value_rows(tenures, fits, float(settings["gross_margin"]))
    # "string", not object: an empty table (transaction mode) still has text columns
    return frame.astype({"customer_id": "string", "period_grain": "string", "tenure_periods": "int64",
                         "current_mrr": "float64", "alpha": "float64", "beta": "float64",
                         "discount_rate_per_period": "float64",
                         "discounted_expected_remaining_payments": "float64",
                         "expected_remaining_periods": "Float64", "residual_value": "float64"})
