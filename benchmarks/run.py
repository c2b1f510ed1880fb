"""The benchmark: how long the project takes, how much memory it needs, and how cost grows with data.

    .venv/bin/python benchmarks/run.py                          # 10k, 100k and 1M customers
    .venv/bin/python benchmarks/run.py --scales 10000 100000    # a quicker run
    .venv/bin/python benchmarks/run.py --write benchmarks/RESULTS.md
    .venv/bin/python benchmarks/run.py --history /tmp/history.csv   # another history file
    .venv/bin/python benchmarks/run.py --scales 10M --full-build-only   # the memory check at 10M

Scales are whole numbers of customers, or with a suffix: 10k, 1M, 10M. 10M customers is never a
default scale and runs on purpose only (never in CI): it exists to check that the full build fits
the machine's memory at ten times the largest default (DuckDB's memory_limit follows the machine,
profiles.yml), and its full build alone takes about a quarter of an hour of both cores of this
project's machine and tens of GB of disk (the DuckDB file, and DuckDB's spill files next to it).
With --full-build-only a scale gets the data and the full build only: no models-only run, no
incremental runs, no production builds, and no pandas route, whose peak (4.9 GiB at 1M) grows
with the data and would not fit at 10M.

For each scale it generates the raw data as Parquet (scripts/generate_data.py, seed fixed, up to
and including 2025-01-01; kept under --data-dir and reused), with its product-usage events: one
file a day, about 100 events per customer. The export of the day before (every row dated before
2025-01-01, subscriptions ending on or after it still open, and the event files of the days
before it, linked into its events/ folder) is day 0; the whole data is day 1, one more day of
data and exactly one more event file, the daily run's. Then:
- the one-pass reference: one DuckDB scan of day 0's event files (read_parquet of the folder)
  counting the active users of each local day (distinct customers per day in
  reporting_timezone, UTC), in a child process with the build's DuckDB threads and memory_limit,
  timed wall-clock (connect, scan, fetch). It is the least any build of the event marts can cost:
  the full build's time is reported as a multiple of it. Its counts are compared with the `dau`
  of the mart stickiness_by_day (printed, not fatal);
then each dbt run on its own DuckDB file:
- full build: `dbt build` (seeds, models, unit and data tests) of day 0 on a new file: wall time,
  CPU time (user and system, all threads), peak RSS of the dbt process, rows per second (raw
  rows / wall time), and the five slowest models and tests (from run_results.json), and the
  time of each event model (base_raw__event_rows, int_customer_event_days_aggregated, the event
  marts and the models between them: the models of the events' staging and of the usage folders);
- models only: `dbt run` of day 0 on a new file (after an untimed `dbt seed`);
- incremental: on a copy of the full build's file, `dbt run` of day 1 (as_of_date one day later),
  and on another copy `dbt build` of day 1: the daily refresh (docs/incremental.md);
- the production build, as dbt Labs recommends it (docs/incremental.md): the same full
  and incremental `dbt build` without the unit tests (`--exclude-resource-type unit_test`),
  whose inputs are fixed fixtures, so they cost the same at every scale and belong to CI;
- the pandas route: the same core monthly metrics (retention counts, churn, NPS counts, revenue)
  computed with pandas from the same day-0 files, the way a user without this project would. The
  files are read through DuckDB (pandas needs pyarrow for Parquet, which the project does not
  install); reading is included in its time, and its peak RSS is reported beside the build's.
  Its numbers must equal the marts', which makes it a second oracle: the script stops with the
  differences if they do not.
The generator, the day-0 export and the pandas route run in child processes, so that this process
stays small: Linux keeps a process's peak RSS across exec, so a dbt process started from a process
holding gigabytes of frames would report those gigabytes as its own peak (seen on 2026-12-02: 4.89
GiB for every dbt run at 3M customers, after the pandas route of 1M; 3.24 GiB measured apart).
It also times `dbt parse` without partial parsing (the median of three runs).
It prints a Markdown table, then the events' table (events, the reference, the full build as a
multiple of it, the daily run as a share of the full build; the issue's targets at 1M customers /
100M events: a full build within 4 minutes and 8 GiB, a daily run within 15% of it) and the
event models' times; it appends the run's figures to benchmarks/history.csv (one row per scale
and measurement, with the date, the git commit and the machine; --history names another file), and
with --write also appends the Markdown table (dated) to a results file. Each
scale's DuckDB files are deleted once measured (about 7 GB at 1M customers), unless
--keep-databases; logs and run_results.json stay under --work-dir.
Run on purpose, on a quiet machine: nothing in the test suite asserts a time.
"""

from __future__ import annotations

import argparse
import csv
import json
import multiprocessing
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR / "scripts"))

import generate_data  # noqa: E402

GENERATED_END = "2025-01-02"   # the generator's --end, exclusive: the data runs to 2025-01-01
DAY_0_AS_OF = "2024-12-31"      # the export of the day before: every row dated before 2025-01-01
DAY_1_AS_OF = "2025-01-01"
TABLES = ("customers", "subscriptions", "transactions", "survey_responses")
# The event models timed apart (dbt_node_times): the events' staging, and the usage folders.
EVENT_MODEL_PATHS = ("models/staging/raw/base/base_raw__event", "models/staging/raw/base/base_raw__events",
                     "models/staging/raw/stg_raw__events", "models/intermediate/usage/", "models/marts/usage/")
NO_UNIT_TESTS = ("--exclude-resource-type", "unit_test")
DBT = str(Path(sys.executable).parent / "dbt")


def run_measured(command: list[str], env: dict, log: Path) -> tuple[float, float, int, float]:
    """Wall seconds, peak RSS in GiB (of the process and its waited children), exit code, and CPU
    seconds (user and system, every thread). Wall time on a shared 2-core machine varies by 15-25%
    from run to run; CPU time, the work done, varies less."""
    began = time.perf_counter()
    with log.open("w") as handle:
        process = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=handle, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - began
    return (elapsed, usage.ru_maxrss / 1024 ** 2, os.waitstatus_to_exitcode(status),
            usage.ru_utime + usage.ru_stime)


def dbt_env(database: Path, work: Path) -> dict:
    return dict(os.environ, DBT_PROFILES_DIR=str(PROJECT_DIR), DBT_DUCKDB_PATH=str(database),
                DBT_LOG_PATH=str(work / "logs"), DBT_TARGET="dev", DO_NOT_TRACK="1",
                DBT_SEND_ANONYMOUS_USAGE_STATS="false")


def dbt(command: str, data: Path, as_of: str, work: Path, database: Path | None = None, seed_first: bool = False,
        options: tuple[str, ...] = ()) -> dict:
    """Time one dbt command (with `options`) on `data` in `work` (a new folder), on `database` (a
    copy made by the caller) or on a new file."""
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    database = database or work / "bench.duckdb"
    env = dbt_env(database, work)
    # One export folder path for every day, as a daily job would have: a build's incremental
    # tables record the raw_path they were built from, and a run on another path stops
    # (check_build_inputs). The path is a symlink switched onto this run's export.
    current = data.parent / "current-export"
    if current.is_symlink() or current.exists():
        current.unlink()
    current.symlink_to(data.resolve(), target_is_directory=True)
    variables = json.dumps({"raw_source": "files", "raw_path": str(current), "as_of_date": as_of})
    if seed_first:  # models only: load the lookup seed first, untimed
        _, _, code, _ = run_measured([DBT, "seed", "--target-path", str(work / "target"), "--vars", variables],
                                     env, work / "seed.log")
        if code != 0:
            raise SystemExit(f"dbt seed failed; see {work / 'seed.log'}")
    elapsed, peak, code, cpu = run_measured(
        [DBT, command, *options, "--target-path", str(work / "target"), "--vars", variables], env, work / "output.log")
    if code != 0:
        raise SystemExit(f"dbt {command} failed at {data}; see {work / 'output.log'}")
    results = json.loads((work / "target" / "run_results.json").read_text())["results"]
    slowest = sorted(results, key=lambda result: result["execution_time"], reverse=True)[:5]
    return {"seconds": elapsed, "peak_gib": peak, "cpu_seconds": cpu, "database": database,
            "slowest": [(node_name(result["unique_id"]), result["execution_time"]) for result in slowest],
            "event_models": event_model_times(results, work / "target" / "manifest.json")}


def event_model_times(results: list[dict], manifest_path: Path) -> dict[str, float]:
    """The execution time of each event model of a run (EVENT_MODEL_PATHS), from run_results.json,
    slowest first. Models only: the event models' tests are not counted."""
    nodes = json.loads(manifest_path.read_text())["nodes"]
    times = {}
    for result in results:
        node = nodes.get(result["unique_id"], {})
        if node.get("resource_type") == "model" and node.get("original_file_path", "").startswith(EVENT_MODEL_PATHS):
            times[node["name"]] = result["execution_time"]
    return dict(sorted(times.items(), key=lambda item: item[1], reverse=True))


def node_name(unique_id: str) -> str:
    parts = unique_id.split(".")
    # data tests: test.<project>.<name>.<hash>; models: model.<project>.<name>;
    # unit tests: unit_test.<project>.<model>.<name>
    return parts[2] if parts[0] == "test" else parts[-1]


def parse_seconds(work: Path, repeats: int = 3) -> float:
    """The median wall time of `dbt parse` without partial parsing (the first run also pays for
    cold file caches)."""
    times = []
    for _ in range(repeats):
        if work.exists():
            shutil.rmtree(work)
        work.mkdir(parents=True)
        elapsed, _, code, _ = run_measured([DBT, "parse", "--no-partial-parse", "--target-path", str(work / "target")],
                                           dbt_env(work / "parse.duckdb", work), work / "parse.log")
        if code != 0:
            raise SystemExit(f"dbt parse failed; see {work / 'parse.log'}")
        times.append(elapsed)
    return sorted(times)[len(times) // 2]


def in_child(function, *arguments):
    """function(*arguments) run in a new Python process (module-level functions only): its result,
    its wall seconds and that process's peak RSS in GiB. The memory the child holds is returned to
    the system when it ends (module docstring)."""
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(measured, function, *arguments).result()


def measured(function, *arguments):
    began = time.perf_counter()
    result = function(*arguments)
    return result, time.perf_counter() - began, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2


# --- the data -----------------------------------------------------------------------------------

def day_0_export(day_1: Path, day_0: Path) -> None:
    """The raw export one day earlier: rows dated before 2025-01-01; an end on or after it unknown;
    the event files of the days before it (events/YYYY-MM-DD.parquet, one per UTC day), linked, so
    that day 1 adds exactly one event file, 2025-01-01's."""
    day_0.mkdir(parents=True, exist_ok=True)
    events = day_0 / "events"
    if events.is_dir():
        shutil.rmtree(events)
    events.mkdir()
    for source in sorted((day_1 / "events").glob("????-??-??.parquet")):
        if source.stem < DAY_1_AS_OF:
            (events / source.name).symlink_to(source.resolve())
    cutoff = "timestamp '2025-01-01'"
    selects = {
        "customers": f"select * from '{day_1}/customers.parquet' where created_at < {cutoff}",
        "subscriptions": (f"select * replace (case when ended_at < {cutoff} then ended_at end as ended_at)"
                          f" from '{day_1}/subscriptions.parquet' where started_at < {cutoff}"),
        "transactions": f"select * from '{day_1}/transactions.parquet' where occurred_at < {cutoff}",
        "survey_responses": f"select * from '{day_1}/survey_responses.parquet' where responded_at < {cutoff}",
    }
    connection = duckdb.connect()
    try:
        connection.execute("set TimeZone = 'UTC'")
        for table, select in selects.items():
            connection.execute(f"copy ({select}) to '{day_0}/{table}.parquet' (format parquet, compression zstd)")
    finally:
        connection.close()


def prepare(customers: int, data_dir: Path) -> tuple[Path, Path, float]:
    """The day-0 and day-1 folders of a scale, generated unless they exist; and the seconds it took."""
    day_1, day_0 = data_dir / f"{customers}" / "day1", data_dir / f"{customers}" / "day0"
    began = time.perf_counter()
    if not (all((day_1 / f"{table}.parquet").exists() for table in TABLES) and (day_1 / "events").is_dir()):
        in_child(generate_data.main, ["--customers", str(customers), "--out", str(day_1), "--end", GENERATED_END])
    generated = time.perf_counter() - began
    if not (all((day_0 / f"{table}.parquet").exists() for table in TABLES) and (day_0 / "events").is_dir()):
        in_child(day_0_export, day_1, day_0)
    new_files = sorted({path.name for path in (day_1 / "events").glob("*.parquet")}
                       - {path.name for path in (day_0 / "events").glob("*.parquet")})
    if new_files != [f"{DAY_1_AS_OF}.parquet"]:
        raise SystemExit(f"day 1 should add exactly one event file, {DAY_1_AS_OF}.parquet; it adds {new_files}")
    return day_0, day_1, generated


def row_counts(folder: Path) -> dict[str, int]:
    """The rows of each raw table of an export, and its events (the files' metadata)."""
    connection = duckdb.connect()
    try:
        counts = {table: connection.execute(f"select count(*) from '{folder / table}.parquet'").fetchall()[0][0]
                  for table in TABLES}
        counts["events"] = connection.execute(
            f"select count(*) from read_parquet('{folder}/events/*.parquet')").fetchall()[0][0]
        return counts
    finally:
        connection.close()


# --- the one-pass reference ---------------------------------------------------------------------

def duckdb_settings() -> dict[str, str]:
    """The DuckDB settings of the build (profiles.yml): its threads (DuckDB's default, the
    machine's cores), memory_limit and session time zone."""
    return {"threads": str(os.cpu_count()), "memory_limit": os.environ.get("DUCKDB_MEMORY_LIMIT") or "70%",
            "TimeZone": "UTC"}


def daily_active_users(data: Path) -> list[tuple[date, int]]:
    """The one-pass reference: one scan of the export's event files, the distinct customers of each
    local day (reporting_timezone is UTC, as the session's). Timed from connect to fetch."""
    settings = duckdb_settings()
    time_zone = settings.pop("TimeZone")
    connection = duckdb.connect(config=settings)
    try:
        connection.execute(f"set TimeZone = '{time_zone}'")  # after connect: it needs ICU loaded
        connection.execute("set enable_progress_bar = false")  # no bar in the benchmark's log
        return connection.execute(f"""
            select cast(occurred_at as date) as activity_date, count(distinct customer_id) as dau
            from read_parquet('{data}/events/*.parquet')
            group by activity_date
            order by activity_date
        """).fetchall()
    finally:
        connection.close()


def compare_dau(reference: list[tuple[date, int]], database: Path) -> str:
    """The reference's counts against the `dau` of stickiness_by_day (all users): a note."""
    connection = duckdb.connect(str(database), read_only=True)
    try:
        marts = dict(connection.execute("select activity_date, dau from marts.stickiness_by_day"
                                        " where segment_type = 'all'").fetchall())
    finally:
        connection.close()
    differ = [(day, count, marts.get(day)) for day, count in reference if marts.get(day, 0) != count]
    if not differ:
        return f"equal to stickiness_by_day's dau on its {len(reference)} days"
    day, count, mart = differ[0]
    return f"differs from stickiness_by_day's dau on {len(differ)} of {len(reference)} days (first {day}: {count} against {mart})"


# --- the pandas route ---------------------------------------------------------------------------

def read_frames(data: Path) -> dict[str, pd.DataFrame]:
    connection = duckdb.connect()
    connection.execute("set TimeZone = 'UTC'")
    frames = {table: connection.execute(f"select * from '{data / table}.parquet'").df() for table in TABLES}
    connection.close()
    return frames


def pandas_metrics(data: Path, as_of: str) -> pd.DataFrame:
    """Monthly retention counts, NPS counts and revenue, from the definitions in the doc blocks (docs/metrics.md), with
    pandas alone (after reading). Subscription mode, UTC."""
    frames = read_frames(data)
    as_of_end = pd.Timestamp(as_of) + pd.Timedelta(days=1)
    subscriptions = frames["subscriptions"]
    subscriptions = subscriptions[subscriptions["started_at"] < as_of_end].copy()
    # an end at or after the end of as_of_date has not happened yet
    ended = subscriptions["ended_at"].where(subscriptions["ended_at"] < as_of_end)
    starts = subscriptions["started_at"].to_numpy()
    ends = ended.to_numpy(dtype="datetime64[us]", na_value=np.datetime64("9999-12-31", "us"))
    customer_codes, customers = pd.factorize(subscriptions["customer_id"])
    first_start = subscriptions.groupby("customer_id")["started_at"].min()

    transactions = frames["transactions"]
    transactions = transactions[transactions["occurred_at"] < as_of_end]
    responses = frames["survey_responses"]
    responses = responses[responses["responded_at"] < as_of_end]
    first_activity = min(starts.min(), transactions["occurred_at"].min(), responses["responded_at"].min())
    months = pd.period_range(pd.Timestamp(first_activity).to_period("M"), pd.Timestamp(as_of).to_period("M"), freq="M")

    def active_at(instant) -> np.ndarray:
        mask = (starts <= np.datetime64(instant)) & (ends > np.datetime64(instant))
        return np.unique(customer_codes[mask])

    rows = []
    for month in months:
        start = month.start_time
        end = min(month.end_time.normalize() + pd.Timedelta(days=1), as_of_end)
        at_start, at_end = active_at(start), active_at(end)
        retained = np.intersect1d(at_start, at_end, assume_unique=True)
        won = np.setdiff1d(at_end, at_start, assume_unique=True)
        new = int((first_start.loc[customers[won]] >= start).sum())
        rows.append({"period_start": start.date(), "customers_at_start": len(at_start),
                     "customers_at_end": len(at_end), "new_customers": new,
                     "reactivated_customers": len(won) - new, "churned_customers": len(at_start) - len(retained)})
    retention = pd.DataFrame(rows).set_index("period_start")

    # NPS: one answer per customer and month, the latest (ties: the highest response_id)
    responses = responses.assign(period_start=responses["responded_at"].dt.to_period("M").dt.start_time.dt.date)
    latest = (responses.sort_values(["customer_id", "period_start", "responded_at", "response_id"])
              .groupby(["customer_id", "period_start"]).tail(1))
    nps = latest.groupby("period_start")["score"].agg(
        responses="count", promoters=lambda s: int((s >= 9).sum()), detractors=lambda s: int((s <= 6).sum()))

    revenue = (transactions.assign(period_start=transactions["occurred_at"].dt.to_period("M").dt.start_time.dt.date)
               .groupby("period_start")["amount"].sum().rename("revenue"))
    metrics = retention.join(nps, how="left").join(revenue, how="left")
    metrics[["responses", "promoters", "detractors"]] = metrics[["responses", "promoters", "detractors"]].fillna(0)
    metrics["revenue"] = metrics["revenue"].fillna(0)
    metrics["churn_rate_pct"] = metrics["churned_customers"] / metrics["customers_at_start"].where(
        metrics["customers_at_start"] > 0) * 100
    return metrics


def mart_metrics(database: Path) -> pd.DataFrame:
    connection = duckdb.connect(str(database), read_only=True)
    try:
        return connection.execute("""
            select
                retention.period_start,
                retention.customers_at_start, retention.customers_at_end, retention.new_customers,
                retention.reactivated_customers, retention.churned_customers,
                nps.responses, nps.promoters, nps.detractors, cltv.revenue, retention.churn_rate_pct
            from marts.retention_by_period as retention
            inner join marts.nps_by_period as nps using (period_grain, period_start, segment_type, segment_value)
            inner join marts.cltv_by_period as cltv using (period_grain, period_start, segment_type, segment_value)
            where retention.period_grain = 'month' and retention.segment_type = 'all'
            order by retention.period_start
        """).df().assign(period_start=lambda frame: pd.to_datetime(frame["period_start"]).dt.date).set_index(
            "period_start")
    finally:
        connection.close()


def compare(pandas_route: pd.DataFrame, marts: pd.DataFrame) -> list[str]:
    problems = []
    if list(pandas_route.index) != list(marts.index):
        return [f"periods differ: pandas {pandas_route.index[:3].tolist()}..., marts {marts.index[:3].tolist()}..."]
    for column in pandas_route.columns:
        left = pandas_route[column].astype(float).to_numpy()
        right = marts[column].astype(float).to_numpy()
        same = np.isclose(left, right, rtol=1e-9, atol=1e-6) | (np.isnan(left) & np.isnan(right))
        if not same.all():
            where = int(np.argmin(same))
            problems.append(f"{column} at {pandas_route.index[where]}: pandas {left[where]}, marts {right[where]}")
    return problems


# --- the run ------------------------------------------------------------------------------------

def copy_database(source: Path, target_dir: Path) -> Path:
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / "bench.duckdb"
    shutil.copyfile(source, target)
    return target


def on_day_1(command: str, full: dict, day_1: Path, work: Path, options: tuple[str, ...] = ()) -> dict:
    """The daily refresh: time `command` of day 1 in `work`, on a copy of the full build's file."""
    return dbt(command, day_1, DAY_1_AS_OF, work, options=options,
               database=copy_database(full["database"], work.with_name(f"{work.name}-db")))


def remove_databases(work_dir: Path, customers: int) -> None:
    """Delete the DuckDB files of one scale's runs (about 7 GB at 1M customers), and any spill
    folder DuckDB left beside them (<file>.tmp), keeping their logs and run_results.json."""
    for folder in work_dir.iterdir():
        if folder.name.endswith((f"-{customers}", f"-{customers}-db")):
            for database in folder.glob("*.duckdb*"):
                if database.is_dir():
                    shutil.rmtree(database)
                else:
                    database.unlink()


def bench_scale(customers: int, data_dir: Path, work_dir: Path, keep_databases: bool = False,
                full_build_only: bool = False) -> dict:
    day_0, day_1, generated = prepare(customers, data_dir)
    raw_rows = row_counts(day_0)
    day_1_rows = row_counts(day_1)
    new_rows = sum(day_1_rows.values()) - sum(raw_rows.values())
    new_events = day_1_rows["events"] - raw_rows["events"]
    print(f"\n== {customers:,} customers: {raw_rows}; day 1 adds {new_rows:,} rows ({new_events:,} events,"
          f" one event file)", flush=True)

    reference, reference_seconds, reference_peak = in_child(daily_active_users, day_0)
    print(f"one-pass reference:    {reference_seconds:6.1f} s, peak {reference_peak:.2f} GiB,"
          f" DAU of {len(reference)} days", flush=True)
    full = dbt("build", day_0, DAY_0_AS_OF, work_dir / f"build-{customers}")
    print(f"full dbt build:        {full['seconds']:6.1f} s, peak {full['peak_gib']:.2f} GiB,"
          f" CPU {full['cpu_seconds']:.1f} s ({full['seconds'] / reference_seconds:.0f}x the reference)", flush=True)
    reference_note = compare_dau(reference, full["database"])
    print(f"the reference's DAU:   {reference_note}", flush=True)
    common = {"customers": customers, "raw_rows": sum(raw_rows.values()), "transactions": raw_rows["transactions"],
              "events": raw_rows["events"], "new_rows": new_rows, "new_events": new_events,
              "generate_seconds": generated, "reference_seconds": reference_seconds,
              "reference_peak_gib": reference_peak, "reference_note": reference_note, "build": full}
    if full_build_only:
        if not keep_databases:
            remove_databases(work_dir, customers)
        return common
    models = dbt("run", day_0, DAY_0_AS_OF, work_dir / f"run-{customers}", seed_first=True)
    print(f"full dbt run:          {models['seconds']:6.1f} s, peak {models['peak_gib']:.2f} GiB", flush=True)
    incremental_run = on_day_1("run", full, day_1, work_dir / f"incremental-run-{customers}")
    print(f"incremental dbt run:   {incremental_run['seconds']:6.1f} s, peak {incremental_run['peak_gib']:.2f} GiB",
          flush=True)
    incremental_build = on_day_1("build", full, day_1, work_dir / f"incremental-build-{customers}")
    print(f"incremental dbt build: {incremental_build['seconds']:6.1f} s,"
          f" peak {incremental_build['peak_gib']:.2f} GiB", flush=True)
    production = dbt("build", day_0, DAY_0_AS_OF, work_dir / f"production-build-{customers}", options=NO_UNIT_TESTS)
    print(f"full, no unit tests:   {production['seconds']:6.1f} s, peak {production['peak_gib']:.2f} GiB,"
          f" CPU {production['cpu_seconds']:.1f} s", flush=True)
    production_incremental = on_day_1("build", production, day_1, work_dir / f"production-incremental-{customers}",
                                      options=NO_UNIT_TESTS)
    print(f"incremental, no unit:  {production_incremental['seconds']:6.1f} s"
          f" ({production_incremental['seconds'] / production['seconds']:.0%} of its full build)", flush=True)

    pandas_route, pandas_seconds, pandas_peak = in_child(pandas_metrics, day_0, DAY_0_AS_OF)
    problems = compare(pandas_route, mart_metrics(full["database"]))
    if problems:
        raise SystemExit("The pandas route and the marts disagree:\n  " + "\n  ".join(problems))
    print(f"pandas:                {pandas_seconds:6.1f} s, peak {pandas_peak:.2f} GiB, equal to the marts on"
          f" {len(pandas_route)} months", flush=True)
    if not keep_databases:
        remove_databases(work_dir, customers)
    return {**common, "run": models, "incremental_run": incremental_run, "incremental_build": incremental_build,
            "production": production, "production_incremental": production_incremental,
            "pandas_seconds": pandas_seconds, "pandas_peak_gib": pandas_peak, "months": len(pandas_route)}


def full_build_markdown(results: list[dict], parse: float) -> str:
    """The table of a --full-build-only run: the full `dbt build` of each scale, and its memory."""
    lines = [
        "| customers | raw rows | full `dbt build` (s) | its CPU (s) | peak RSS (GiB) | rows/s |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        build = result["build"]
        lines.append(f"| {result['customers']:,} | {result['raw_rows']:,} | {build['seconds']:.1f}"
                     f" | {build['cpu_seconds']:.0f} | {build['peak_gib']:.2f}"
                     f" | {result['raw_rows'] / build['seconds']:,.0f} |")
    lines.append("")
    lines.append(f"`dbt parse` (no partial parsing, median of 3): {parse:.1f} s. Full builds only"
                 f" (--full-build-only); DuckDB memory_limit: {memory_limit_in_effect()}.")
    for result in results:
        lines.append("")
        lines.append(f"Five slowest nodes at {result['customers']:,} customers (full `dbt build`): "
                     + ", ".join(f"`{name}` {seconds:.1f} s" for name, seconds in result["build"]["slowest"]))
    return "\n".join(lines)


def events_markdown(results: list[dict]) -> str:
    """The events' figures of each scale: the one-pass reference, the full build as a multiple of
    it, the daily runs (one new event file) as shares of their full builds, and the event models'
    own times. The issue's targets (1M customers, about 100M events, this 2-core machine): a full
    build within 4 minutes with a peak of at most 8 GiB; a daily run within 15% of that full build."""
    full_only = "production" not in results[0]
    lines = [
        "| customers | events (day 0) | one-pass reference (s) | its peak RSS (GiB) | full `dbt build` (s)"
        " | / reference | peak RSS (GiB)"
        + ("" if full_only else " | without unit tests: full `dbt build` (s) | / reference"
           " | daily `dbt build`, one event file (s) | share of its full build | incremental `dbt run` (s)"
           " | share of full `dbt build`") + " |",
        "|---:|---:|---:|---:|---:|---:|---:" + ("" if full_only else "|---:|---:|---:|---:|---:|---:") + "|",
    ]
    for result in results:
        build, reference = result["build"], result["reference_seconds"]
        line = (f"| {result['customers']:,} | {result['events']:,} | {reference:.1f} | {result['reference_peak_gib']:.2f}"
                f" | {build['seconds']:.1f} | {build['seconds'] / reference:.0f}x | {build['peak_gib']:.2f}")
        if not full_only:
            production, daily = result["production"], result["production_incremental"]
            line += (f" | {production['seconds']:.1f} | {production['seconds'] / reference:.0f}x"
                     f" | {daily['seconds']:.1f} | {daily['seconds'] / production['seconds']:.0%}"
                     f" | {result['incremental_run']['seconds']:.1f}"
                     f" | {result['incremental_run']['seconds'] / build['seconds']:.0%}")
        lines.append(line + " |")
    lines.append("")
    lines.append("The one-pass reference: one DuckDB scan of day 0's event files counting the distinct customers of"
                 " each day (the build's threads and memory_limit, in a child process, wall-clock). Day 1 adds one event"
                 " file (" + ", ".join(f"{result['new_events']:,} events at {result['customers']:,}" for result in results)
                 + "). Targets (1M customers, about 100M events): a full build within 240 s and 8 GiB, a daily run"
                 " within 15% of it.")
    for result in results:
        lines.append("")
        lines.append(f"The reference at {result['customers']:,} customers: {result['reference_note']}.")
        runs = [("full `dbt build`", "build"), ("incremental `dbt run`", "incremental_run"),
                ("daily `dbt build` without unit tests", "production_incremental")]
        for label, key in runs:
            if key not in result:
                continue
            times = result[key]["event_models"]
            lines.append("")
            lines.append(f"Event models at {result['customers']:,} customers, {label} ({sum(times.values()):.1f} s in all"
                         f" of {result[key]['seconds']:.1f} s, 2 threads): "
                         + ", ".join(f"`{name}` {seconds:.1f} s" for name, seconds in times.items()))
    return "\n".join(lines)


def memory_limit_in_effect() -> str:
    """DUCKDB_MEMORY_LIMIT as the profile reads it, or the profile's default."""
    return os.environ.get("DUCKDB_MEMORY_LIMIT") or "the profile's default (a share of the machine's memory)"


def scale(text: str) -> int:
    """A number of customers: 10000, or with a suffix, 10k, 1M, 10M."""
    multiplier = {"k": 1_000, "m": 1_000_000}.get(text[-1:].lower(), 1)
    number = text[:-1] if multiplier > 1 else text
    try:
        customers = int(number) * multiplier
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of customers: {text!r} (e.g. 10000, 100k, 10M)") from None
    if customers < 1:
        raise argparse.ArgumentTypeError(f"not a number of customers: {text!r}")
    return customers


def markdown(results: list[dict], parse: float) -> str:
    lines = [
        "| customers | raw rows | full `dbt build` (s) | its CPU (s) | peak RSS (GiB) | rows/s | `dbt run` (s)"
        " | incremental `dbt run` (s) | incremental `dbt build` (s) | without unit tests: full `dbt build` (s)"
        " | its CPU (s) | incremental `dbt build` (s) | pandas route (s) | its peak RSS (GiB) | pandas / `dbt build` |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        build, run, production = result["build"], result["run"], result["production"]
        lines.append(
            f"| {result['customers']:,} | {result['raw_rows']:,} | {build['seconds']:.1f} | {build['cpu_seconds']:.0f}"
            f" | {build['peak_gib']:.2f}"
            f" | {result['raw_rows'] / build['seconds']:,.0f} | {run['seconds']:.1f}"
            f" | {result['incremental_run']['seconds']:.1f} ({result['incremental_run']['seconds'] / run['seconds']:.0%})"
            f" | {result['incremental_build']['seconds']:.1f}"
            f" ({result['incremental_build']['seconds'] / build['seconds']:.0%})"
            f" | {production['seconds']:.1f} | {production['cpu_seconds']:.0f}"
            f" | {result['production_incremental']['seconds']:.1f}"
            f" ({result['production_incremental']['seconds'] / production['seconds']:.0%})"
            f" | {result['pandas_seconds']:.1f} | {result['pandas_peak_gib']:.2f}"
            f" | {result['pandas_seconds'] / build['seconds']:.2f}x |")
    lines.append("")
    lines.append(f"`dbt parse` (no partial parsing, median of 3): {parse:.1f} s. Incremental runs are on day 1"
                 " (one more day of data) over the full build of day 0; the percentages compare them with the full `dbt run` and"
                 " `dbt build`. Without unit tests: the production build, `--exclude-resource-type unit_test`; its"
                 " incremental build runs over its own full build, and compares with it.")
    for result in results:
        lines.append("")
        lines.append(f"Five slowest nodes at {result['customers']:,} customers (full `dbt build`): "
                     + ", ".join(f"`{name}` {seconds:.1f} s" for name, seconds in result["build"]["slowest"]))
        lines.append("")
        lines.append(f"Five slowest nodes at {result['customers']:,} customers (incremental `dbt run`): "
                     + ", ".join(f"`{name}` {seconds:.1f} s" for name, seconds in result["incremental_run"]["slowest"]))
    if len(results) > 1:
        first, last = results[0], results[-1]
        lines.append("")
        lines.append(f"Growth {first['customers']:,} -> {last['customers']:,} customers"
                     f" ({last['raw_rows'] / first['raw_rows']:.1f}x the rows): full `dbt build`"
                     f" {last['build']['seconds'] / first['build']['seconds']:.1f}x the time.")
    return "\n".join(lines)


HISTORY = PROJECT_DIR / "benchmarks" / "history.csv"
HISTORY_FIELDS = ("date", "commit", "machine", "customers", "measurement", "node", "value", "unit", "note")
# (measurement, unit, the result's key and, for a dbt timing, the field of that timing)
MEASUREMENTS = (
    ("raw_rows", "rows", "raw_rows", None),
    ("events", "rows", "events", None),
    ("events_reference_seconds", "s", "reference_seconds", None),
    ("events_reference_peak_rss", "GiB", "reference_peak_gib", None),
    ("full_build_seconds", "s", "build", "seconds"),
    ("full_build_cpu_seconds", "s", "build", "cpu_seconds"),
    ("full_build_peak_rss", "GiB", "build", "peak_gib"),
    ("run_seconds", "s", "run", "seconds"),
    ("incremental_run_seconds", "s", "incremental_run", "seconds"),
    ("incremental_build_seconds", "s", "incremental_build", "seconds"),
    ("production_build_seconds", "s", "production", "seconds"),
    ("production_build_cpu_seconds", "s", "production", "cpu_seconds"),
    ("production_incremental_build_seconds", "s", "production_incremental", "seconds"),
    ("pandas_seconds", "s", "pandas_seconds", None),
    ("pandas_peak_rss", "GiB", "pandas_peak_gib", None),
)


def history_rows(results: list[dict], parse: float, run_date: str, commit: str, machine: str) -> list[dict]:
    """One row per scale and measurement (and per slowest node), plus the run's `dbt parse` time,
    for benchmarks/history.csv. A --full-build-only run has only the full build's measurements."""
    common = {"date": run_date, "commit": commit, "machine": machine, "node": "", "note": ""}
    rows = [dict(common, customers="", measurement="parse_seconds", value=f"{parse:.1f}", unit="s")]
    for result in results:
        for measurement, unit, key, field in MEASUREMENTS:
            if key not in result:
                continue
            value = result[key][field] if field else result[key]
            rows.append(dict(common, customers=result["customers"], measurement=measurement,
                             value=str(value) if unit == "rows" else f"{value:.2f}", unit=unit))
        for measurement, key in (("full_build_node_seconds", "build"), ("incremental_run_node_seconds", "incremental_run")):
            for name, seconds in result.get(key, {}).get("slowest", []):
                rows.append(dict(common, customers=result["customers"], measurement=measurement, node=name,
                                 value=f"{seconds:.1f}", unit="s"))
        for measurement, key in (("full_build_event_model_seconds", "build"),
                                 ("incremental_run_event_model_seconds", "incremental_run"),
                                 ("production_incremental_event_model_seconds", "production_incremental")):
            for name, seconds in result.get(key, {}).get("event_models", {}).items():
                rows.append(dict(common, customers=result["customers"], measurement=measurement, node=name,
                                 value=f"{seconds:.1f}", unit="s"))
    return rows


def append_history(path: Path, rows: list[dict]) -> None:
    """Append rows to the history CSV, writing its header first when the file is new or empty."""
    is_new = not path.exists() or path.stat().st_size == 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HISTORY_FIELDS)
        if is_new:
            writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the dbt build at several scales.")
    parser.add_argument("--scales", type=scale, nargs="+", default=[10_000, 100_000, 1_000_000],
                        help="numbers of customers, e.g. 10000 100k 1M; 10M on purpose only (module docstring)")
    parser.add_argument("--full-build-only", action="store_true",
                        help="per scale, only the data and the full dbt build (the choice at 10M)")
    scratch = Path(os.environ.get("TMPDIR", "/tmp")) / "customer_retention_bench"
    parser.add_argument("--data-dir", type=Path, default=scratch / "data")
    parser.add_argument("--work-dir", type=Path, default=scratch / "work")
    parser.add_argument("--write", type=Path, help="append the dated Markdown results to this file")
    parser.add_argument("--history", type=Path, default=HISTORY,
                        help="append each run's figures to this CSV (default benchmarks/history.csv)")
    parser.add_argument("--keep-databases", action="store_true",
                        help="keep each run's DuckDB file under --work-dir (about 7 GB at 1M customers)")
    arguments = parser.parse_args(argv)
    parse = parse_seconds(arguments.work_dir / "parse")
    print(f"dbt parse (no partial parsing, median of 3): {parse:.1f} s", flush=True)
    results = [bench_scale(customers, arguments.data_dir, arguments.work_dir, arguments.keep_databases,
                           arguments.full_build_only)
               for customers in arguments.scales]
    table = (full_build_markdown if arguments.full_build_only else markdown)(results, parse)
    table += "\n\n### Events\n\n" + events_markdown(results)
    print("\n" + table)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_DIR, capture_output=True,
                            text=True).stdout.strip()
    machine = f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}"
    append_history(arguments.history, history_rows(results, parse, date.today().isoformat(), commit,
                                                   f"{machine}, duckdb {duckdb.__version__}"))
    print(f"appended to {arguments.history}")
    if arguments.write:
        with arguments.write.open("a") as handle:
            handle.write(f"\n## Run of {date.today().isoformat()} (commit {commit}; {machine},"
                         f" duckdb {duckdb.__version__})\n\n{table}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
