"""Collect predicates and time bounds: every conjunct of WHERE, ON, HAVING and QUALIFY, and those
that compare a source's time column with a cutoff, a constant or another source's time.

>>> from sqltrain.leakage.facts import facts_for_sql
>>> model = facts_for_sql(
...     "select s.customer_id, s.as_of_ts, count(o.amount) as n from spine as s join orders as o "
...     "on o.customer_id = s.customer_id and o.event_ts <= s.as_of_ts - interval '1 day' group by 1, 2",
...     {"spine": {"kind": "spine", "entity": ["customer_id"]},
...      "orders": {"kind": "feature_source", "entity": ["customer_id"], "event_ts": "event_ts"}})
>>> [(b.alias, b.column, b.upper, b.against, b.offset_s) for b in model.scopes[-1].bounds_of("o")]
[('o', 'event_ts', True, 'cutoff', -86400.0)]
"""

from __future__ import annotations

from sqlglot import exp

from ..bounds import Bound, comparisons, conjuncts, is_constant, normalise, offset_of, time_column_of, truncated_column
from .model import PassContext, ScopeFacts


def collect_predicates(facts: ScopeFacts, ctx: PassContext) -> None:
    select = facts.select
    where = select.args.get("where")
    for pred in conjuncts(where.this if where else None):
        facts.predicates.append(("where", pred))
    for join in select.args.get("joins") or []:
        for pred in conjuncts(join.args.get("on")):
            facts.predicates.append(("on", pred))
    for clause in ("having", "qualify"):
        node = select.args.get(clause)
        for pred in conjuncts(node.this if node else None):
            facts.predicates.append((clause, pred))


def collect_bounds(facts: ScopeFacts, ctx: PassContext) -> None:
    for _clause, pred in facts.predicates:
        for op, left, right, node in comparisons(pred):
            for o, ts_side, other in ((op, left, right), normalise(op, left, right)):
                bound = _bound(facts, o, ts_side, other, node)
                if bound is not None:
                    facts.bounds.append(bound)


def _bound(facts: ScopeFacts, op, ts_side, other, node) -> Bound | None:
    ts_base, ts_offset = offset_of(ts_side)       # `l.t + interval h <= s.t` is `l.t <= s.t - h`
    col = time_column_of(ts_base)
    if col is None or col.table not in facts.sources:
        return None
    rel = facts.sources[col.table]
    cname = col.name.lower()
    time_cols = rel.time_columns() | {rel.valid_from, rel.valid_to} | rel.cutoffs
    if cname not in time_cols:
        return None
    upper = op in (exp.LT, exp.LTE, exp.EQ)
    inclusive = op in (exp.LTE, exp.GTE, exp.EQ)
    base, offset = offset_of(other)
    base = truncated_column(base)              # date_trunc(cutoff) is at or before the cutoff
    if offset is not None:
        offset = None if ts_offset is None else offset - ts_offset
    base_col = time_column_of(base)
    if base_col is not None and base_col.table != col.table:
        other_rel = facts.resolve(base_col.table)
        if other_rel is None:
            return None
        bname = base_col.name.lower()
        if bname in other_rel.cutoffs:
            against = "cutoff"
        elif bname in {other_rel.event_ts, other_rel.known_at}:
            against = "time"
        else:
            return None
        return Bound(col.table, cname, upper, inclusive, against, base_col.table, bname, offset, node)
    if is_constant(other):
        return Bound(col.table, cname, upper, inclusive, "const", None, None, offset, node)
    return None
