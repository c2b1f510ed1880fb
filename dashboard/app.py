"""The customer-retention dashboard: `make dashboard`, or `streamlit run dashboard/app.py`.

This entry point sets up the pages and the sidebar controls (grain, segment, dates), then runs
the chosen page, which reads the View stored in st.session_state["view"]. Everything shown comes
from the published marts (data_access.py); see docs/dashboard.md.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from data_access import View, marts_folder, publish_dir, read_mart

PAGES = [
    st.Page("views/overview.py", title="Overview", url_path="overview", default=True),
    st.Page("views/retention.py", title="Retention", url_path="retention"),
    st.Page("views/revenue.py", title="Revenue", url_path="revenue"),
    st.Page("views/nps.py", title="NPS", url_path="nps"),
    st.Page("views/lifetime_value.py", title="Lifetime value", url_path="lifetime_value"),
    st.Page("views/usage.py", title="Product usage", url_path="product_usage"),
    st.Page("views/data_quality.py", title="Data quality", url_path="data_quality"),
]
# The mart whose rows offer the sidebar's grains, segments and dates.
CONTROLS_MART = "retention_by_period"


def choose_grain(periods: pd.DataFrame) -> str:
    """The grain, among those present; month first when there is one."""
    grains = sorted(periods["period_grain"].unique(), key=lambda grain: (grain != "month", grain))
    if not grains:
        st.sidebar.caption("No periods in this build.")
        return "month"
    return st.sidebar.selectbox("Grain", grains, key="grain")


def choose_segment(periods: pd.DataFrame) -> tuple[str, str]:
    """The segment type, and a value of it ('all' for the whole business)."""
    types = sorted(periods["segment_type"].unique(), key=lambda kind: (kind != "all", kind))
    if not types:
        return "all", "all"
    segment_type = st.sidebar.selectbox("Segment type", types, key="segment_type")
    if segment_type == "all":
        return "all", "all"
    values = sorted(periods.loc[periods["segment_type"] == segment_type, "segment_value"].unique())
    return segment_type, st.sidebar.selectbox("Segment value", values, key=f"segment_value_{segment_type}")


def choose_dates(periods: pd.DataFrame) -> tuple[date | None, date | None]:
    """The first and last period start to show (both None when there are no periods)."""
    if periods.empty:
        return None, None
    first, last = periods["period_start"].min().date(), periods["period_start"].max().date()
    chosen = st.sidebar.date_input("Periods starting between", (first, last), min_value=first,
                                   max_value=last, key=f"dates_{periods['period_grain'].iloc[0]}")
    if isinstance(chosen, (tuple, list)) and len(chosen) == 2:
        return chosen[0], chosen[1]
    return first, last  # while only one end of the range has been picked


def sidebar_view() -> View | None:
    """The sidebar's controls as a View, or None (with a message) when nothing is published."""
    folder = marts_folder()
    periods = read_mart(folder, CONTROLS_MART)
    if periods is None:
        st.warning(f"No published marts in {publish_dir()}: run `make build` first (it publishes "
                   "them), or point CUSTOMER_RETENTION_PUBLISH_DIR at a publish folder.")
        return None
    grain = choose_grain(periods)
    of_grain = periods[periods["period_grain"] == grain]
    segment_type, segment_value = choose_segment(of_grain)
    start, end = choose_dates(of_grain)
    offered = None if of_grain.empty else (of_grain["period_start"].min().date(), of_grain["period_start"].max().date())
    st.sidebar.caption(f"Reading {publish_dir()} (read-only).")
    return View(folder=folder, grain=grain, segment_type=segment_type, segment_value=segment_value,
                start=start, end=end, offered=offered)


st.set_page_config(page_title="Customer retention", layout="wide")
page = st.navigation(PAGES)
view = sidebar_view()
if view is not None:
    st.session_state["view"] = view
    page.run()
