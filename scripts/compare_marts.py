"""Snapshot the marts of a DuckDB build, and compare two snapshots value for value.

    .venv/bin/python scripts/compare_marts.py dump customer_retention.duckdb /tmp/marts-before
    .venv/bin/python scripts/compare_marts.py diff /tmp/marts-before /tmp/marts-after

`dump` writes every relation of schema marts (tables and views) to one Parquet file each, its rows
sorted on every column, and a manifest of column names and types. `diff` reports, for each mart of
the first snapshot, whether the second has it with the same columns, types and rows; a refactor
that must leave the marts as they were shows "identical" on every line and exits 0. Marts that
only the second snapshot has are listed as new.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import duckdb


def dump(database: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    connection = duckdb.connect(str(database), read_only=True)
    names = [name for (name,) in connection.execute(
        "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
    ).fetchall()]
    manifest = {}
    for name in names:
        columns = connection.execute(
            "select column_name, data_type from information_schema.columns"
            " where table_schema = 'marts' and table_name = ? order by ordinal_position", [name]
        ).fetchall()
        order = ", ".join(f'"{column}"' for column, _ in columns)
        target = out / f"{name}.parquet"
        connection.execute(f"copy (select * from marts.\"{name}\" order by {order}) to '{target}' (format parquet)")
        manifest[name] = [[column, data_type] for column, data_type in columns]
    connection.close()
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"{len(names)} marts written to {out}")


def count(connection: duckdb.DuckDBPyConnection, query: str) -> int:
    return connection.execute(f"select count(*) from ({query})").fetchall()[0][0]


def diff(before: Path, after: Path) -> int:
    old = json.loads((before / "manifest.json").read_text())
    new = json.loads((after / "manifest.json").read_text())
    connection = duckdb.connect()
    differences = 0
    for name, columns in old.items():
        if name not in new:
            print(f"{name}: missing")
            differences += 1
            continue
        if new[name] != columns:
            print(f"{name}: columns differ\n  before {columns}\n  after  {new[name]}")
            differences += 1
            continue
        left, right = before / f"{name}.parquet", after / f"{name}.parquet"
        # except all keeps duplicates: a row twice on one side and once on the other is a difference
        only_before = count(connection, f"select * from '{left}' except all select * from '{right}'")
        only_after = count(connection, f"select * from '{right}' except all select * from '{left}'")
        rows = count(connection, f"select * from '{left}'")
        if only_before or only_after:
            print(f"{name}: {only_before} rows only before, {only_after} rows only after (of {rows})")
            differences += 1
        else:
            print(f"{name}: identical ({rows} rows)")
    for name in sorted(set(new) - set(old)):
        print(f"{name}: new")
    print("no differences" if not differences else f"{differences} marts differ")
    return 1 if differences else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    dump_parser = commands.add_parser("dump", help="write the marts of a DuckDB file to a folder")
    dump_parser.add_argument("database", type=Path)
    dump_parser.add_argument("out", type=Path)
    diff_parser = commands.add_parser("diff", help="compare two folders written by dump")
    diff_parser.add_argument("before", type=Path)
    diff_parser.add_argument("after", type=Path)
    arguments = parser.parse_args()
    if arguments.command == "dump":
        dump(arguments.database, arguments.out)
        return 0
    return diff(arguments.before, arguments.after)


if __name__ == "__main__":
    sys.exit(main())
