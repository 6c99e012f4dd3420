"""The quality gate of ``sqltrain snapshot`` and ``sqltrain validate`` (DESIGN §7).

``run_gate(ctx)`` validates the freshly built training set, writes ``validation.json`` and the
GX Data Docs (``validation/index.html``) into ``ctx.report_dir``, and refuses the export when
any expectation fails. Drift against the previous snapshot only warns.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..engine import engine_for
from ..errors import UsageError
from ..gates import GateContext, GateFailure, GateResult
from ..project import Project, sqltrain_meta_of
from .check import QualityReport, check_training_set
from .observed import observed
from .spec import QualitySpec, spec_from_node

NAME = "quality"
REPORT_FILE = "validation.json"
DOCS_DIR = "validation"


def run_gate(ctx: GateContext) -> GateResult:
    """Validate ``ctx.relation``; passed=False with one GateFailure per failed expectation."""
    spec, spine = resolve_spine(ctx.project, ctx.node, spec_from_node(ctx.node))
    ctx.report_dir.mkdir(parents=True, exist_ok=True)
    with engine_for(ctx.project, ctx.warehouse) as engine:     # DuckDB file or Spark session
        report = check_training_set(
            engine,
            ctx.relation,
            spec,
            spine_relation=spine,
            previous_snapshot=ctx.previous_snapshot,
            docs_dir=ctx.report_dir / DOCS_DIR,
            as_of=ctx.as_of.label,
        )
    report.data_docs = f"{DOCS_DIR}/index.html"  # relative: the report travels with the snapshot
    report.write(ctx.report_dir / REPORT_FILE)
    return gate_result(report)


def gate_result(report: QualityReport) -> GateResult:
    """The report as the gate interface's result."""
    return GateResult(
        name=NAME,
        passed=report.passed,
        summary=report.summary(),
        failures=[
            GateFailure(check=o.spec.type, column=o.spec.column, expected=o.spec.expected, observed=observed(o))
            for o in report.failures()
        ],
        warnings=list(report.warnings),
        report_file=REPORT_FILE,
    )


def resolve_spine(project: Project, node: dict[str, Any], spec: QualitySpec) -> tuple[QualitySpec, str | None]:
    """The spec with its spine named, and the spine's quoted relation (None: no spine, no count check).

    The spine is ``meta.sqltrain.spine``; without it, the one parent model whose own meta says
    ``kind: spine`` (so the demo need not repeat what its lineage already says).
    """
    manifest = project.manifest()
    nodes = manifest.get("nodes", {})
    if spec.spine:
        for other in nodes.values():
            if other.get("resource_type") == "model" and other.get("name") == spec.spine:
                return spec, other.get("relation_name")
        raise UsageError(
            f"model '{spec.model}': meta.sqltrain.spine names unknown model '{spec.spine}'",
            "set spine: to the model that builds this training set's examples",
        )
    parents = [nodes[p] for p in (node.get("depends_on") or {}).get("nodes", []) if p in nodes]
    spines = [p for p in parents if p.get("resource_type") == "model" and sqltrain_meta_of(p).get("kind") == "spine"]
    if len(spines) == 1:
        return replace(spec, spine=spines[0]["name"]), spines[0].get("relation_name")
    return spec, None
