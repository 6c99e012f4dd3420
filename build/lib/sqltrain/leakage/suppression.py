"""What the framework decides about the rules' hits: where each lands in the model's file, how
severe it is, whether it repeats, and whether a suppression silences it — in one place, as ruff's
``noqa`` is the framework's and not a rule's.

A suppression is ``sqltrain: ignore[LK001,LK010] reason`` in a comment: in the model's source
on the line of the finding (or alone on the line above it), or inside compiled SQL — how a macro
marks a scope that reads past the cutoff on purpose. The reason is required: a suppression
without one still applies, and LK000 takes its place. A model the analyser cannot read is LK099.
Severities come from the rule, overridden per code by ``vars.sqltrain.check.severity``.

>>> codes, reason = directive("sqltrain: ignore[lk001, LK010] lifetime value is the target")
>>> sorted(codes), reason
(['LK001', 'LK010'], 'lifetime value is the target')
>>> [(s.line, sorted(s.applies_to), s.reason) for s in line_suppressions("select 1\\n-- sqltrain: ignore[LK004]\\nfrom t")]
[(2, [2, 3], '')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlglot import exp

from .facts import ModelFacts
from .findings import SEVERITIES, Finding
from .inputs import ModelSource
from .locate import Locator
from .rules import RULES_BY_CODE, Hit, Rule
from .tree import walk_scope

DIRECTIVE = re.compile(r"sqltrain:\s*ignore\[([A-Za-z0-9_,\s]+)\]\s*(.*)", re.S)
_LINE_COMMENT = re.compile(r"--\s*(?=sqltrain:)")


@dataclass
class Suppression:
    line: int
    col: int
    codes: set[str]
    reason: str
    applies_to: set[int]


def directive(comment: str) -> tuple[set[str], str] | None:
    """``(codes, reason)`` of a suppression comment's text, or None if it is not one."""
    match = DIRECTIVE.search(comment)
    if not match:
        return None
    return {c.strip().upper() for c in match.group(1).split(",") if c.strip()}, match.group(2).strip()


def line_suppressions(raw_code: str) -> list[Suppression]:
    """The ``-- sqltrain: ignore[…]`` comments of a model's source, with the lines each applies to."""
    found = []
    for number, text in enumerate(raw_code.splitlines(), start=1):
        comment = _LINE_COMMENT.search(text)
        parsed = directive(text[comment.end():]) if comment else None
        if parsed is None:
            continue
        lines = {number}
        if not text[: comment.start()].strip():
            lines.add(number + 1)
        found.append(Suppression(number, comment.start() + 1, parsed[0], parsed[1], lines))
    return found


def compiled_suppressions(facts: ModelFacts) -> dict[tuple[str, str], str]:
    """``{(scope name, code): reason}`` of the suppression comments inside the compiled SQL's scopes."""
    found = {}
    for scope in facts.scopes:
        if not isinstance(scope.select, exp.Select):
            continue
        for node in walk_scope(scope.select):
            for comment in node.comments or []:
                parsed = directive(comment)
                if parsed and parsed[1]:
                    found.update({(scope.name, code): parsed[1] for code in parsed[0]})
    return found


def _written_cte(cte: str | None, facts: ModelFacts | None, locator: Locator) -> str | None:
    """The CTE of the model's own code that holds ``cte``: itself, or — for a macro's inner CTE —
    the CTE whose body calls the macro ("" when the macro call is the model's final SELECT)."""
    if not cte or facts is None or locator.defines(cte):
        return cte
    return next((name for name in facts.enclosing_names(cte) if locator.defines(name)), "")


class Severities:
    """The project's severity of each code: the rule's default unless ``vars.sqltrain.check.severity`` says otherwise."""

    def __init__(self, config: dict[str, Any]):
        self.overrides = {str(k).upper(): str(v).lower() for k, v in (config.get("severity") or {}).items()}

    def __call__(self, rule: Rule) -> str:
        level = self.overrides.get(rule.code, rule.severity)
        return level if level in SEVERITIES else rule.severity


def settle(model: ModelSource, hits: Iterable[tuple[Rule, Hit]], facts: ModelFacts | None, problem: str | None,
           config: dict[str, Any]) -> list[Finding]:
    """The findings of one model: its rules' hits placed, de-duplicated, given their severity and
    suppressed where the source or the compiled SQL says so; plus LK099 and LK000."""
    severity = Severities(config)
    locator = Locator(model.raw_code)
    findings: list[Finding] = []
    if problem:
        rule = RULES_BY_CODE["LK099"]
        findings.append(Finding(rule.code, severity(rule), f"{model.name}: {problem}", rule.hint, model.name, model.path))
    inline = compiled_suppressions(facts) if facts is not None else {}
    seen: set[tuple] = set()
    for rule, hit in hits:
        line, col = locator.find(hit.needles, _written_cte(hit.cte, facts, locator))
        key = (rule.code, line, hit.message)
        if key in seen:
            continue
        seen.add(key)
        finding = Finding(rule.code, severity(rule), hit.message, hit.hint or rule.hint, model.name, model.path,
                          line, col, hit.column)
        reason = inline.get((hit.cte or "", rule.code))
        if reason:
            finding.suppressed, finding.suppression_reason = True, f"in the compiled SQL: {reason}"
        findings.append(finding)
    for sup in line_suppressions(model.raw_code):
        if not sup.reason:
            rule = RULES_BY_CODE["LK000"]
            findings.append(Finding(rule.code, severity(rule), f"suppression of {', '.join(sorted(sup.codes))} has no reason",
                                    rule.hint, model.name, model.path, sup.line, sup.col))
        for finding in findings:
            if finding.code in sup.codes and finding.line in sup.applies_to and finding.code != "LK000":
                finding.suppressed = True
                finding.suppression_reason = sup.reason or None
    findings.sort(key=lambda f: (f.path, f.line, f.col, f.code))
    return findings
