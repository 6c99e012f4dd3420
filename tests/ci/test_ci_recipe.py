"""docs/ci.md's recipe runs: the GitHub Actions workflow's `run:` steps, in order, against the demo.

GitHub's runner is emulated as far as the workflow uses it: step `env:` with `${{ vars.X }}`,
`$GITHUB_ENV`, `continue-on-error`, `if: always()` and `steps.<id>.outcome`. `uses:` steps (checkout,
setup-python, upload) and the `install` step (this environment is the installed one) are skipped.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
WORKFLOW = REPO / "examples" / "ci" / "github-actions.yml"
SCRIPT = REPO / "examples" / "ci" / "sqltrain-ci.sh"
SCHEMA = json.loads((REPO / "tests" / "leakage" / "sarif" / "sarif-schema-2.1.0.json").read_text())
AS_OF = "2025-06-01"


def _expand(text: str, variables: dict[str, str]) -> str:
    return re.sub(r"\$\{\{\s*vars\.(\w+)\s*\}\}", lambda m: variables.get(m.group(1), ""), text)


def _condition_holds(condition: str | None, outcomes: dict[str, str], failed: bool) -> bool:
    if condition is None:
        return not failed
    if condition.strip() == "always()":
        return True
    match = re.fullmatch(r"steps\.(\w+)\.outcome == '(\w+)'", condition.strip())
    assert match, f"the emulation does not know the condition {condition!r}"
    return outcomes.get(match.group(1)) == match.group(2)


def run_workflow(workflow: dict, cwd: Path, env: dict[str, str], variables: dict[str, str]) -> list[tuple[str, str]]:
    """Run the `run:` steps of the workflow's single job; return (step name, outcome) in order."""
    (job,) = workflow["jobs"].values()
    env = {**env, **{k: str(v) for k, v in workflow.get("env", {}).items()}}
    github_env = cwd / ".github_env"
    outcomes: dict[str, str] = {}
    log: list[tuple[str, str]] = []
    failed = False
    for step in job["steps"]:
        name = step.get("name") or step.get("uses") or step.get("id")
        if "run" not in step or step.get("id") == "install":
            log.append((name, "skipped"))
            continue
        if not _condition_holds(step.get("if"), outcomes, failed):
            log.append((name, "not run"))
            continue
        github_env.write_text("")
        step_env = {**env, **{k: _expand(str(v), variables) for k, v in step.get("env", {}).items()},
                    "GITHUB_ENV": str(github_env)}
        done = subprocess.run(["bash", "-eo", "pipefail", "-c", step["run"]], cwd=cwd, env=step_env,
                              capture_output=True, text=True, timeout=900)
        outcome = "success" if done.returncode == 0 else "failure"
        assert outcome == "success" or step.get("continue-on-error"), \
            f"step {name!r} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        for line in github_env.read_text().splitlines():
            key, _, value = line.partition("=")
            env[key] = value
        if "id" in step:
            outcomes[step["id"]] = outcome
        log.append((name, outcome))
    return log


def test_the_workflow_runs_on_the_demo_and_its_sarif_is_valid(project_copy, demo_env):
    workflow = yaml.safe_load(WORKFLOW.read_text())
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    log = run_workflow(workflow, project_copy.project_dir, env, {"SQLTRAIN_AS_OF": AS_OF})
    ran = [name for name, outcome in log if outcome == "success"]
    assert len(ran) == 5, log
    assert ("Fail on leakage findings", "not run") in log        # the demo checks clean
    sarif = json.loads((project_copy.project_dir / "sqltrain.sarif").read_text())
    jsonschema.Draft4Validator(SCHEMA).validate(sarif)
    assert sarif["runs"][0]["results"] == [] and sarif["runs"][0]["tool"]["driver"]["rules"]
    assert json.loads((project_copy.project_dir / "verify.json").read_text())["identical"] is True
    landed = project_copy.project_dir / "snapshots" / "churn_training" / f"as_of={AS_OF}"
    assert (landed / "manifest.json").is_file() and (landed / "data.parquet").is_file()


def test_the_shell_script_runs_the_workflow_commands():
    """The plain-shell recipe is valid bash and runs the same sqltrain and dbt commands as the workflow."""
    subprocess.run(["bash", "-n", str(SCRIPT)], check=True)
    workflow = yaml.safe_load(WORKFLOW.read_text())
    (job,) = workflow["jobs"].values()
    commands = {line.split()[0] + " " + line.split()[1] for step in job["steps"] if step.get("id") != "install"
                for line in step.get("run", "").splitlines() if line.strip().startswith(("dbt ", "sqltrain "))}
    script = {" ".join(line.split()[:2]) for line in SCRIPT.read_text().splitlines()
              if line.strip().startswith(("dbt ", "sqltrain "))}
    assert commands == script == {"dbt deps", "dbt build", "sqltrain check", "sqltrain verify", "sqltrain snapshot"}
