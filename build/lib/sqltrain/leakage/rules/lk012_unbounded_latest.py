"""LK012 — unbounded latest-value pick over an event source."""

from __future__ import annotations

from .base import Hit, Rule, rel_label


class UnboundedLatest(Rule):
    """Unbounded latest-value picks (`arg_max`, `max_by`, `QUALIFY row_number() = 1`) over an event source.

    Why is this bad?
        "The latest value per customer" without a cutoff is the value as of *today*: the plan a
        customer is on now, their last order ever. Joined onto an example from last year it tells
        the model what happened next.

    Example
        ```sql
        select customer_id, arg_max(to_plan, event_ts) as plan
        from {{ ref('plan_changes') }}
        group by customer_id
        ```

    Use instead
        ```sql
        select s.customer_id, s.as_of_ts, arg_max(p.to_plan, p.event_ts) as plan
        from {{ ref('spine') }} as s
        join {{ ref('plan_changes') }} as p
          on p.customer_id = s.customer_id
         and p.event_ts <= s.as_of_ts and p.known_at <= s.as_of_ts
        group by 1, 2
        ```

        or `sqltrain.point_in_time_join`, which does this with a stable tie-break.
    """

    code = "LK012"
    name = "unbounded-latest"
    severity = "error"
    summary = "unbounded latest-value pick (arg_max, max_by, row_number() = 1) over an event source"
    hint = "pick the latest row as of each cutoff with sqltrain.point_in_time_join (event_ts <= as_of_ts)"

    def check(self, ctx):
        for read in ctx.event_reads():
            if "latest_unbounded" in read.verdicts:
                yield Hit(f"latest value of '{rel_label(read.rel)}' is picked over its whole history, "
                          f"not as of a cutoff",
                          [r"\barg_max\s*\(", r"\bmax_by\s*\(", r"\brow_number\s*\(", r"\blast\s*\("]
                          + ctx.needles_for(read.rel, read.alias), cte=read.scope.name)
