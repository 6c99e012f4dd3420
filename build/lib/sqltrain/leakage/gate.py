"""The leakage gate of ``sqltrain snapshot``: the check, on the model and its upstream, before export.

An error finding blocks the export (the snapshot exits 1) and every finding lands in the
snapshot's ``leakage.json`` — the same document ``sqltrain check --format json`` prints.
"""

from __future__ import annotations

import json

from ..gates import GateContext, GateFailure, GateResult
from .analyse import analyse
from .formats import to_dict
from .inputs import load_manifest_inputs

REPORT_FILE = "leakage.json"


def run_gate(ctx: GateContext) -> GateResult:
    project = ctx.project
    check_config = ((project.config.get("vars") or {}).get("sqltrain") or {}).get("check") or {}
    inputs = load_manifest_inputs(project.manifest(), project.name, None, check_config)
    report = analyse(inputs, select=[f"+{ctx.model}"])
    ctx.report_dir.mkdir(parents=True, exist_ok=True)
    (ctx.report_dir / REPORT_FILE).write_text(json.dumps(to_dict(report), indent=2) + "\n")
    failures = [
        GateFailure(check=f.code, column=f.column, expected="no leakage finding", observed=f.message, where=f.where)
        for f in report.errors
    ]
    warnings = [f"{f.where}: {f.code} {f.message}" for f in report.active if f.severity == "warning"]
    n = len(report.models)
    if failures:
        summary = f"{len(failures)} leakage error{'s' if len(failures) != 1 else ''} in {ctx.model} and its upstream"
    else:
        summary = f"no leakage errors in {n} model{'s' if n != 1 else ''}" + (
            f" ({len(warnings)} warning{'s' if len(warnings) != 1 else ''})" if warnings else "")
    return GateResult(name="leakage", passed=not failures, summary=summary, failures=failures,
                      warnings=warnings, report_file=REPORT_FILE)
