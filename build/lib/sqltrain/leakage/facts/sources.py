"""Resolve sources: what each relation a scope selects from *is*, and whether the scope works per cutoff.

A table of the compiled SQL is a declared model/source/snapshot (its role on top of what the
analyser derived from its own SQL); a CTE or derived table is the output of a scope already
done. A correlated subquery also sees its outer scope's sources.

>>> from sqltrain.leakage.facts import facts_for_sql
>>> model = facts_for_sql(
...     "select s.customer_id, s.as_of_ts, o.amount from spine as s join orders as o on o.customer_id = s.customer_id",
...     {"spine": {"kind": "spine", "entity": ["customer_id"]},
...      "orders": {"kind": "feature_source", "entity": ["customer_id"], "event_ts": "event_ts"}})
>>> final = model.scopes[-1]
>>> final.sources["s"].cutoffs, final.sources["o"].needs_bound, final.cutoff_context
({'as_of_ts'}, True, True)
"""

from __future__ import annotations

from dataclasses import replace

from sqlglot import exp
from sqlglot.optimizer.scope import Scope, ScopeType

from ..inputs import RelationInfo
from ..roles import ProjectRoles
from .model import PassContext, Rel, ScopeFacts


def resolve_sources(scope: Scope, ctx: PassContext) -> ScopeFacts:
    """The facts of ``scope`` with its sources resolved (the passes fill in the rest)."""
    sources = {alias: source_rel(source, ctx) for alias, (_node, source) in scope.selected_sources.items()}
    # a correlated subquery sees its outer scope's sources; find the nearest computed ancestor
    nested = scope.scope_type in (ScopeType.SUBQUERY, ScopeType.UDTF)
    outer = _outer_facts(scope, ctx) if (scope.external_columns or nested) else None
    facts = ScopeFacts(scope=scope, name=cte_name(scope), sources=sources, parent=outer)
    facts.correlated = bool(scope.external_columns)
    return facts


def mark_cutoff_context(facts: ScopeFacts, ctx: PassContext) -> None:
    """A scope works per cutoff when it reads a spine, or is a subquery whose rows meet the outer
    scope's per-cutoff rows (a filter, a scalar, a lateral join)."""
    nested = facts.scope.scope_type in (ScopeType.SUBQUERY, ScopeType.UDTF)
    outer = facts.parent
    facts.cutoff_context = any(r.cutoffs for r in facts.sources.values()) or bool(
        outer and outer.cutoff_context and (facts.correlated or nested))


def source_rel(source, ctx: PassContext) -> Rel:
    if isinstance(source, Scope):
        facts = ctx.done.get(id(source))
        if facts and facts.output:
            return facts.output
        return Rel(name="?", origin="?")
    if isinstance(source, exp.Table):
        rel = ctx.relation_rel(source)
        if rel is not None:
            return rel
        return Rel(name=source.name, origin=source.name)
    return Rel(name="?", origin="?")


def _outer_facts(scope: Scope, ctx: PassContext) -> ScopeFacts | None:
    """The scope a correlated subquery refers to. Outer scopes are visited after their
    subqueries, so build a provisional view holding just the outer sources."""
    parent = scope.parent
    if parent is None:
        return None
    if id(parent) in ctx.done:
        return ctx.done[id(parent)]
    sources = {alias: source_rel(source, ctx) for alias, (_n, source) in parent.selected_sources.items()}
    facts = ScopeFacts(scope=parent, name=cte_name(parent), sources=sources,
                       parent=_outer_facts(parent, ctx) if parent.parent is not None else None)
    facts.cutoff_context = any(r.cutoffs for r in sources.values()) or bool(
        facts.parent and facts.parent.cutoff_context)
    return facts


def rel_from_role(info: RelationInfo, derived: Rel | None, roles: ProjectRoles) -> Rel:
    """The facts of a model/source/snapshot as seen from a downstream model: its declared role on top
    of what the analyser derived from its own SQL (declared roles win)."""
    role = info.role
    rel = replace(derived, tainted=set(derived.tainted), cutoffs=set(derived.cutoffs), future={}, written=dict(derived.written),
                  entity=set(derived.entity), current_state=set(derived.current_state)) if derived else \
        Rel(name=info.name, origin=info.name, columns=list(info.columns))
    rel.name = rel.origin = info.name
    rel.upstream_model = info.name
    if info.columns and (not rel.columns or not rel.columns_known):
        rel.columns, rel.columns_known = list(info.columns), True
    rel.cutoffs |= {c for c in rel.columns if c in roles.cutoff_names}
    if not role.declared:
        return rel
    rel.kind = role.kind
    rel.entity |= set(role.entity)
    if role.is_event_source:
        rel.event_ts = role.event_ts or rel.event_ts
        rel.known_at = role.known_at or rel.known_at
        rel.needs_bound = True
        rel.timeless = rel.event_ts is None
        rel.all_time_agg = rel.latest_pick = False
        rel.const_bounded = False
        rel.cutoffs -= {rel.event_ts, rel.known_at}
    if role.kind == "label_source" and not role.is_examples:
        rel.label_source = True
    if role.is_examples:
        rel.cutoffs.add(role.cutoff)
        rel.needs_bound = rel.timeless = False
    if role.label:
        rel.tainted.add(role.label)
    if role.mutable:
        rel.mutable = True
        rel.current_state = {c for c in (rel.columns or []) if c not in role.entity and c not in role.immutable}
        if not rel.columns:
            rel.current_state = {"*"}
    if role.scd2:
        rel.scd2, rel.valid_from, rel.valid_to = True, role.valid_from, role.valid_to
        rel.mutable, rel.current_state = False, set()
    rel.grain = role.grain or rel.grain
    return rel


def cte_name(scope: Scope) -> str:
    """The CTE or derived-table alias a scope defines ("" for the model's final SELECT)."""
    expression = scope.expression
    parent = expression.parent
    if isinstance(parent, exp.CTE):
        return parent.alias
    if isinstance(parent, exp.Subquery) and parent.alias:
        return parent.alias
    # a UNION branch inside a CTE
    while parent is not None and not isinstance(parent, (exp.CTE, exp.Subquery)):
        if isinstance(parent, exp.Select):
            break
        parent = parent.parent
    if isinstance(parent, (exp.CTE, exp.Subquery)) and parent.alias:
        return parent.alias
    return ""
