"""LK009 — features built from earlier labels not lagged by the horizon."""

from __future__ import annotations

from ..locate import call
from .base import Hit, Rule, rel_label, sql


class UnlaggedLabelHistory(Rule):
    """Features built from earlier labels not lagged by the horizon.

    Why is this bad?
        The label of an example at cutoff T' is only known at T' + horizon. A feature such as
        "churn labels of this customer's previous examples" that takes every earlier example
        (`l.as_of_ts < s.as_of_ts`) reads labels whose horizon reaches past the current cutoff.
        Earlier labels are history only once they have matured: `l.as_of_ts + horizon <= s.as_of_ts`.

    Example
        ```sql
        select s.customer_id, s.as_of_ts, sum(l.churned_30d) as past_churns
        from {{ ref('spine') }} as s
        left join {{ ref('churn_labels') }} as l
          on l.customer_id = s.customer_id and l.as_of_ts < s.as_of_ts
        group by 1, 2
        ```

    Use instead
        ```sql
        select s.customer_id, s.as_of_ts, sum(l.churned_30d) as past_churns
        from {{ ref('spine') }} as s
        left join {{ ref('churn_labels') }} as l
          on l.customer_id = s.customer_id and l.as_of_ts <= s.as_of_ts - interval '30 days'
        group by 1, 2
        ```
    """

    code = "LK009"
    name = "unlagged-label-history"
    severity = "error"
    summary = "features built from earlier labels not lagged by the horizon"
    hint = "lag label history by the horizon: `l.as_of_ts <= s.as_of_ts - interval '<horizon>'`"

    def check(self, ctx):
        for scope in ctx.facts.scopes:
            for alias, state in scope.lagged_label_aliases.items():
                if state == "short":
                    rel = scope.sources[alias]
                    yield Hit(f"labels of '{rel_label(rel)}' from earlier cutoffs are read before their horizon "
                              f"has passed", ctx.needles_for(rel, alias), cte=scope.name)
            for win, state in scope.label_history_windows:
                if state == "short":
                    name = win.func.sql_name().lower()
                    yield Hit(f"window `{sql(win.node)}` reads the labels of earlier examples before their horizon "
                              f"has passed", [call(name)], cte=scope.name)
