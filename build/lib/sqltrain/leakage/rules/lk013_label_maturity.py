"""LK013 — label window without a maturity filter."""

from __future__ import annotations

from .base import Hit, Rule, rel_label


class LabelMaturity(Rule):
    """Label window without a maturity filter.

    Why is this bad?
        A label looks at `(as_of_ts, as_of_ts + horizon]`. For the examples whose horizon ends
        after the snapshot's as-of date, part of that window has not happened yet: counting the
        events "so far" labels them negative although their outcome is unknown. Such examples
        are not mature and must be excluded (or flagged), never silently labelled 0.

    Example
        ```sql
        select s.customer_id, s.as_of_ts,
               case when count(e.change_id) > 0 then 1 else 0 end as churned_30d
        from {{ ref('spine') }} as s
        left join {{ ref('churn_events') }} as e
          on e.customer_id = s.customer_id
         and e.event_ts > s.as_of_ts and e.event_ts <= s.as_of_ts + interval '30 days'
        group by 1, 2
        ```

    Use instead
        ```sql
        select s.customer_id, s.as_of_ts,
               case when count(e.change_id) > 0 then 1 else 0 end as churned_30d
        from {{ ref('spine') }} as s
        left join {{ ref('churn_events') }} as e
          on e.customer_id = s.customer_id
         and e.event_ts > s.as_of_ts and e.event_ts <= s.as_of_ts + interval '30 days'
        where s.as_of_ts + interval '30 days' <= cast('{{ var("as_of") }}' as timestamp)
        group by 1, 2
        ```

        or `sqltrain.label_window`, which applies the maturity filter itself.
    """

    code = "LK013"
    name = "label-maturity"
    severity = "error"
    summary = "label window without a maturity filter (immature examples labelled negative)"
    hint = "keep only examples with `as_of_ts + horizon <= as-of date` (sqltrain.label_window does)"

    def check(self, ctx):
        labels = [s for s in ctx.facts.scopes if s.label_computation]
        if not labels:
            return
        role = ctx.roles.by_name.get(ctx.model.name)
        horizon = (role.horizon_s if role and role.horizon_s else None) or ctx.roles.horizon_s or 0.0
        for scope in ctx.facts.scopes:
            for b in scope.bounds:
                rel = scope.sources.get(b.alias)
                if rel is not None and b.column in rel.cutoffs and b.upper and b.against == "const" \
                        and b.offset_s is not None and -b.offset_s >= horizon:
                    return
        scope = labels[0]
        source = next((scope.sources[a] for a in sorted(scope.label_reads) if a in scope.sources), None) or next(
            (r for r in scope.sources.values() if r.label_source), None)
        name = rel_label(source) if source else "the label source"
        yield Hit(f"label computed from '{name}' over a window after the cutoff, with no maturity filter: "
                  f"examples whose horizon ends after the as-of date are labelled as if nothing happened",
                  ctx.needles_for(source) if source else [], cte=scope.name)
