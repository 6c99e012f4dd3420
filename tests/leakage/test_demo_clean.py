"""The demo project (the repository itself) checks clean, through a real `dbt compile`."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from sqltrain.dbt_invoke import invoke
from sqltrain.leakage import check_project
from sqltrain.project import Project

REPO = Path(__file__).parent.parent.parent


@pytest.mark.slow
def test_demo_checks_clean(tmp_path, monkeypatch):
    duckdb.connect(str(tmp_path / "w.duckdb")).close()  # an empty warehouse: sqltrain never creates one
    monkeypatch.setenv("SQLTRAIN_WAREHOUSE", str(tmp_path / "w.duckdb"))   # never the shared demo file
    project = Project.open(REPO)
    project.target_path = tmp_path / "target"
    invoke(project, ["compile"])
    report = check_project(project)
    assert "churn_training" in report.models and len(report.models) >= 10
    assert [f"{f.where}: {f.code} {f.message}" for f in report.active] == []
