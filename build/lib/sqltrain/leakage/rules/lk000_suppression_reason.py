"""LK000 — a suppression comment without a reason."""

from __future__ import annotations

from .base import Rule


class SuppressionWithoutReason(Rule):
    """A suppression comment without a reason.

    Why is this bad?
        `-- sqltrain: ignore[LK001]` silences a leakage finding. Without a reason a reviewer
        cannot tell a deliberate exception from a way to make CI green. The reason is required;
        the suppression still applies, but this finding (an error) takes its place.

    Example
        ```sql
        select customer_id, count(*) as orders_all_time  -- sqltrain: ignore[LK004]
        from {{ ref('orders') }}
        group by customer_id
        ```

    Use instead
        ```sql
        select customer_id, count(*) as orders_all_time  -- sqltrain: ignore[LK004] reporting table, never a feature
        from {{ ref('orders') }}
        group by customer_id
        ```
    """

    code = "LK000"
    name = "suppression-without-reason"
    severity = "error"
    summary = "a suppression comment without a reason"
    hint = "write why after the bracket: `-- sqltrain: ignore[LK001] reason`"

    def check(self, ctx):
        return iter(())   # produced by the framework while it applies suppressions (see suppression.py)
