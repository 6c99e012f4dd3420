"""Run the passes over one qualified model tree, scope by scope, innermost first.

``PASSES`` is the ordered tuple of pass functions, each ``(ScopeFacts, PassContext) -> None``
and each from a module named for what it records — as sqlglot's optimizer is a ``RULES`` tuple.
Scopes are visited in sqlglot's ``traverse_scope`` order, so a CTE's output facts are known when
a later scope selects from it; a UNION's output merges its branches'.

>>> model = facts_for_sql("with recent as (select customer_id, amount from orders) select * from recent",
...                       {"orders": {"kind": "feature_source", "entity": ["customer_id"], "event_ts": "event_ts",
...                                   "columns": ["customer_id", "event_ts", "amount"]}})
>>> [scope.name for scope in model.scopes], model.output.timeless
(['recent', ''], True)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import sqlglot
from sqlglot import exp
from sqlglot.optimizer.qualify import qualify
from sqlglot.optimizer.scope import Scope, traverse_scope

from ..inputs import RelationInfo
from ..roles import ProjectRoles, Role
from .label_lineage import (collect_forward_reads, collect_label_history_windows, collect_label_lags,
                            derive_lineage, mark_label_scopes, settle_forward_reads)
from .model import ModelFacts, PassContext, Rel, ScopeFacts
from .output import derive_output, merge_branches
from .predicates import collect_bounds, collect_predicates
from .sources import cte_name, mark_cutoff_context, rel_from_role, resolve_sources
from .windows import collect_aggregation, collect_picks, collect_windows

Pass = Callable[[ScopeFacts, PassContext], None]

PASSES: tuple[Pass, ...] = (
    collect_predicates,
    collect_picks,
    collect_bounds,
    collect_windows,
    collect_aggregation,
    mark_cutoff_context,
    mark_label_scopes,
    collect_forward_reads,
    collect_label_lags,
    collect_label_history_windows,
    derive_output,
    derive_lineage,
)


class FactCollector:
    """Runs ``passes`` over every scope of a model; one collector serves every model of a project."""

    def __init__(self, roles: ProjectRoles, relation_rel: Callable[[exp.Table], Rel | None],
                 passes: Iterable[Pass] = PASSES):
        self.roles = roles
        self.relation_rel = relation_rel        # exp.Table -> Rel | None
        self.passes = tuple(passes)

    def collect(self, name: str, kind: str | None, tree: exp.Expr) -> ModelFacts:
        ctx = PassContext(self.roles, self.relation_rel)
        ordered: list[ScopeFacts] = []
        for scope in traverse_scope(tree):
            facts = self._scope_facts(scope, ctx)
            ctx.done[id(scope)] = facts
            ctx.by_select[id(scope.expression)] = facts
            ordered.append(facts)
        root = ordered[-1] if ordered else None
        output = root.output if root and root.output else Rel(name=name, origin=name)
        model = ModelFacts(name=name, role_kind=kind, scopes=ordered, output=output, tree=tree)
        settle_forward_reads(model, self.roles)
        return model

    def _scope_facts(self, scope: Scope, ctx: PassContext) -> ScopeFacts:
        if isinstance(scope.expression, exp.SetOperation):
            name = cte_name(scope)
            branches = [ctx.done[id(s)].output for s in scope.set_operation_scopes
                        if id(s) in ctx.done and ctx.done[id(s)].output]
            facts = ScopeFacts(scope=scope, name=name, sources={}, parent=None)
            facts.output = merge_branches(branches, name)
            return facts
        facts = resolve_sources(scope, ctx)
        if not isinstance(scope.expression, exp.Select):
            facts.output = Rel(name=facts.name, origin=facts.name)
            return facts
        for run in self.passes:
            run(facts, ctx)
        return facts


def facts_for_sql(sql: str, roles: dict[str, dict] | None = None, dialect: str = "duckdb") -> ModelFacts:
    """The facts of one SQL statement whose tables carry the given ``meta.sqltrain`` roles (by table
    name; an optional ``columns`` list qualifies ``*`` and unprefixed columns) — for examples and
    quick experiments; projects go through ``analyse``."""
    roles = {name.lower(): dict(meta) for name, meta in (roles or {}).items()}
    schema = {name: {c: "text" for c in meta.pop("columns")} for name, meta in roles.items() if "columns" in meta}
    declared = {name: Role.from_meta(name, "model", meta) for name, meta in roles.items()}
    project_roles = ProjectRoles(declared)

    def relation_rel(table: exp.Table) -> Rel | None:
        role = declared.get(table.name.lower())
        if role is None:
            return None
        columns = dict.fromkeys(schema.get(table.name.lower(), ()), "text")
        return rel_from_role(RelationInfo(table.name, table.name, (table.name,), role, columns), None, project_roles)

    tree = qualify(sqlglot.parse_one(sql, dialect=dialect), schema=schema or None, dialect=dialect,
                   validate_qualify_columns=False, quote_identifiers=False, identify=False)
    return FactCollector(project_roles, relation_rel).collect("example", None, tree)
