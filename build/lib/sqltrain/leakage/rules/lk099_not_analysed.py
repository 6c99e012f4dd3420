"""LK099 — a model the analyser could not read."""

from __future__ import annotations

from .base import Rule


class NotAnalysed(Rule):
    """A model the analyser could not read: no compiled SQL, or SQL it cannot parse.

    Why is this bad?
        A model that is not analysed is not checked: whatever it reads from the future goes
        unseen. The other models are still checked, and this warning says which model was
        skipped and why — usually `dbt compile` failed for it, or its SQL uses syntax of
        another dialect than the project's adapter.

    Example
        ```sql
        select customer_id, count(*) as orders
        from {{ ref('orders') }}
        where (event_ts <= cast('{{ var("as_of") }}' as timestamp)
        group by customer_id
        ```

    Use instead
        ```sql
        select customer_id, count(*) as orders
        from {{ ref('orders') }}
        where event_ts <= cast('{{ var("as_of") }}' as timestamp)
          and known_at <= cast('{{ var("as_of") }}' as timestamp)
        group by customer_id
        ```
    """

    code = "LK099"
    name = "not-analysed"
    severity = "warning"
    summary = "a model could not be analysed (no compiled SQL, or SQL that does not parse)"
    hint = "check that `dbt compile` succeeds for this model"

    def check(self, ctx):
        return iter(())   # produced by the framework when a model has no facts
