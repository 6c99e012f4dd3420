"""Run dbt on a private DuckDB copy: a throwaway profile whose only targets are the copies.

The project's own profile is read for its DuckDB settings (threads, settings, extensions) and
re-pointed at each copy, so verify never depends on the profile honouring ``SQLTRAIN_WAREHOUSE``
and can never write to the user's warehouse.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..dbt_invoke import DbtRun, invoke
from ..errors import UsageError
from ..project import Project
from ..warehouse import release_dbt_connection

# Nodes verify builds: the model and everything upstream that materialises data. Tests are the
# quality gate's business and would only double the time; snapshots are copied, not re-run.
BUILD_EXCLUDES = ("test", "unit_test", "snapshot")


def write_profiles(project: Project, directory: Path, targets: dict[str, Path]) -> None:
    """``directory/profiles.yml`` with one DuckDB target per copy (name → database file)."""
    profile_name = project.config.get("profile") or project.name
    output = _project_output(project, profile_name)
    outputs = {}
    for name, path in targets.items():
        out = {k: v for k, v in output.items() if k != "database"}  # dbt-duckdb names it after the file
        out["path"] = str(path)
        outputs[name] = out
    directory.mkdir(parents=True, exist_ok=True)
    first = next(iter(targets))
    (directory / "profiles.yml").write_text(
        yaml.safe_dump({profile_name: {"target": first, "outputs": outputs}}, sort_keys=False)
    )


def on_copy(project: Project, profiles_dir: Path, target: str, target_path: Path) -> Project:
    """The project as seen through target ``target`` of the throwaway profile."""
    return Project(project.project_dir, profiles_dir, target=target, target_path=target_path)


def build_model(project: Project, model: str, as_of_var: str) -> DbtRun:
    """Build ``model`` and its parents on the copy ``project`` points at, as of ``as_of_var``."""
    command = ["build", "--select", f"+{model}"]
    for kind in BUILD_EXCLUDES:
        command += ["--exclude-resource-type", kind]
    try:
        return invoke(project, command, {"as_of": as_of_var}, target_path=str(project.target_path))
    finally:
        release_dbt_connection()  # close the copy before anyone reads or deletes it


def require_duckdb_target(project: Project) -> None:
    """verify copies the warehouse *file* twice and deletes rows from the copies: a DuckDB target
    only (docs/verify.md#on-spark-and-postgresql)."""
    target, output = project.target_output()
    if project.adapter() != "duckdb":
        raise UsageError(
            f"verify runs on DuckDB only: target '{target}' is {output.get('type')!r}, and verify rebuilds "
            "on two truncated copies of a DuckDB warehouse file",
            "verify the same project with its DuckDB target (--target dev); see docs/verify.md",
        )


def _project_output(project: Project, profile_name: str) -> dict[str, Any]:
    require_duckdb_target(project)
    return project.target_output()[1]
