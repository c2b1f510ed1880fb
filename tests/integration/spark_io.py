"""Load raw tables into the Spark metastore that dbt's `spark` target uses (the tests read the
marts back from the warehouse's Parquet files, engines.py, without a JVM).

Run as its own process, never inside pytest's: the metastore is an embedded Derby database that one
JVM at a time may open, and dbt opens it too. The session settings mirror profiles.yml's spark
target (metastore and warehouse under SPARK_SCRATCH_DIR, session time zone UTC).

    python spark_io.py load <csv folder> <schema>   one managed table per CSV file, every column text
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from pyspark.sql import SparkSession


def session() -> SparkSession:
    scratch = os.environ.get("SPARK_SCRATCH_DIR", "/tmp/customer_retention_spark")
    spark = (
        SparkSession.builder.master("local[2]")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.warehouse.dir", f"{scratch}/warehouse")
        .config("spark.hadoop.javax.jdo.option.ConnectionURL",
                f"jdbc:derby:;databaseName={scratch}/metastore_db;create=true")
        .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={scratch}")
        .enableHiveSupport()
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def load(folder: Path, schema: str) -> None:
    """What a user's ingestion would leave: raw exports as text tables in a schema of their own."""
    spark = session()
    spark.sql(f"create database if not exists {schema}")
    for path in sorted(folder.glob("*.csv")):
        frame = spark.read.option("header", True).option("inferSchema", False).csv(str(path))
        frame.write.mode("overwrite").saveAsTable(f"{schema}.{path.stem}")
    spark.stop()


if __name__ == "__main__":
    command, folder, schema = sys.argv[1:4]
    if command != "load":
        raise SystemExit(f"unknown command {command!r}")
    load(Path(folder), schema)
