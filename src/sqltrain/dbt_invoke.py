"""Run dbt in-process (dbtRunner) with sqltrain's vars, and turn its failures into one-line errors."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from .errors import BuildError, WarehouseLocked
from .interrupts import inject_fault
from .lock import locked, waiting_for_lock
from .project import Project
from .warehouse import release_dbt_connection

ProgressFn = Callable[[str, str], None]
"""Called as ``progress(node_name, status)`` when dbt finishes a node."""


@dataclass
class DbtRun:
    """What one dbt invocation did (or several, ``joined``): per-node status and timing."""

    command: str
    nodes: list[dict[str, Any]]
    elapsed_s: float
    compiled: dict[str, str] = field(default_factory=dict)   # unique_id -> compiled SQL of each model, seed, snapshot run

    @staticmethod
    def joined(command: str, runs: list[DbtRun]) -> DbtRun:
        """Several invocations as one run."""
        return DbtRun(command, [n for r in runs for n in r.nodes], round(sum(r.elapsed_s for r in runs), 3),
                      {k: v for r in runs for k, v in r.compiled.items()})


@dataclass
class ParsedManifest:
    """A manifest dbt has just parsed in this process, and the vars it was parsed with.

    The next build of the same project with the same vars runs on it instead of loading and
    checking the project again (``dbtRunner(manifest=...)``): one parse per command. A build with
    other vars parses as usual, since configs and refs may read vars. Used once: dbt compiles
    into the manifest it runs on. A caller that runs several invocations with the same vars in a
    row (the incremental snapshot: build, run, test) may put it back before each; every node
    they select is compiled again.
    """

    manifest: Any
    dbt_vars: dict[str, Any]
    target_path: str


_OFFLINE = ("parse", "deps", "clean", "list", "ls")
"""dbt commands that never open the warehouse."""

_ON_A_MANIFEST = ("build", "run", "test", "compile")
"""dbt commands that can run on a manifest parsed earlier in the process."""

DATE_VARS = ("as_of", "labels_known_as_of")
"""The vars sqltrain sets to a date, which change from one run to the next."""

DATE_VAR_ENV = "SQLTRAIN_DBT_VAR_"
"""Prefix of the environment variables that carry them to dbt (``SQLTRAIN_DBT_VAR_AS_OF``)."""


def invoke(
    project: Project,
    command: list[str],
    dbt_vars: dict[str, Any] | None = None,
    progress: ProgressFn | None = None,
    target_path: str | None = None,
) -> DbtRun:
    """Run ``dbt <command>`` against ``project``; raise ``BuildError`` naming the failing node.

    dbt opens the warehouse before it runs any node; when another process holds the file, the
    invocation is retried until ``project.wait_lock`` seconds have passed, then ``WarehouseLocked``.
    """
    return waiting_for_lock(lambda: _invoke_once(project, command, dbt_vars, progress, target_path), project.wait_lock)


def _invoke_once(
    project: Project,
    command: list[str],
    dbt_vars: dict[str, Any] | None,
    progress: ProgressFn | None,
    target_path: str | None,
) -> DbtRun:
    from dbt.cli.main import dbtRunner  # dbt imports slowly: only when a command needs it

    project.pin_warehouse_env()
    if command[0] not in _OFFLINE:
        from .warehouse import require_target_warehouse

        require_target_warehouse(project)  # dbt-duckdb would create a missing file on connect
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
    if command[0] in ("build", "run"):
        args += list(project.build_args)
    cli_vars, dates = _dates_through_env(dbt_vars)
    if cli_vars:
        args += ["--vars", json.dumps(cli_vars)]

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

    manifest = _parsed_for(project, command, dbt_vars, target)
    with _environment(dates):
        result = dbtRunner(manifest=manifest, callbacks=[on_event]).invoke(args)
    if command[0] == "parse" and result.success:
        project.parsed = ParsedManifest(result.result, dict(dbt_vars or {}), target)
    nodes = _node_results(result.result)
    elapsed = float(getattr(result.result, "elapsed_time", 0.0) or 0.0)
    if not result.success:
        conflict = _lock_conflict(nodes, errors, result.exception)
        if conflict is not None:
            release_dbt_connection()
            raise conflict
        raise BuildError(_first_failure(command[0], nodes, errors, result.exception))
    return DbtRun(command=" ".join(command), nodes=nodes, elapsed_s=elapsed, compiled=_compiled(result.result))


def _dates_through_env(dbt_vars: dict[str, Any] | None) -> tuple[dict[str, Any], dict[str, str]]:
    """``dbt_vars`` with each date var (``DATE_VARS``) given as ``{{ env_var('SQLTRAIN_DBT_VAR_AS_OF') }}``,
    and the environment that gives it its value.

    ``var('as_of')`` renders to the same string, but dbt's partial parsing sees the date change as an
    environment variable used by a few files, which it parses again alone, where a change of
    ``--vars`` makes it parse the whole project (macros included) for every new as-of date.
    The value itself is returned by ``env_var`` as it is, never rendered as Jinja.
    """
    cli_vars, env = dict(dbt_vars or {}), {}
    for name in DATE_VARS:
        if isinstance(cli_vars.get(name), str):
            key = DATE_VAR_ENV + name.upper()
            env[key] = cli_vars[name]
            cli_vars[name] = "{{ env_var('" + key + "') }}"
    return cli_vars, env


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    """``os.environ`` with ``values`` set while the block runs, as it was afterwards."""
    before = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _parsed_for(project: Project, command: list[str], dbt_vars: dict[str, Any] | None, target: str) -> Any:
    """The manifest ``project`` was last parsed to in this process, when ``command`` can run on it
    with the same vars and target path (and then never again: any invocation drops it); ``None``:
    dbt parses (partially) as it always does."""
    parsed, project.parsed = project.parsed, None
    if parsed is None or command[0] not in _ON_A_MANIFEST:
        return None
    if parsed.dbt_vars != dict(dbt_vars or {}) or parsed.target_path != target:
        return None
    return parsed.manifest


def _compiled(result: Any) -> dict[str, str]:
    found = {}
    for r in getattr(result, "results", None) or []:
        node = getattr(r, "node", None)
        if getattr(node, "resource_type", None) in ("model", "seed", "snapshot") and getattr(node, "compiled_code", None):
            found[node.unique_id] = node.compiled_code
    return found


def _node_results(result: Any) -> list[dict[str, Any]]:
    rows = []
    for r in getattr(result, "results", None) or []:
        node = getattr(r, "node", None)
        row = {
            "name": getattr(node, "name", "?"),
            "unique_id": getattr(node, "unique_id", "?"),
            "status": str(getattr(r, "status", "")),
            "message": getattr(r, "message", None),
            "execution_time_s": round(float(getattr(r, "execution_time", 0.0) or 0.0), 3),
            "path": getattr(node, "original_file_path", None),
        }
        if getattr(node, "resource_type", None) == "test":
            metadata = getattr(node, "test_metadata", None)
            attached = getattr(node, "attached_node", None)
            row.update(test=getattr(metadata, "name", None), column=getattr(node, "column_name", None),
                       model=attached.split(".")[-1] if attached else None, failures=getattr(r, "failures", None))
        rows.append(row)
    return rows


# What a failing row of dbt's own generic tests is, in words
_FAILING_ROWS = {
    "not_null": "rows where {column} is null",
    "unique": "duplicated values of {column}",
    "accepted_values": "rows where {column} is not an accepted value",
    "relationships": "rows where {column} has no match",
}


def describe_failure(node: dict[str, Any]) -> str:
    """One failing node in words: a test names itself, its model, its column and the failing rows
    (``not_null_churn_training_churned_30d: 12773 rows where churned_30d is null (model
    churn_training, models/training/_training.yml)``); any other node its path and dbt's message."""
    message = " ".join(str(node.get("message") or node["status"]).split())
    if node.get("test") is None or node["status"] != "fail":
        return f"{node['path'] or node['name']}: {message}" if node["name"] != "?" else message
    count, column = node.get("failures"), node.get("column")
    what = _FAILING_ROWS.get(node["test"], "failing rows").format(column=column) if column else "failing rows"
    if count == 1:
        what = what.replace("rows", "row", 1).replace("values", "value", 1)
    where = ", ".join(x for x in (f"model {node['model']}" if node.get("model") else "",
                                  f"column {column}" if column else "", node.get("path") or "") if x)
    return f"{node['name']}: {count if count is not None else 'some'} {what} ({where})"
def _lock_conflict(nodes: list[dict[str, Any]], errors: list[str], exc: BaseException | None) -> WarehouseLocked | None:
    """``WarehouseLocked`` when dbt failed because another process holds the DuckDB file."""
    for text in [*(str(n["message"]) for n in nodes if n["message"]), *errors, *([str(exc)] if exc else [])]:
        conflict = locked(text)
        if conflict is not None:
            return conflict
    return None


def _first_failure(command: str, nodes: list[dict[str, Any]], errors: list[str], exc: BaseException | None) -> str:
    failed = [describe_failure(node) for node in nodes if node["status"] in ("error", "fail")]
    if failed:
        head = f"dbt {command} failed" if len(failed) == 1 else f"dbt {command} failed ({len(failed)} nodes)"
        return f"{head}: " + "; ".join(failed)
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
