"""LK010 — known_at declared but only event_ts bounded (late-arriving data)."""

from __future__ import annotations

from .base import Hit, Rule, rel_label


class KnownAtUnbounded(Rule):
    """known_at declared but only event_ts bounded (late-arriving data).

    Why is this bad?
        A row can describe an event before the cutoff yet land in the warehouse days later.
        On the day the model would have been trained that row did not exist. When a source
        declares `known_at`, reading it with `event_ts <= as_of_ts` alone trains on late data
        the production model never sees at prediction time.

    Example
        ```sql
        select s.customer_id, s.as_of_ts, count(o.order_id) as orders
        from {{ ref('spine') }} as s
        left join {{ ref('orders') }} as o
          on o.customer_id = s.customer_id and o.event_ts <= s.as_of_ts
        group by 1, 2
        ```

    Use instead
        ```sql
        select s.customer_id, s.as_of_ts, count(o.order_id) as orders
        from {{ ref('spine') }} as s
        left join {{ ref('orders') }} as o
          on o.customer_id = s.customer_id and o.event_ts <= s.as_of_ts and o.known_at <= s.as_of_ts
        group by 1, 2
        ```
    """

    code = "LK010"
    name = "known-at-unbounded"
    severity = "error"
    summary = "known_at declared but only event_ts bounded (late-arriving data)"
    hint = "add `known_at <= as_of_ts` next to the event_ts bound"

    def check(self, ctx):
        for read in ctx.event_reads():
            if "known_at_unbounded" in read.verdicts:
                known_at = read.rel.user_name(read.rel.known_at)
                yield Hit(f"'{rel_label(read.rel)}' declares known_at `{known_at}` but only its event time is "
                          f"bounded: rows that landed after the cutoff are read",
                          ctx.needles_for(read.rel, read.alias), cte=read.scope.name)
