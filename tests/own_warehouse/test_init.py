"""`sqltrain init` on a warehouse it did not generate: roles suggested by type and name, three files
written, and never an overwrite (exit 2 naming the file, nothing written)."""

from __future__ import annotations

from pathlib import Path

import yaml

from sqltrain.cli import main
from sqltrain.scaffold import inspect_warehouse, plan_starter

from .library_warehouse import build_library


def test_roles_are_suggested_and_files_never_overwritten(tmp_path, capsys):
    warehouse = build_library(tmp_path / "library.duckdb")
    tables = {t.name: t for t in inspect_warehouse(warehouse)}
    assert tables["loans"].rows == 3000 and (tables["loans"].event_ts, tables["loans"].known_at) == ("borrowed_at", "recorded_at")
    assert tables["members"].unique == {"member_no"} and tables["lapses"].is_event_log
    starter = plan_starter(list(tables.values()), name="lending_set")
    assert starter.entity == "member_no"

    project = tmp_path / "proj"
    project.mkdir()
    (project / "dbt_project.yml").write_text("name: lib\nversion: '1'\nconfig-version: 2\nprofile: lib\n")
    assert main(["init", "--project-dir", str(project), "--warehouse", str(warehouse), "--name", "lending_set"]) == 0
    sources = yaml.safe_load((project / "models" / "sources.yml").read_text())
    roles = {t["name"]: t["config"]["meta"]["sqltrain"] for t in sources["sources"][0]["tables"]}
    assert roles["lapses"]["kind"] == "label_source" and roles["members"]["entity"] == ["member_no"]
    assert "sqltrain.cutoff_spine(entities=source('lib', 'members')" in (project / "models" / "training" / "lending_set.sql").read_text()

    (project / "models" / "training" / "lending_set.sql").write_text("-- mine")
    (project / "models" / "sources.yml").unlink()
    assert main(["init", "--project-dir", str(project), "--warehouse", str(warehouse), "--name", "lending_set"]) == 2
    assert "lending_set.sql already exists" in capsys.readouterr().err
    assert not (project / "models" / "sources.yml").exists()                # nothing half-written
    assert (project / "models" / "training" / "lending_set.sql").read_text() == "-- mine"
    assert main(["init", "--project-dir", str(project), "--warehouse", str(Path(tmp_path / "none.duckdb"))]) == 2
