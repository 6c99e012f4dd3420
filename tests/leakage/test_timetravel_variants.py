"""Cross-check with `sqltrain verify`'s leaky demo variants (tests/timetravel/leaky_variants.py,
written for the dynamic time-travel test): the static check must catch each one too, at the line
the variant changed."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import duckdb
import pytest

from sqltrain.dbt_invoke import invoke
from sqltrain.leakage import check_project
from sqltrain.project import Project

REPO = Path(__file__).parent.parent.parent
VARIANTS_FILE = REPO / "tests" / "timetravel" / "leaky_variants.py"

# variant -> (rule expected, text on the line the finding must point to)
EXPECTED = {
    "future_window": ("LK002", "f.event_ts <= spine.as_of_ts + interval 90 day"),   # the bound past the cutoff
    "unbounded_join": ("LK001", "left join last_any using (customer_id)"),
    "label_derived_feature": ("LK001", "select count(*) from {{ ref('lbl_churn_events') }}"),
    "mutable_dimension": ("LK007", "ref('feat_customer_profile')"),
}


def _variants_module():
    spec = importlib.util.spec_from_file_location("sqltrain_leaky_variants", VARIANTS_FILE)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
@pytest.mark.skipif(not VARIANTS_FILE.is_file(), reason="time-travel leaky variants not present")
def test_every_time_travel_variant_is_caught_statically(tmp_path, monkeypatch):
    duckdb.connect(str(tmp_path / "w.duckdb")).close()  # an empty warehouse: sqltrain never creates one
    monkeypatch.setenv("SQLTRAIN_WAREHOUSE", str(tmp_path / "w.duckdb"))
    root = tmp_path / "project"
    root.mkdir()
    for item in ("dbt_project.yml", "profiles.yml"):
        shutil.copy(REPO / item, root / item)
    for folder in ("models", "macros", "snapshots"):
        shutil.copytree(REPO / folder, root / folder)
    (root / "tests" / "dbt").mkdir(parents=True)
    shutil.copytree(REPO / "tests" / "dbt", root / "tests" / "dbt", dirs_exist_ok=True)
    variants = _variants_module()
    names = [v.name for v in variants.VARIANTS]
    assert set(EXPECTED) <= set(names)
    for variant in variants.VARIANTS:
        variant.apply(root)                       # the variants touch different lines: apply all, compile once
    project = Project.open(root)
    invoke(project, ["compile"])
    report = check_project(project)
    training = (root / "models" / "training" / "churn_training.sql").read_text().splitlines()
    found = {(f.code, training[f.line - 1]) for f in report.active if f.model == "churn_training"}
    for name, (code, text) in EXPECTED.items():
        assert any(c == code and text in line for c, line in found), f"{name}: no {code} at `{text}`: {sorted(found)}"
