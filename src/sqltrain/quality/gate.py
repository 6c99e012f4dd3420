"""The quality gate of ``sqltrain snapshot`` and ``sqltrain validate`` (docs/quality-gate.md).

``run_gate(ctx)`` validates the freshly built training set, writes ``validation.json`` and the
GX Data Docs (``validation/index.html``) into ``ctx.report_dir``, and refuses the export when
any expectation fails. Drift against the previous snapshot only warns.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

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
    report = check_training_set(
        ctx.engine,
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
        ] + [
            GateFailure(check=f.check, column=f.column, expected=f.expected, observed=f.message)
            for f in (report.slices.errors() if report.slices else [])
        ],
        warnings=list(report.warnings),
        report_file=REPORT_FILE,
    )


def resolve_spine(project: Project, node: dict[str, Any], spec: QualitySpec) -> tuple[QualitySpec, str | None]:
    """The spec with its spine named, and the spine's quoted relation (None: no spine, no count check).

    The spine is ``meta.sqltrain.spine``: a model's name (``spine_customer_monthly``, or
    ``ref('spine_customer_monthly')``) or a source (``source('raw', 'spine')``). Without it, the one
    parent — model or source — whose own meta says ``kind: spine`` (so the demo need not repeat what
    its lineage already says).
    """
    manifest = project.manifest()
    nodes, sources = manifest.get("nodes", {}), manifest.get("sources", {})
    if spec.spine:
        wanted = _spine_reference(spec.spine)
        for other in [*nodes.values(), *sources.values()]:
            if _is(other, wanted):
                return replace(spec, spine=_display(other)), other.get("relation_name")
        what = f"source '{wanted[1]}.{wanted[2]}'" if wanted[0] == "source" else f"model '{wanted[1]}'"
        raise UsageError(
            f"model '{spec.model}': meta.sqltrain.spine names unknown {what}",
            "set spine: to the model (spine: my_spine) or source (spine: \"source('raw', 'spine')\") "
            "that holds this training set's examples",
        )
    parents = [nodes.get(p) or sources.get(p) for p in (node.get("depends_on") or {}).get("nodes", [])]
    spines = [p for p in parents if p and p.get("resource_type") in ("model", "source")
              and sqltrain_meta_of(p).get("kind") == "spine"]
    if len(spines) == 1:
        return replace(spec, spine=_display(spines[0])), spines[0].get("relation_name")
    return spec, None


_SOURCE = re.compile(r"""^\s*source\(\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]+)['"]\s*\)\s*$""")
_REF = re.compile(r"""^\s*ref\(\s*['"]([^'"]+)['"]\s*\)\s*$""")


def _spine_reference(text: str) -> tuple[str, ...]:
    """``("source", source_name, table)`` or ``("model", name)`` from what ``spine:`` says."""
    if match := _SOURCE.match(text):
        return ("source", match.group(1), match.group(2))
    if match := _REF.match(text):
        return ("model", match.group(1))
    return ("model", text.strip())


def _is(node: dict[str, Any], wanted: tuple[str, ...]) -> bool:
    if wanted[0] == "source":
        return (node.get("resource_type") == "source"
                and (node.get("source_name"), node.get("name")) == (wanted[1], wanted[2]))
    return node.get("resource_type") == "model" and node.get("name") == wanted[1]


def _display(node: dict[str, Any]) -> str:
    if node.get("resource_type") == "source":
        return f"source('{node.get('source_name')}', '{node.get('name')}')"
    return node["name"]
