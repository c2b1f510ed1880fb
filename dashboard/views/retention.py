"""Retention: retention and churn over time for the chosen segment (and every value of its type),
the cohort triangle, and the average retention curve of all cohorts."""

from __future__ import annotations

import altair as alt
import streamlit as st

from charts import INCOMPLETE_CAPTION, long_format, no_data, period_lines, segment_name, show
from data_access import for_grain, for_view, period_label, read_mart

CELL_HEIGHT = 26  # pixels per cohort row of the triangle
# the toggle's choices: label -> (cohort_retention / cohort_retention_summary column, meaning)
CURVES = {
    "Active in the period": ("retention_pct", "share of the cohort active in that period"),
    "Active then or later": ("retention_on_or_after_pct",
                             "share of the cohort active in that period or any later one"),
}


def retention_over_time(view) -> None:
    """Retention and churn of the chosen segment, then retention of every value of its type."""
    periods = read_mart(view.folder, "retention_by_period")
    rows = for_view(periods, view) if periods is not None else None
    if rows is None or rows.empty:
        no_data("retention by period")
        return
    trend = long_format(rows[["period_start", "is_complete", "retention_rate_pct", "churn_rate_pct"]],
                        {"retention_rate_pct": "Retention %", "churn_rate_pct": "Churn %"})
    show(period_lines(trend, "value", "measure", title=f"Retention and churn, {segment_name(view)}",
                      value_title="% of customers at start", value_domain=(0, 100)))
    if view.segment_type != "all":
        every_value = for_grain(periods, view)
        every_value = every_value[every_value["segment_type"] == view.segment_type].sort_values("period_start")
        show(period_lines(every_value, "retention_rate_pct", "segment_value",
                          title=f"Retention by {view.segment_type}", value_title="Retention %", value_domain=(0, 100)))
    st.caption(INCOMPLETE_CAPTION)


def cohort_triangle(view, column: str, meaning: str) -> None:
    """The cohort triangle as a heatmap: cohorts down, periods since the first across."""
    cohorts = read_mart(view.folder, "cohort_retention")
    cells = for_grain(cohorts, view) if cohorts is not None else None
    if cells is None or cells.empty:
        no_data("cohort retention")
        return
    cells = cells.assign(cohort=period_label(cells["cohort_start"], view.grain),
                         state=cells["is_complete"].map({True: "complete", False: "incomplete"}))
    base = alt.Chart(cells).encode(
        x=alt.X("period_number:O", title="Periods since the cohort's first", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("cohort:O", title="Cohort", sort="ascending"),
    )
    heat = base.mark_rect().encode(
        color=alt.Color(f"{column}:Q", title="%", scale=alt.Scale(domain=[0, 100], scheme="blues")),
        opacity=alt.Opacity("state:N", scale=alt.Scale(domain=["complete", "incomplete"], range=[1, 0.35]),
                            legend=alt.Legend(title="Cell")),
        tooltip=["cohort:O", "period_number:O", "cohort_size:Q", alt.Tooltip(f"{column}:Q", format=".1f"), "state:N"],
    )
    labels = base.mark_text(fontSize=10).encode(
        text=alt.Text(f"{column}:Q", format=".0f"),
        # white on dark cells only: an incomplete cell is pale whatever its value
        color=alt.condition(f"datum.{column} > 60 && datum.is_complete", alt.value("white"), alt.value("black")),
    )
    show((heat + labels).properties(title=f"Cohort retention: {meaning}", height=CELL_HEIGHT * cells["cohort"].nunique() + 90))
    st.caption("Pale cells are periods not complete yet: partial, not a drop.")


def average_curve(view, column: str, meaning: str) -> None:
    """The average retention curve, weighted by cohort size, over complete cells only."""
    summary = read_mart(view.folder, "cohort_retention_summary")
    points = summary[(summary["period_grain"] == view.grain) & summary[column].notna()] if summary is not None else None
    if points is None or points.empty:
        no_data("the average retention curve")
        return
    base = alt.Chart(points).encode(
        x=alt.X("period_number:Q", title="Periods since the cohort's first", axis=alt.Axis(tickMinStep=1)),
        y=alt.Y(f"{column}:Q", title="%", scale=alt.Scale(domain=[0, 100])),
    )
    dots = base.mark_circle(color="#1f77b4", opacity=1).encode(
        size=alt.Size("cohorts_averaged:Q", title="Cohorts averaged", scale=alt.Scale(range=[15, 200])),
        tooltip=["period_number:Q", "cohorts_averaged:Q", "cohort_customers:Q", alt.Tooltip(f"{column}:Q", format=".1f")],
    )
    show((base.mark_line(color="#1f77b4") + dots).properties(title=f"Average retention curve: {meaning}", height=300))
    st.caption("Weighted by cohort size, over the cohorts whose cell is complete; the far right rests on few "
               "cohorts (the smaller the point, the fewer cohorts; see the tooltip).")


view = st.session_state["view"]
st.title("Retention")
retention_over_time(view)
st.subheader("Cohorts")
st.caption("The cohort charts follow the grain and dates; cohorts are whole-business (no segment).")
choice = st.radio("Count a customer as retained when", list(CURVES), horizontal=True, key="cohort_curve")
cohort_triangle(view, *CURVES[choice])
average_curve(view, *CURVES[choice])
