"""Lifetime value: cumulative revenue per customer by cohort age, simple CLTV over time, and the
predicted lifetime values: for subscribers, the sBG retention projection and residual values
(retention_projection, subscriber_lifetime_value); for buyers without contracts, the BG/NBD and
Gamma-Gamma values of customer_lifetime_value (distribution and top customers)."""

from __future__ import annotations

import altair as alt
import streamlit as st

from charts import INCOMPLETE_CAPTION, no_data, period_lines, segment_name, show
from data_access import for_grain, for_view, period_label, read_mart

TOP_CUSTOMERS = 20


def cohort_curves(view) -> None:
    """Cumulative revenue per customer of each cohort, by periods since its first."""
    cohorts = read_mart(view.folder, "cltv_by_cohort")
    cells = for_grain(cohorts, view) if cohorts is not None else None
    if cells is None or cells.empty:
        no_data("CLTV by cohort")
        return
    cells = cells.assign(cohort=period_label(cells["cohort_start"], view.grain))
    show(period_lines(
        cells, "cumulative_revenue_per_customer", "cohort", title="Cumulative revenue per customer by cohort age",
        value_title="Cumulative revenue per customer", value_format=",.0f",
        x=alt.X("period_number:Q", title="Periods since the cohort's first", axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("cohort_start:T", title="Cohort", scale=alt.Scale(scheme="viridis"),
                        legend=alt.Legend(format="%Y-%m"))))
    st.caption("Each line is a cohort (the period of its customers' first activity), coloured from oldest "
               "(dark) to newest (light); younger cohorts have shorter lines. Each cohort's current period "
               "is not complete yet: dashed, with a hollow point.")


def simple_cltv(view) -> None:
    """CLTV = ARPA x gross margin / churn rate, per period of the chosen segment."""
    periods = read_mart(view.folder, "cltv_by_period")
    rows = for_view(periods, view) if periods is not None else None
    if rows is None or rows.empty or rows["cltv"].notna().sum() == 0:
        no_data("CLTV by period")
        return
    show(period_lines(rows, "cltv", title=f"Simple CLTV, {segment_name(view)}",
                      value_title="CLTV", value_format=",.0f"))
    st.caption("Periods without churn have no finite lifetime and are left out. " + INCOMPLETE_CAPTION)


def predicted_values(view) -> None:
    """The distribution of predicted CLV, and the customers with the highest."""
    customers = read_mart(view.folder, "customer_lifetime_value")
    if customers is None or customers.empty:
        no_data("predicted lifetime values (the BG/NBD and Gamma-Gamma fits may not have converged)")
        return
    horizon = customers["horizon_periods"].iloc[0]
    histogram = alt.Chart(customers).mark_bar().encode(
        x=alt.X("predicted_clv:Q", bin=alt.Bin(maxbins=30), title=f"Predicted CLV over {horizon} months"),
        y=alt.Y("count():Q", title="Customers"),
    )
    show(histogram.properties(title="Distribution of predicted CLV", height=280))
    top = customers.sort_values("predicted_clv", ascending=False).head(TOP_CUSTOMERS)
    st.caption(f"The {TOP_CUSTOMERS} customers with the highest predicted CLV, and the probability that "
               "each is still active.")
    st.dataframe(top[["customer_id", "predicted_clv", "probability_alive", "expected_purchases", "frequency",
                      "monetary_value"]], hide_index=True,
                 column_config={
                     "predicted_clv": st.column_config.NumberColumn("predicted CLV", format="%.2f"),
                     "probability_alive": st.column_config.ProgressColumn(
                         "probability alive", min_value=0.0, max_value=1.0, format="%.2f"),
                     "expected_purchases": st.column_config.NumberColumn("expected purchases", format="%.2f"),
                     "monetary_value": st.column_config.NumberColumn("mean purchase", format="%.2f")})


def retention_projection(view) -> None:
    """Observed and projected (sBG) survival by age, for the chosen grain and segment."""
    projection = read_mart(view.folder, "retention_projection")
    rows = None
    if projection is not None:
        rows = projection[(projection["period_grain"] == view.grain)
                          & (projection["segment_type"] == view.segment_type)
                          & (projection["segment_value"] == view.segment_value)]
    if rows is None or rows.empty:
        no_data("retention projection (the sBG fit may not have converged for this segment)")
        return
    lines = rows.melt(id_vars=["age"], value_vars=["observed_product_limit_survival_pct", "projected_survival_pct"],
                      var_name="curve", value_name="survival_pct").dropna(subset=["survival_pct"])
    lines["curve"] = lines["curve"].map({"observed_product_limit_survival_pct": "observed",
                                         "projected_survival_pct": "projected (sBG)"})
    base = alt.Chart(lines).encode(
        x=alt.X("age:Q", title=f"Age ({view.grain}s since the cohort's start)", axis=alt.Axis(tickMinStep=1)),
        y=alt.Y("survival_pct:Q", title="% of the cohort never lapsed", scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("curve:N", title=None, legend=alt.Legend(orient="bottom")),
        tooltip=["age:Q", "curve:N", alt.Tooltip("survival_pct:Q", format=".1f")],
    )
    observed = base.transform_filter(alt.datum.curve == "observed").mark_line(point=True)
    projected = base.transform_filter(alt.datum.curve != "observed").mark_line(strokeDash=[6, 4])
    show(alt.layer(projected, observed).properties(
        title=f"How long subscribers stay, {segment_name(view)}", height=300))
    st.caption("Observed: the product of the observed renewal rates at each age, over the cohorts old "
               "enough to be seen there (it never rises, unlike the share of one changing set of cohorts). "
               "Projected: the shifted-beta-geometric fit, continued past the oldest cohort (dashed).")


def subscriber_values(view) -> None:
    """The residual values of the active subscribers (sBG), and the largest."""
    subscribers = read_mart(view.folder, "subscriber_lifetime_value")
    rows = subscribers[subscribers["period_grain"] == view.grain] if subscribers is not None else None
    if rows is None or rows.empty:
        no_data("subscriber lifetime values (no active subscriber, or no converged sBG fit)")
        return
    histogram = alt.Chart(rows).mark_bar().encode(
        x=alt.X("residual_value:Q", bin=alt.Bin(maxbins=30), title="Residual value (future payments, discounted)"),
        y=alt.Y("count():Q", title="Subscribers"),
    )
    show(histogram.properties(title="Distribution of subscriber residual value", height=260))
    st.caption(f"{len(rows):,} active subscribers, worth {rows['residual_value'].sum():,.2f} in all. "
               f"The {TOP_CUSTOMERS} largest:")
    top = rows.sort_values("residual_value", ascending=False).head(TOP_CUSTOMERS)
    st.dataframe(top[["customer_id", "residual_value", "current_mrr", "tenure_periods",
                      "expected_remaining_periods"]], hide_index=True,
                 column_config={
                     "residual_value": st.column_config.NumberColumn("residual value", format="%.2f"),
                     "current_mrr": st.column_config.NumberColumn("MRR", format="%.2f"),
                     "tenure_periods": st.column_config.NumberColumn("renewals survived"),
                     "expected_remaining_periods": st.column_config.NumberColumn(
                         "expected periods left", format="%.1f")})


view = st.session_state["view"]
st.title("Lifetime value")
cohort_curves(view)
simple_cltv(view)
st.subheader("Subscribers: retention projection and value (sBG)")
retention_projection(view)
subscriber_values(view)
st.subheader("Buyers without contracts: predicted lifetime value (BG/NBD, Gamma-Gamma)")
predicted_values(view)
