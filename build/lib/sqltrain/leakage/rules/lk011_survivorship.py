"""LK011 — population filtered on current-state columns of a mutable table (survivorship)."""

from __future__ import annotations

from ..tree import columns_in
from ..locate import word
from .base import Hit, Rule, rel_label


class Survivorship(Rule):
    """Population filter on current-state columns of a mutable table (survivorship).

    Why is this bad?
        Choosing the examples by a column as it is *today* — `status = 'active'`, `plan is not
        null` — keeps only the entities that survived until now. For a churn model that drops
        every past churner from the history: the training population is not the population the
        model will score.

    Example
        ```sql
        select c.customer_id, m.as_of_ts
        from {{ ref('customers') }} as c
        cross join {{ ref('month_starts') }} as m
        where c.status = 'active'
        ```

    Use instead
        ```sql
        select c.customer_id, m.as_of_ts
        from {{ ref('customers_snapshot') }} as c
        join {{ ref('month_starts') }} as m
          on c.dbt_valid_from <= m.as_of_ts
         and m.as_of_ts < coalesce(c.dbt_valid_to, cast('9999-12-31' as timestamp))
        where c.status = 'active'
        ```
    """

    code = "LK011"
    name = "survivorship"
    severity = "error"
    summary = "population filtered on current-state columns of a mutable table (survivorship)"
    hint = "filter the population point-in-time: on a snapshot as of the cutoff, or on events up to the cutoff"

    def check(self, ctx):
        kind = ctx.facts.role_kind
        for scope in ctx.facts.scopes:
            population = kind in ("spine", "training_set") or scope.cutoff_context
            if not population:
                continue
            for clause, pred in scope.predicates:
                if clause not in ("where", "having", "qualify"):
                    continue
                for col in columns_in(pred):
                    rel = scope.resolve(col.table)
                    if rel is not None and rel.mutable and (col.name.lower() in rel.current_state or "*" in rel.current_state):
                        yield Hit(f"population filtered on '{col.name}', the current state of mutable "
                                  f"'{rel_label(rel)}': only survivors are kept", [word(col.name)], cte=scope.name,
                                  column=col.name)
                        break
