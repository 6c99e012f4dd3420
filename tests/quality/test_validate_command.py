"""`sqltrain validate` end to end on a tiny dbt project in a tmp dir: real dbt, real DuckDB, real GX."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from slice_project import SPINE_SQL, TRAINING_SQL   # the same tiny spine and training set

pytestmark = pytest.mark.slow

DBT_PROJECT = """\
name: qtiny
version: "1.0"
config-version: 2
profile: qtiny
model-paths: ["models"]
vars:
  as_of: "2025-12-01"
models:
  qtiny:
    +materialized: table
"""

PROFILES = """\
qtiny:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: "{{ env_var('SQLTRAIN_WAREHOUSE') }}"
      threads: 1
      settings:
        TimeZone: UTC
"""


MODELS_YML = """\
version: 2
models:
  - name: spine_tiny
    config: {meta: {sqltrain: {kind: spine, entity: [customer_id], cutoff: as_of_ts}}}
  - name: training_tiny
    config:
      meta:
        sqltrain:
          kind: training_set
          entity: [customer_id]
          cutoff: as_of_ts
          label: churned_30d
          spine: spine_tiny
          label_domain: [0, 1]
          label_rate: [0.01, 0.30]
    columns:
      - name: tenure_days
        config: {meta: {sqltrain: {role: feature, range: [0, null], max_null_fraction: 0.0}}}
"""


@pytest.fixture
def tiny_project(tmp_path) -> Path:
    root = tmp_path / "project"
    (root / "models").mkdir(parents=True)
    (root / "dbt_project.yml").write_text(DBT_PROJECT)
    (root / "profiles.yml").write_text(PROFILES)
    (root / "models" / "spine_tiny.sql").write_text(SPINE_SQL)
    (root / "models" / "training_tiny.sql").write_text(TRAINING_SQL)
    (root / "models" / "_models.yml").write_text(MODELS_YML)
    duckdb.connect(str(tmp_path / "w.duckdb")).close()
    return root


def sqltrain(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SQLTRAIN_WAREHOUSE": str(root.parent / "w.duckdb"), "COLUMNS": "200",
           "DO_NOT_TRACK": "1", "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    return subprocess.run(
        [sys.executable, "-m", "sqltrain.cli", *args, "--project-dir", str(root)],
        capture_output=True, text=True, env=env, cwd=root.parent, timeout=300,
    )


def test_validate_passes_and_keeps_its_report_out_of_the_way(tiny_project):
    run = sqltrain(tiny_project, "validate", "--as-of", "2025-06-01", "--model", "training_tiny")

    assert run.returncode == 0, run.stdout + run.stderr
    assert "quality gate passed" in run.stdout
    report_dir = tiny_project / "target" / "sqltrain" / "validation" / "training_tiny" / "as_of=2025-06-01"
    report = json.loads((report_dir / "validation.json").read_text())
    assert report["passed"] is True and report["as_of"] == "2025-06-01"
    assert report["row_count"] == 50 * 5  # cutoffs Jan..May are mature by June
    assert (report_dir / "validation" / "index.html").is_file()
    assert not (tiny_project / "gx").exists() and not (tiny_project / "logs").exists()


def test_validate_fails_on_corrupted_data_with_a_table_of_what_failed(tiny_project):
    training = tiny_project / "models" / "training_tiny.sql"
    training.write_text(TRAINING_SQL.replace("customer_id * 10 + month(as_of_ts)",
                                             "case when customer_id = 7 then -3 else customer_id * 10 end"))
    run = sqltrain(tiny_project, "validate", "--as-of", "2025-06-01", "--model", "training_tiny")

    assert run.returncode == 1, run.stdout + run.stderr
    table = run.stdout
    assert "expect_column_values_to_be_between" in table and "tenure_days" in table
    assert "values >= 0" in table and "5 rows out of range of 250, e.g. -3" in table
    assert "error: training_tiny as of 2025-06-01: quality gate failed: 1 failed, " in run.stderr
    assert "Traceback" not in run.stderr


def test_validate_refuses_a_model_that_is_not_a_training_set(tiny_project):
    # (an unknown --model is Project.model_node's error, tested with `sqltrain snapshot`)
    run = sqltrain(tiny_project, "validate", "--as-of", "2025-06-01", "--model", "spine_tiny")
    assert run.returncode == 2, run.stdout + run.stderr
    assert "model 'spine_tiny' is not a training set" in run.stderr and "training_tiny" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
