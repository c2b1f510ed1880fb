"""The three engines behind one interface, for tests that build the same data on each.

Each build gets a place of its own: a DuckDB file, a PostgreSQL database of the local server
(scripts/postgres.sh), or a Spark metastore and warehouse. Raw tables are loaded the way a user's
ingestion would leave them: text columns in a schema of their own.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import psycopg2
import pytest

from conftest import demo_data, rows_as_dicts, run_dbt

MARTS = ("retention_by_period", "nps_by_period", "cltv_by_period", "customers", "cohort_retention",
         "cohort_retention_summary", "cltv_by_cohort", "cltv_by_cohort_summary", "revenue_retention_by_period",
         "data_quality_by_source", "mrr_movements", "kpis_by_period", "retention_by_nps_category")
# the predictive CLV marts (BG/NBD and sBG), and clv_model_parameters: the deprecated view of
# cltv_model_parameters
DUCKDB_ONLY_MARTS = ("cltv_model_parameters", "customer_lifetime_value", "clv_model_parameters",
                     "retention_projection_parameters", "retention_projection", "subscriber_lifetime_value",
                     "retention_projection_backtest", "purchase_prediction_backtest")
# the product-usage marts from events: DuckDB and PostgreSQL (not Spark, whose dbt.dateadd of a
# day to a timestamp returns a date, which would lose the rolling windows' time of day)
EVENT_MARTS = ("event_retention", "event_retention_summary", "event_retention_brackets", "user_lifecycle_by_period",
               "stickiness_by_day", "usage_frequency_by_period")


def postgres_settings(database: str | None = None, user: str | None = None,
                      password: str | None = None) -> dict:
    """Connection settings, with the defaults of profiles.yml's postgres target."""
    return {
        "host": os.environ.get("POSTGRES_HOST", "127.0.0.1"),
        "port": int(os.environ.get("POSTGRES_PORT", "54329")),
        "user": user or os.environ.get("POSTGRES_USER", "dbt"),
        "password": password or os.environ.get("POSTGRES_PASSWORD", "dbt"),
        "dbname": database or os.environ.get("POSTGRES_DB", "customer_retention"),
    }


def postgres_connect(**settings) -> "psycopg2.extensions.connection":
    parameters = postgres_settings(**settings)
    try:
        return psycopg2.connect(connect_timeout=5, **parameters)
    except psycopg2.OperationalError as error:
        pytest.fail(
            f"PostgreSQL is not reachable at {parameters['host']}:{parameters['port']} ({error}). "
            "Start it with scripts/postgres.sh start (make test does)."
        )


class Engine:
    name = ""
    target = ""

    def __init__(self, work_dir: Path):
        self.work_dir = work_dir
        work_dir.mkdir(parents=True, exist_ok=True)

    def env(self) -> dict:
        return {}

    def load_raw_tables(self, csv_folder: Path, schema: str) -> None:
        raise NotImplementedError

    def read_schema(self, schema: str) -> dict[str, list[dict]]:
        raise NotImplementedError

    def build(self, variables: dict, unit_tests: bool = False) -> None:
        skip = () if unit_tests else ("--exclude-resource-type", "unit_test")
        result = run_dbt(self.work_dir, variables, extra_arguments=skip, target=self.target,
                         extra_env=self.env())
        if result.returncode != 0:
            pytest.fail(f"dbt build on {self.name} failed with {variables}:\n"
                        f"{result.stdout[-6000:]}\n{result.stderr[-3000:]}")

    @property
    def compared_marts(self) -> tuple[str, ...]:
        """The marts this engine builds and the cross-engine test compares with DuckDB's."""
        return MARTS + (() if self.name == "spark" else EVENT_MARTS)

    def read_marts(self) -> dict[str, list[dict]]:
        """The marts this engine builds (compared_marts); DuckDB also has the predictive CLV marts
        (dbt Python models run on DuckDB only), which are checked to exist there and nowhere else."""
        marts = self.read_schema("marts")
        expected = set(self.compared_marts) | (set(DUCKDB_ONLY_MARTS) if self.name == "duckdb" else set())
        assert set(marts) == expected, f"{self.name}: marts {sorted(marts)}"
        return {name: marts[name] for name in self.compared_marts}


class DuckDBEngine(Engine):
    name = "duckdb"
    target = "dev"

    @property
    def database(self) -> Path:
        return self.work_dir / "retention.duckdb"

    def load_raw_tables(self, csv_folder: Path, schema: str) -> None:
        connection = duckdb.connect(str(self.database))
        try:
            connection.execute(f"create schema if not exists {schema}")
            for path in sorted(csv_folder.glob("*.csv")):
                connection.execute(
                    f"create or replace table {schema}.{path.stem} as"
                    f" select * from read_csv('{path}', header = true, all_varchar = true)"
                )
        finally:
            connection.close()

    def read_schema(self, schema: str) -> dict[str, list[dict]]:
        connection = duckdb.connect(str(self.database), read_only=True)
        try:
            names = [row[0] for row in connection.execute(
                "select table_name from information_schema.tables where table_schema = ?", [schema]
            ).fetchall()]
            return {name: rows_as_dicts(connection.execute(f"select * from {schema}.{name}")) for name in names}
        finally:
            connection.close()


class PostgresEngine(Engine):
    name = target = "postgres"

    def __init__(self, work_dir: Path):
        super().__init__(work_dir)
        # one database per build, named after its folder and the pytest-xdist worker (whose
        # temporary folders have the same names as the other worker's)
        worker = os.environ.get("PYTEST_XDIST_WORKER", "")
        self.database = "cr_" + re.sub(r"[^a-z0-9_]", "_", f"{worker}_{work_dir.name}".lower())[-50:]
        admin = postgres_connect()
        admin.autocommit = True
        try:
            with admin.cursor() as cursor:
                cursor.execute(f'drop database if exists "{self.database}" with (force)')
                cursor.execute(f'create database "{self.database}"')
        finally:
            admin.close()
        # closed to PUBLIC, as scripts/postgres.sh closes the databases it creates (recreate-db):
        # only the owner (dbt) and the roles dbt grants connect to may connect
        owner = self.connect()
        owner.autocommit = True
        try:
            with owner.cursor() as cursor:
                cursor.execute(f'revoke connect, temporary on database "{self.database}" from public')
                cursor.execute("revoke create on schema public from public")
        finally:
            owner.close()

    def env(self) -> dict:
        return {"POSTGRES_DB": self.database}

    def connect(self, **settings):
        return postgres_connect(database=self.database, **settings)

    def load_raw_tables(self, csv_folder: Path, schema: str) -> None:
        connection = self.connect()
        try:
            with connection, connection.cursor() as cursor:
                cursor.execute(f'create schema if not exists "{schema}"')
                for path in sorted(csv_folder.glob("*.csv")):
                    columns = demo_data.COLUMNS[path.stem]
                    column_list = ", ".join(f'"{c}" text' for c in columns)
                    cursor.execute(f'create table "{schema}"."{path.stem}" ({column_list})')
                    with path.open() as handle:
                        cursor.copy_expert(
                            f'copy "{schema}"."{path.stem}" from stdin with (format csv, header true)', handle
                        )
        finally:
            connection.close()

    def read_schema(self, schema: str) -> dict[str, list[dict]]:
        connection = self.connect()
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    "select table_name from information_schema.tables where table_schema = %s", [schema]
                )
                tables = {}
                for name in [row[0] for row in cursor.fetchall()]:
                    cursor.execute(f'select * from "{schema}"."{name}"')
                    tables[name] = rows_as_dicts(cursor)
        finally:
            connection.close()
        return tables


class SparkEngine(Engine):
    name = target = "spark"

    @property
    def scratch(self) -> Path:
        return self.work_dir / "spark"

    def env(self) -> dict:
        return {"SPARK_SCRATCH_DIR": str(self.scratch), "SPARK_LOCAL_IP": "127.0.0.1"}

    def _spark_io(self, *arguments: str) -> None:
        result = subprocess.run(
            [sys.executable, str(Path(__file__).with_name("spark_io.py")), *arguments],
            cwd=self.work_dir, env={**os.environ, **self.env()}, capture_output=True, text=True, timeout=1800,
        )
        if result.returncode != 0:
            pytest.fail(f"spark_io {arguments} failed:\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}")

    def load_raw_tables(self, csv_folder: Path, schema: str) -> None:
        self._spark_io("load", str(csv_folder), schema)

    def read_schema(self, schema: str) -> dict[str, list[dict]]:
        """Each table of the schema, read by DuckDB from the Parquet files of its folder in the
        warehouse (dbt-spark's managed tables), so no JVM starts only to read them back."""
        folder = self.scratch / "warehouse" / f"{schema}.db"
        connection = duckdb.connect()
        try:
            connection.execute("set TimeZone = 'UTC'")
            return {
                table.name: rows_as_dicts(connection.execute(f"select * from read_parquet('{table}/*.parquet')"))
                for table in sorted(p for p in folder.iterdir() if p.is_dir())
            }
        finally:
            connection.close()


ENGINES = {"duckdb": DuckDBEngine, "postgres": PostgresEngine, "spark": SparkEngine}
__all__ = ["ENGINES", "MARTS", "postgres_connect", "postgres_settings"]
