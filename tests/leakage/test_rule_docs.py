"""Rule pages are generated from the rules' docstrings, and their examples are test cases:
the leaky example triggers its rule, the fixed one checks clean."""

from __future__ import annotations

from pathlib import Path

import pytest
from harness import build_inputs, relations_from_yaml

from sqltrain.leakage import analyse
from sqltrain.leakage.docs import examples, rule_page, sections
from sqltrain.leakage.rules import RULES

DOCS = Path(__file__).parent.parent.parent / "docs" / "rules"
RELATIONS = relations_from_yaml(Path(__file__).parent / "corpus" / "relations.yml")


def _codes(sql: str) -> list[str]:
    report = analyse(build_inputs({"example": sql}, RELATIONS))
    return sorted({f.code for f in report.active})


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_page_matches_docstring(rule):
    page = DOCS / f"{rule.code}.md"
    assert page.is_file(), f"{page} missing: run `python -m sqltrain.leakage.docs docs/rules`"
    assert page.read_text() == rule_page(rule), f"{page} is stale: run `python -m sqltrain.leakage.docs docs/rules`"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_docstring_has_the_three_sections(rule):
    parts = sections(rule)
    for name in ("Why is this bad?", "Example", "Use instead"):
        assert parts.get(name), f"{rule.code} docstring lacks '{name}'"
    assert rule.code and rule.name and rule.summary and rule.hint
    assert rule.severity in ("error", "warning", "info")


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_leaky_example_is_caught(rule):
    leaky, _fixed = examples(rule)
    assert rule.code in _codes(leaky)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_fixed_example_is_clean(rule):
    _leaky, fixed = examples(rule)
    assert _codes(fixed) == []


def test_codes_are_unique_and_ordered():
    codes = [r.code for r in RULES]
    assert codes == sorted(set(codes))
    assert {f"LK{n:03d}" for n in range(0, 13)} <= set(codes)
