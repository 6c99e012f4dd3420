"""Render a check report: compiler-style text, JSON, SARIF 2.1.0 (GitHub code scanning)."""

from __future__ import annotations

import hashlib
import json

from .. import __version__
from .docs import rule_page
from .findings import Report
from .rules import RULES

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
DOCS_URI = "https://github.com/sqltrain/sqltrain/blob/main/docs/rules/{code}.md"


def render(report: Report, fmt: str, show_suppressed: bool = False) -> str:
    return {"text": to_text, "json": to_json, "sarif": to_sarif}[fmt](report, show_suppressed)


def to_text(report: Report, show_suppressed: bool = False) -> str:
    lines = []
    for f in report.findings:
        if f.severity == "off" or (f.suppressed and not show_suppressed):
            continue
        tag = f" [suppressed: {f.suppression_reason or 'no reason'}]" if f.suppressed else ""
        level = "" if f.severity == "error" else f" ({f.severity})"
        lines.append(f"{f.where}: {f.code}{level} {f.message}{tag}")
        lines.append(f"    hint: {f.hint}")
    lines.extend(f"info: {note}" for note in report.notes)
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def summary_line(report: Report) -> str:
    active = report.active
    errors = sum(1 for f in active if f.severity == "error")
    warnings = sum(1 for f in active if f.severity == "warning")
    suppressed = sum(1 for f in report.findings if f.suppressed)
    n = len(report.models)
    text = f"checked {n} model{'s' if n != 1 else ''}: {errors} error{'s' if errors != 1 else ''}, " \
           f"{warnings} warning{'s' if warnings != 1 else ''}"
    return text + (f", {suppressed} suppressed" if suppressed else "")


def to_dict(report: Report) -> dict:
    active = report.active
    return {
        "tool": "sqltrain check",
        "version": __version__,
        "models": sorted(report.models),
        "summary": {
            "errors": sum(1 for f in active if f.severity == "error"),
            "warnings": sum(1 for f in active if f.severity == "warning"),
            "suppressed": sum(1 for f in report.findings if f.suppressed),
            "passed": report.exit_code == 0,
        },
        "findings": [f.to_dict() | {"where": f.where} for f in report.findings if f.severity != "off"],
    } | ({"notes": list(report.notes)} if report.notes else {})


def to_json(report: Report, show_suppressed: bool = False) -> str:
    return json.dumps(to_dict(report), indent=2) + "\n"


# code scanning matches results across commits on this key; it leaves out line numbers, so a
# finding keeps its identity when lines above it move
FINGERPRINT = "sqltrainFinding/v1"


def fingerprint(finding) -> str:
    """A stable identity of ``finding``: its rule, file, model, column and message, not its line."""
    parts = [finding.code, finding.path, finding.model, finding.column or "", finding.message]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def _help_markdown(rule) -> str:
    """The rule's documentation page (docs/rules/), without the generated-file banner."""
    return "\n".join(line for line in rule_page(rule).splitlines() if not line.startswith("<!--")).strip()


def to_sarif(report: Report, show_suppressed: bool = False) -> str:
    index = {rule.code: i for i, rule in enumerate(RULES)}
    rules = [{
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": " ".join((rule.__doc__ or "").split("Why is this bad?")[0].split())},
        "help": {"text": rule.hint, "markdown": _help_markdown(rule)},
        "helpUri": DOCS_URI.format(code=rule.code),
        "defaultConfiguration": {"level": SARIF_LEVEL.get(rule.severity, "warning")},
    } for rule in RULES]
    results = []
    for f in report.findings:
        if f.severity == "off":
            continue
        result = {
            "ruleId": f.code,
            "level": SARIF_LEVEL.get(f.severity, "warning"),
            "message": {"text": f"{f.message} (hint: {f.hint})"},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": {"uri": f.path, "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": f.line, "startColumn": f.col},
                },
                "logicalLocations": [{"name": f.model, "kind": "module"}],
            }],
        }
        result["partialFingerprints"] = {FINGERPRINT: fingerprint(f)}
        if f.code in index:
            result["ruleIndex"] = index[f.code]
        if f.suppressed:
            result["suppressions"] = [{"kind": "inSource", "justification": f.suppression_reason or ""}]
        results.append(result)
    sarif = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "sqltrain",
                "semanticVersion": __version__,
                "informationUri": "https://github.com/sqltrain/sqltrain",
                "rules": rules,
            }},
            "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "the dbt project directory"}}},
            "results": results,
        }],
    }
    if report.notes:
        sarif["runs"][0]["invocations"] = [{"executionSuccessful": True, "toolExecutionNotifications": [
            {"level": "note", "message": {"text": note}} for note in report.notes]}]
    return json.dumps(sarif, indent=2) + "\n"
