"""LK004 — statistic over all rows, not bounded by the cutoff."""

from __future__ import annotations

from sqlglot import exp

from ..facts import partitioned_by_cutoff
from ..locate import call
from ..tree import inside_window, walk_scope
from .base import Hit, Rule, sql

RANK_STATS = (exp.Ntile, exp.PercentRank, exp.CumeDist)


class GlobalStatistic(Rule):
    """Statistics over all rows (normalisation, global averages, `OVER ()`) not bounded by the cutoff.

    Why is this bad?
        A mean, standard deviation, percentile or rank computed over the whole table mixes in
        rows from after each example's cutoff. Normalising a feature by `avg(x) over ()` tells
        every early example where the future distribution lies.

    Example
        ```sql
        select customer_id, as_of_ts,
               (orders_90d - avg(orders_90d) over ()) / stddev(orders_90d) over () as orders_90d_z
        from {{ ref('order_features') }}
        ```

    Use instead
        ```sql
        select customer_id, as_of_ts,
               (orders_90d - avg(orders_90d) over (partition by as_of_ts))
                 / stddev(orders_90d) over (partition by as_of_ts) as orders_90d_z
        from {{ ref('order_features') }}
        ```
    """

    code = "LK004"
    name = "global-statistic"
    severity = "warning"
    summary = "statistic over all rows (normalisation, global average, OVER ()) not bounded by the cutoff"
    hint = ("compute statistics per cutoff (`partition by as_of_ts`) or as of it (`order by as_of_ts`), "
            "or fit them on the training split only")

    def check(self, ctx):
        for scope in ctx.facts.scopes:
            for win in scope.windows:
                if partitioned_by_cutoff(scope, win):
                    continue
                whole = not win.partition and not win.order and win.spec is None
                if (isinstance(win.func, exp.AggFunc) and whole) or isinstance(win.func, RANK_STATS):
                    if not scope.sources or not _has_rows_over_time(scope):
                        continue
                    yield Hit(f"`{sql(win.node)}` is computed over all rows, across cutoffs",
                              [r"\bover\s*\(\s*\)", call(win.func.sql_name().lower())], cte=scope.name)
            if scope.is_agg and not scope.group_keys and not scope.correlated and _has_rows_over_time(scope) \
                    and not scope.label_context and _reads_unbounded(scope):
                aggs = [n for sel in scope.scope.expression.selects for n in walk_scope(sel)
                        if isinstance(n, exp.AggFunc) and not inside_window(n)]
                yield Hit(f"global aggregate `{sql(aggs[0]) if aggs else 'aggregate'}` over all rows (no GROUP BY) "
                          f"of event or example rows: it summarises data after the cutoffs",
                          [call(a.sql_name().lower()) for a in aggs], cte=scope.name)


def _has_rows_over_time(scope) -> bool:
    return any(r.needs_bound or r.timeless or r.cutoffs or r.event_ts for r in scope.sources.values())


def _reads_unbounded(scope) -> bool:
    for alias, rel in scope.sources.items():
        if rel.cutoffs:
            return True
        if (rel.needs_bound or rel.timeless) and not scope.cutoff_bounded(alias):
            return True
    return False
