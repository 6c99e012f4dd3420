"""The warehouse sqltrain reads is the resolved dbt target's ``path`` (profiles.yml, rendered as
dbt renders it); ``SQLTRAIN_WAREHOUSE`` belongs to the demo profile only."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import yaml

from sqltrain.engine import engine_for
from sqltrain.errors import UsageError
from sqltrain.project import Project

REPO = Path(__file__).resolve().parents[2]


def _user_project(root: Path, outputs: dict, target: str = "dev") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "dbt_project.yml").write_text(yaml.safe_dump({"name": "shop", "version": "1.0", "config-version": 2,
                                                          "profile": "shop_profile"}))
    (root / "profiles.yml").write_text(yaml.safe_dump({"shop_profile": {"target": target, "outputs": outputs}}))
    return root


def test_the_path_is_the_targets_not_sqltrains_variable(tmp_path, monkeypatch):
    mine = tmp_path / "data" / "mine.duckdb"
    mine.parent.mkdir()
    duckdb.connect(str(mine)).close()
    monkeypatch.setenv("SQLTRAIN_WAREHOUSE", str(tmp_path / "demo-elsewhere.duckdb"))
    monkeypatch.setenv("SHOP_WAREHOUSE", str(mine))
    monkeypatch.delenv("DBT_TARGET", raising=False)
    root = _user_project(tmp_path / "proj", {
        "dev": {"type": "duckdb", "path": "{{ env_var('SHOP_WAREHOUSE') }}", "schema": "main",
                "settings": {"memory_limit": "{{ env_var('SHOP_MEM', '500MB') }}"}},
        "other": {"type": "duckdb", "path": "data/other.duckdb"},
    })
    project = Project.open(root)
    assert project.warehouse_path() == mine
    assert project.duckdb_settings() == {"memory_limit": "500MB"}
    with engine_for(project) as engine:
        assert engine.path == mine
    # a relative path opens from the working directory, as dbt-duckdb opens it
    monkeypatch.chdir(tmp_path)
    assert Project.open(root, target="other").warehouse_path() == tmp_path / "data" / "other.duckdb"
    monkeypatch.setenv("DBT_TARGET", "other")
    assert Project.open(root).warehouse_path() == tmp_path / "data" / "other.duckdb"
    # the user's profile never makes sqltrain touch SQLTRAIN_WAREHOUSE
    assert str(tmp_path / "demo-elsewhere.duckdb") == __import__("os").environ["SQLTRAIN_WAREHOUSE"]


def test_a_target_without_a_file_is_one_clear_line(tmp_path, monkeypatch):
    monkeypatch.delenv("DBT_TARGET", raising=False)
    root = _user_project(tmp_path / "proj", {"dev": {"type": "duckdb"}, "pg": {"type": "postgres"}})
    for target, words in ((None, "has no DuckDB file"), ("pg", "not a DuckDB file"), ("nope", "nope")):
        with pytest.raises(UsageError, match=words) as caught:
            Project.open(root, target=target).warehouse_path()
        assert "\n" not in str(caught.value)


def test_the_demo_profile_still_reads_sqltrain_warehouse(tmp_path, monkeypatch):
    monkeypatch.delenv("SQLTRAIN_WAREHOUSE", raising=False)
    monkeypatch.delenv("DBT_TARGET", raising=False)
    assert Project.open(REPO).warehouse_path() == REPO / "warehouse" / "demo.duckdb"
    monkeypatch.setenv("SQLTRAIN_WAREHOUSE", str(tmp_path / "w.duckdb"))
    assert Project.open(REPO).warehouse_path() == tmp_path / "w.duckdb"
