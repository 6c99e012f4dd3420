"""`sqltrain check --format sarif` validates against the official SARIF 2.1.0 schema (vendored in
tests/leakage/sarif/), carries each rule's help page, and fingerprints findings without line numbers."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from sqltrain.leakage.findings import Finding, Report
from sqltrain.leakage.formats import FINGERPRINT, to_sarif
from sqltrain.leakage.rules import RULES

SCHEMA = json.loads((Path(__file__).parent / "sarif" / "sarif-schema-2.1.0.json").read_text())


def validate_sarif(text: str) -> dict:
    document = json.loads(text)
    jsonschema.Draft4Validator(SCHEMA).validate(document)
    return document


def _finding(line: int, **kw) -> Finding:
    base = dict(code="LK001", severity="error", message="'orders' is read without an upper time bound",
                hint="bound it by the cutoff", model="feat", path="models/feat.sql", line=line, col=5, column="n")
    return Finding(**{**base, **kw})


def _report(findings) -> Report:
    return Report(findings=findings, models=sorted({f.model for f in findings}))


def test_the_schema_is_the_official_one():
    assert SCHEMA["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(SCHEMA).validate({"version": "2.1.0", "runs": [{"tool": {}}]})


def test_findings_render_as_valid_sarif_with_rule_help_and_fingerprints():
    suppressed = _finding(9, code="LK006", severity="warning", suppressed=True, suppression_reason="seeded")
    sarif = validate_sarif(to_sarif(_report([_finding(3), suppressed])))
    run = sarif["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert set(rules) >= {rule.code for rule in RULES}
    assert all(r["help"]["markdown"].startswith("#") and r["id"] in r["help"]["markdown"] for r in rules.values())
    first = run["results"][0]
    assert first["locations"][0]["physicalLocation"]["region"] == {"startLine": 3, "startColumn": 5}
    assert first["partialFingerprints"][FINGERPRINT]
    assert run["results"][1]["suppressions"][0]["justification"] == "seeded"


def test_a_fingerprint_survives_moved_lines_and_tells_findings_apart():
    def fp(finding):
        return json.loads(to_sarif(_report([finding])))["runs"][0]["results"][0]["partialFingerprints"][FINGERPRINT]

    assert fp(_finding(3)) == fp(_finding(40, col=1))
    assert fp(_finding(3)) != fp(_finding(3, column="other"))
    assert fp(_finding(3)) != fp(_finding(3, code="LK002"))


def test_what_the_check_could_not_see_is_a_valid_tool_notification():
    report = _report([_finding(3)])
    report.notes = ["no column list for source 'raw.orders': run `dbt docs generate` or declare columns"]
    run = validate_sarif(to_sarif(report))["runs"][0]
    [notification] = run["invocations"][0]["toolExecutionNotifications"]
    assert notification == {"level": "note", "message": {"text": report.notes[0]}}
