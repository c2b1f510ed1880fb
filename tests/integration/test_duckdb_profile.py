"""The DuckDB profile follows the machine: its memory_limit is a share of the memory DuckDB sees,
unless DUCKDB_MEMORY_LIMIT says otherwise, and it spills into a folder next to the database file,
unless DUCKDB_TEMP_DIRECTORY says otherwise. (A fixed 3GB ran out of memory at 10M customers.)"""

from __future__ import annotations

import json

import duckdb
import pytest

from conftest import run_dbt

SETTINGS_QUERY = ("select current_setting('memory_limit') as memory_limit,"
                  " current_setting('temp_directory') as temp_directory")
UNITS = {"bytes": 1, "KiB": 1024, "MiB": 1024 ** 2, "GiB": 1024 ** 3, "TiB": 1024 ** 4}
# the profile's default share, and DuckDB's own default share (what it uses when none is set)
PROFILE_SHARE, DUCKDB_DEFAULT_SHARE = 0.70, 0.80


def as_bytes(text: str) -> float:
    """DuckDB's rendering of a size, such as '16.4 GiB', in bytes."""
    number, unit = text.split()
    return float(number) * UNITS[unit]


def profile_settings(work_dir, environment: dict) -> dict:
    """memory_limit and temp_directory as the dev target's session sees them."""
    result = run_dbt(work_dir, {}, command="show",
                     extra_arguments=("--quiet", "--output", "json", "--inline", SETTINGS_QUERY),
                     extra_env=environment)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return json.loads(result.stdout[result.stdout.index("{"):])["show"][0]


def test_memory_limit_is_a_share_of_the_machine(tmp_path, monkeypatch):
    monkeypatch.delenv("DUCKDB_MEMORY_LIMIT", raising=False)
    monkeypatch.delenv("DUCKDB_TEMP_DIRECTORY", raising=False)
    settings = profile_settings(tmp_path, {})
    # the memory DuckDB sees (the machine's, or a container's limit), from its own default
    with duckdb.connect() as connection:
        seen = as_bytes(connection.execute("select current_setting('memory_limit')").fetchall()[0][0])
        seen /= DUCKDB_DEFAULT_SHARE
    assert as_bytes(settings["memory_limit"]) == pytest.approx(PROFILE_SHARE * seen, rel=0.02)
    assert settings["temp_directory"] == str(tmp_path / "retention.duckdb") + ".tmp"


def test_environment_overrides_memory_limit_and_spill_folder(tmp_path):
    spill = tmp_path / "spill"
    settings = profile_settings(tmp_path, {"DUCKDB_MEMORY_LIMIT": "1GB", "DUCKDB_TEMP_DIRECTORY": str(spill)})
    assert as_bytes(settings["memory_limit"]) == pytest.approx(10 ** 9, rel=0.01)
    assert settings["temp_directory"] == str(spill)
