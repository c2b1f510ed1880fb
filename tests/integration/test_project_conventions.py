"""Project rules that one engine cannot catch by itself, checked on the YAML files directly.

PostgreSQL truncates nothing and refuses identifiers longer than 63 characters. dbt builds each
unit test in a relation named after the test, so a long unit-test name passes on DuckDB and fails
only on PostgreSQL: check the names here, where the DuckDB-only run sees them too.

The DAG stays shallow, so that a metric can be traced from its mart to staging in a few files:
checked on the manifest of a `dbt parse`.
"""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import run_dbt

PROJECT_DIR = Path(__file__).resolve().parents[2]
POSTGRES_MAX_IDENTIFIER = 63
# The most models a mart may be from staging (stg_* and base_raw__* models): edges into a
# non-staging model on the longest path.
MAX_HOPS_FROM_STAGING = 5


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


@pytest.fixture(scope="module")
def model_parents(tmp_path_factory) -> dict[str, list[str]]:
    """Each model's name -> the names of the models it reads, from the manifest of a `dbt parse`
    (no database is touched)."""
    work_dir = tmp_path_factory.mktemp("parse")
    result = run_dbt(work_dir, {}, command="parse", write_json=True)
    assert result.returncode == 0, result.stdout[-4000:]
    manifest = json.loads((work_dir / "target" / "manifest.json").read_text())
    models = {key: node for key, node in manifest["nodes"].items() if node["resource_type"] == "model"}
    return {
        node["name"]: [models[parent]["name"] for parent in node["depends_on"]["nodes"] if parent in models]
        for node in models.values()
    }


def is_staging(model: str) -> bool:
    return model.startswith(("stg_", "base_raw__"))


def hops_from_staging(model_parents: dict[str, list[str]]) -> dict[str, int]:
    """Each model's longest path from a staging model, counting only the edges into non-staging
    models (staging models are at 0, whatever reads what inside staging)."""

    @functools.cache
    def hops(model: str) -> int:
        if is_staging(model):
            return 0
        return max((hops(parent) + 1 for parent in model_parents[model]), default=1)

    return {model: hops(model) for model in model_parents}


def mart_names_from_files() -> list[str]:
    return sorted(path.stem for path in (PROJECT_DIR / "models" / "marts").rglob("*.sql"))


def test_no_mart_is_more_than_five_hops_from_staging(model_parents):
    """A mart that reads nothing but other marts (kpis_by_period: their headline columns side by
    side for BI tools) restates them rather than lengthening a metric's chain: it counts as deep
    as the deepest mart it reads."""
    hops = hops_from_staging(model_parents)
    marts = [name for name in mart_names_from_files() if name in hops]
    assert len(marts) > 10
    for mart in marts:
        if model_parents[mart] and all(parent in marts for parent in model_parents[mart]):
            hops[mart] = max(hops[parent] for parent in model_parents[mart])
    too_deep = {mart: hops[mart] for mart in marts if hops[mart] > MAX_HOPS_FROM_STAGING}
    assert too_deep == {}, f"marts more than {MAX_HOPS_FROM_STAGING} models from staging"
