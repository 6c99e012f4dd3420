"""A tiny dbt project whose training set declares slices, for the slice tests that run real dbt.

50 customers x 5 mature monthly cutoffs (as of 2025-06-01) = 250 rows; tenure_days is
``customer_id * 10 + month``, so the slice ``tenure_days < 100`` holds customers 1..9 (45 rows)
and none of the churners (customers 10, 20, .. 50): its label rate is 0 against 0.1 overall.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

AS_OF = "2025-06-01"
MODEL = "training_tiny"

DBT_PROJECT = """\
name: qslices
version: "1.0"
config-version: 2
profile: qslices
model-paths: ["models"]
vars:
  as_of: "2025-12-01"
models:
  qslices:
    +materialized: table
"""

PROFILES = """\
qslices:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: "{{ env_var('SQLTRAIN_WAREHOUSE') }}"
      threads: 1
      settings:
        TimeZone: UTC
"""

SPINE_SQL = """\
select c as customer_id, timestamp '2025-01-01' + to_months(m) as as_of_ts
from range(1, 51) t(c), range(0, 12) u(m)
where timestamp '2025-01-01' + to_months(m) + interval 30 day <= cast('{{ var("as_of") }}' as timestamp)
"""

TRAINING_SQL = """\
select
    customer_id,
    as_of_ts,
    customer_id * 10 + month(as_of_ts) as tenure_days,
    cast(customer_id % 10 = 0 as integer) as churned_30d
from {{ ref('spine_tiny') }}
"""

MODELS_YML = """\
version: 2
models:
  - name: spine_tiny
    config: {{meta: {{sqltrain: {{kind: spine, entity: [customer_id], cutoff: as_of_ts}}}}}}
  - name: training_tiny
    description: "Tiny churn set. [Snapshots, gates and drift](training/training_tiny/index.html)"
    config:
      meta:
        sqltrain:
          kind: training_set
          entity: [customer_id]
          cutoff: as_of_ts
          label: churned_30d
          spine: spine_tiny
          label_domain: [0, 1]
          slices:
            - {{column: tenure_days, bins: [100]}}
{slice_limits}
    columns:
      - name: tenure_days
        config: {{meta: {{sqltrain: {{role: feature, range: [0, null], max_null_fraction: 0.0}}}}}}
"""


def write_project(root: Path, slice_limits: str) -> Path:
    """The project in ``root/project`` (warehouse ``root/w.duckdb``); ``slice_limits``: YAML lines
    under ``meta.sqltrain`` (indented by 10 spaces)."""
    project = root / "project"
    (project / "models").mkdir(parents=True)
    (project / "dbt_project.yml").write_text(DBT_PROJECT)
    (project / "profiles.yml").write_text(PROFILES)
    (project / "models" / "spine_tiny.sql").write_text(SPINE_SQL)
    (project / "models" / "training_tiny.sql").write_text(TRAINING_SQL)
    (project / "models" / "_models.yml").write_text(MODELS_YML.format(slice_limits=slice_limits))
    duckdb.connect(str(root / "w.duckdb")).close()
    return project


def env_for(project: Path) -> dict[str, str]:
    return {**os.environ, "SQLTRAIN_WAREHOUSE": str(project.parent / "w.duckdb"), "COLUMNS": "220",
            "DO_NOT_TRACK": "1", "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}


def sqltrain(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sqltrain.cli", *args, "--project-dir", str(project)],
        capture_output=True, text=True, env=env_for(project), cwd=project.parent, timeout=300,
    )
