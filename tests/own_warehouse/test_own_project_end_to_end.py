"""From an empty directory to a first snapshot on a warehouse sqltrain did not generate — the path
README's "Using your own warehouse" and docs/own-warehouse.md follow, command by command.

A new dbt project outside the repository over a hand-written DuckDB file (a lending library: its
own schema, key, load-time column and label), sqltrain installed as a local package with no switch
for its demo, its own profiles.yml path. `init`, `check`, `snapshot`, `validate` and `verify` all exit
0, and every table the user's own `dbt build` made is byte for byte the same afterwards.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from .library_warehouse import build_library

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
AS_OF = "2024-09-01"

DBT_PROJECT = """\
name: library
version: "1.0.0"
config-version: 2
profile: library
vars:
  as_of: "2024-09-01"
"""
PROFILES = """\
library:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: data/library.duckdb
      schema: analytics
      threads: 1
"""

pytestmark = pytest.mark.slow


def _run(cwd: Path, *command: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("SQLTRAIN_WAREHOUSE", "DBT_TARGET_PATH", "DBT_PROFILES_DIR")}
    env.update(DO_NOT_TRACK="1", COLUMNS="200")
    return subprocess.run([str(BIN / command[0]), *command[1:]], cwd=cwd, env=env, capture_output=True, text=True)


def _ok(cwd: Path, *command: str) -> str:
    done = _run(cwd, *command)
    assert done.returncode == 0, f"{' '.join(command)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _table_hashes(path: Path) -> dict[str, str]:
    """sha256 of every table's sorted rows and of its column types, sqltrain's as-of schema aside."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        hashes = {}
        for schema, name in con.execute("select table_schema, table_name from information_schema.tables "
                                        "where table_schema not like '%_sqltrain_asof' order by all").fetchall():
            relation = f'"{schema}"."{name}"'
            types = con.execute(f"describe {relation}").fetchall()
            rows = con.execute(f"select * from {relation} order by all").fetchall()
            hashes[f"{schema}.{name}"] = hashlib.sha256(repr((types, rows)).encode()).hexdigest()
        return hashes
    finally:
        con.close()


def test_an_empty_directory_to_a_first_snapshot(tmp_path):
    project = tmp_path / "library"
    (project / "data").mkdir(parents=True)
    warehouse = build_library(project / "data" / "library.duckdb")
    (project / "dbt_project.yml").write_text(DBT_PROJECT)
    (project / "profiles.yml").write_text(PROFILES)
    (project / "packages.yml").write_text(f"packages:\n  - local: {REPO}\n")
    git = ["git", "-C", str(project), "-c", "user.email=t@example.com", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q"], check=True)

    _ok(project, "dbt", "deps")
    out = _ok(project, "sqltrain", "init")
    assert "entity key suggested: member_no" in out and "lib.lapses" in out and "label_source" in out
    refused = _run(project, "sqltrain", "init")
    assert refused.returncode == 2 and "models/sources.yml already exists" in refused.stderr

    # confirming the roles: the suggested label (lapses within 30 days) is the one wanted
    sql = project / "models" / "training" / "training_set.sql"
    sql.write_text(sql.read_text().replace("{%- set with_label = false %}", "{%- set with_label = true %}"))
    yml = project / "models" / "training" / "_training_set.yml"
    yml.write_text(yml.read_text().replace("# label: label              # with the label written (with_label = true)",
                                           "label: label").replace("# horizon: 30 days", "horizon: 30 days"))
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "starter"], check=True)

    _ok(project, "dbt", "build")                     # the user's own build, in schema analytics
    before = _table_hashes(warehouse)
    assert "analytics.training_set" in before and not [t for t in before if t.startswith(("raw.", "main."))]

    assert "0 errors" in _ok(project, "sqltrain", "check")
    _ok(project, "sqltrain", "snapshot", "--as-of", AS_OF, "--model", "training_set")
    _ok(project, "sqltrain", "validate", "--as-of", AS_OF, "--model", "training_set")
    assert "IDENTICAL" in _ok(project, "sqltrain", "verify", "--as-of", AS_OF, "--model", "training_set")

    assert _table_hashes(warehouse) == before
    folder = project / "snapshots" / "training_set" / f"as_of={AS_OF}"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["row_count"] > 100 and manifest["label"] == "label" and 0 < manifest["label_rate"] < 0.5
    assert manifest["versions"]["dbt_adapter"] == "duckdb" and manifest["versions"]["dbt_adapter_version"]
    head = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    assert manifest["project"]["git_commit"]["sha"] == head
    assert manifest["relation"] == '"library"."analytics_sqltrain_asof"."training_set"'
