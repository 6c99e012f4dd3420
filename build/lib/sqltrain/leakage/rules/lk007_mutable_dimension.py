"""LK007 — mutable (SCD1) dimension or dbt snapshot joined without validity bounds."""

from __future__ import annotations

from sqlglot import exp

from ..tree import columns_in
from ..locate import word
from .base import Hit, Rule, rel_label


class MutableDimension(Rule):
    """Mutable (SCD1) dimension joined without validity bounds; a dbt snapshot joined on key only.

    Why is this bad?
        A table updated in place holds each customer's *current* plan, country, status. Joined
        to an example from last year it reports today's value — often a consequence of the very
        outcome being predicted (a churned customer's plan is `cancelled`). A dbt snapshot keeps
        the history, but only a join bounded by `dbt_valid_from <= as_of_ts < dbt_valid_to`
        picks the version that was true at the cutoff.

    Example
        ```sql
        select s.customer_id, s.as_of_ts, c.plan
        from {{ ref('spine') }} as s
        left join {{ ref('customers_snapshot') }} as c on c.customer_id = s.customer_id
        ```

    Use instead
        ```sql
        select s.customer_id, s.as_of_ts, c.plan
        from {{ ref('spine') }} as s
        left join {{ ref('customers_snapshot') }} as c
          on c.customer_id = s.customer_id
         and c.dbt_valid_from <= s.as_of_ts
         and s.as_of_ts < coalesce(c.dbt_valid_to, cast('9999-12-31' as timestamp))
        ```
    """

    code = "LK007"
    name = "mutable-dimension"
    severity = "error"
    summary = "mutable (SCD1) dimension joined without validity bounds, or a snapshot joined on key only"
    hint = "read mutable tables through a dbt snapshot with sqltrain.scd2_as_of_join (dbt_valid_from <= as_of_ts < dbt_valid_to)"

    def check(self, ctx):
        for scope in ctx.facts.scopes:
            if not scope.sources or not _time_context(scope):
                continue
            select = scope.scope.expression
            for alias, rel in scope.sources.items():
                if rel.scd2 and len(scope.sources) > 1:
                    yield from self._snapshot(scope, alias, rel, ctx)
                elif rel.mutable and rel.current_state and (len(scope.sources) > 1 or scope.cutoff_context):
                    used = self._current_columns_used(scope, alias, rel, select)
                    if used:
                        yield Hit(f"'{rel_label(rel)}' is updated in place (mutable) and its current "
                                  f"'{used}' is joined to rows observed in the past",
                                  ctx.needles_for(rel, alias) + [word(used)], cte=scope.name, column=used)

    @staticmethod
    def _current_columns_used(scope, alias, rel, select) -> str | None:
        places = list(select.selects)
        places += [pred for clause, pred in scope.predicates if clause == "on"]
        for place in places:
            for col in columns_in(place):
                if col.table == alias and (col.name.lower() in rel.current_state or "*" in rel.current_state):
                    return col.name
        return None

    def _snapshot(self, scope, alias, rel, ctx):
        bounds = scope.bounds_of(alias)
        refs = ("cutoff", "time")
        has_from = any(b.column == rel.valid_from and b.upper and b.against in refs for b in bounds)
        has_to = any(b.column == rel.valid_to and not b.upper and b.against in refs for b in bounds)
        current_only = any(isinstance(pred, exp.Is) and isinstance(pred.this, exp.Column)
                           and pred.this.table == alias and pred.this.name.lower() == rel.valid_to
                           for _c, pred in scope.predicates)
        if current_only:
            yield Hit(f"snapshot '{rel_label(rel)}' is read at its current version (`{rel.valid_to} is null`), "
                      f"not as of the cutoff", ctx.needles_for(rel, alias), cte=scope.name)
        elif not (has_from and has_to):
            yield Hit(f"snapshot '{rel_label(rel)}' is joined without its validity window "
                      f"(`{rel.valid_from} <= cutoff < {rel.valid_to}`)", ctx.needles_for(rel, alias), cte=scope.name)


def _time_context(scope) -> bool:
    return scope.cutoff_context or any(r.needs_bound or r.event_ts for r in scope.sources.values())
