"""Altair charts shared by the pages, drawing periods that are not complete yet apart.

A period is incomplete when the data ends inside it (is_complete false): its counts and rates
are partial and will change. Lines reach such a period only as a dashed segment ending in a
hollow point, bars of such a period are pale, so a partial period never reads as a real fall.
Altair renders in the browser with the Vega bundled in Streamlit's frontend: nothing is
fetched from elsewhere.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

INCOMPLETE_CAPTION = (
    "Dashed lines and hollow points (pale bars) mark periods that are not complete yet: the data "
    "ends inside them, so their values are partial and will change; read them as provisional, not "
    "as a rise or a fall."
)
PERIOD_AXIS = alt.X("period_start:T", title="Period start", axis=alt.Axis(format="%Y-%m", labelAngle=-40))
CHART_HEIGHT = 320


def segment_name(view) -> str:
    """The chosen segment in words."""
    return "whole business" if view.segment_type == "all" else f"{view.segment_type} {view.segment_value}"


def show(chart: alt.TopLevelMixin) -> None:
    """Draw a chart across the page's width, with room above it for its title (which Vega
    otherwise places partly above the chart's frame, where Streamlit clips it)."""
    st.altair_chart(chart.properties(padding={"top": 18, "bottom": 5, "left": 5, "right": 5}), width="stretch")


def no_data(what: str) -> None:
    """The friendly message shown instead of a chart or table with nothing to show."""
    st.info(f"No data for {what} in the published build (or none in the chosen grain, segment "
            "and dates).")


def _dashed_tail(rows: pd.DataFrame, series: str) -> pd.DataFrame:
    """The incomplete rows of each series, each preceded by the last complete row before it,
    for the dashed segment that leads from the last complete period to a partial one."""
    parts = []
    for _, group in rows.groupby(series, sort=False):
        incomplete = group[~group["is_complete"]]
        if incomplete.empty:
            continue
        before = group[group["is_complete"] & (group["period_start"] < incomplete["period_start"].min())]
        parts.append(pd.concat([before.tail(1), incomplete]))
    return pd.concat(parts) if parts else rows.iloc[0:0]


def period_lines(rows: pd.DataFrame, value: str, series: str | None = None, title: str = "",
                 value_title: str = "", value_format: str = ",.1f",
                 value_domain: tuple[float, float] | None = None, x: alt.X = PERIOD_AXIS,
                 color: alt.Color | None = None, value_axis_orient: str = "left") -> alt.LayerChart:
    """Lines of `value` over period_start (or another `x`), one per `series` value: solid with
    filled points over complete periods, dashed to hollow points for incomplete ones. The value
    axis is on the left, or on the right (`value_axis_orient`) beside bars on another scale."""
    rows = rows[rows[value].notna()].copy()
    rows["is_complete"] = rows["is_complete"].fillna(False).astype(bool)
    series = series or "series"
    if series not in rows.columns:
        rows[series] = value_title or value
    scale = alt.Scale(domain=list(value_domain)) if value_domain else alt.Scale(zero=False)
    encoding = {
        "x": x,
        "y": alt.Y(f"{value}:Q", title=value_title or value, scale=scale,
                   axis=alt.Axis(format=value_format, orient=value_axis_orient)),
        "color": color or alt.Color(f"{series}:N", title=None,
                                    legend=alt.Legend(orient="bottom") if rows[series].nunique() > 1 else None),
    }
    tooltip = [alt.Tooltip("period_start:T", title="Period start", format="%Y-%m-%d"),
               alt.Tooltip(f"{series}:N", title="Series"),
               alt.Tooltip(f"{value}:Q", title=value_title or value, format=value_format),
               alt.Tooltip("is_complete:N", title="Complete")]
    complete = rows[rows["is_complete"]]
    incomplete = rows[~rows["is_complete"]]
    layers = [
        alt.Chart(complete).mark_line().encode(**encoding),
        alt.Chart(_dashed_tail(rows, series)).mark_line(strokeDash=[5, 4]).encode(**encoding),
        alt.Chart(complete).mark_point(filled=True, size=40).encode(**encoding, tooltip=tooltip),
        alt.Chart(incomplete).mark_point(filled=False, size=90, strokeWidth=2).encode(**encoding, tooltip=tooltip),
    ]
    return alt.layer(*layers).properties(title=title, height=CHART_HEIGHT)


def long_format(rows: pd.DataFrame, columns: dict[str, str], name: str = "measure",
                value: str = "value") -> pd.DataFrame:
    """Several measure columns as rows (measure, value), the measures renamed by `columns`."""
    kept = [column for column in rows.columns if column not in columns]
    melted = rows.melt(id_vars=kept, value_vars=list(columns), var_name=name, value_name=value)
    melted[name] = melted[name].map(columns)
    return melted
