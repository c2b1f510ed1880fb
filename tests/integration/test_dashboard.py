"""The dashboard (dashboard/app.py, `make dashboard`) on a demo build and on an empty one.

The demo build (conftest's demo_build, which other modules read too) is published once for the
module. Streamlit's AppTest runs every page on it and on an empty publish folder (every mart with
zero rows), and checks the Overview tiles against the marts, computed here by SQL on the Parquet
files, and the data of the Product usage charts against the event marts; that page also runs on a
business without events (empty event marts) and on a build from before them. Then `make dashboard`
itself serves the demo build and a real headless Chromium (Debian's, scripts/install_chromium.sh)
opens every page: no exception or error on it, at least one chart drawn, no request to any host but
loopback, and a full-page screenshot in target/screenshots/<page>.png.
"""

from __future__ import annotations

import os
import re
import json
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

import duckdb
import pandas as pd
import pyarrow as pa
import pytest
import yaml
from streamlit.testing.v1 import AppTest

from conftest import PROJECT_DIR

DASHBOARD_DIR = PROJECT_DIR / "dashboard"
APP = DASHBOARD_DIR / "app.py"
# url path (as in dashboard/app.py; the default page is served at /) -> page script
PAGES = {
    "overview": "views/overview.py",
    "retention": "views/retention.py",
    "revenue": "views/revenue.py",
    "nps": "views/nps.py",
    "lifetime_value": "views/lifetime_value.py",
    "product_usage": "views/usage.py",
    "data_quality": "views/data_quality.py",
}
SCREENSHOTS = PROJECT_DIR / "target" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CHART = '[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg'
FAILURE = '[data-testid="stException"], [data-testid="stAlertContentError"]'
# tile label -> kpis_by_period column (the Overview's tiles)
TILES = {
    "Retention": "retention_rate_pct",
    "Churn": "churn_rate_pct",
    "NPS": "nps",
    "Net revenue retention": "net_revenue_retention_pct",
    "MRR at the end": "mrr_at_end",
    "CLTV": "cltv",
}
# Without kpis_by_period, each tile's column comes from the segment 'all' rows of this mart.
DETAILED_MART = {
    "retention_rate_pct": "retention_by_period",
    "churn_rate_pct": "retention_by_period",
    "nps": "nps_by_period",
    "net_revenue_retention_pct": "revenue_retention_by_period",
    "mrr_at_end": "revenue_retention_by_period",
    "cltv": "cltv_by_period",
}
KPIS_MART = "kpis_by_period"
# The product-usage marts, all built from the optional events table (empty without one).
EVENT_MARTS = ("event_retention", "event_retention_summary", "event_retention_brackets", "user_lifecycle_by_period",
               "stickiness_by_day", "usage_frequency_by_period")


EXPOSURES = PROJECT_DIR / "models" / "marts" / "_dashboard__exposures.yml"


def marts_the_app_reads() -> set[str]:
    """Every mart named in a read_mart call or in the KPI fallback of dashboard/."""
    sys.path.insert(0, str(DASHBOARD_DIR))
    from data_access import KPI_FALLBACK_COLUMNS

    names = set(KPI_FALLBACK_COLUMNS)
    for source in DASHBOARD_DIR.rglob("*.py"):
        names |= set(re.findall(r'read_mart\([^,()]+, "(\w+)"\)', source.read_text()))
        names |= set(re.findall(r'^CONTROLS_MART = "(\w+)"', source.read_text(), flags=re.M))
    return names


def test_the_exposure_declares_every_mart_the_app_reads():
    """The dbt exposure lists each mart the dashboard reads that the project builds (a mart it
    only tolerates the absence of, not yet in models/, cannot be referenced yet)."""
    exposure, = yaml.safe_load(EXPOSURES.read_text())["exposures"]
    declared = {re.fullmatch(r"ref\('(\w+)'\)", ref).group(1) for ref in exposure["depends_on"]}
    built = {path.stem for path in (PROJECT_DIR / "models" / "marts").rglob("*.sql")}
    read = marts_the_app_reads()
    assert len(read) >= 10
    assert read & built == declared


@pytest.fixture(scope="module")
def demo_published(demo_build, tmp_path_factory) -> Path:
    """The demo data built (conftest's demo_build) and published, as `make build` does: the
    publish folder."""
    published = tmp_path_factory.mktemp("dashboard") / "published"
    result = subprocess.run(
        [sys.executable, str(PROJECT_DIR / "scripts" / "publish.py"), "--database", str(demo_build / "retention.duckdb"),
         "--publish-dir", str(published)], cwd=PROJECT_DIR, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return published


@pytest.fixture(scope="module")
def empty_published(demo_published, tmp_path_factory) -> Path:
    """A publish folder of empty marts. Cheaper than a dbt build on empty raw files, and the same
    for the dashboard: each demo mart copied `where false`, so it keeps its columns and types with
    zero rows, as Parquet and in a DuckDB file (schema marts) beside it."""
    published = tmp_path_factory.mktemp("dashboard_empty")
    (published / "marts").mkdir()
    connection = duckdb.connect(str(published / "customer_retention.duckdb"))
    try:
        connection.execute("create schema marts")
        for source in sorted((demo_published / "marts").glob("*.parquet")):
            connection.execute(f"create table marts.{source.stem} as select * from read_parquet(?) where false",
                               [str(source)])
            connection.execute(f"copy marts.{source.stem} to '{published / 'marts' / source.name}' (format parquet)")
    finally:
        connection.close()
    return published


@pytest.fixture(scope="module")
def without_kpis_published(demo_published, tmp_path_factory) -> Path:
    """The demo publish folder less kpis_by_period (links to the other Parquet files): what a
    build from before that mart publishes, for the Overview's fallback to the detailed marts."""
    published = tmp_path_factory.mktemp("dashboard_without_kpis")
    (published / "marts").mkdir()
    for source in (demo_published / "marts").glob("*.parquet"):
        if source.stem != KPIS_MART:
            (published / "marts" / source.name).symlink_to(source.resolve())
    return published


@pytest.fixture(scope="module")
def predicted_published(demo_published, tmp_path_factory) -> Path:
    """The demo publish folder with three made-up rows in customer_lifetime_value, which the
    demo build leaves empty (its BG/NBD fit needs more repeat buyers than the demo has), so that
    the Lifetime value page's predicted values are drawn too."""
    published = tmp_path_factory.mktemp("dashboard_predicted")
    (published / "marts").mkdir()
    for source in (demo_published / "marts").glob("*.parquet"):
        if source.stem != "customer_lifetime_value":
            (published / "marts" / source.name).symlink_to(source.resolve())
    connection = duckdb.connect()
    try:
        connection.execute("create table predicted as select * from read_parquet(?) where false",
                           [str(demo_published / "marts" / "customer_lifetime_value.parquet")])
        connection.execute(
            "insert into predicted by name select * from (values"
            " ('00001', 3, 20.0, 30.0, 50.0, 0.9, 2.5, 48.0, 110.0, 'week', 12, date '2025-06-15'),"
            " ('00002', 0, 0.0, 10.0, null, 0.99, 0.8, 40.0, 30.0, 'week', 12, date '2025-06-15'),"
            " ('00003', 1, 5.0, 40.0, 20.0, 0.2, 0.1, 25.0, 2.0, 'week', 12, date '2025-06-15'))"
            " as made_up(customer_id, frequency, recency, t, monetary_value, probability_alive,"
            " expected_purchases, expected_average_spend, predicted_clv, time_unit, horizon_periods, as_of_date)")
        connection.execute(f"copy predicted to '{published / 'marts' / 'customer_lifetime_value.parquet'}'"
                           " (format parquet)")
    finally:
        connection.close()
    return published


def publish_folder_like(demo_published: Path, folder: Path, emptied=(), left_out=()) -> Path:
    """A publish folder of links to the demo build's Parquet files, less the marts `left_out`
    and with those `emptied` copied `where false` (their columns and types, no rows)."""
    (folder / "marts").mkdir(parents=True)
    connection = duckdb.connect()
    try:
        for source in (demo_published / "marts").glob("*.parquet"):
            if source.stem in left_out:
                continue
            if source.stem in emptied:
                connection.execute(f"copy (select * from read_parquet('{source}') where false)"
                                   f" to '{folder / 'marts' / source.name}' (format parquet)")
            else:
                (folder / "marts" / source.name).symlink_to(source.resolve())
    finally:
        connection.close()
    return folder


@pytest.fixture(scope="module")
def without_events_published(demo_published, tmp_path_factory) -> Path:
    """The demo build as a business without an events table publishes it: every event mart
    there, with zero rows, and the other marts full."""
    return publish_folder_like(demo_published, tmp_path_factory.mktemp("dashboard_without_events"),
                               emptied=EVENT_MARTS)


@pytest.fixture(scope="module")
def before_events_published(demo_published, tmp_path_factory) -> Path:
    """The demo build less the event marts: what a build from before them publishes."""
    return publish_folder_like(demo_published, tmp_path_factory.mktemp("dashboard_before_events"),
                               left_out=EVENT_MARTS)


def run_page(published: Path, page: str, monkeypatch) -> AppTest:
    """One page of the app, run by AppTest on a publish folder, as `streamlit run` would."""
    monkeypatch.setenv("CUSTOMER_RETENTION_PUBLISH_DIR", str(published))
    monkeypatch.syspath_prepend(str(DASHBOARD_DIR))  # streamlit run puts the script's folder first
    app = AppTest.from_file(str(APP), default_timeout=60).run()
    app.switch_page(page).run()
    return app


def assert_ran_cleanly(app: AppTest, where: str) -> None:
    assert not app.exception, f"{where}: {[exception.value for exception in app.exception]}"
    assert not app.error, f"{where}: {[error.value for error in app.error]}"


@pytest.mark.parametrize("page", PAGES.values())
def test_every_page_runs_on_the_demo_build(demo_published, page, monkeypatch):
    app = run_page(demo_published, page, monkeypatch)
    assert_ran_cleanly(app, page)
    assert app.title and app.title[0].value, f"{page} shows no title"


@pytest.mark.parametrize("page", PAGES.values())
def test_every_page_runs_for_a_segment(demo_published, page, monkeypatch):
    """The controls change what a page shows without breaking it: a segment, and on the Retention
    page the cohorts counted as active then or later."""
    app = run_page(demo_published, page, monkeypatch)
    app.selectbox(key="segment_type").set_value("country").run()
    if page == PAGES["retention"]:
        app.radio(key="cohort_curve").set_value("Active then or later").run()
    if page == PAGES["product_usage"]:
        app.radio(key="usage_curve").set_value("Returned then or later").run()
        for key in ("usage_cohort_grain", "usage_lifecycle_grain"):
            app.selectbox(key=key).set_value(app.selectbox(key=key).options[-1]).run()
    assert_ran_cleanly(app, page)
    assert app.selectbox(key="segment_value_country").value


@pytest.mark.parametrize("page", PAGES.values())
def test_every_page_runs_on_an_empty_build(empty_published, page, monkeypatch):
    app = run_page(empty_published, page, monkeypatch)
    assert_ran_cleanly(app, page)
    assert any("No data" in info.value for info in app.info), f"{page} does not say it has no data"


def test_lifetime_value_shows_predicted_values(predicted_published, monkeypatch):
    app = run_page(predicted_published, PAGES["lifetime_value"], monkeypatch)
    assert_ran_cleanly(app, "lifetime value")
    top = app.dataframe[-1].value
    assert list(top["customer_id"]) == ["00001", "00002", "00003"], "highest predicted CLV first"
    assert not any("predicted lifetime values" in info.value for info in app.info)


def test_lifetime_value_shows_the_subscribers_values(demo_published, monkeypatch):
    """The demo business is a subscription business: the page lists its active subscribers by
    residual value (sBG), largest first, as subscriber_lifetime_value holds them."""
    app = run_page(demo_published, PAGES["lifetime_value"], monkeypatch)
    assert_ran_cleanly(app, "lifetime value")
    connection = duckdb.connect()
    try:
        expected = connection.execute(
            "select customer_id, residual_value from read_parquet(?) where period_grain = 'month'"
            " order by residual_value desc, customer_id limit 3",
            [str(demo_published / "marts" / "subscriber_lifetime_value.parquet")]).fetchall()
    finally:
        connection.close()
    assert expected, "the demo build values no subscriber"
    top = app.dataframe[0].value
    assert [round(value, 6) for value in top["residual_value"][:3]] == [round(value, 6) for _, value in expected]
    assert not any("subscriber lifetime values" in info.value for info in app.info)


def chart_data(app: AppTest, title: str) -> list[pd.DataFrame]:
    """The data sets of the page's Altair chart whose title starts with `title` (a layered
    chart has one per layer's data)."""
    for chart in app.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        text = spec.get("title", "")
        text = text.get("text", "") if isinstance(text, dict) else text
        if text.startswith(title):
            return [pa.ipc.open_stream(dataset.data.data).read_pandas() for dataset in chart.proto.datasets]
    pytest.fail(f"no chart titled {title!r}")


def published_rows(published: Path, mart: str, where: str) -> pd.DataFrame:
    connection = duckdb.connect()
    try:
        return connection.execute(f"select * from read_parquet(?) where {where}",
                                  [str(published / "marts" / f"{mart}.parquet")]).df()
    finally:
        connection.close()


def lifecycle_shown(app: AppTest) -> dict:
    """The lifecycle bars as {(period start, state): users}."""
    bars = next(frame for frame in chart_data(app, "Users by lifecycle state") if "stack_order" in frame.columns)
    return {(pd.Timestamp(row.period_start).date(), row.measure): row.users for row in bars.itertuples()}


def lifecycle_expected(rows: pd.DataFrame) -> dict:
    """user_lifecycle_by_period's rows as the bars draw them: dormant users below zero."""
    states = {"new_users": ("New", 1), "retained_users": ("Retained", 1), "resurrected_users": ("Resurrected", 1),
              "dormant_users": ("Dormant", -1)}
    return {(pd.Timestamp(row["period_start"]).date(), label): sign * row[column]
            for _, row in rows.iterrows() for column, (label, sign) in states.items()}


def active_users_shown(app: AppTest) -> dict:
    """The DAU, WAU and MAU lines as {(day, line): users}."""
    lines, = chart_data(app, "DAU, WAU and MAU")
    return {(pd.Timestamp(row.activity_date).date(), row.measure): row.users for row in lines.itertuples()}


def active_users_expected(rows: pd.DataFrame) -> dict:
    lines = {"dau": "DAU", "wau_7d": "WAU (7 days)", "mau_28d": "MAU (28 days)"}
    return {(pd.Timestamp(row["activity_date"]).date(), label): row[column]
            for _, row in rows.iterrows() for column, label in lines.items()}


def test_product_usage_draws_the_event_marts(demo_published, monkeypatch):
    """The Product usage page on the demo events: the triangle holds event_retention's cells of
    the chosen report, grain and window (segment all), the average curve event_retention_summary's,
    the lifecycle bars user_lifecycle_by_period's month rows, and the lines stickiness_by_day's
    days, each as the mart holds it."""
    app = run_page(demo_published, PAGES["product_usage"], monkeypatch)
    assert_ran_cleanly(app, "product usage")
    report, grain, window = (app.selectbox(key=key).value
                             for key in ("usage_report", "usage_cohort_grain", "usage_window_type"))
    assert grain == "month", "the cohort grain starts on the sidebar's"
    chosen = (f"segment_type = 'all' and report_name = '{report}' and cohort_grain = '{grain}'"
              f" and window_type = '{window}'")
    cells = published_rows(demo_published, "event_retention", chosen)
    triangle = next(frame for frame in chart_data(app, "Event retention by month cohort") if "cohort" in frame.columns)
    shown = {(pd.Timestamp(row.cohort_start).date(), row.period_number): row.retention_pct
             for row in triangle.itertuples()}
    assert not cells.empty and shown == {(pd.Timestamp(row["cohort_start"]).date(), row["period_number"]):
                                         row["retention_pct"] for _, row in cells.iterrows()}
    summary = published_rows(demo_published, "event_retention_summary", chosen)
    curve, = chart_data(app, "Average event retention curve")
    assert dict(zip(curve["period_number"], curve["retention_pct"])) == dict(
        zip(summary["period_number"], summary["retention_pct"]))

    lifecycle = published_rows(demo_published, "user_lifecycle_by_period",
                               "segment_type = 'all' and period_grain = 'month'")
    assert not lifecycle.empty and lifecycle_shown(app) == lifecycle_expected(lifecycle)
    days = published_rows(demo_published, "stickiness_by_day", "segment_type = 'all'")
    assert not days.empty and active_users_shown(app) == active_users_expected(days)
    ratio, = chart_data(app, "Stickiness: DAU / MAU")
    assert dict(zip(ratio["activity_date"].dt.date, ratio["dau_mau_pct"])) == {
        pd.Timestamp(row["activity_date"]).date(): row["dau_mau_pct"]
        for _, row in days.iterrows() if pd.notna(row["dau_mau_pct"])}


def test_product_usage_follows_the_sidebar_dates(demo_published, monkeypatch):
    """Narrowed sidebar dates keep the cohorts, periods and days from the first chosen month's
    start to the last chosen month's end: the days after that month's first are kept too."""
    app = run_page(demo_published, PAGES["product_usage"], monkeypatch)
    # the months the sidebar offers
    months = sorted(set(published_rows(demo_published, "retention_by_period",
                                       "period_grain = 'month'")["period_start"].dt.date))
    assert len(months) >= 4, "the demo data spans too few months for this test"
    first, last = months[1], months[-3]
    end = date(last.year + last.month // 12, last.month % 12 + 1, 1)
    app.date_input(key="dates_month").set_value((first, last)).run()
    assert_ran_cleanly(app, "product usage, narrowed dates")

    lifecycle = published_rows(demo_published, "user_lifecycle_by_period",
                               f"segment_type = 'all' and period_grain = 'month'"
                               f" and period_start between '{first}' and '{last}'")
    assert not lifecycle.empty and lifecycle_shown(app) == lifecycle_expected(lifecycle)
    days = published_rows(demo_published, "stickiness_by_day",
                          f"segment_type = 'all' and activity_date >= '{first}' and activity_date < '{end}'")
    shown = active_users_shown(app)
    assert not days.empty and shown == active_users_expected(days)
    assert max(day for day, _ in shown) > last, "the days of the last chosen month after its first are kept"
    cohorts = published_rows(demo_published, "event_retention",
                             f"segment_type = 'all' and report_name = '{app.selectbox(key='usage_report').value}'"
                             f" and cohort_grain = 'month' and window_type = 'calendar'"
                             f" and cohort_start >= '{first}' and cohort_start < '{end}'")
    triangle = next(frame for frame in chart_data(app, "Event retention by month cohort") if "cohort" in frame.columns)
    assert set(triangle["cohort_start"].dt.date) == set(cohorts["cohort_start"].dt.date)


@pytest.mark.parametrize("fixture, message", [("without_events_published", "No data on product usage"),
                                              ("before_events_published", "no product-usage marts")])
def test_product_usage_without_event_marts_says_why(fixture, message, request, monkeypatch):
    """A business without an events table (its event marts empty), or a build from before the
    event marts: a note says which, instead of empty charts; the other pages are unaffected."""
    app = run_page(request.getfixturevalue(fixture), PAGES["product_usage"], monkeypatch)
    assert_ran_cleanly(app, fixture)
    assert any(message in info.value for info in app.info), [info.value for info in app.info]
    assert not app.get("vega_lite_chart")


def latest_two_complete(published: Path, columns: list[str]) -> list[dict]:
    """The month rows of the latest complete period and the one before, newest first: from
    kpis_by_period when published, else from the segment 'all' rows of the detailed marts."""
    marts = published / "marts"
    connection = duckdb.connect()
    try:
        if (marts / f"{KPIS_MART}.parquet").is_file():
            rows = connection.execute(
                f"select {', '.join(columns)} from read_parquet(?) where period_grain = 'month' and is_complete"
                " order by period_start desc limit 2", [str(marts / f"{KPIS_MART}.parquet")]).fetchall()
            return [dict(zip(columns, row)) for row in rows]
        starts = [start for (start,) in connection.execute(
            "select period_start from read_parquet(?) where period_grain = 'month' and segment_type = 'all'"
            " and is_complete order by period_start desc limit 2",
            [str(marts / "retention_by_period.parquet")]).fetchall()]
        periods = []
        for start in starts:
            values = {}
            for column in columns:
                values[column] = connection.execute(
                    f"select {column} from read_parquet(?) where period_grain = 'month' and segment_type = 'all'"
                    " and period_start = ?", [str(marts / f"{DETAILED_MART[column]}.parquet"), start]).fetchall()[0][0]
            periods.append(values)
        return periods
    finally:
        connection.close()


def shown_number(text: str) -> float:
    """A tile's value or change as a number: '1,058.00', '90.12%' or '-8.34 pp'."""
    return float(text.replace(",", "").replace("pp", "").rstrip("%").strip())


def assert_tiles_match(published: Path, monkeypatch) -> None:
    """Each Overview tile shows its mart value of the latest complete month (to its two
    decimals), and its change against the month before."""
    app = run_page(published, PAGES["overview"], monkeypatch)
    assert_ran_cleanly(app, "overview")
    latest, previous = latest_two_complete(published, list(TILES.values()))
    tiles = {metric.label: metric for metric in app.metric}
    assert set(tiles) == set(TILES)
    for label, column in TILES.items():
        expected, before = latest[column], previous[column]
        if expected is None:
            assert tiles[label].value == "n/a", label
            continue
        assert shown_number(tiles[label].value) == pytest.approx(expected, abs=0.0051), label
        if before is not None:
            assert shown_number(tiles[label].delta) == pytest.approx(expected - before, abs=0.0101), label


def test_overview_tiles_equal_the_marts(demo_published, monkeypatch):
    assert_tiles_match(demo_published, monkeypatch)


def test_overview_falls_back_to_the_detailed_marts(without_kpis_published, monkeypatch):
    """A build from before kpis_by_period: the tiles come from the detailed marts, and say so."""
    assert_tiles_match(without_kpis_published, monkeypatch)
    app = run_page(without_kpis_published, PAGES["overview"], monkeypatch)
    assert any(KPIS_MART in info.value for info in app.info)


# --- the real thing: make dashboard, and Chromium -------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_healthy(server: subprocess.Popen, url: str, timeout: float = 90) -> None:
    """Wait for Streamlit's health check to answer, failing with the server's output if it stops."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"make dashboard exited with {server.returncode}:\n{server.stdout.read()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"the dashboard did not answer at {url} within {timeout} s")


def stop(server: subprocess.Popen) -> None:
    """Stop make and the Streamlit it started (their own process group)."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


@pytest.fixture(scope="module")
def dashboard_url(demo_published):
    """`make dashboard` serving the demo build on a free port, stopped afterwards in any case."""
    port = free_port()
    env = dict(os.environ, DASHBOARD_PORT=str(port), CUSTOMER_RETENTION_PUBLISH_DIR=str(demo_published))
    server = subprocess.Popen(["make", "--no-print-directory", "dashboard"], cwd=PROJECT_DIR, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_healthy(server, url)
        yield url
    finally:
        stop(server)


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium and its driver, installed by scripts/install_chromium.sh when missing."""
    if not CHROMIUM.exists() and os.geteuid() != 0:
        pytest.skip("chromium is not installed and installing it needs root: run scripts/install_chromium.sh")
    result = subprocess.run([str(PROJECT_DIR / "scripts" / "install_chromium.sh")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return CHROMIUM


@pytest.fixture(scope="module")
def browser(chromium, tmp_path_factory):
    """A headless Chromium context with a fresh profile, and the list of every URL it requests."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=str(chromium), headless=True,
            args=CHROMIUM_FLAGS, viewport={"width": 1400, "height": 1000})
        requested = []
        context.on("request", lambda request: requested.append(request.url))
        try:
            yield context, requested
        finally:
            context.close()


def non_loopback(urls: list[str]) -> list[str]:
    """The URLs of the network requests that went to a host other than loopback."""
    return [url for url in urls if urlparse(url).scheme in ("http", "https", "ws", "wss")
            and urlparse(url).hostname not in ("127.0.0.1", "localhost", "::1")]


def is_problem(message) -> bool:
    """Whether a browser console message is an error. Streamlit's frontend, opened on a page's
    own URL (/retention), first looks for its server below that path (/retention/_stcore/health,
    host-config) and then at the root: those two 404s are how it finds its base path."""
    if message.type != "error":
        return False
    return not ("404" in message.text and "/_stcore/" in message.location.get("url", ""))


def screenshot(page, path: Path) -> None:
    """A screenshot of the whole page: Streamlit scrolls inside its main block, so the window is
    first made as tall as that block's content."""
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": max(1000, height + 40)})
    page.wait_for_timeout(800)  # let the charts redraw at the new size
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)


@pytest.mark.parametrize("name", PAGES)
def test_every_page_draws_in_chromium(dashboard_url, browser, name):
    context, requested = browser
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if is_problem(message) else None)
    page.on("websocket", lambda websocket: requested.append(websocket.url))
    try:
        page.goto(f"{dashboard_url}/{'' if name == 'overview' else name}")
        page.wait_for_selector(f"{CHART}, {FAILURE}", timeout=60_000)
        page.wait_for_timeout(1500)  # the page's later elements and charts
        screenshot(page, SCREENSHOTS / f"{name}.png")
        failures = page.locator(FAILURE).all_inner_texts()
        assert not failures, f"{name} shows an error: {failures}"
        assert page.locator(CHART).count() >= 1, f"{name} draws no chart"
        assert not problems, f"{name} logged errors in the browser: {problems}"
        assert not non_loopback(requested), f"requests off the machine: {non_loopback(requested)}"
    finally:
        page.close()
