"""Run dbt in-process (dbtRunner) with sqltrain's vars, and turn its failures into one-line errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .errors import BuildError
from .interrupts import inject_fault
from .project import Project

ProgressFn = Callable[[str, str], None]
"""Called as ``progress(node_name, status)`` when dbt finishes a node."""


@dataclass
class DbtRun:
    """What one dbt invocation did: per-node status and timing."""

    command: str
    nodes: list[dict[str, Any]]
    elapsed_s: float


def invoke(
    project: Project,
    command: list[str],
    dbt_vars: dict[str, Any] | None = None,
    progress: ProgressFn | None = None,
    target_path: str | None = None,
) -> DbtRun:
    """Run ``dbt <command>`` against ``project``; raise ``BuildError`` naming the failing node."""
    from dbt.cli.main import dbtRunner  # dbt imports slowly: only when a command needs it

    project.pin_warehouse_env()
    target = str(target_path or project.target_path)
    args = [
        *command,
        "--project-dir", str(project.project_dir),
        "--profiles-dir", str(project.profiles_dir),
        "--target-path", target,
        "--log-path", target,
        "--log-level", "none",          # sqltrain reports; dbt's own log goes to the file
        "--log-level-file", "info",
    ]
    if project.target:
        args += ["--target", project.target]
    if dbt_vars:
        args += ["--vars", json.dumps(dbt_vars)]

    errors: list[str] = []

    def on_event(event) -> None:
        name = event.info.name
        if name in ("LogModelResult", "LogSnapshotResult", "LogTestResult", "LogSeedResult"):
            inject_fault("dbt node")  # test-only: a signal in the middle of a dbt run
            if progress:
                node = getattr(event.data, "node_info", None)
                progress(getattr(node, "node_name", "?"), getattr(event.data, "status", ""))
        elif event.info.level == "error" and event.info.msg:
            errors.append(str(event.info.msg))

    result = dbtRunner(callbacks=[on_event]).invoke(args)
    nodes = _node_results(result.result)
    elapsed = float(getattr(result.result, "elapsed_time", 0.0) or 0.0)
    if not result.success:
        raise BuildError(_first_failure(command[0], nodes, errors, result.exception))
    return DbtRun(command=" ".join(command), nodes=nodes, elapsed_s=elapsed)


def _node_results(result: Any) -> list[dict[str, Any]]:
    rows = []
    for r in getattr(result, "results", None) or []:
        node = getattr(r, "node", None)
        rows.append(
            {
                "name": getattr(node, "name", "?"),
                "unique_id": getattr(node, "unique_id", "?"),
                "status": str(getattr(r, "status", "")),
                "message": getattr(r, "message", None),
                "execution_time_s": round(float(getattr(r, "execution_time", 0.0) or 0.0), 3),
                "path": getattr(node, "original_file_path", None),
            }
        )
    return rows


def _first_failure(command: str, nodes: list[dict[str, Any]], errors: list[str], exc: BaseException | None) -> str:
    for node in nodes:
        if node["status"] in ("error", "fail"):
            message = " ".join(str(node["message"] or node["status"]).split())
            return f"dbt {command} failed at {node['path'] or node['name']}: {message}"
    if exc is not None:
        return f"dbt {command} failed: {' '.join(str(exc).split())}"
    if errors:
        return f"dbt {command} failed: {' '.join(errors[-1].split())}"
    return f"dbt {command} failed (see target/dbt.log)"


def build_command(model: str) -> list[str]:
    """``dbt build`` of a model and everything upstream, with the tests that only those nodes feed.

    Cautious indirect selection keeps out tests that also read unselected models (a relationships
    test to a table this model does not need would fail on a fresh warehouse).
    """
    return ["build", "--select", f"+{model}", "--indirect-selection", "cautious"]
