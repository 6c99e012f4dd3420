"""sqltrain's own DuckDB connections run under the profile's settings (memory_limit, threads, ...),
so a memory_limit that bounds dbt's build also bounds the gates, the AUC smell and the export."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import yaml

from sqltrain.engine import engine_for
from sqltrain.errors import UsageError
from sqltrain.project import Project
from sqltrain.warehouse import connect

REPO = Path(__file__).resolve().parents[1]


def _project(tmp_path: Path, settings: dict, target: str = "dev") -> Project:
    (tmp_path / "dbt_project.yml").write_text((REPO / "dbt_project.yml").read_text())
    profiles = yaml.safe_load((REPO / "profiles.yml").read_text())
    profiles["sqltrain"]["outputs"]["dev"]["settings"] = settings
    (tmp_path / "profiles.yml").write_text(yaml.safe_dump(profiles))
    return Project.open(tmp_path, tmp_path, target=target)


def test_the_targets_settings_are_read_with_env_vars_rendered(tmp_path, monkeypatch):
    monkeypatch.setenv("SQLTRAIN_TEST_MEMORY", "321MB")
    project = _project(tmp_path, {"TimeZone": "Europe/Paris", "threads": 1,
                                  "memory_limit": "{{ env_var('SQLTRAIN_TEST_MEMORY') }}"})
    # the time zone is sqltrain's to pin (UTC), never the profile's
    assert project.duckdb_settings() == {"threads": "1", "memory_limit": "321MB"}
    assert _project(tmp_path, {"memory_limit": "1GB"}, target="spark").duckdb_settings() == {}


def test_the_engine_connection_applies_them(tmp_path, monkeypatch):
    warehouse = tmp_path / "w.duckdb"
    duckdb.connect(str(warehouse)).close()
    monkeypatch.setenv("SQLTRAIN_WAREHOUSE", str(warehouse))
    project = _project(tmp_path, {"memory_limit": "321MB", "threads": 1, "TimeZone": "Asia/Tokyo"})
    with engine_for(project) as engine:
        limit, threads, zone = engine.execute(
            "select current_setting('memory_limit'), current_setting('threads'), current_setting('TimeZone')").fetchone()
    assert (threads, zone) == (1, "UTC")
    assert limit.replace(" ", "").upper().startswith(("321", "306"))   # 321 MB, shown as 306.1 MiB


def test_a_setting_duckdb_refuses_is_one_clear_line(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    duckdb.connect(str(warehouse)).close()
    with pytest.raises(UsageError) as caught:
        connect(warehouse, read_only=True, settings={"memory_limit": "lots"})
    assert "memory_limit" in str(caught.value) and "profiles.yml" in str(caught.value)
    assert "\n" not in str(caught.value)
