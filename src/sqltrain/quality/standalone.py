"""``sqltrain validate``: build a training set as of D and run the quality gate alone.

The same gate ``sqltrain snapshot`` runs, without the leakage check and without exporting:
useful while writing a model's expectations, and in CI before a snapshot is cut. The report
(``validation.json`` and the Data Docs under ``validation/``) goes to ``report_dir``, by
default ``target/sqltrain/validation/<model>/as_of=<D>/`` beside dbt's own artifacts.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from ..asof import AsOf
from ..asof_target import parsed_for_sqltrain, prepare_as_of
from ..snapshotting.upstream_reuse import forget_all
from ..dbt_invoke import invoke
from ..engine import build_command, engine_for
from ..gates import GateContext, GateResult
from ..outputs import full_disk_reported, require_writable
from ..project import Project
from ..snapshotting.layout import previous_snapshot
from ..time_range import require_in_warehouse
from .gate import DOCS_DIR, REPORT_FILE, run_gate
from .gx_ahead import ahead_of_gates


def default_report_dir(project: Project, model: str, as_of: AsOf) -> Path:
    return project.reports_dir / "validation" / model / f"as_of={as_of.label}"


def validate_as_of(
    project: Project,
    as_of: AsOf,
    model: str = "churn_training",
    report_dir: Path | None = None,
    snapshots_dir: Path | None = None,
    on_node: Callable[[str, str], None] | None = None,
) -> tuple[GateResult, Path]:
    """Build ``model`` as of ``as_of`` with dbt, run the quality gate; return its result and report dir.

    Drift is measured against the latest snapshot before ``as_of`` under ``snapshots_dir``
    (default: the project's ``snapshots/``), if there is one.
    """
    report_dir = require_writable(report_dir or default_report_dir(project, model, as_of), "--report-dir", directory=True)
    with full_disk_reported(report_dir, "the validation report"):
        return _validate_as_of(project, as_of, model, report_dir, snapshots_dir, on_node)


def _validate_as_of(project, as_of, model, report_dir, snapshots_dir, on_node) -> tuple[GateResult, Path]:
    project = parsed_for_sqltrain(project)               # the user's manifest, in sqltrain's own target
    project.training_set_node(model)                     # before anything is built
    with engine_for(project) as engine:                  # DuckDB file or Spark session
        require_in_warehouse(engine, project.manifest(), as_of)

    # Great Expectations is imported by a child process while dbt builds (gx_ahead), as in snapshot
    with ahead_of_gates(project):
        return _build_and_validate(project, as_of, model, report_dir, snapshots_dir, on_node)


def _build_and_validate(project, as_of, model, report_dir, snapshots_dir, on_node) -> tuple[GateResult, Path]:
    # the same build as snapshot, in the same private schema
    dbt_vars = {"as_of": as_of.var}
    built = prepare_as_of(project, dbt_vars)
    if built.adapter() == "duckdb":   # rebuilt without keys: no recorded upstream key holds after
        forget_all(built, built.model_node(model))
    invoke(built, build_command(built, model), dbt_vars, on_node)
    built.manifest(reload=True)
    node = built.model_node(model)

    _clear_previous_report(report_dir)
    baseline = previous_snapshot(Path(snapshots_dir or project.project_dir / "snapshots").resolve(), model, as_of)
    with engine_for(built) as engine, engine.pinned(node["relation_name"]):
        ctx = GateContext(built, model, node, as_of, node["relation_name"], engine, report_dir, baseline)
        return run_gate(ctx), report_dir


def _clear_previous_report(report_dir: Path) -> None:
    """Remove an earlier run's report so a stale Data Docs page never sits beside a new result."""
    (report_dir / REPORT_FILE).unlink(missing_ok=True)
    shutil.rmtree(report_dir / DOCS_DIR, ignore_errors=True)
