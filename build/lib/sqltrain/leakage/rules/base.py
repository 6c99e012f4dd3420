"""What a rule is: a code, a name, a severity, a one-line summary and a docstring with
"Why is this bad?", "Example" and "Use instead" sections (the doc page is generated from it)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlglot import exp

from ..facts import ModelFacts
from ..inputs import ModelSource
from ..roles import ProjectRoles


@dataclass
class Hit:
    """A rule's finding before it is placed in the source file."""

    message: str
    needles: list[str] = field(default_factory=list)   # regexes locating the fault in raw code
    cte: str | None = None
    hint: str | None = None
    column: str | None = None


@dataclass
class RuleContext:
    model: ModelSource
    facts: ModelFacts
    roles: ProjectRoles
    _reads: list | None = None

    def event_reads(self):
        """How each event relation is read, judged once per model (see ``_event_reads``)."""
        if self._reads is None:
            from ._event_reads import event_reads

            self._reads = event_reads(self.facts)
        return self._reads

    def needles_for(self, rel, alias: str | None = None) -> list[str]:
        from ..locate import relation_needles, word

        if rel.upstream_model:
            return relation_needles(rel.upstream_model)
        needles = [word(rel.origin)] + ([word(alias)] if alias else [])
        return needles + (relation_needles(rel.derived_from) if rel.derived_from else [])


class Rule:
    code = "LK000"
    name = ""
    severity = "error"
    summary = ""
    hint = ""

    def check(self, ctx: RuleContext) -> Iterator[Hit]:
        raise NotImplementedError


def sql(node: exp.Expr) -> str:
    """A short rendering of a node for messages."""
    text = node.sql(dialect="duckdb")
    return text if len(text) <= 70 else text[:67] + "..."


def bound_text(scope, bound) -> str:
    """A bound in the user's column names: ``login_date <= as_of_ts + 30 days`` (never a macro's
    internal ``__sqltrain_ev``)."""
    rel = scope.resolve(bound.alias)
    column = rel.user_name(bound.column) if rel is not None else bound.column
    if bound.against == "const":
        reference = "the as-of date"
    else:
        other = scope.resolve(bound.other_alias)
        reference = other.user_name(bound.other_column) if other is not None else bound.other_column
    op = ("<=" if bound.inclusive else "<") if bound.upper else (">=" if bound.inclusive else ">")
    return f"{column} {op} {reference}{_offset_text(bound.offset_s)}"


def _offset_text(seconds: float | None) -> str:
    if seconds is None:
        return " + an interval"
    if not seconds:
        return ""
    size = abs(seconds)
    for unit, length in (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1)):
        if size >= length and size % length == 0:
            n = int(size // length)
            return f" {'+' if seconds > 0 else '-'} {n} {unit}{'s' if n != 1 else ''}"
    return f" {'+' if seconds > 0 else '-'} {size:g} seconds"


def rel_label(rel) -> str:
    """How a message names a relation: the model or source, or the CTE (and what it reads)."""
    if rel.upstream_model:
        return rel.upstream_model
    if rel.derived_from and rel.origin.startswith("__sqltrain"):
        return rel.derived_from                    # a sqltrain macro's inner CTE: name what it reads
    if rel.derived_from:
        return f"{rel.origin}', built from '{rel.derived_from}"
    return rel.origin or rel.name
