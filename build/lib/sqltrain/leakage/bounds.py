"""Collect time bounds: predicates that compare a relation's time column with a cutoff.

A bound is normalised to ``<alias>.<time column> <op> <cutoff> + offset`` so that rules only ask
"is there an upper bound at or before the cutoff?" instead of re-reading SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlglot import exp

from .roles import interval_seconds

_FLIP = {exp.GT: exp.LT, exp.GTE: exp.LTE, exp.LT: exp.GT, exp.LTE: exp.GTE, exp.EQ: exp.EQ}


@dataclass
class Bound:
    alias: str                    # the relation whose time column is bounded
    column: str                   # that column
    upper: bool                   # column < / <= rhs (False: a lower bound)
    inclusive: bool
    against: str                  # "cutoff" | "const" | "time" (another relation's time column)
    other_alias: str | None       # the relation the cutoff/time column belongs to
    other_column: str | None
    offset_s: float | None        # rhs = reference + offset (None: not a constant offset)
    node: exp.Expr


def conjuncts(condition: exp.Expr | None) -> list[exp.Expr]:
    """Split ``a AND b AND c``; an OR is kept whole (it bounds nothing for sure)."""
    if condition is None:
        return []
    if isinstance(condition, exp.And):
        return conjuncts(condition.left) + conjuncts(condition.right)
    if isinstance(condition, exp.Paren):
        return conjuncts(condition.this)
    if isinstance(condition, exp.Coalesce) and len(condition.expressions) == 1 \
            and isinstance(condition.expressions[0], exp.Boolean) and not condition.expressions[0].this:
        return conjuncts(condition.this)              # coalesce(pred, false) holds only where pred does
    if isinstance(condition, exp.Or):
        # `valid_to > t or valid_to is null` bounds like its comparison: NULL means "still valid"
        rest = [d for d in _disjuncts(condition) if not isinstance(d, exp.Is)]
        if len(rest) == 1:
            return conjuncts(rest[0])
        weakest = _weakest_of_same_bounds(rest)
        if weakest is not None:
            return [weakest]
    return [condition]


def _weakest_of_same_bounds(disjuncts: list[exp.Expr]) -> exp.Expr | None:
    """``t <= c - 7d or t <= c - 30d`` bounds like its loosest member, ``t <= c - 7d``."""
    upper, lower = (exp.LT, exp.LTE), (exp.GT, exp.GTE)
    first = disjuncts[0]
    if type(first) not in upper + lower:
        return None
    side = upper if type(first) in upper else lower
    offsets = []
    for d in disjuncts:
        if type(d) not in side or d.left != first.left:
            return None
        base, offset = offset_of(d.right)
        if offset is None or base != offset_of(first.right)[0]:
            return None
        offsets.append(offset)
    pick = max if side is upper else min
    return disjuncts[offsets.index(pick(offsets))]


def _disjuncts(condition: exp.Expr) -> list[exp.Expr]:
    if isinstance(condition, exp.Or):
        return _disjuncts(condition.left) + _disjuncts(condition.right)
    if isinstance(condition, exp.Paren):
        return _disjuncts(condition.this)
    return [condition]


_WEAKER = {exp.LT: exp.LTE, exp.GT: exp.GTE}


def comparisons(pred: exp.Expr) -> list[tuple[type, exp.Expr, exp.Expr, exp.Expr]]:
    """``(op, left, right, node)`` for a comparison or each half of a BETWEEN.

    A side that is a struct compares first on its first field (``struct(t, …) <= x`` implies
    ``t <= x``; a strict ``<`` only implies ``<=``), so it stands for that field: how the DuckDB
    point-in-time join ranks ties inside its ASOF inequality."""
    if isinstance(pred, exp.Between):
        return [(exp.GTE, pred.this, pred.args["low"], pred), (exp.LTE, pred.this, pred.args["high"], pred)]
    if type(pred) in _FLIP:
        left, right = struct_lead(pred.left), struct_lead(pred.right)
        op = type(pred)
        if left is not None or right is not None:
            op = _WEAKER.get(op, op)
        return [(op, pred.left if left is None else left, pred.right if right is None else right, pred)]
    return []


def struct_lead(node: exp.Expr) -> exp.Expr | None:
    """The first field of a struct value, seen through casts and ``case when x is not null then
    <struct> end`` (NULL where x is NULL, which compares as nothing); None if not a struct."""
    node = strip_casts(node)
    ifs = node.args.get("ifs") if isinstance(node, exp.Case) else None
    if ifs and len(ifs) == 1 and node.args.get("default") is None:
        cond = ifs[0].this
        if isinstance(cond, exp.Not) and isinstance(cond.this, exp.Is) and isinstance(cond.this.expression, exp.Null):
            node = strip_casts(ifs[0].args["true"])
    if not isinstance(node, exp.Struct) or not node.expressions:
        return None
    first = node.expressions[0]
    return first.expression if isinstance(first, exp.PropertyEQ) else first


def strip_casts(node: exp.Expr) -> exp.Expr:
    while isinstance(node, (exp.Cast, exp.TryCast, exp.Paren)):
        node = node.this
    return node


def time_column_of(node: exp.Expr) -> exp.Column | None:
    """The column a side of a comparison is, seen through casts and ``coalesce(col, …)``."""
    node = strip_casts(node)
    if isinstance(node, exp.Coalesce):
        node = strip_casts(node.this)
    return node if isinstance(node, exp.Column) else None


def truncated_column(node: exp.Expr) -> exp.Expr:
    """``date_trunc('month', c)`` -> ``c``: truncation only moves an instant earlier, so an upper bound
    on the truncated cutoff is at least as tight as one on the cutoff itself."""
    inner = strip_casts(node)
    if isinstance(inner, (exp.TimestampTrunc, exp.DateTrunc, exp.TimeTrunc)) and isinstance(
            strip_casts(inner.this), exp.Column):
        return strip_casts(inner.this)
    return node


def offset_of(node: exp.Expr) -> tuple[exp.Expr, float | None]:
    """Split ``ref + interval`` / ``ref - interval`` / ``date_add(ref, …)`` into (ref, seconds)."""
    node = strip_casts(node)
    if isinstance(node, (exp.Add, exp.Sub)):
        sign = 1 if isinstance(node, exp.Add) else -1
        for ref, other in ((node.this, node.expression), (node.expression, node.this)):
            seconds = interval_value(other)
            if seconds is not None and not (sign == -1 and ref is node.expression):
                base, inner = offset_of(ref)
                return base, (None if inner is None else inner + sign * seconds)
        return node, None
    if isinstance(node, (exp.DateAdd, exp.DateSub, exp.TsOrDsAdd, exp.TimestampAdd, exp.DatetimeAdd)):
        sign = -1 if isinstance(node, exp.DateSub) else 1
        amount = node.expression
        seconds = interval_value(amount)
        if seconds is None and isinstance(amount, exp.Literal) and not amount.is_string:
            unit = node.args.get("unit")
            seconds = interval_seconds(f"{amount.this} {unit.name if unit else 'day'}")
        base, inner = offset_of(node.this)
        return base, (None if seconds is None or inner is None else inner + sign * seconds)
    return node, 0.0


def interval_value(node: exp.Expr) -> float | None:
    """Seconds of an interval literal (``interval '30 days'``, ``interval 30 day``, ``-interval …``)."""
    if isinstance(node, exp.Neg):
        inner = interval_value(node.this)
        return None if inner is None else -inner
    if isinstance(node, exp.Paren):
        return interval_value(node.this)
    if not isinstance(node, exp.Interval):
        return None
    value = node.this.name if node.this is not None else ""
    unit = node.args.get("unit")
    text = f"{value} {unit.name}" if unit is not None else value
    return interval_seconds(text)


def literal_time(node: exp.Expr) -> datetime | None:
    """The instant of a constant like ``cast('2024-01-01' as timestamp) + interval '30 days'``."""
    base, offset = offset_of(node)
    base = strip_casts(base)
    if offset is None or not isinstance(base, exp.Literal) or not base.is_string:
        return None
    try:
        return datetime.fromisoformat(base.this.replace("Z", "")) + timedelta(seconds=offset)
    except ValueError:
        return None


def is_constant(node: exp.Expr) -> bool:
    return node.find(exp.Column) is None and node.find(exp.Select) is None


def normalise(op: type, left: exp.Expr, right: exp.Expr) -> tuple[type, exp.Expr, exp.Expr]:
    return _FLIP[op], right, left
