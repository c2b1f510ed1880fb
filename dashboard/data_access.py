"""Read the published marts for the dashboard: only from the publish folder, only as Parquet.

scripts/publish.py writes every build to its own version folder and switches the symlink
`current` onto it in one rename. The app resolves `<publish dir>/marts` once per page run
(`marts_folder`), so every mart a page shows comes from the same build, and a build or a
publish running meanwhile never blocks or changes a page half-way. Parquet is read with an
in-memory DuckDB connection: nothing is ever opened for writing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

# The variable scripts/publish.py writes to; relative paths are relative to the current directory.
PUBLISH_DIR_VARIABLE = "CUSTOMER_RETENTION_PUBLISH_DIR"
REPOSITORY_DIR = Path(__file__).resolve().parents[1]
DATE_COLUMNS = ("period_start", "period_end", "cohort_start", "activity_date", "as_of_date")
# The length of a period of each grain, for the end of the sidebar's last chosen period.
GRAIN_LENGTHS = {"day": pd.DateOffset(days=1), "week": pd.DateOffset(weeks=1), "month": pd.DateOffset(months=1),
                 "quarter": pd.DateOffset(months=3), "year": pd.DateOffset(years=1)}
# The whole-business KPI columns the Overview shows, and, for a publish folder from before
# kpis_by_period existed, the detailed mart (its segment 'all' rows) each one is taken from.
KPI_FALLBACK_COLUMNS = {
    "retention_by_period": ("period_end", "is_complete", "customers_at_start", "customers_at_end",
                            "retention_rate_pct", "churn_rate_pct"),
    "revenue_retention_by_period": ("mrr_at_start", "mrr_at_end", "gross_revenue_retention_pct",
                                    "net_revenue_retention_pct"),
    "nps_by_period": ("responses", "nps", "nps_ci_low_95", "nps_ci_high_95"),
    "cltv_by_period": ("paying_customers", "arpa", "cltv"),
}


@dataclass(frozen=True)
class View:
    """What a page shows: the build's Parquet folder and the sidebar's choices."""

    folder: Path
    grain: str
    segment_type: str = "all"
    segment_value: str = "all"
    start: date | None = None
    end: date | None = None
    # the first and last period start the sidebar's dates could be set to (None: no periods)
    offered: tuple[date, date] | None = None


def publish_dir() -> Path:
    """The publish folder: CUSTOMER_RETENTION_PUBLISH_DIR, else published/ of the repository."""
    configured = os.environ.get(PUBLISH_DIR_VARIABLE)
    return Path(configured) if configured else REPOSITORY_DIR / "published"


def marts_folder() -> Path:
    """The Parquet folder of the build published now, with every symlink resolved."""
    return Path(os.path.realpath(publish_dir() / "marts"))


@st.cache_data(show_spinner=False, max_entries=64)
def _read_parquet(path: str, modified_ns: int) -> pd.DataFrame:
    """One Parquet file as a data frame (cached per file and modification time)."""
    connection = duckdb.connect()
    try:
        frame = connection.execute("select * from read_parquet(?)", [path]).df()
    finally:
        connection.close()
    for column in DATE_COLUMNS:
        if column in frame.columns:
            frame[column] = pd.to_datetime(frame[column])
    return frame


def read_mart(folder: Path, mart: str) -> pd.DataFrame | None:
    """A published mart, or None when this build has no such mart."""
    path = folder / f"{mart}.parquet"
    if not path.is_file():
        return None
    return _read_parquet(str(path), path.stat().st_mtime_ns)  # st.cache_data hands out a copy


def for_grain(frame: pd.DataFrame, view: View) -> pd.DataFrame:
    """The rows of the view's grain, within its date range (by period_start, else cohort_start)."""
    rows = frame[frame["period_grain"] == view.grain]
    date_column = "period_start" if "period_start" in rows.columns else "cohort_start"
    if view.start is not None:
        rows = rows[rows[date_column] >= pd.Timestamp(view.start)]
    if view.end is not None:
        rows = rows[rows[date_column] <= pd.Timestamp(view.end)]
    return rows


def for_view(frame: pd.DataFrame, view: View) -> pd.DataFrame:
    """The rows of a period mart for the view's grain, date range and segment, by period."""
    rows = for_grain(frame, view)
    rows = rows[(rows["segment_type"] == view.segment_type) & (rows["segment_value"] == view.segment_value)]
    return rows.sort_values("period_start")


def date_window(view: View) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """The sidebar's dates as days [first, end): from the first chosen period's start to the end
    of the last chosen period. An end left where the sidebar offers it is open (None): the
    sidebar's periods are the customers' (subscriptions, transactions), and marts of other data,
    such as the event marts, may start before them."""
    first, last = view.offered or (None, None)
    start = pd.Timestamp(view.start) if view.start is not None and view.start != first else None
    end = None
    if view.end is not None and view.end != last:
        end = pd.Timestamp(view.end) + GRAIN_LENGTHS.get(view.grain, pd.DateOffset(days=1))
    return start, end


def within_dates(frame: pd.DataFrame, column: str, view: View) -> pd.DataFrame:
    """The rows whose date `column` lies within the sidebar's dates (date_window)."""
    start, end = date_window(view)
    if start is not None:
        frame = frame[frame[column] >= start]
    if end is not None:
        frame = frame[frame[column] < end]
    return frame


def whole_business(frame: pd.DataFrame) -> pd.DataFrame:
    """The segment 'all' rows of a period mart, without the segment columns."""
    return frame[frame["segment_type"] == "all"].drop(columns=["segment_type", "segment_value"])


def kpis(folder: Path) -> tuple[pd.DataFrame | None, str]:
    """The whole-business KPIs per grain and period, and the name of where they came from:
    kpis_by_period, else the segment 'all' rows of the detailed marts joined on the period."""
    frame = read_mart(folder, "kpis_by_period")
    if frame is not None:
        return frame, "kpis_by_period"
    key = ["period_grain", "period_start"]
    combined = None
    for mart, columns in KPI_FALLBACK_COLUMNS.items():
        detailed = read_mart(folder, mart)
        if detailed is None:
            continue
        part = whole_business(detailed)[key + list(columns)]
        combined = part if combined is None else combined.merge(part, on=key, how="left")
    source = "the segment 'all' rows of " + ", ".join(KPI_FALLBACK_COLUMNS)
    return combined, source


def latest_complete_pair(frame: pd.DataFrame, grain: str) -> tuple[pd.Series | None, pd.Series | None]:
    """The latest complete period's row of a grain, and the row of the period before it."""
    rows = frame[(frame["period_grain"] == grain) & frame["is_complete"].fillna(False).astype(bool)]
    rows = rows.sort_values("period_start")
    if rows.empty:
        return None, None
    latest = rows.iloc[-1]
    earlier = frame[(frame["period_grain"] == grain) & (frame["period_start"] < latest["period_start"])]
    previous = earlier.sort_values("period_start").iloc[-1] if not earlier.empty else None
    return latest, previous


def period_label(starts: pd.Series, grain: str) -> pd.Series:
    """Readable period names: 2025-03 for a month, 2025-Q1 for a quarter, 2025-W07 for a
    week (ISO), the year for a year, the date otherwise."""
    if grain == "month":
        return starts.dt.strftime("%Y-%m")
    if grain == "quarter":
        return starts.dt.year.astype(str) + "-Q" + starts.dt.quarter.astype(str)
    if grain == "week":
        return starts.dt.strftime("%G-W%V")
    if grain == "year":
        return starts.dt.strftime("%Y")
    return starts.dt.strftime("%Y-%m-%d")
