"""Derive the output: what a scope's own rows are, for the scope (or the downstream model) that reads them.

Entity, cutoff and time columns follow the projections that carry them; rows of an event source
not cut at a cutoff still need a bound downstream; an aggregate per entity over unbounded
history is an all-time aggregate; a snapshot read alone stays a snapshot.

>>> from sqltrain.leakage.facts import facts_for_sql
>>> model = facts_for_sql(
...     "select customer_id, event_ts as ordered_at, amount from orders where amount > 0",
...     {"orders": {"kind": "feature_source", "entity": ["customer_id"], "event_ts": "event_ts",
...                 "columns": ["customer_id", "event_ts", "amount"]}})
>>> model.output.needs_bound, model.output.event_ts, sorted(model.output.entity)
(True, 'ordered_at', ['customer_id'])
"""

from __future__ import annotations

from sqlglot import exp

from ..bounds import offset_of, strip_casts, struct_lead
from ..tree import columns_in
from .model import PassContext, Rel, ScopeFacts
from .windows import has_latest_pick, partitioned_by_cutoff

_RANKS = (exp.RowNumber, exp.Rank, exp.DenseRank)


def derive_output(facts: ScopeFacts, ctx: PassContext) -> None:
    select = facts.select
    out = Rel(name=facts.name or "(select)", origin=facts.name or "(select)")
    out.columns = [s.alias_or_name.lower() for s in select.selects if s.alias_or_name != "*"]
    out.columns_known = len(out.columns) == len(select.selects)
    unbounded = unbounded_sources(facts)
    for sel in select.selects:
        _carry_columns(facts, sel, out, unbounded, ctx)
    origins = {r.upstream_model or r.derived_from for r in facts.sources.values()} - {None}
    if len(origins) == 1:
        out.derived_from = origins.pop()
    for alias in unbounded:
        rel = facts.sources[alias]
        out.derived_from = rel.upstream_model or rel.derived_from or out.derived_from
        out.grain = out.grain or rel.grain
        out.label_source = out.label_source or rel.label_source
    _time_state(facts, out, unbounded)
    single = list(facts.sources.values())
    if len(single) == 1 and single[0].scd2 and out.valid_from and out.valid_to:
        out.scd2 = True
    facts.output = out


def unbounded_sources(facts: ScopeFacts) -> list[str]:
    """Aliases of event sources this scope does not cut at a cutoff."""
    return [a for a, r in facts.sources.items() if (r.needs_bound or r.timeless) and not facts.cutoff_bounded(a)]


def _carry_columns(facts: ScopeFacts, sel: exp.Expr, out: Rel, unbounded: list[str], ctx: PassContext) -> None:
    """Entity, cutoff, time, validity and rank columns a projection passes on under its own name."""
    if is_star(sel):
        for alias in star_sources(facts, sel):
            rel = facts.sources[alias]
            for name in rel.named_columns():
                _carry_column(rel, name, name, out, alias in unbounded)
        return
    target = sel.alias_or_name.lower()
    inner = _struct_time(strip_casts(sel.this if isinstance(sel, exp.Alias) else sel))
    if isinstance(inner, exp.Column):
        rel = facts.resolve(inner.table)
        if rel is not None:
            _carry_column(rel, inner.name.lower(), target, out, inner.table in unbounded)
    if isinstance(inner, exp.Window) and isinstance(inner.this, _RANKS):
        use = next((w for w in facts.windows if w.node is inner), None)
        if use is not None and any(o.args.get("desc") for o in use.order) and not partitioned_by_cutoff(facts, use):
            out.rank_desc.add(target)
    if isinstance(inner, exp.Greatest) and _covers_event_and_known(facts, inner, unbounded):
        out.visible_at = target
    if target in ctx.roles.cutoff_names and not unbounded:
        out.cutoffs.add(target)


def is_star(sel: exp.Expr) -> bool:
    """``*`` or ``t.*`` left unexpanded: the columns of a relation without a column list."""
    return isinstance(sel, exp.Star) or (isinstance(sel, exp.Column) and isinstance(sel.this, exp.Star))


def star_sources(facts: ScopeFacts, sel: exp.Expr) -> list[str]:
    """The aliases whose columns an unexpanded star passes on, under their own names."""
    table = sel.table if isinstance(sel, exp.Column) else ""
    return [a for a in facts.sources if not table or a == table]


def _carry_column(rel: Rel, src: str, target: str, out: Rel, unbounded: bool) -> None:
    if src in rel.named_columns():
        out.written[target] = rel.user_name(src)
    if src in rel.cutoffs:
        out.cutoffs.add(target)
    if src in rel.entity:
        out.entity.add(target)
    if unbounded and (src == rel.event_ts or src in rel.event_aliases):
        if out.event_ts is None:
            out.event_ts = target
        elif target != out.event_ts:
            out.event_aliases.add(target)
    if unbounded and src == rel.known_at:
        out.known_at = out.known_at or target
    if unbounded and src == rel.visible_at:
        out.visible_at = out.visible_at or target
    if rel.scd2 and src == rel.valid_from:
        out.valid_from = target
    if rel.scd2 and src == rel.valid_to:
        out.valid_to = target
    if src in rel.rank_desc:
        out.rank_desc.add(target)


def _covers_event_and_known(facts: ScopeFacts, node: exp.Greatest, unbounded: list[str]) -> bool:
    """``greatest(event_ts, known_at)``: one column that bounds both times at once."""
    covered = set()
    for col in columns_in(node):
        rel = facts.resolve(col.table)
        if rel is not None and col.table in unbounded:
            covered |= {r for r, c in (("event", rel.event_ts), ("known", rel.known_at),
                                       ("event", rel.visible_at), ("known", rel.visible_at))
                        if c == col.name.lower()}
    return covered == {"event", "known"}


def _time_state(facts: ScopeFacts, out: Rel, unbounded: list[str]) -> None:
    """Whether the output rows still need a time bound, are an all-history aggregate, or neither
    (then they carry no event time to bound)."""
    grouped_by_cutoff = any(isinstance(strip_casts(g), exp.Column) and facts.is_cutoff(strip_casts(g))
                            for g in facts.group_keys)
    if facts.is_agg:
        if (unbounded or any(r.all_time_agg for r in facts.sources.values())) and not grouped_by_cutoff \
                and not facts.cutoff_context and facts.group_keys:
            out.all_time_agg = True
            out.latest_pick = has_latest_pick(facts)
        out.forget_time()
    elif unbounded and not facts.cutoff_context:
        out.needs_bound = True
        out.timeless = not out.time_columns()
        out.const_bounded = all(facts.const_bounded(a) for a in unbounded)
        if has_latest_pick(facts):
            out.needs_bound, out.all_time_agg, out.latest_pick = False, True, True
            out.forget_time()
    else:
        out.forget_time()
    if not facts.cutoff_context and any(r.all_time_agg for r in facts.sources.values()):
        out.all_time_agg = True


def merge_branches(branches: list[Rel], name: str) -> Rel:
    """The output of a UNION: what any branch is, with columns lined up by position."""
    out = Rel(name=name or "(union)", origin=name or "(union)")
    if not branches:
        return out
    out.columns = list(branches[0].columns)
    for b in branches:
        out.needs_bound |= b.needs_bound
        out.timeless |= b.timeless
        out.all_time_agg |= b.all_time_agg
        out.latest_pick |= b.latest_pick
        out.label_source |= b.label_source
        out.mutable |= b.mutable
        out.event_ts = out.event_ts or b.event_ts
        out.known_at = out.known_at or b.known_at
        for i, col in enumerate(b.columns[:len(out.columns)]):
            if col in b.future:
                out.future.setdefault(out.columns[i], set()).update(b.future[col])
            for mine, theirs in ((out.tainted, b.tainted), (out.cutoffs, b.cutoffs),
                                 (out.current_state, b.current_state), (out.entity, b.entity)):
                if col in theirs:
                    mine.add(out.columns[i])
    return out


def _struct_time(node: exp.Expr) -> exp.Expr:
    """A struct whose first field is a time column, or that column plus a positive interval,
    carries that column (it compares first on it, and a bound on ``t + d`` bounds ``t``)."""
    lead = struct_lead(node)
    if lead is None:
        return node
    base, offset = offset_of(lead)
    base = strip_casts(base)
    return base if isinstance(base, exp.Column) and offset is not None and offset >= 0 else node
