"""``cut_snapshot``: build a training set as of D with dbt, gate it, export it atomically.

Python orchestrates; every semantic lives in the dbt models and macros.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .. import __version__
from ..asof import AsOf
from ..dbt_invoke import build_command, invoke
from ..errors import GateFailed
from ..gates import GateContext, GateResult, run_gates
from ..project import Project, column_roles, sqltrain_meta_of
from ..provenance import dbt_version, git_commit
from ..smell import smell_report
from ..time_range import require_in_warehouse
from ..warehouse import connect, require_warehouse
from .export import count_rows, describe, export_parquet, label_rate, sha256_of
from .layout import keep_failed_reports, previous_snapshot, snapshot_dir, staged

StepFn = Callable[[str], None]
"""Called with a short description as each step starts (the CLI renders progress with it)."""


@dataclass
class SnapshotResult:
    model: str
    as_of: AsOf
    path: Path
    rows: int
    columns: int
    label_rate: float | None
    data_sha256: str
    seconds: float
    gates: list[GateResult] = field(default_factory=list)
    manifest: dict[str, Any] = field(default_factory=dict)


def cut_snapshot(
    project: Project,
    as_of: AsOf,
    model: str = "churn_training",
    out: Path | None = None,
    step: StepFn | None = None,
    on_node: Callable[[str, str], None] | None = None,
    dbt_vars: dict[str, Any] | None = None,
) -> SnapshotResult:
    """Build ``model`` as of ``as_of``, run the gates, and export to ``out/model/as_of=D/``.

    Raises ``UsageError`` (bad input), ``BuildError`` (dbt failed) or ``GateFailed`` (a gate
    refused the set); in every such case nothing is written at the destination.
    """
    step = step or (lambda _msg: None)
    out = (out or project.project_dir / "snapshots").resolve()
    timings: dict[str, float] = {}
    started = time.perf_counter()

    def timed(name: str, fn, *args, **kwargs):
        step(name)
        t0 = time.perf_counter()
        value = fn(*args, **kwargs)
        timings[name] = round(time.perf_counter() - t0, 3)
        return value

    warehouse = require_warehouse(project)
    timed("parse", invoke, project, ["parse"])
    project.manifest(reload=True)
    node = project.model_node(model)
    meta = sqltrain_meta_of(node)
    timed("check as-of", require_in_warehouse, warehouse, project.manifest(), as_of)

    all_vars = {"as_of": as_of.var, **(dbt_vars or {})}
    build = timed("build", invoke, project, build_command(model), all_vars, on_node)
    project.manifest(reload=True)
    node = project.model_node(model)
    relation = node["relation_name"]

    destination = snapshot_dir(out, model, as_of)
    baseline = previous_snapshot(out, model, as_of)
    with staged(destination) as stage:
        ctx = GateContext(project, model, node, as_of, relation, warehouse, stage, baseline)
        gates = timed("gates", run_gates, ctx)
        failed = [g for g in gates if not g.passed]
        if failed:
            kept = keep_failed_reports(stage, project.target_path / "sqltrain" / "failed" / model / destination.name)
            raise GateFailed(
                f"{model} as of {as_of}: " + "; ".join(f"{g.name} gate failed: {g.summary}" for g in failed),
                f"nothing was exported; the gates' reports are in {kept}",
                results=gates,
            )
        step("export")
        t0 = time.perf_counter()
        con = connect(warehouse, read_only=True)
        try:
            columns = describe(con, relation)
            keys = [*meta.get("entity", []), *([meta["cutoff"]] if meta.get("cutoff") else [])]
            data_file = stage / "data.parquet"
            export_parquet(con, relation, [c["name"] for c in columns], keys, data_file)
            rows = count_rows(con, relation)
            rate = label_rate(con, relation, meta.get("label"))
            smell = smell_report(con, relation, meta, roles=column_roles(node, meta), compiled_sql=node.get("compiled_code"))
        finally:
            con.close()
        digest = sha256_of(data_file)
        timings["export"] = round(time.perf_counter() - t0, 3)
        timings["total"] = round(time.perf_counter() - started, 3)
        manifest = _manifest(project, node, meta, as_of, columns, rows, rate, digest, gates, build, timings, baseline)
        manifest["smell"] = smell
        (stage / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str) + "\n")

    return SnapshotResult(
        model=model, as_of=as_of, path=destination, rows=rows, columns=len(columns), label_rate=rate,
        data_sha256=digest, seconds=timings["total"], gates=gates, manifest=manifest,
    )


def _manifest(project, node, meta, as_of, columns, rows, rate, digest, gates, build, timings, baseline):
    roles = column_roles(node, meta)
    return {
        "model": node["name"],
        "as_of": as_of.label,
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "row_count": rows,
        "column_count": len(columns),
        "columns": [{**c, "role": roles.get(c["name"], "feature")} for c in columns],
        "entity": meta.get("entity", []),
        "cutoff": meta.get("cutoff"),
        "label": meta.get("label"),
        "horizon": meta.get("horizon"),
        "label_rate": rate,
        "data": {"files": ["data.parquet"], "format": "parquet", "sha256": digest},
        "gates": [{"name": g.name, "passed": g.passed, "summary": g.summary, "report": g.report_file} for g in gates],
        "previous_snapshot": baseline.name if baseline else None,
        "versions": {"sqltrain": __version__, "dbt": dbt_version(), "dbt_adapter": node.get("config", {}).get("adapter")},
        "project": {"name": project.name, "git_commit": git_commit(project.project_dir)},
        "relation": node["relation_name"],
        "compiled_sql": node.get("compiled_code"),
        "dbt_nodes": build.nodes,
        "timings_s": timings,
    }
