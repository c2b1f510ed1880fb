"""Project rules that one engine cannot catch by itself, checked on the YAML files directly.

PostgreSQL truncates nothing and refuses identifiers longer than 63 characters. dbt builds each
unit test in a relation named after the test, so a long unit-test name passes on DuckDB and fails
only on PostgreSQL: check the names here, where the DuckDB-only run sees them too.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

PROJECT_DIR = Path(__file__).resolve().parents[2]
POSTGRES_MAX_IDENTIFIER = 63


def unit_test_names() -> list[str]:
    names = []
    for path in sorted((PROJECT_DIR / "models").rglob("*.yml")):
        document = yaml.safe_load(path.read_text()) or {}
        names += [unit_test["name"] for unit_test in document.get("unit_tests", [])]
    return names


def test_there_are_unit_tests_to_check():
    assert len(unit_test_names()) > 20


def test_unit_test_names_fit_a_postgres_identifier():
    too_long = [name for name in unit_test_names() if len(name) > POSTGRES_MAX_IDENTIFIER]
    assert too_long == [], f"unit-test names longer than {POSTGRES_MAX_IDENTIFIER} characters"


def test_every_mart_is_checked_for_email_addresses():
    """No email address may reach a mart: each mart carries the contains_no_email_address test."""
    unchecked = []
    for path in sorted((PROJECT_DIR / "models" / "marts").rglob("*.yml")):
        document = yaml.safe_load(path.read_text()) or {}
        for model in document.get("models", []):
            if "contains_no_email_address" not in (model.get("data_tests") or []):
                unchecked.append(model["name"])
    assert unchecked == []


def test_every_relative_link_of_the_docs_resolves():
    """README.md and docs/*.md link to files and headings that exist (scripts/check_doc_links.py)."""
    result = subprocess.run([sys.executable, str(PROJECT_DIR / "scripts" / "check_doc_links.py")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
