"""``run_backtest``: walk-forward train/test snapshots of a training set, leak-free by construction.

The plan (the argument is in docs/backtesting.md):

1. ``dbt parse``; read the model's entity, cutoff and horizon; lay out the folds.
2. Compile the model and its upstream as of --end, then **build** them as of the first fold date:
   the nodes whose compiled SQL differs between the two dates depend on the as-of date, and so
   does everything downstream of them (``dependence.as_of_dependent``). All other nodes were just
   built once for all folds.
3. For every further fold date and for --end: rebuild only the as-of-dependent nodes (with their
   tests), run the gates of ``sqltrain snapshot`` on the result, and export the fold's train part
   (from the build as of X) or every fold's test part (from the build as of --end), each split
   by ``sqltrain.temporal_split`` compiled once for all folds.

Everything lands in one staging directory swapped into ``OUT/M/backtest=…/`` at the end: a failed
gate or an interrupt leaves nothing behind (and an earlier run of the same backtest untouched).
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
from ..asof import AsOf, parse_as_of
from ..asof_target import prepare_as_of
from ..dbt_invoke import DbtRun, invoke
from ..engine import Engine, adapter_type, build_command, engine_class, engine_for
from ..errors import GateFailed, UsageError
from ..gates import GateContext, GateResult, run_gates
from ..project import Project, column_roles, sqltrain_meta_of
from ..provenance import dbt_version, git_commit
from ..quality.gx_ahead import ahead_of_gates
from ..smell.report import resolve_threshold
from ..outputs import full_disk_reported, require_writable
from ..snapshotting.layout import staged
from ..time_range import require_in_warehouse
from ..warehouse import require_target_warehouse
from .baselines import fold_baselines
from .dependence import as_of_dependent, compiled_code_by_node, selection, upstream_of
from .export import PartResult, export_part
from .folds import Fold, plan_folds
from .incremental import FoldBuilds
from .periods import Period, parse_period
from .splits import compile_fold_queries

StepFn = Callable[[str], None]
FoldFn = Callable[[int, int, str], None]
"""Called as ``on_fold(done, total, description)`` after each build (the folds, then the evaluation)."""


@dataclass
class FoldResult:
    fold: Fold
    path: Path
    train: PartResult
    test: PartResult | None = None
    gates: list[GateResult] = field(default_factory=list)

    @property
    def suspicious(self) -> list[str]:
        """Features the smell flags in this fold's train set."""
        return list(self.train.smell.get("suspicious", []))


@dataclass
class BacktestResult:
    model: str
    start: AsOf
    end: AsOf
    every: Period
    embargo: Period
    horizon: Period
    train_window: Period | None
    path: Path
    folds: list[FoldResult]
    evaluation_gates: list[GateResult]
    rebuilt_per_fold: list[str]
    built_once: list[str]
    dbt_invocations: int
    seconds: float
    manifest: dict[str, Any] = field(default_factory=dict)


def run_backtest(
    project: Project,
    start: AsOf | str,
    end: AsOf | str,
    every: Period | str,
    model: str = "churn_training",
    train_window: Period | str | None = None,
    out: Path | None = None,
    embargo: Period | str | None = None,
    auc_threshold: float | None = None,
    rebuild_all: bool = False,
    incremental: bool = False,
    step: StepFn | None = None,
    on_fold: FoldFn | None = None,
    on_node: Callable[[str, str], None] | None = None,
) -> BacktestResult:
    """Export train/test snapshots of ``model`` for each fold date from ``start`` every ``every``.

    Fold X's train part is the snapshot of ``model`` as of X (exactly what ``sqltrain snapshot
    --as-of X`` would build), restricted to cutoffs ``T + embargo <= X`` (and ``T >= X - train_window``);
    its test part holds the examples with ``X <= T <`` the next fold date, built as of ``end`` (labels
    as known on ``end``). ``embargo`` defaults to the model's horizon and may not be shorter.
    ``auc_threshold`` defaults to the model's ``meta.sqltrain.auc_threshold``, else 0.95.
    ``rebuild_all`` rebuilds the whole upstream for every fold instead of only the as-of-dependent
    models (for projects whose SQL branches on the as-of date in ways two dates cannot reveal).
    ``incremental``: each build after the first keeps the previous build's rows that cannot change
    and builds only the other cutoffs (DuckDB; otherwise, or when the premise does not hold, it
    builds in full and the summary says why); every exported file is the same as without it.

    Raises ``UsageError`` (bad input, exit 2), ``BuildError`` (dbt failed, exit 1) or ``GateFailed``
    (a gate refused one of the builds, exit 1); in every such case nothing is written.
    """
    started = time.perf_counter()
    step = step or (lambda _msg: None)
    on_fold = on_fold or (lambda _done, _total, _what: None)
    start, end = _as_of(start, "--start"), _as_of(end, "--end")
    every = every if isinstance(every, Period) else parse_period(every, "--every")
    window = (train_window if isinstance(train_window, Period) or train_window is None
              else parse_period(train_window, "--train-window"))
    out = require_writable(out or project.project_dir / "snapshots", "--out", directory=True)
    calls = _Calls(project, on_node)

    require_target_warehouse(project)   # a DuckDB target's file must exist; other engines have none
    step("parse")
    calls.run(["parse"], None)
    manifest = project.manifest(reload=True)
    node = project.training_set_node(model)
    meta = sqltrain_meta_of(node)
    horizon, gap = _horizon_and_embargo(model, meta, embargo)
    folds = plan_folds(start, end, every, horizon, window)
    with engine_for(project) as engine:
        require_in_warehouse(engine, manifest, start, "--start")
        require_in_warehouse(engine, manifest, end, "--end")
    # every build below goes to the private as-of schema, never over the user's tables (asof_target)
    project = calls.project = prepare_as_of(project)
    if project.adapter() == "duckdb":   # the folds rewrite the private schema: no recorded upstream key holds after
        from ..snapshotting.upstream_reuse import forget_all

        forget_all(project, project.model_node(model))
    roles = column_roles(node, meta)
    auc_threshold = resolve_threshold(meta, auc_threshold)
    root = require_writable(out / model / _backtest_dir_name(start, end, every, window), "--out", directory=True)
    total = len(folds) + 1

    # Great Expectations is imported by a child process while dbt builds; it writes every gate's Data Docs
    with (full_disk_reported(root, f"the backtest of {model}"), staged(root) as stage,
          ahead_of_gates(project)):
        step(f"compile {model} as of {end}")
        calls.run(["compile", "--select", f"+{model}"], end)
        at_end = compiled_code_by_node(project.target_path)

        first = folds[0]
        step(f"build {model} and its upstream as of {first.cutoff}")
        build = calls.run(build_command(project, model), first.cutoff)
        at_first = compiled_code_by_node(project.target_path)
        manifest = project.manifest(reload=True)
        sql = _compiled_sql({}, manifest, build)  # every node's compiled SQL as of the last build it was in
        model_id = project.model_node(model)["unique_id"]
        scope = [n for n in sorted(upstream_of(manifest, model_id)) if n.split(".")[0] in ("model", "snapshot", "seed")]
        rebuilt = scope if rebuild_all else as_of_dependent(manifest, model_id, at_end, at_first)
        builds = _fold_builds(calls, project, manifest, model, rebuilt, rebuild_all, incremental)

        step("compile the splits")
        with engine_for(project) as engine:
            columns = [c["name"] for c in engine.describe(project.model_node(model)["relation_name"])]
        queries = compile_fold_queries(project, model, meta["cutoff"], folds, gap, horizon, {"as_of": end.var},
                                       run=lambda command: calls.run(command, end), columns=columns,
                                       quote=engine.identifier)
        common = _common_fields(project, node, meta, start, end, every, window, gap, horizon, root.name, len(folds))

        results: list[FoldResult] = []
        for fold in folds:
            if fold is not first:
                step(f"rebuild {len(rebuilt)} as-of-dependent node(s) as of {fold.cutoff}")
                build = builds.build(fold.cutoff)
                _compiled_sql(sql, project.manifest(reload=True), build)
            compiled = sql.get(model_id)
            fold_dir = stage / fold.name
            with engine_for(project) as engine:      # closed before the next build: dbt needs the file
                gates = _gate(project, model, fold.cutoff, engine, fold_dir / "train", step, sql)
                step(f"export fold {fold.cutoff} (train)")
                train = export_part(engine, queries[fold.index].train, fold_dir / "train", "train", meta, roles,
                                    auc_threshold, compiled, {**common, **_fold_fields(fold, gap, horizon, end),
                                                              "as_of": fold.cutoff.label, "labels_known_as_of": fold.cutoff.label,
                                                              "gates": _gate_entries(gates), "compiled_sql": compiled,
                                                              "dbt_nodes": build.nodes,
                                                              **builds.record_of(fold.cutoff)})
            builds.gated(fold.cutoff, fold.name, fold_dir / "train")
            results.append(FoldResult(fold, root / fold.name, train, gates=gates))
            on_fold(len(results), total, f"fold {fold.cutoff}: {train.rows:,} train rows")

        step(f"rebuild {len(rebuilt)} as-of-dependent node(s) as of {end} (evaluation)")
        build = builds.build(end)
        _compiled_sql(sql, project.manifest(reload=True), build)
        compiled = sql.get(model_id)
        with engine_for(project) as engine:
            evaluation_gates = _gate(project, model, end, engine, stage / "evaluation", step, sql)
            for result in results:
                fold = result.fold
                step(f"export fold {fold.cutoff} (test)")
                train = result.train
                result.test = export_part(engine, queries[fold.index].test, stage / fold.name / "test", "test", meta,
                                          roles, auc_threshold, compiled, {
                                              **common, **_fold_fields(fold, gap, horizon, end),
                                              "as_of": end.label, "labels_known_as_of": end.label,
                                              "gates": _gate_entries(evaluation_gates, "../../evaluation/"),
                                              "compiled_sql": compiled, "dbt_nodes": build.nodes,
                                              **builds.record_of(end)},
                                          extra=lambda relation, train=train: {
                                              "baselines": fold_baselines(engine, relation, meta.get("label"), train)})
        on_fold(total, total, f"evaluation as of {end}")

        built_once = [n for n in scope if n not in rebuilt]
        seconds = round(time.perf_counter() - started, 3)
        summary = _summary(common, results, evaluation_gates, rebuilt, built_once, calls.count, seconds, rebuild_all)
        summary["builds"]["incremental"] = builds.summary()
        (stage / "backtest.json").write_text(json.dumps(summary, indent=2, default=str) + "\n")

    return BacktestResult(
        model=model, start=start, end=end, every=every, embargo=gap, horizon=horizon, train_window=window,
        path=root, folds=results, evaluation_gates=evaluation_gates, rebuilt_per_fold=rebuilt,
        built_once=built_once, dbt_invocations=calls.count, seconds=seconds, manifest=summary,
    )


def _fold_builds(calls, project, manifest, model, rebuilt, rebuild_all, incremental) -> FoldBuilds:
    """The builds after the first: ``rebuilt`` (the as-of-dependent nodes) with their tests, or the
    whole upstream (``rebuild_all``); incremental, the training set's part of it on new cutoffs only."""
    node = project.model_node(model)
    options = [*engine_class(adapter_type(project)).build_options]
    upstream = [n for n in rebuilt if n != node["unique_id"]]
    return FoldBuilds(
        calls, node, incremental=incremental,
        rebuild=build_command(project, model) if rebuild_all else [
            "build", "--select", *selection(manifest, rebuilt), "--indirect-selection", "cautious", *options],
        upstream=["build", "--select", *selection(manifest, upstream), "--indirect-selection", "cautious", *options]
        if upstream else None)


def _compiled_sql(sql: dict[str, str], manifest: dict[str, Any], build: DbtRun) -> dict[str, str]:
    """``sql`` updated with what a build compiled: the nodes it ran, and the ephemeral models it
    compiled into them (in the manifest dbt wrote, not among the run's results)."""
    sql.update({uid: n["compiled_code"] for uid, n in manifest["nodes"].items() if n.get("compiled_code")})
    sql.update(build.compiled)
    return sql


class _Calls:
    """dbt invocations with the as-of var, counted (the backtest promises few of them)."""

    def __init__(self, project: Project, on_node):
        self.project, self.on_node, self.count = project, on_node, 0

    def run(self, command: list[str], as_of: AsOf | None) -> DbtRun:
        self.count += 1
        return invoke(self.project, command, {"as_of": as_of.var} if as_of else None, self.on_node)


def _as_of(value: AsOf | str, option: str) -> AsOf:
    if isinstance(value, AsOf):
        return value
    try:
        return parse_as_of(value)
    except UsageError as error:
        raise UsageError(error.message.replace("--as-of", option, 1), error.hint) from None


def _horizon_and_embargo(model: str, meta: dict[str, Any], embargo: Period | str | None) -> tuple[Period, Period]:
    if not meta.get("cutoff") or not meta.get("horizon"):
        raise UsageError(
            f"model {model} declares no {'cutoff' if not meta.get('cutoff') else 'horizon'} in meta.sqltrain",
            "a backtest needs the training set's cutoff column and label horizon (e.g. horizon: 30 days)",
        )
    horizon = parse_period(meta["horizon"], f"{model} meta.sqltrain.horizon")
    gap = horizon if embargo is None else embargo if isinstance(embargo, Period) else parse_period(embargo, "--embargo")
    if not gap.surely_at_least(horizon):
        raise UsageError(
            f"--embargo {gap} is shorter than {model}'s label horizon {horizon} (or not surely as long)",
            "use an embargo at least as long as the horizon, so no label window straddles a fold boundary",
        )
    return horizon, gap


def _backtest_dir_name(start: AsOf, end: AsOf, every: Period, window: Period | None) -> str:
    name = f"backtest={start.label}_{end.label}_{every.iso}"
    return name + (f"_W{window.iso}" if window else "")


def _gate(project: Project, model: str, as_of: AsOf, engine: Engine, report_dir: Path, step: StepFn,
          compiled: dict[str, str]) -> list[GateResult]:
    """The gates of ``sqltrain snapshot`` on the model just built as of ``as_of``; GateFailed if one refuses.

    ``compiled``: the SQL every node upstream was built from as of ``as_of``. dbt's manifest holds
    the compiled SQL of its last invocation's nodes only (a fold rebuilds a few, and the splits were
    compiled after the first build); the leakage gate reads every node's, as a snapshot's does. The
    manifest is the one the caller loaded after the build (``_compiled_sql``), not read again.
    """
    step(f"gates as of {as_of}")
    nodes = project.manifest()["nodes"]
    for unique_id, code in compiled.items():
        if unique_id in nodes:
            nodes[unique_id]["compiled_code"] = code
    node = project.model_node(model)
    report_dir.mkdir(parents=True, exist_ok=True)
    results = run_gates(GateContext(project, model, node, as_of, node["relation_name"], engine, report_dir, None))
    failed = [g for g in results if not g.passed]
    if failed:
        raise GateFailed(
            f"{model} as of {as_of}: " + "; ".join(f"{g.name} gate failed: {g.summary}" for g in failed),
            "nothing was exported; fix the findings above and run the backtest again",
            results=results,
        )
    return results


def _gate_entries(gates: list[GateResult], prefix: str = "") -> list[dict[str, Any]]:
    return [{"name": g.name, "passed": g.passed, "summary": g.summary,
             "report": f"{prefix}{g.report_file}" if g.report_file else None} for g in gates]


def _common_fields(project, node, meta, start, end, every, window, gap, horizon, name, n_folds) -> dict[str, Any]:
    return {
        "model": node["name"],
        "backtest": {"id": name, "start": start.label, "end": end.label, "every": every.text,
                     "train_window": window.text if window else None, "folds": n_folds},
        "entity": meta.get("entity", []),
        "cutoff": meta.get("cutoff"),
        "label": meta.get("label"),
        "horizon": horizon.text,
        "embargo": gap.text,
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "versions": {"sqltrain": __version__, "dbt": dbt_version()},
        "project": {"name": project.name, "git_commit": git_commit(project.project_dir)},
        "relation": node["relation_name"],
    }


def _fold_fields(fold: Fold, gap: Period, horizon: Period, end: AsOf) -> dict[str, Any]:
    """The fold's dates as its manifests state them (cutoff windows are inclusive unless 'before')."""
    return {
        "fold": {
            "index": fold.index,
            "name": fold.name,
            "date": fold.cutoff.label,
            "embargo": gap.text,
            "horizon": horizon.text,
            "train_cutoffs": {"from": _iso(fold.train_from), "to": _iso(gap.before(fold.cutoff.instant)),
                              "labels_mature_by": fold.cutoff.label},
            "test_cutoffs": {"from": fold.cutoff.label, "before": _iso(fold.test_until),
                             "labels_mature_by": end.label},
        }
    }


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat(sep=" ")


def _summary(common, results, evaluation_gates, rebuilt, built_once, calls, seconds, rebuild_all) -> dict[str, Any]:
    return {
        **common,
        "folds": [
            {
                "fold": r.fold.cutoff.label,
                "path": r.fold.name,
                "dates": r.train.manifest.get("fold"),
                "train": {"rows": r.train.rows, "label_rate": r.train.label_rate, "cutoffs": r.train.cutoffs,
                          "sha256": r.train.sha256, "suspicious": r.train.smell.get("suspicious", []),
                          "best_feature": r.train.smell.get("best_feature")},
                "test": None if r.test is None else {
                    "rows": r.test.rows, "label_rate": r.test.label_rate, "cutoffs": r.test.cutoffs,
                    "sha256": r.test.sha256, "suspicious": r.test.smell.get("suspicious", []),
                    "best_feature": r.test.smell.get("best_feature"), "baselines": r.test.manifest.get("baselines")},
                "gates": _gate_entries(r.gates, f"{r.fold.name}/train/"),
            }
            for r in results
        ],
        "evaluation": {"as_of": common["backtest"]["end"], "gates": _gate_entries(evaluation_gates, "evaluation/")},
        "builds": {"rebuild_all": rebuild_all, "rebuilt_per_fold": rebuilt, "built_once": built_once,
                   "dbt_invocations": calls},
        "timings_s": {"total": seconds},
    }
