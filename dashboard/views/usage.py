"""Product usage, from the optional events table (whole business): the event retention triangle
and its weighted average curve, the lifecycle of users per period (new, retained, resurrected,
dormant) with the quick ratio, and DAU, WAU, MAU and DAU / MAU by day. A business without an
events table has empty event marts: the page says so instead of drawing empty charts."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from charts import INCOMPLETE_CAPTION, long_format, no_data, period_lines, show
from data_access import period_label, read_mart, within_dates

GRAIN_ORDER = ("day", "week", "month", "quarter", "year")
WINDOW_ORDER = ("calendar", "rolling")
# the toggle's choices: label -> (event_retention / event_retention_summary column, meaning)
CURVES = {
    "Returned in the period": ("retention_pct", "share of the cohort with a return event at that age"),
    "Returned then or later": ("retention_on_or_after_pct",
                               "share of the cohort with a return event at that age or any later one"),
}
CELL_HEIGHT = 26  # pixels per cohort row of the triangle, up to TRIANGLE_MAX_HEIGHT in all
TRIANGLE_MAX_HEIGHT = 900
LABELLED_CELLS = 600  # cells shown with their value written in them, at most
# user_lifecycle_by_period column -> (label, sign, colour): gains up, losses down
LIFECYCLE = {
    "retained_users": ("Retained", 1, "#1f77b4"),
    "new_users": ("New", 1, "#2ca02c"),
    "resurrected_users": ("Resurrected", 1, "#98df8a"),
    "dormant_users": ("Dormant", -1, "#d62728"),
}
# stickiness_by_day column -> label
ACTIVE_USERS = {"dau": "DAU", "wau_7d": "WAU (7 days)", "mau_28d": "MAU (28 days)"}
NO_EVENTS = ("No data on product usage in this build: its event marts are empty, as they are for a business "
             "without an `events` table (the optional fifth raw table: README, Input contract). Add one "
             "and rebuild to see retention, lifecycle and DAU / MAU from product events.")
NOT_BUILT = ("This build has no product-usage marts: it was published by a version of the project from "
             "before them. Rebuild with this version (`make build`) to see product usage.")


def ordered(values, order: tuple[str, ...]) -> list[str]:
    """The distinct values, those of `order` first in its order, then any other alphabetically."""
    present = set(values)
    return [value for value in order if value in present] + sorted(present - set(order))


def whole_business(frame: pd.DataFrame | None) -> pd.DataFrame | None:
    """The segment 'all' rows of a usage mart (None when the build has no such mart)."""
    return None if frame is None else frame[frame["segment_type"] == "all"]


def choose(label: str, options: list[str], key: str, preferred: tuple[str, ...] = (), slot=st) -> str:
    """A selectbox over `options`, starting on the first of `preferred` among them."""
    index = next((options.index(value) for value in preferred if value in options), 0)
    return slot.selectbox(label, options, index=index, key=key)


def retention_section(view, cells: pd.DataFrame | None, summary: pd.DataFrame | None) -> None:
    """The controls of the event retention charts, then the triangle and the average curve."""
    st.subheader("Event retention")
    cells = whole_business(cells)
    if cells is None or cells.empty:
        no_data("event retention")
        return
    report_slot, grain_slot, window_slot, curve_slot = st.columns([2, 1, 1, 2])
    report = choose("Report", sorted(cells["report_name"].unique()), "usage_report", ("any_activity",), report_slot)
    of_report = cells[cells["report_name"] == report]
    grain = choose("Cohort grain", ordered(of_report["cohort_grain"], GRAIN_ORDER), "usage_cohort_grain",
                   (view.grain, "month", "week"), grain_slot)
    of_grain = of_report[of_report["cohort_grain"] == grain]
    window = choose("Window", ordered(of_grain["window_type"], WINDOW_ORDER), "usage_window_type", slot=window_slot)
    curve = curve_slot.radio("Count a user as retained when", list(CURVES), horizontal=True, key="usage_curve")
    column, meaning = CURVES[curve]
    chosen = of_grain[of_grain["window_type"] == window]
    ages = f"{grain.capitalize()}s since the cohort's start" if window == "calendar" else (
        f"{grain.capitalize()}s (rolling windows) since each member's start event")
    event_triangle(within_dates(chosen, "cohort_start", view), grain, ages, column, meaning)
    points = whole_business(summary)
    if points is not None:
        points = points[(points["report_name"] == report) & (points["cohort_grain"] == grain)
                        & (points["window_type"] == window)]
    event_curve(points, ages, column, meaning)


def event_triangle(cells: pd.DataFrame, grain: str, ages: str, column: str, meaning: str) -> None:
    """The event cohorts as a heatmap: cohorts down, ages across, incomplete cells pale; the
    values are written in the cells when there are few enough to read."""
    if cells.empty:
        no_data("event retention")
        return
    cells = cells.assign(cohort=period_label(cells["cohort_start"], grain),
                         state=cells["is_complete"].map({True: "complete", False: "incomplete"}))
    cohorts = cells["cohort"].nunique()
    base = alt.Chart(cells).encode(
        x=alt.X("period_number:O", title=ages, axis=alt.Axis(labelAngle=0, labelOverlap="greedy")),
        y=alt.Y("cohort:O", title="Cohort", sort="ascending", axis=alt.Axis(labelOverlap="greedy")),
    )
    heat = base.mark_rect().encode(
        color=alt.Color(f"{column}:Q", title="%", scale=alt.Scale(domain=[0, 100], scheme="blues")),
        opacity=alt.Opacity("state:O", sort=["complete", "incomplete"],
                            scale=alt.Scale(domain=["complete", "incomplete"], range=[1, 0.35]),
                            legend=alt.Legend(title="Cell")),
        tooltip=["cohort:O", "period_number:O", "cohort_size:Q", alt.Tooltip(f"{column}:Q", format=".1f"), "state:N"],
    )
    chart = heat
    if len(cells) <= LABELLED_CELLS:
        chart = heat + base.mark_text(fontSize=10).encode(
            text=alt.Text(f"{column}:Q", format=".0f"),
            # white on dark cells only: an incomplete cell is pale whatever its value
            color=alt.condition(f"datum.{column} > 60 && datum.is_complete", alt.value("white"), alt.value("black")),
        )
    height = min(CELL_HEIGHT * cohorts, TRIANGLE_MAX_HEIGHT) + 90
    show(chart.properties(title=f"Event retention by {grain} cohort: {meaning}", height=height))
    st.caption("Each row is a cohort (users by the period of their first start event), each column an age; "
               "age 0 is every member. Pale cells are not complete yet: partial, not a drop.")


def event_curve(points: pd.DataFrame | None, ages: str, column: str, meaning: str) -> None:
    """The weighted average event retention curve (event_retention_summary), complete cells only."""
    points = None if points is None else points[points[column].notna()]
    if points is None or points.empty:
        no_data("the average event retention curve (it needs complete cells)")
        return
    base = alt.Chart(points).encode(
        x=alt.X("period_number:Q", title=ages, axis=alt.Axis(tickMinStep=1)),
        y=alt.Y(f"{column}:Q", title="%", scale=alt.Scale(domain=[0, 100])),
    )
    dots = base.mark_circle(color="#1f77b4", opacity=1).encode(
        size=alt.Size("cohorts_averaged:Q", title="Cohorts averaged", scale=alt.Scale(range=[15, 200])),
        tooltip=["period_number:Q", "cohorts_averaged:Q", "cohort_users:Q", alt.Tooltip(f"{column}:Q", format=".1f")],
    )
    show((base.mark_line(color="#1f77b4") + dots).properties(
        title=f"Average event retention curve: {meaning}", height=300))
    st.caption("Weighted by cohort size, over every cohort whose cell is complete (not only those of the "
               "sidebar's dates); the far right rests on few cohorts (the smaller the point, the fewer).")


def lifecycle_bars(rows: pd.DataFrame, grain: str) -> alt.LayerChart:
    """New, retained and resurrected users up, dormant users down, stacked per period, incomplete
    periods pale; the quick ratio as a line on its own axis (right)."""
    signed = rows.assign(period=period_label(rows["period_start"], grain))
    for column, (_, sign, _) in LIFECYCLE.items():
        signed[column] = sign * signed[column].abs()
    labels = [label for label, _, _ in LIFECYCLE.values()]
    bars = long_format(signed[["period", "period_start", "is_complete", *LIFECYCLE]],
                       {column: label for column, (label, _, _) in LIFECYCLE.items()}, value="users")
    bars["stack_order"] = bars["measure"].map({label: index for index, label in enumerate(labels)})
    x = alt.X("period:O", title="Period", sort=list(signed["period"]), axis=alt.Axis(labelAngle=-40))
    stacked = alt.Chart(bars).mark_bar().encode(
        x=x,
        y=alt.Y("sum(users):Q", title="Users (dormant below zero)", stack="zero"),
        color=alt.Color("measure:N", title=None, sort=labels,
                        scale=alt.Scale(domain=labels, range=[colour for _, _, colour in LIFECYCLE.values()]),
                        legend=alt.Legend(orient="bottom")),
        order=alt.Order("stack_order:Q"),
        opacity=alt.condition("datum.is_complete", alt.value(1.0), alt.value(0.35)),
        tooltip=["period:O", "measure:N", alt.Tooltip("users:Q", format=",d"), "is_complete:N"],
    )
    ratio = period_lines(signed, "quick_ratio", value_title="Quick ratio", value_format=",.2f", x=x,
                         color=alt.value("black"), value_axis_orient="right")
    return alt.layer(stacked, ratio).resolve_scale(y="independent").properties(
        title="Users by lifecycle state, and the quick ratio (line, right axis)", height=380)


def lifecycle_section(view, lifecycle: pd.DataFrame | None) -> None:
    """The lifecycle bars at a grain of those built (the sidebar's when built)."""
    st.subheader("Lifecycle")
    rows = whole_business(lifecycle)
    if rows is None or rows.empty:
        no_data("the user lifecycle")
        return
    grain_slot, _ = st.columns([1, 4])
    grain = choose("Lifecycle grain", ordered(rows["period_grain"], GRAIN_ORDER), "usage_lifecycle_grain",
                   (view.grain, "month"), grain_slot)
    rows = within_dates(rows[rows["period_grain"] == grain], "period_start", view).sort_values("period_start")
    if rows.empty:
        no_data("the user lifecycle")
        return
    show(lifecycle_bars(rows, grain))
    st.caption("Active users = new + retained + resurrected; the previous period's active users = retained + "
               "dormant. Quick ratio = (new + resurrected) / dormant: above 1 the active base grows; none where "
               "nobody went dormant. " + INCOMPLETE_CAPTION)


def stickiness_section(view, days: pd.DataFrame | None) -> None:
    """DAU, WAU and MAU by day, then DAU / MAU."""
    st.subheader("Daily, weekly and monthly active users")
    rows = whole_business(days)
    rows = None if rows is None else within_dates(rows, "activity_date", view).sort_values("activity_date")
    if rows is None or rows.empty:
        no_data("active users by day")
        return
    day_axis = alt.X("activity_date:T", title="Day", axis=alt.Axis(format="%Y-%m-%d", labelAngle=-40))
    counts = long_format(rows[["activity_date", *ACTIVE_USERS]], ACTIVE_USERS, value="users")
    show(alt.Chart(counts).mark_line().encode(
        x=day_axis,
        y=alt.Y("users:Q", title="Users"),
        color=alt.Color("measure:N", title=None, sort=list(ACTIVE_USERS.values()), legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("activity_date:T", title="Day", format="%Y-%m-%d"), "measure:N", "users:Q"],
    ).properties(title="DAU, WAU and MAU", height=360))
    ratio = rows[rows["dau_mau_pct"].notna()]
    if not ratio.empty:
        show(alt.Chart(ratio).mark_line(color="#9467bd").encode(
            x=day_axis,
            y=alt.Y("dau_mau_pct:Q", title="DAU / MAU %"),
            tooltip=[alt.Tooltip("activity_date:T", title="Day", format="%Y-%m-%d"), "dau:Q", "mau_28d:Q",
                     alt.Tooltip("dau_mau_pct:Q", title="DAU / MAU %", format=".1f")],
        ).properties(title="Stickiness: DAU / MAU", height=260))
    st.caption("WAU and MAU are the distinct users active on any of the 7 and 28 days ending on each day. "
               "DAU / MAU: how many of the month's users come back on a given day (none where nobody was "
               "active in the 28 days). Every day up to the data's last one is complete.")


view = st.session_state["view"]
st.title("Product usage")
marts = {
    "event_retention": read_mart(view.folder, "event_retention"),
    "event_retention_summary": read_mart(view.folder, "event_retention_summary"),
    "user_lifecycle_by_period": read_mart(view.folder, "user_lifecycle_by_period"),
    "stickiness_by_day": read_mart(view.folder, "stickiness_by_day"),
}
if all(frame is None for frame in marts.values()):
    st.info(NOT_BUILT)
    st.stop()
if all(frame is None or frame.empty for frame in marts.values()):
    st.info(NO_EVENTS)
    st.stop()
st.caption("Whole business, from product events: the sidebar's segment does not apply here; its dates do "
           "(cohorts, periods and days starting between them).")
retention_section(view, marts["event_retention"], marts["event_retention_summary"])
lifecycle_section(view, marts["user_lifecycle_by_period"])
stickiness_section(view, marts["stickiness_by_day"])
