"""int_customer_holdout_purchases_predicted: the BG/NBD backtest's predictions (doc block
bg_nbd_backtest), per customer of the calibration summary int_customer_purchase_days_calibrated
(customers whose first purchase day is before the holdout), from the calibration fit of
int_cltv_models_fitted (fit_window calibration): the purchase days expected in the holdout,
beside those made. The Python behind the purchase_prediction_backtest mart.

With (x, t_x, T) the customer's frequency, recency and T on the holdout's eve, t* the holdout's
length (holdout_length, both in clv_time_unit) and the calibration fit's (r, alpha, a, b), the
conditional expectation of Fader, Hardie & Lee (2005, eq. 10):

    E[Y(t*) | x, t_x, T] = (a + b + x - 1) / (a - 1)
        * (1 - ((alpha + T) / (alpha + T + t*))^(r + x) * 2F1(r + x, b + x; a + b + x - 1; t* / (alpha + T + t*)))
        / (1 + [x > 0] a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x))

dbt Python models cannot import each other, so expected_purchases (with its series, for where
scipy's hyp2f1 fails) is written again here, as in int_customer_lifetime_values_predicted;
tests/integration/test_clv_models.py checks that the two agree, and both against an independent
computation.

If the calibration fit did not converge, the table is empty (int_cltv_models_fitted says why).
"""

import numpy as np
import pandas as pd
from scipy import special

COLUMNS = ["customer_id", "frequency", "predicted_purchases", "actual_purchases"]


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


def holdout_predictions(summary, params):
    """Per customer of the calibration summary (a pandas DataFrame), in its order: the purchase
    days expected in the next holdout_length, computed once per distinct (x, t_x, T)."""
    keys = summary[["frequency", "recency", "t"]].to_numpy(dtype=float)
    unique, inverse = np.unique(keys, axis=0, return_inverse=True)
    holdout = float(summary["holdout_length"].iloc[0])
    predicted = expected_purchases(params, holdout, unique[:, 0], unique[:, 1], unique[:, 2])
    return predicted[inverse.ravel()]


def model(dbt, session):
    dbt.config(materialized="table")
    summary = dbt.ref("int_customer_purchase_days_calibrated").df()
    parameters = dbt.ref("int_cltv_models_fitted").df()
    fitted = parameters[(parameters["fit_window"] == "calibration") & (parameters["model"] == "bg_nbd")]
    converged = len(fitted) > 0 and bool(fitted["converged"].all())
    frame = pd.DataFrame({
        "customer_id": summary["customer_id"].astype("string"),
        "frequency": summary["frequency"].astype("int64"),
        "predicted_purchases": np.zeros(len(summary)),
        "actual_purchases": summary["holdout_purchases"].astype("int64"),
    }, columns=COLUMNS)
    if not converged or frame.empty:
        return frame.iloc[0:0]
    by_name = {row.parameter: float(row.value) for row in fitted.itertuples()}
    frame["predicted_purchases"] = holdout_predictions(summary, [by_name[name] for name in ("r", "alpha", "a", "b")])
    return frame
