"""Publish the marts of a finished DuckDB build for readers, atomically in both forms at once.

`make build` runs this after `dbt build` succeeds (and never after it fails). It copies every table
of the working database's `marts` schema into a new version folder holding both forms of one build:

    <publish dir>/.versions/<id>/customer_retention.duckdb
                                    a separate DuckDB file, schema `marts`, plus `meta.publication`
                                    (when, from which build); written in DuckDB 1.0 storage so that
                                    the DuckDB 1.x drivers inside BI tools can open it; read-only
    <publish dir>/.versions/<id>/marts/<mart>.parquet
                                    one Parquet file per mart, plus _publication.json

Readers use fixed paths, symlinks made once, that lead through one switch, `current`:

    <publish dir>/current                      -> .versions/<id>   (the only link that changes)
    <publish dir>/customer_retention.duckdb    -> current/customer_retention.duckdb
    <publish dir>/marts                        -> current/marts

A version is written under .versions/.tmp-<id>/, every file fsynced, the marker `_complete`
written last, and only then renamed to .versions/<id>; `current` is then swapped onto it by
renaming a new symlink over it. So both forms switch together in one atomic rename, and a kill at
any moment leaves readers on one complete build (the previous one or the new one) in both forms.
Pruning keeps the version `current` points at and the one it pointed at before this run's switch
(a reader who opened that one a moment before the switch can finish); it deletes older versions
and the half-written folders of killed runs. A lock file serialises concurrent runs.

An old-layout publish folder (a real file at customer_retention.duckdb, `marts` a symlink straight
into .versions/) is migrated first, without changing what readers see: its DuckDB file becomes a
version of its own (hard-linked, with the Parquet files exported from that same file), `current`
points at it, and the two reader paths are then renamed into the fixed symlinks one after the
other; only then is the new build published as above.

Test hook: CUSTOMER_RETENTION_PUBLISH_KILL_AT=<step> (one of KILL_STEPS) makes the run SIGKILL
itself at that step; tests/integration/test_publish.py kills a run at every step.

Usage: python scripts/publish.py [--database PATH] [--publish-dir DIR]
Defaults: DBT_DUCKDB_PATH (else customer_retention.duckdb) and CUSTOMER_RETENTION_PUBLISH_DIR (else
published), relative to the current directory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import fcntl
import json
import os
import shutil
import signal
import sys
from pathlib import Path

import duckdb

MARTS_SCHEMA = "marts"
PUBLISHED_FILE = "customer_retention.duckdb"
PARQUET_FOLDER = "marts"
PUBLICATION_JSON = "_publication.json"
COMPLETE_MARKER = "_complete"
CURRENT = "current"
VERSIONS = ".versions"
LOCK = ".lock"
TEMPORARY = ".tmp-"
# The reader paths, symlinks through `current` that never change once made.
READER_LINKS = {
    PUBLISHED_FILE: Path(CURRENT) / PUBLISHED_FILE,
    PARQUET_FOLDER: Path(CURRENT) / PARQUET_FOLDER,
}
# DuckDB 1.0 storage: any 1.x reader opens it (duckdb 2.x writes a newer format by default).
STORAGE_VERSION = "v1.0.0"

KILL_ENV = "CUSTOMER_RETENTION_PUBLISH_KILL_AT"
# Every step at which the test hook can kill a run, in the order a run passes them.
MIGRATION_STEPS = (
    "migration_version_written",  # the old file's version written under .versions/.tmp-*
    "migration_version_renamed",  # ... renamed into .versions/, `current` not yet on it
    "migration_current_switched",  # `current` on it; both reader paths still in the old layout
    "migration_duckdb_linked",  # the DuckDB path is the fixed symlink; `marts` still the old one
    "migration_done",  # both reader paths are the fixed symlinks
)
PUBLISH_STEPS = (
    "started",  # lock held, leftovers of killed runs removed, an old layout migrated
    "duckdb_tables_copied",  # the new DuckDB file has its tables, not yet checkpointed
    "duckdb_closed",  # checkpointed and detached, not yet fsynced
    "parquet_started",  # the first Parquet file written
    "parquet_written",  # every Parquet file written, _publication.json not yet
    "version_written",  # every file fsynced and `_complete` written, still under .tmp-*
    "version_renamed",  # renamed into .versions/, `current` still on the previous version
    "current_link_created",  # the new `current` symlink made under a temporary name
    "current_switched",  # ... and renamed over `current`: readers see the new build
    "reader_links_ready",  # the fixed reader symlinks exist (made here on a first publish)
    "pruning",  # after deleting the first old or half-written version
    "pruned",  # everything done
)
KILL_STEPS = MIGRATION_STEPS + PUBLISH_STEPS


def step(name: str) -> None:
    """The test hook: die here, as a power cut or an OOM kill would, when the test asks for it."""
    assert name in KILL_STEPS, name
    if os.environ.get(KILL_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def fsync_directory(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def fsync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def write_synced(path: Path, text: str) -> None:
    with open(path, "w") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def mart_tables(connection: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    """The marts: tables, and views (a renamed mart's deprecated old name), each published as a
    table of its rows."""
    rows = connection.execute(
        "select table_name from information_schema.tables"
        " where table_catalog = ? and table_schema = ? and table_type in ('BASE TABLE', 'VIEW')"
        " order by table_name",
        [catalog, MARTS_SCHEMA],
    ).fetchall()
    return [name for (name,) in rows]


def new_version_id(suffix: str = "") -> str:
    now = dt.datetime.now(dt.timezone.utc)
    return now.strftime("%Y%m%dT%H%M%S%fZ") + f"-{os.getpid()}" + suffix


def is_complete(version: Path) -> bool:
    return (not version.name.startswith(".") and version.is_dir() and not version.is_symlink()
            and (version / COMPLETE_MARKER).is_file())


def current_version(publish_dir: Path) -> str | None:
    """The version folder `current` points at, if there is one."""
    try:
        target = Path(os.readlink(publish_dir / CURRENT))
    except OSError:
        return None
    return target.name if target.parent == Path(VERSIONS) else None


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def remove_leftovers(publish_dir: Path) -> None:
    """Temporary symlinks, files and version folders of runs that were killed before their rename."""
    for leftover in publish_dir.glob(f".*{TEMPORARY}*"):
        remove(leftover)
    versions = publish_dir / VERSIONS
    if versions.is_dir():
        for leftover in versions.glob(f"{TEMPORARY}*"):
            remove(leftover)


def replace_with_symlink(path: Path, target: Path, version: str) -> None:
    """Point `path` at `target` in one atomic step: a new symlink renamed over whatever is there."""
    temporary = path.with_name(f".{path.name}{TEMPORARY}{version}")
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(target)
    os.replace(temporary, path)


def copy_comments(connection: duckdb.DuckDBPyConnection, source: str, mart: str) -> None:
    """The descriptions dbt wrote on the mart and its columns (persist_docs), copied to the
    published table, so that a BI tool opening the published file shows them too."""
    relation_comments = connection.execute(
        "select comment from duckdb_tables() where database_name = ? and schema_name = ? and table_name = ?"
        " union all"
        " select comment from duckdb_views() where database_name = ? and schema_name = ? and view_name = ?",
        [source, MARTS_SCHEMA, mart] * 2,
    ).fetchall()
    target = f"published.{MARTS_SCHEMA}.{quote(mart)}"
    for (comment,) in relation_comments:
        if comment:
            connection.execute(f"comment on table {target} is {literal(comment)}")
    column_comments = connection.execute(
        "select column_name, comment from duckdb_columns()"
        " where database_name = ? and schema_name = ? and table_name = ? and comment is not null",
        [source, MARTS_SCHEMA, mart],
    ).fetchall()
    for column, comment in column_comments:
        connection.execute(f"comment on column {target}.{quote(column)} is {literal(comment)}")


def write_version(connection: duckdb.DuckDBPyConnection, publish_dir: Path, version: str, source: str,
                  marts: list[str], publication: dict, with_duckdb: bool) -> Path:
    """Write both forms of one build under .versions/.tmp-<version>/ and rename it to .versions/<version>.

    `source` is the attached catalog the marts are read from. With `with_duckdb` the DuckDB file is
    written here (a new build); without, the caller has already put it in place (a migration)."""
    staging = publish_dir / VERSIONS / f"{TEMPORARY}{version}"
    parquet = staging / PARQUET_FOLDER
    parquet.mkdir(parents=True, exist_ok=True)
    database = staging / PUBLISHED_FILE
    if with_duckdb:
        connection.execute(f"attach {literal(str(database))} as published (storage_version '{STORAGE_VERSION}')")
        connection.execute(f"create schema published.{MARTS_SCHEMA}")
        for mart in marts:
            connection.execute(
                f"create table published.{MARTS_SCHEMA}.{quote(mart)} as"
                f" select * from {source}.{MARTS_SCHEMA}.{quote(mart)}"
            )
            copy_comments(connection, source, mart)
        connection.execute("create schema published.meta")
        connection.execute(
            "create table published.meta.publication as select"
            " cast(? as timestamp) as published_at, ? as dbt_invocation_id, ? as marts",
            [publication["published_at"].replace(tzinfo=None), publication["dbt_invocation_id"], len(marts)],
        )
        step("duckdb_tables_copied")
        connection.execute("checkpoint published")
        connection.execute("detach published")
        step("duckdb_closed")
        if database.with_name(database.name + ".wal").exists():
            raise SystemExit(f"publish: {database} kept a write-ahead log after its checkpoint; not published.")
    fsync_file(database)
    database.chmod(0o444)

    for index, mart in enumerate(marts):
        target = parquet / f"{mart}.parquet"
        connection.execute(
            f"copy (select * from {source}.{MARTS_SCHEMA}.{quote(mart)}) to {literal(str(target))} (format parquet)"
        )
        fsync_file(target)
        if index == 0 and with_duckdb:
            step("parquet_started")
    if with_duckdb:
        step("parquet_written")
    published_at = publication["published_at"]
    write_synced(parquet / PUBLICATION_JSON, json.dumps({
        "published_at": published_at.isoformat() if published_at else None,
        "dbt_invocation_id": publication["dbt_invocation_id"],
        "marts": marts,
        "version": version,
    }, indent=2) + "\n")
    fsync_directory(parquet)
    # The marker last: a folder holding `_complete` has every file of both forms on disk.
    write_synced(staging / COMPLETE_MARKER, version + "\n")
    fsync_directory(staging)
    step("version_written" if with_duckdb else "migration_version_written")

    final = publish_dir / VERSIONS / version
    os.rename(staging, final)
    fsync_directory(publish_dir / VERSIONS)
    step("version_renamed" if with_duckdb else "migration_version_renamed")
    return final


def migrate_old_layout(connection: duckdb.DuckDBPyConnection, publish_dir: Path) -> None:
    """Turn the old layout (a real DuckDB file, `marts` linked straight into .versions/) into the new
    one without changing what readers see: the old file becomes a version of its own, `current`
    points at it, and then each reader path is renamed into its fixed symlink."""
    old_file = publish_dir / PUBLISHED_FILE
    if old_file.is_file() and not old_file.is_symlink():
        version = new_version_id("-migrated")
        staging = publish_dir / VERSIONS / f"{TEMPORARY}{version}"
        staging.mkdir(parents=True)
        try:
            os.link(old_file, staging / PUBLISHED_FILE)  # the very file readers have: no copy, no change
        except OSError:
            shutil.copy2(old_file, staging / PUBLISHED_FILE)
        # The Parquet files are exported from that same file, so the two forms agree even if the old
        # layout had been left mixed by a kill between its two renames.
        connection.execute(f"attach {literal(str(staging / PUBLISHED_FILE))} as migrated (read_only)")
        try:
            marts = mart_tables(connection, "migrated")
            try:
                published_at, invocation = connection.execute(
                    "select published_at, dbt_invocation_id from migrated.meta.publication").fetchall()[0]
            except (duckdb.Error, IndexError):
                published_at, invocation = None, None
            publication = {"published_at": published_at, "dbt_invocation_id": invocation}
            write_version(connection, publish_dir, version, "migrated", marts, publication, with_duckdb=False)
        finally:
            connection.execute("detach migrated")
        replace_with_symlink(publish_dir / CURRENT, Path(VERSIONS) / version, version)
        fsync_directory(publish_dir)
        step("migration_current_switched")
        replace_with_symlink(old_file, READER_LINKS[PUBLISHED_FILE], version)
        fsync_directory(publish_dir)
        step("migration_duckdb_linked")
        ensure_reader_links(publish_dir)
        step("migration_done")


def ensure_reader_links(publish_dir: Path) -> None:
    """Make the fixed reader symlinks where they are missing or still in the old layout."""
    if current_version(publish_dir) is None:
        return  # nothing published yet: the first publish makes them once `current` exists
    changed = False
    for name, target in READER_LINKS.items():
        path = publish_dir / name
        if path.is_symlink() and Path(os.readlink(path)) == target:
            continue
        if path.exists() and not path.is_symlink():
            raise SystemExit(f"publish: {path} is a real {'folder' if path.is_dir() else 'file'};"
                             " move it away so it can become the published symlink.")
        replace_with_symlink(path, target, new_version_id())
        changed = True
    if changed:
        fsync_directory(publish_dir)


def prune_versions(publish_dir: Path, keep: set[str]) -> None:
    """Delete every version folder but those in `keep`: older complete versions and the half-written
    folders of killed runs (also old-layout Parquet folders, which lack `_complete`)."""
    for entry in sorted((publish_dir / VERSIONS).iterdir()):
        if entry.name in keep and is_complete(entry):
            continue
        remove(entry)
        step("pruning")
    fsync_directory(publish_dir / VERSIONS)


def publish(database: Path, publish_dir: Path) -> dict:
    if not database.exists():
        raise SystemExit(f"publish: no DuckDB database at {database}; run dbt build first.")
    publish_dir.mkdir(parents=True, exist_ok=True)
    with open(publish_dir / LOCK, "a") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)  # released by the kernel however the run ends
        return publish_locked(database, publish_dir)


def publish_locked(database: Path, publish_dir: Path) -> dict:
    marts_link = publish_dir / PARQUET_FOLDER
    if marts_link.exists() and not marts_link.is_symlink():
        raise SystemExit(f"publish: {marts_link} is a real folder; move it away so it can become the published symlink.")
    remove_leftovers(publish_dir)
    (publish_dir / VERSIONS).mkdir(exist_ok=True)

    connection = duckdb.connect()
    try:
        connection.execute(f"attach {literal(str(database))} as working (read_only)")
        marts = mart_tables(connection, "working")
        if not marts:
            raise SystemExit(f"publish: {database} has no tables in schema {MARTS_SCHEMA}; nothing published.")
        migrate_old_layout(connection, publish_dir)
        ensure_reader_links(publish_dir)
        step("started")
        version = new_version_id()
        publication = {"published_at": dt.datetime.now(dt.timezone.utc), "dbt_invocation_id": read_invocation_id()}
        write_version(connection, publish_dir, version, "working", marts, publication, with_duckdb=True)
    finally:
        connection.close()

    previous = current_version(publish_dir)
    temporary_link = publish_dir / f".{CURRENT}{TEMPORARY}{version}"
    temporary_link.symlink_to(Path(VERSIONS) / version)
    step("current_link_created")
    os.replace(temporary_link, publish_dir / CURRENT)
    fsync_directory(publish_dir)
    step("current_switched")
    ensure_reader_links(publish_dir)
    step("reader_links_ready")
    prune_versions(publish_dir, {version} | ({previous} if previous else set()))
    step("pruned")
    return {"marts": marts, "version": version, "database": publish_dir / PUBLISHED_FILE, "parquet": marts_link}


def read_invocation_id() -> str | None:
    """The dbt invocation that built the marts, from target/run_results.json when it is there."""
    results = Path(os.environ.get("DBT_TARGET_PATH", "target")) / "run_results.json"
    try:
        return json.loads(results.read_text())["metadata"]["invocation_id"]
    except (OSError, ValueError, KeyError):
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=os.environ.get("DBT_DUCKDB_PATH", "customer_retention.duckdb"))
    parser.add_argument("--publish-dir", default=os.environ.get("CUSTOMER_RETENTION_PUBLISH_DIR", "published"))
    arguments = parser.parse_args(argv)
    result = publish(Path(arguments.database), Path(arguments.publish_dir))
    print(f"Published {len(result['marts'])} marts to {result['database']} (read-only DuckDB, schema marts)"
          f" and {result['parquet']}/<mart>.parquet (version {result['version']}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
