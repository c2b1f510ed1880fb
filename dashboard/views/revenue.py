"""Revenue: the MRR movements of each period as stacked bars (losses below zero), gross and net
revenue retention, and the customers behind the latest period's movements."""

from __future__ import annotations

import altair as alt
import streamlit as st

from charts import INCOMPLETE_CAPTION, long_format, no_data, period_lines, segment_name, show
from data_access import for_grain, for_view, period_label, read_mart

# revenue_retention_by_period column -> (label, sign): gains up, losses down
MOVEMENTS = {
    "new_mrr": ("New", 1),
    "expansion_mrr": ("Expansion", 1),
    "reactivation_mrr": ("Reactivation", 1),
    "moved_in_mrr": ("Moved in (segment)", 1),
    "contraction_mrr": ("Contraction", -1),
    "churned_mrr": ("Churn", -1),
    "moved_out_mrr": ("Moved out (segment)", -1),
}
MOVEMENT_COLOURS = ["#2ca02c", "#98df8a", "#1f77b4", "#aec7e8", "#ff9896", "#d62728", "#c49c94"]


def movement_bars(rows, grain: str) -> alt.Chart:
    """Stacked bars of the MRR movements per period; churn and contraction below zero,
    incomplete periods pale."""
    signed = rows.assign(period=period_label(rows["period_start"], grain))
    for column, (_, sign) in MOVEMENTS.items():
        signed[column] = sign * signed[column].abs()
    bars = long_format(signed[["period", "period_start", "is_complete", *MOVEMENTS]],
                       {column: label for column, (label, _) in MOVEMENTS.items()}, value="mrr")
    bars = bars[bars["mrr"] != 0]
    shown = [(label, colour) for (label, _), colour in zip(MOVEMENTS.values(), MOVEMENT_COLOURS)
             if label in set(bars["measure"])]  # a legend of the movements there are
    labels, colours = [label for label, _ in shown], [colour for _, colour in shown]
    return alt.Chart(bars).mark_bar().encode(
        x=alt.X("period:O", title="Period", axis=alt.Axis(labelAngle=-40)),
        y=alt.Y("sum(mrr):Q", title="MRR movement", stack="zero"),
        color=alt.Color("measure:N", title=None, sort=labels,
                        scale=alt.Scale(domain=labels, range=colours), legend=alt.Legend(orient="bottom")),
        order=alt.Order("measure:N"),
        opacity=alt.condition("datum.is_complete", alt.value(1.0), alt.value(0.35)),
        tooltip=["period:O", "measure:N", alt.Tooltip("mrr:Q", format=",.2f"),
                 "is_complete:N"],
    ).properties(title="MRR movements (losses below zero)", height=380)


def latest_movers(view) -> None:
    """The customers behind the movements of the latest period shown (whole business)."""
    movements = read_mart(view.folder, "mrr_movements")
    rows = for_grain(movements, view) if movements is not None else None
    if rows is None or rows.empty:
        no_data("MRR movements per customer")
        return
    latest = rows[rows["period_start"] == rows["period_start"].max()]
    periods = read_mart(view.folder, "revenue_retention_by_period")
    partial = periods is not None and not periods.loc[
        (periods["period_grain"] == view.grain) & (periods["period_start"] == latest["period_start"].max()),
        "is_complete"].all()
    st.caption(f"Customers behind the movements of the period starting {latest['period_start'].max():%Y-%m-%d} "
               f"(whole business{', not complete yet' if partial else ''}), largest first.")
    columns = ["customer_id", "movement_type", "plan_at_start", "plan_at_end", "mrr_at_start", "mrr_at_end"]
    ordered = latest.assign(size=(latest["mrr_at_end"] - latest["mrr_at_start"]).abs()).sort_values("size", ascending=False)
    st.dataframe(ordered[columns].head(50), hide_index=True)


view = st.session_state["view"]
st.title("Revenue")
revenue = read_mart(view.folder, "revenue_retention_by_period")
rows = for_view(revenue, view) if revenue is not None else None
if rows is None or rows.empty:
    no_data("revenue retention")
else:
    show(movement_bars(rows, view.grain))
    retention = long_format(rows[["period_start", "is_complete", "gross_revenue_retention_pct", "net_revenue_retention_pct"]],
                            {"gross_revenue_retention_pct": "Gross revenue retention %",
                             "net_revenue_retention_pct": "Net revenue retention %"})
    show(period_lines(retention, "value", "measure", title=f"Revenue retention, {segment_name(view)}",
                      value_title="% of MRR at start"))
    st.caption(INCOMPLETE_CAPTION)
latest_movers(view)
