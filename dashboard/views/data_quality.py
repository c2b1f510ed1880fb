"""Data quality: the raw rows each source lost to the quarantine, by table and reason."""

from __future__ import annotations

import altair as alt
import streamlit as st

from charts import no_data, show
from data_access import read_mart


def rejected_by_reason(rows) -> alt.Chart:
    """Rejected rows per table, split by reason."""
    return alt.Chart(rows).mark_bar().encode(
        y=alt.Y("source_table:N", title=None),
        x=alt.X("sum(rejected_rows):Q", title="Rejected rows", axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("rejection_reason:N", title="Reason"),
        tooltip=["source_table:N", "rejection_reason:N", "reason_description:N", "rejected_rows:Q",
                 alt.Tooltip("rejected_share_pct:Q", format=".2f")],
    ).properties(title="Rejected rows by table and reason", height=300)


def rows_per_table(rows) -> alt.Chart:
    """Raw rows per table, kept or rejected, with the share rejected against the build's limit."""
    tables = rows.drop_duplicates("source_table")[
        ["source_table", "source_raw_rows", "source_staged_rows", "source_rejected_rows",
         "source_rejected_share_pct", "max_rejected_share_pct"]]
    return alt.Chart(tables).mark_bar().encode(
        y=alt.Y("source_table:N", title=None),
        x=alt.X("source_rejected_share_pct:Q", title="% of raw rows rejected", axis=alt.Axis(tickCount=6)),
        tooltip=["source_table:N", "source_raw_rows:Q", "source_staged_rows:Q", "source_rejected_rows:Q",
                 alt.Tooltip("source_rejected_share_pct:Q", format=".2f"),
                 alt.Tooltip("max_rejected_share_pct:Q", format=".2f")],
    ).properties(title="Share of each table's raw rows rejected (the build stops above the limit)", height=260)


view = st.session_state["view"]
st.title("Data quality")
quality = read_mart(view.folder, "data_quality_by_source")
if quality is None or quality.empty:
    no_data("data quality")
    st.stop()
rejected = quality[quality["rejected_rows"] > 0]
if rejected.empty:
    st.success("No raw row was rejected in this build.")
else:
    show(rejected_by_reason(rejected))
show(rows_per_table(quality))
if not rejected.empty:
    st.dataframe(rejected[["source_table", "rejection_reason", "reason_description", "rejected_rows",
                           "rejected_share_pct"]], hide_index=True)
st.caption("Each rejected row, its reason and its original values are in staging.stg_raw__quarantined_rows "
           "of dbt's working database (docs/data-quality.md).")
