"""LK001 — event source joined or aggregated without an upper time bound at the cutoff."""

from __future__ import annotations

from .base import Hit, Rule, rel_label


class UnboundedJoin(Rule):
    """Event source joined or aggregated without an upper time bound relative to the cutoff.

    Why is this bad?
        A spine row observed at ``as_of_ts`` may only see events with ``event_ts <= as_of_ts``.
        Joining (or aggregating) an event source on the entity key alone hands every example the
        customer's whole history, including what happened after its cutoff — the model learns
        from the future and fails in production. The same holds when an upstream model has
        already aggregated the source per entity over all time and is joined on the key.

    Example
        ```sql
        select s.customer_id, s.as_of_ts, count(o.order_id) as orders
        from {{ ref('spine') }} as s
        left join {{ ref('orders') }} as o on o.customer_id = s.customer_id
        group by 1, 2
        ```

    Use instead
        ```sql
        select s.customer_id, s.as_of_ts, count(o.order_id) as orders
        from {{ ref('spine') }} as s
        left join {{ ref('orders') }} as o
          on o.customer_id = s.customer_id
         and o.event_ts <= s.as_of_ts
         and o.known_at <= s.as_of_ts
        group by 1, 2
        ```
    """

    code = "LK001"
    name = "unbounded-join"
    severity = "error"
    summary = "event source joined or aggregated without an upper time bound at the cutoff"
    hint = "bound it: `event_ts <= as_of_ts` (and `known_at <= as_of_ts`), or use sqltrain.point_in_time_join / window_aggregates"

    def check(self, ctx):
        for read in ctx.event_reads():
            name = rel_label(read.rel)
            if "unbounded" in read.verdicts:
                yield Hit(f"'{name}' is read without an upper time bound at the cutoff "
                          f"({_missing_bound(read.rel)})",
                          ctx.needles_for(read.rel, read.alias), cte=read.scope.name)
            if "aggregate_unbounded" in read.verdicts:
                yield Hit(f"'{name}' aggregates its event source per entity over all history and is joined "
                          f"on the key: every example sees events after its cutoff",
                          ctx.needles_for(read.rel, read.alias), cte=read.scope.name,
                          hint="compute the aggregate per (entity, cutoff) with sqltrain.window_aggregates")


def _missing_bound(rel) -> str:
    """What bound is missing, in the user's column names (a source whose time column is not
    selected has none to name)."""
    time = rel.user_name(rel.event_ts)
    return f"no `{time} <= cutoff`" if time else "no bound on its event time"
