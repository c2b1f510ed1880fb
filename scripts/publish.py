"""Publish the marts of a finished DuckDB build for readers, atomically.

`make build` runs this after `dbt build` succeeds (and never after it fails). It copies every table
of the working database's `marts` schema to:

    <publish dir>/customer_retention.duckdb     a separate DuckDB file, schema `marts`, plus
                                                `meta.publication` (when, from which build);
                                                written in DuckDB 1.0 storage so that the DuckDB
                                                1.x drivers inside BI tools can open it; read-only
                                                (mode 0444)
    <publish dir>/marts/<mart>.parquet          one Parquet file per mart

Readers never see a half-written state. The DuckDB file is written under a temporary name and
renamed over the old one (rename is atomic within a file system). The Parquet files are written to
a new folder, .versions/<id>/, and then the symlink `marts` is pointed at it by renaming a new
symlink over it, so a reader finds either the previous complete set or the new one, never a mix.
The two previous versions are kept for readers still in the middle of one; older ones are deleted.
A kill at any moment leaves the published files intact (at worst an orphaned temporary file, which
the next run removes). BI tools read the published copy and never contend with dbt for the working
file's lock.

Usage: python scripts/publish.py [--database PATH] [--publish-dir DIR]
Defaults: DBT_DUCKDB_PATH (else customer_retention.duckdb) and CUSTOMER_RETENTION_PUBLISH_DIR (else
published), relative to the current directory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
from pathlib import Path

import duckdb

MARTS_SCHEMA = "marts"
PUBLISHED_FILE = "customer_retention.duckdb"
PARQUET_LINK = "marts"
VERSIONS = ".versions"
KEEP_VERSIONS = 3
# DuckDB 1.0 storage: any 1.x reader opens it (duckdb 2.x writes a newer format by default).
STORAGE_VERSION = "v1.0.0"


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


def mart_tables(connection: duckdb.DuckDBPyConnection) -> list[str]:
    rows = connection.execute(
        "select table_name from information_schema.tables"
        " where table_catalog = 'working' and table_schema = ? and table_type = 'BASE TABLE'"
        " order by table_name",
        [MARTS_SCHEMA],
    ).fetchall()
    return [name for (name,) in rows]


def remove_leftovers(publish_dir: Path) -> None:
    """Temporary files and symlinks of runs that were killed before their rename."""
    for leftover in publish_dir.glob(".*.tmp-*"):
        if leftover.is_symlink() or leftover.is_file():
            leftover.unlink()


def prune_versions(publish_dir: Path, current: str) -> None:
    versions = sorted(path for path in (publish_dir / VERSIONS).iterdir() if path.is_dir())
    for old in versions[:-KEEP_VERSIONS]:
        if old.name != current:
            shutil.rmtree(old)


def publish(database: Path, publish_dir: Path) -> dict:
    if not database.exists():
        raise SystemExit(f"publish: no DuckDB database at {database}; run dbt build first.")
    publish_dir.mkdir(parents=True, exist_ok=True)
    remove_leftovers(publish_dir)
    now = dt.datetime.now(dt.timezone.utc)
    version = now.strftime("%Y%m%dT%H%M%S%fZ") + f"-{os.getpid()}"

    connection = duckdb.connect()
    connection.execute(f"attach {literal(str(database))} as working (read_only)")
    marts = mart_tables(connection)
    if not marts:
        raise SystemExit(f"publish: {database} has no tables in schema {MARTS_SCHEMA}; nothing published.")
    invocation = read_invocation_id()

    # 1. The DuckDB file: written whole under a temporary name, then renamed over the old one.
    temporary = publish_dir / f".{PUBLISHED_FILE}.tmp-{version}"
    connection.execute(f"attach {literal(str(temporary))} as published (storage_version '{STORAGE_VERSION}')")
    connection.execute(f"create schema published.{MARTS_SCHEMA}")
    for mart in marts:
        connection.execute(
            f"create table published.{MARTS_SCHEMA}.{quote(mart)} as"
            f" select * from working.{MARTS_SCHEMA}.{quote(mart)}"
        )
    connection.execute("create schema published.meta")
    connection.execute(
        "create table published.meta.publication as select"
        " cast(? as timestamp) as published_at, ? as dbt_invocation_id, ? as marts",
        [now.replace(tzinfo=None), invocation, len(marts)],
    )
    connection.execute("checkpoint published")
    connection.execute("detach published")
    fsync_file(temporary)
    temporary.chmod(0o444)
    os.replace(temporary, publish_dir / PUBLISHED_FILE)

    # 2. The Parquet files: a new version folder, then the `marts` symlink swapped onto it.
    version_dir = publish_dir / VERSIONS / version
    version_dir.mkdir(parents=True)
    for mart in marts:
        target = version_dir / f"{mart}.parquet"
        connection.execute(
            f"copy (select * from working.{MARTS_SCHEMA}.{quote(mart)}) to {literal(str(target))} (format parquet)"
        )
        fsync_file(target)
    (version_dir / "_publication.json").write_text(json.dumps(
        {"published_at": now.isoformat(), "dbt_invocation_id": invocation, "marts": marts}, indent=2) + "\n")
    fsync_directory(version_dir)
    connection.close()

    link = publish_dir / PARQUET_LINK
    if link.exists() and not link.is_symlink():
        raise SystemExit(f"publish: {link} is a real folder; move it away so it can become the published symlink.")
    temporary_link = publish_dir / f".{PARQUET_LINK}.tmp-{version}"
    temporary_link.symlink_to(Path(VERSIONS) / version)
    os.replace(temporary_link, link)
    fsync_directory(publish_dir)
    prune_versions(publish_dir, version)
    return {"marts": marts, "version": version, "database": publish_dir / PUBLISHED_FILE, "parquet": link}


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
