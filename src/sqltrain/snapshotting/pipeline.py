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
from ..asof_target import parsed_for_sqltrain, prepare_as_of
from ..dbt_invoke import DbtRun, invoke
from ..engine import adapter_type, build_command, engine_for, export_parquet
from ..errors import GateFailed
from ..gates import GateContext, GateResult, run_gates
from ..interrupts import entering
from ..outputs import full_disk_reported, require_writable
from ..project import Project, column_roles, sqltrain_meta_of
from ..provenance import adapter_version, dbt_version, git_commit
from ..quality.gx_ahead import ahead_of_gates
from ..quality.slices import recorded_slices
from ..quality.spec import spec_from_node
from ..smell import smell_report
from ..time_range import require_in_warehouse
from .incremental import Fallback, plan_reuse
from .inputs import inputs_sha256
from .integrity import file_hashes
from .layout import keep_failed_reports, previous_snapshot, snapshot_dir, staged
from .partial import build_new_cutoffs
from .upstream_reuse import forget_all, input_rows, plan_recording, record_built

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


class _Clock:
    """Step announcements and per-step timings of one snapshot."""

    def __init__(self, step: StepFn | None):
        self.on_step = step or (lambda _msg: None)
        self.timings: dict[str, float] = {}
        self.started = time.perf_counter()

    def step(self, name: str) -> None:
        """Announce a step; a pending interrupt (or a test's injected fault) stops the run here."""
        entering(name)
        self.on_step(name)

    def timed(self, name: str, fn, *args, **kwargs):
        self.step(name)
        t0 = time.perf_counter()
        value = fn(*args, **kwargs)
        self.timings[name] = round(time.perf_counter() - t0, 3)
        return value


def cut_snapshot(
    project: Project,
    as_of: AsOf,
    model: str = "churn_training",
    out: Path | None = None,
    step: StepFn | None = None,
    on_node: Callable[[str, str], None] | None = None,
    dbt_vars: dict[str, Any] | None = None,
    incremental: bool = False,
) -> SnapshotResult:
    """Build ``model`` as of ``as_of``, run the gates, and export to ``out/model/as_of=D/``.

    ``incremental`` reuses the rows of the newest earlier snapshot that cannot have changed and
    builds only the other cutoffs; the data is byte-identical to a full build's. When the premise
    does not hold the build is full and ``manifest["incremental"]["fallback"]`` says why
    (docs/incremental.md).

    Raises ``UsageError`` (bad input), ``BuildError`` (dbt failed) or ``GateFailed`` (a gate
    refused the set); in every such case nothing is written at the destination. ``out`` is checked
    writable before anything runs; a disk that fills up on the way is ``DiskFull`` (exit 1).

    The target's adapter picks the engine (``sqltrain.engine``): on DuckDB ``data.parquet`` is one
    file and its sha256 the file's; on Spark it is a directory of part files written by the
    executors and the sha256 is of the rows as a multiset (order- and partition-independent).
    """
    out = require_writable(out or project.project_dir / "snapshots", "--out", directory=True)
    with full_disk_reported(out, f"the snapshot of {model} as of {as_of}"):
        return _cut_snapshot(project, as_of, model, out, _Clock(step), on_node, dbt_vars, incremental)


def _cut_snapshot(project, as_of, model, out, clock, on_node, dbt_vars, incremental) -> SnapshotResult:
    project = clock.timed("parse", parsed_for_sqltrain, project)
    node = project.training_set_node(model)   # an unknown model, or one that is not a training set, fails here
    spec_from_node(node)                      # and a malformed quality declaration, before anything is built
    require_writable(snapshot_dir(out, model, as_of), "--out", directory=True)  # e.g. OUT/MODEL is a file
    # Great Expectations is imported by a child process, on the other core, while dbt builds
    with ahead_of_gates(project):
        return _build_and_land(project, as_of, model, out, clock, on_node, dbt_vars, incremental)


def _build_and_land(project, as_of, model, out, clock, on_node, dbt_vars, incremental) -> SnapshotResult:
    # DuckDB file or Spark session, from the target's adapter (Spark starts here if it is not running)
    with clock.timed("engine", engine_for, project) as engine:
        clock.timed("check as-of", require_in_warehouse, engine, project.manifest(), as_of)
    # (closed: on DuckDB, dbt needs the file to itself while it builds)
    all_vars = {"as_of": as_of.var, **(dbt_vars or {})}
    # built in a private schema, never over the tables of the user's own dbt build (asof_target)
    asof = clock.timed("as-of target", prepare_as_of, project, all_vars)
    node = asof.model_node(model)
    inputs = inputs_sha256(asof.manifest(), node["unique_id"], project.config.get("vars"), dbt_vars)
    reuse, record = None, None
    if incremental:
        reuse = clock.timed("plan reuse", plan_reuse, project, asof, node, as_of, out, inputs)
        if isinstance(reuse, Fallback):
            clock.step(f"full build: {reuse.reason}")
            record, reuse = {"fallback": reuse.reason}, None
    if reuse is not None:
        build, reused, kept = clock.timed("build new cutoffs", build_new_cutoffs, asof, project.manifest(), node, reuse,
                                          all_vars, on_node)
        record = {**reuse.to_json(), "reused_rows": reused, "upstream_reused": kept}
    else:
        build = clock.timed("build", _full_build, project, asof, node, all_vars, on_node)
    asof.manifest(reload=True)
    return land_snapshot(asof, asof.model_node(model), as_of, out, build=build, clock=clock,
                         extra={"inputs_sha256": inputs, **({"incremental": record} if record else {})})


def _full_build(project: Project, asof: Project, node: dict[str, Any], dbt_vars: dict[str, Any], on_node) -> DbtRun:
    """``dbt build`` of the model and its upstream; on DuckDB the upstream's keys are recorded after
    it, so that a later ``--incremental`` snapshot can keep what it would build again (upstream_reuse)."""
    keyed = asof.adapter() == "duckdb"
    if keyed:
        forget_all(asof, node)
        rows_before = input_rows(asof, project.manifest(), node)
    build = invoke(asof, build_command(asof, node["name"]), dbt_vars, on_node)
    if keyed:
        record_built(asof, plan_recording(asof, project.manifest(), node, rows_before), build)
    return build


def land_snapshot(
    project: Project,
    node: dict[str, Any],
    as_of: AsOf,
    out: Path | None = None,
    *,
    build: DbtRun | None = None,
    step: StepFn | None = None,
    clock: _Clock | None = None,
    extra: dict[str, Any] | None = None,
) -> SnapshotResult:
    """Gate and export the relation of ``node`` (a model's manifest node), already built as of
    ``as_of`` — the second half of ``cut_snapshot``, for a caller that has just run the build
    itself (``build``: that dbt run, recorded in the manifest). Same errors, same atomic landing.
    ``extra``: more manifest entries (the inputs hash, what an incremental build reused).
    """
    clock = clock or _Clock(step)
    model, relation, meta = node["name"], node["relation_name"], sqltrain_meta_of(node)
    out = (out or project.project_dir / "snapshots").resolve()
    destination = snapshot_dir(out, model, as_of)
    baseline = previous_snapshot(out, model, as_of)
    with engine_for(project) as engine, engine.pinned(relation), staged(destination) as stage:
        ctx = GateContext(project, model, node, as_of, relation, engine, stage, baseline)
        gates = clock.timed("gates", run_gates, ctx)
        failed = [g for g in gates if not g.passed]
        if failed:
            kept = keep_failed_reports(stage, project.reports_dir / "failed" / model / destination.name)
            raise GateFailed(
                f"{model} as of {as_of}: " + "; ".join(f"{g.name} gate failed: {g.summary}" for g in failed),
                f"nothing was exported; the gates' reports are in {kept}",
                results=gates,
            )
        clock.step("export")
        t0 = time.perf_counter()
        columns = engine.describe(relation)
        keys = [*meta.get("entity", []), *([meta["cutoff"]] if meta.get("cutoff") else [])]
        data = export_parquet(engine, relation, [c["name"] for c in columns], keys, stage / "data.parquet")
        rows = engine.count_rows(relation)
        rate = engine.label_rate(relation, meta.get("label"))
        smell = smell_report(engine, relation, meta, roles=column_roles(node, meta), compiled_sql=node.get("compiled_code"))
        clock.timings["export"] = round(time.perf_counter() - t0, 3)
        clock.timings["total"] = round(time.perf_counter() - clock.started, 3)
        manifest = _manifest(project, node, meta, as_of, columns, rows, rate, data, gates, build, clock.timings, baseline)
        manifest["data"]["file_sha256"] = file_hashes(stage, data.files)  # what every reader checks
        manifest["smell"] = smell
        manifest["slices"] = recorded_slices(stage)
        manifest.update(extra or {})
        if "reused_rows" in (manifest.get("incremental") or {}):
            manifest["incremental"]["built_rows"] = rows - manifest["incremental"]["reused_rows"]
        (stage / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str) + "\n")

    return SnapshotResult(
        model=model, as_of=as_of, path=destination, rows=rows, columns=len(columns), label_rate=rate,
        data_sha256=data.sha256, seconds=clock.timings["total"], gates=gates, manifest=manifest,
    )


def _manifest(project, node, meta, as_of, columns, rows, rate, data, gates, build, timings, baseline):
    roles = column_roles(node, meta)
    adapter = adapter_type(project)
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
        "data": {"files": data.files, "format": "parquet", "sha256": data.sha256, "sha256_of": data.hash_method},
        "gates": [{"name": g.name, "passed": g.passed, "summary": g.summary, "report": g.report_file} for g in gates],
        "previous_snapshot": baseline.name if baseline else None,
        "versions": {"sqltrain": __version__, "dbt": dbt_version(), "dbt_adapter": adapter,
                     "dbt_adapter_version": adapter_version(adapter)},
        "project": {"name": project.name, "git_commit": git_commit(project.project_dir)},
        "relation": node["relation_name"],
        "compiled_sql": node.get("compiled_code"),
        "dbt_nodes": build.nodes if build else [],
        "timings_s": timings,
    }
