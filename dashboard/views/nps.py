"""NPS: the score over time with its 95% interval as a band, the shares of promoters, passives and
detractors, and churn by NPS category (retention_by_nps_category)."""

from __future__ import annotations

import altair as alt
import streamlit as st

from charts import INCOMPLETE_CAPTION, PERIOD_AXIS, long_format, no_data, period_lines, segment_name, show
from data_access import for_grain, for_view, period_label, read_mart

CATEGORIES = {"promoter_pct": "Promoters", "passive_pct": "Passives", "detractor_pct": "Detractors"}
CATEGORY_COLOURS = ["#2ca02c", "#bdbdbd", "#d62728"]
# retention_by_nps_category's categories, coloured as the shares are (no answer: blue)
NPS_CATEGORIES = ["promoter", "passive", "detractor", "no answer"]
CATEGORY_SCALE = alt.Scale(domain=NPS_CATEGORIES, range=[*CATEGORY_COLOURS, "#1f77b4"])


def nps_trend(rows, view) -> alt.LayerChart:
    """NPS per period with its 95% confidence interval as a band behind the line."""
    band = alt.Chart(rows[rows["nps_ci_low_95"].notna()]).mark_area(opacity=0.2, color="#1f77b4").encode(
        x=PERIOD_AXIS, y=alt.Y("nps_ci_low_95:Q", title="NPS"), y2="nps_ci_high_95:Q")
    line = period_lines(rows, "nps", value_title="NPS", value_domain=(-100, 100))
    return alt.layer(band, line).properties(title=f"NPS with its 95% interval, {segment_name(view)}")


def category_shares(rows, grain: str) -> alt.Chart:
    """Promoters, passives and detractors as shares of each period's responses."""
    shares = long_format(rows.assign(period=period_label(rows["period_start"], grain))[
        ["period", "is_complete", "responses", *CATEGORIES]], CATEGORIES, value="share")
    shares = shares[shares["share"].notna()]
    return alt.Chart(shares).mark_bar().encode(
        x=alt.X("period:O", title="Period", axis=alt.Axis(labelAngle=-40)),
        y=alt.Y("share:Q", title="% of responses", stack="zero", scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("measure:N", title=None, sort=list(CATEGORIES.values()),
                        scale=alt.Scale(domain=list(CATEGORIES.values()), range=CATEGORY_COLOURS),
                        legend=alt.Legend(orient="bottom")),
        opacity=alt.condition("datum.is_complete", alt.value(1.0), alt.value(0.35)),
        tooltip=["period:O", "measure:N", alt.Tooltip("share:Q", format=".1f"), "responses:Q", "is_complete:N"],
    ).properties(title="Promoters, passives and detractors", height=340)


def churn_by_category(view) -> None:
    """Churn rate per NPS category over time (whole business)."""
    churn = read_mart(view.folder, "retention_by_nps_category")
    if churn is None:
        st.info("Churn by NPS category needs the mart retention_by_nps_category, which this build "
                "does not have yet: rebuild with a version of the project that has it (`make build`).")
        return
    rows = for_grain(churn, view).sort_values("period_start")
    if rows.empty:
        no_data("churn by NPS category")
        return
    show(pooled_churn(rows))
    show(period_lines(rows, "churn_rate_pct", "nps_category", title="Churn by NPS category per period (whole business)",
                      value_title="Churn % of customers at start", value_domain=(0, 100),
                      color=alt.Color("nps_category:N", title=None, sort=NPS_CATEGORIES, scale=CATEGORY_SCALE,
                                      legend=alt.Legend(orient="bottom"))))
    st.caption("A category holds few customers in a period, so its churn rate jumps; the bars pool the complete "
               "periods shown. " + INCOMPLETE_CAPTION)


def pooled_churn(rows) -> alt.Chart:
    """Churn per NPS category pooled over the complete periods shown: churned customers over
    customers at the start, summed before dividing (a rate is never averaged)."""
    complete = rows[rows["is_complete"].fillna(False).astype(bool)]
    pooled = complete.groupby("nps_category", as_index=False)[["customers_at_start", "churned_customers"]].sum()
    pooled["churn_rate_pct"] = 100 * pooled["churned_customers"] / pooled["customers_at_start"].where(
        pooled["customers_at_start"] > 0)
    return alt.Chart(pooled).mark_bar().encode(
        x=alt.X("nps_category:N", title=None, sort=NPS_CATEGORIES, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("churn_rate_pct:Q", title="Churn % of customers at start"),
        color=alt.Color("nps_category:N", sort=NPS_CATEGORIES, scale=CATEGORY_SCALE, legend=None),
        tooltip=["nps_category:N", "customers_at_start:Q", "churned_customers:Q",
                 alt.Tooltip("churn_rate_pct:Q", format=".1f")],
    ).properties(title="Churn by the category of each customer's latest answer before the period, complete periods "
                 "pooled", height=300)


view = st.session_state["view"]
st.title("NPS")
nps = read_mart(view.folder, "nps_by_period")
rows = for_view(nps, view) if nps is not None else None
if rows is None or rows.empty:
    no_data("NPS by period")
else:
    show(nps_trend(rows, view))
    st.caption("The band is the 95% confidence interval: with few responses it is wide, and a change "
               "inside it may be noise. " + INCOMPLETE_CAPTION)
    show(category_shares(rows, view.grain))
churn_by_category(view)
