"""LK003 — forward-looking window function."""

from __future__ import annotations

from sqlglot import exp

from ..facts import is_pick_filter, partitioned_by_cutoff
from ..locate import call
from .base import Hit, Rule, sql

RANKING = (exp.RowNumber, exp.Rank, exp.DenseRank, exp.FirstValue, exp.NthValue)


class ForwardWindow(Rule):
    """Forward-looking window: LEAD, LAG with a negative offset, FOLLOWING frames, DESC-ordered picks, whole-partition aggregates.

    Why is this bad?
        A window over an entity's rows ordered by time sees the rows *after* the current one
        when it uses `lead()`, `lag(x, -1)`, a frame ending in `FOLLOWING`, a `DESC` order
        with `first_value` / `row_number`, or no ORDER BY at all (the whole partition). Each
        row then carries facts from its future.

    Example
        ```sql
        select order_id, customer_id, event_ts,
               lead(event_ts) over (partition by customer_id order by event_ts) as next_order_ts
        from {{ ref('orders') }}
        ```

    Use instead
        ```sql
        select order_id, customer_id, event_ts,
               lag(event_ts) over (partition by customer_id order by event_ts) as previous_order_ts
        from {{ ref('orders') }}
        ```
    """

    code = "LK003"
    name = "forward-window"
    severity = "error"
    summary = "forward-looking window (LEAD, negative LAG, FOLLOWING frame, DESC pick, whole partition)"
    hint = "look backwards only: lag(), frames ending at CURRENT ROW, ascending order by time"

    def check(self, ctx):
        for scope in ctx.facts.scopes:
            for win in scope.windows:
                if partitioned_by_cutoff(scope, win):
                    continue
                reason = self._forward(scope, win)
                if reason:
                    fname = win.func.sql_name().lower() if hasattr(win.func, "sql_name") else win.func.key
                    yield Hit(f"window `{sql(win.node)}` {reason}", [call(fname)], cte=scope.name)

    @staticmethod
    def _forward(scope, win) -> str | None:
        func = win.func
        if isinstance(func, exp.Lead):
            return "reads the next row (LEAD)"
        if isinstance(func, exp.Lag):
            offset = func.args.get("offset")
            if isinstance(offset, exp.Neg) or (isinstance(offset, exp.Literal) and str(offset.this).startswith("-")):
                return "reads a later row (LAG with a negative offset)"
        spec = win.spec
        if spec is not None and "follow" in str(spec.args.get("end_side") or "").lower():
            end = spec.args.get("end")
            if not (isinstance(end, exp.Literal) and str(end.this) == "0"):
                return "has a frame ending FOLLOWING the current row"
        if spec is not None and "follow" in str(spec.args.get("start_side") or "").lower():
            return "has a frame starting FOLLOWING the current row"
        if isinstance(func, RANKING) and any(o.args.get("desc") for o in win.order):
            if is_pick_filter(scope, win):
                return None                       # a latest pick: LK012's business when unbounded
            return "orders by time descending: it looks at the latest rows, after the current one"
        if isinstance(func, exp.AggFunc) and win.partition and not win.order and spec is None:
            return "aggregates the whole partition (no ORDER BY): every row sees its future"
        return None
