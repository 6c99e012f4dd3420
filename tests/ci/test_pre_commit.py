"""The pre-commit hook: sqltrain's .pre-commit-hooks.yaml is a valid hook manifest, and the hook as
docs/ci.md configures it checks the models a commit changes in a throw-away repository (no network:
`language: system` over the installed sqltrain)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]

LEAKY_MODEL = """\
-- every order of the customer, including those after the cutoff
select s.customer_id, s.as_of_ts, count(o.order_id) as orders_ever
from {{ ref('spine_customer_monthly') }} as s
left join {{ ref('feat_orders') }} as o on o.customer_id = s.customer_id
group by s.customer_id, s.as_of_ts
"""


def _local_hook_config() -> str:
    """The `repo: local` configuration docs/ci.md shows (so the page is what is tested)."""
    blocks = re.findall(r"```yaml\n(.*?)```", (REPO / "docs" / "ci.md").read_text(), flags=re.S)
    local = [b for b in blocks if "repo: local" in b]
    assert len(local) == 1
    return local[0]


def _pre_commit(cwd: Path, *args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


def test_the_hook_manifest_is_valid(tmp_path):
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")}
    done = _pre_commit(REPO, "validate-manifest", ".pre-commit-hooks.yaml", env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "sqltrain-check" and hook["entry"] == "sqltrain check"
    assert "sqltrain-check" in (REPO / "docs" / "ci.md").read_text()


def test_the_hook_passes_a_clean_change_and_stops_a_leaky_model(project_copy, demo_env, tmp_path):
    root = project_copy.project_dir
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t",
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    (root / ".pre-commit-config.yaml").write_text(_local_hook_config())
    subprocess.run(["git", "init", "-q"], cwd=root, check=True, env=env)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True, env=env)

    clean = _pre_commit(root, "run", "--files", "models/training/churn_training.sql", "README.md", env=env)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "sqltrain check" in clean.stdout and "Passed" in clean.stdout

    (root / "models" / "features" / "orders_ever.sql").write_text(LEAKY_MODEL)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True, env=env)
    leaky = _pre_commit(root, "run", "--files", "models/features/orders_ever.sql", env=env)
    assert leaky.returncode == 1, leaky.stdout + leaky.stderr
    assert "Failed" in leaky.stdout and re.search(r"models/features/orders_ever\.sql:\d+:\d+: LK001", leaky.stdout)
    assert "churn_training" not in leaky.stdout   # only the changed model is reported
