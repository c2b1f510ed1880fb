"""Overview: the whole business in the latest complete period, each KPI with its change against
the period before, and the trend of retention and churn."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from charts import INCOMPLETE_CAPTION, long_format, no_data, period_lines, show
from data_access import for_grain, kpis, latest_complete_pair, period_label

# label, column, unit ("pct", "score" or "amount"), and whether a rise is bad news
TILES = (
    ("Retention", "retention_rate_pct", "pct", False),
    ("Churn", "churn_rate_pct", "pct", True),
    ("NPS", "nps", "score", False),
    ("Net revenue retention", "net_revenue_retention_pct", "pct", False),
    ("MRR at the end", "mrr_at_end", "amount", False),
    ("CLTV", "cltv", "amount", False),
)


def present(value) -> bool:
    """Whether a mart value is there (not null, not NaN)."""
    return value is not None and not pd.isna(value)


def formatted(value, unit: str) -> str:
    """A KPI value as shown on its tile: two decimals, % for a percentage."""
    if not present(value):
        return "n/a"
    return f"{value:,.2f}%" if unit == "pct" else f"{value:,.2f}"


def change(latest, previous, unit: str) -> str | None:
    """The change against the period before, in percentage points for a percentage."""
    if not (present(latest) and present(previous)):
        return None
    return f"{latest - previous:+,.2f}" + (" pp" if unit == "pct" else "")


def tiles(latest: pd.Series, previous: pd.Series | None) -> None:
    """One st.metric per KPI."""
    slots = [slot for _ in range(2) for slot in st.columns(len(TILES) // 2)]
    for slot, (label, column, unit, rise_is_bad) in zip(slots, TILES):
        value = latest.get(column)
        before = previous.get(column) if previous is not None else None
        slot.metric(label, formatted(value, unit), change(value, before, unit),
                           delta_color="inverse" if rise_is_bad else "normal", border=True)


view = st.session_state["view"]
st.title("Overview")
frame, source = kpis(view.folder)
if frame is None or frame.empty:
    no_data("the KPIs")
    st.stop()
if source != "kpis_by_period":
    st.info(f"This build has no kpis_by_period mart; the tiles come from {source}.")
latest, previous = latest_complete_pair(frame, view.grain)
if latest is None:
    no_data("a complete period")
    st.stop()
name = latest.get("period_label") or period_label(pd.Series([latest["period_start"]]), view.grain).iloc[0]
st.subheader(f"Whole business, {view.grain} {name} (the latest complete period)")
tiles(latest, previous)
st.caption("Changes are against the period before. The sidebar's segment does not apply here: "
           "these are the whole business's figures.")
trend = long_format(for_grain(frame, view)[["period_start", "is_complete", "retention_rate_pct", "churn_rate_pct"]],
                    {"retention_rate_pct": "Retention %", "churn_rate_pct": "Churn %"})
show(period_lines(trend, "value", "measure", title="Retention and churn", value_title="% of customers at start",
                  value_domain=(0, 100)))
st.caption(INCOMPLETE_CAPTION)
