"""LK002 — time bound in the wrong direction, past the cutoff, or inclusive where the grain demands strict."""

from __future__ import annotations

from .base import Hit, Rule, rel_label


class WrongBound(Rule):
    """Time bound in the wrong direction, past the cutoff, or inclusive where the grain demands strict.

    Why is this bad?
        A bound only protects the example if it stops at the cutoff. `event_ts >= as_of_ts`
        keeps exactly the future; `event_ts <= as_of_ts + interval '1 day'` lets a day of the
        future in; and on a source whose `event_ts` is a date (`grain: day`), `<=` the cutoff
        day includes events later that same day.

    Example
        ```sql
        select s.customer_id, s.as_of_ts, count(*) as sessions
        from {{ ref('spine') }} as s
        join {{ ref('sessions') }} as w
          on w.customer_id = s.customer_id
         and w.event_ts <= s.as_of_ts + interval '1 day'
        group by 1, 2
        ```

    Use instead
        ```sql
        select s.customer_id, s.as_of_ts, count(*) as sessions
        from {{ ref('spine') }} as s
        join {{ ref('sessions') }} as w
          on w.customer_id = s.customer_id
         and w.event_ts <= s.as_of_ts
         and w.known_at <= s.as_of_ts
        group by 1, 2
        ```
    """

    code = "LK002"
    name = "wrong-bound"
    severity = "error"
    summary = "time bound in the wrong direction, past the cutoff, or inclusive where the grain demands strict"
    hint = "bound with `event_ts <= as_of_ts` (`<` for date-grain sources) and no interval added to the cutoff"

    def check(self, ctx):
        for read in ctx.event_reads():
            name = rel_label(read.rel)
            needles = ctx.needles_for(read.rel, read.alias)
            if "wrong_direction" in read.verdicts:
                yield Hit(f"'{name}' is bounded from below at the cutoff only: it reads events after the cutoff",
                          needles, cte=read.scope.name)
            if "past_cutoff" in read.verdicts:
                yield Hit(f"'{name}' is bounded past the cutoff (cutoff + interval)", needles, cte=read.scope.name)
            if "inclusive" in read.verdicts:
                yield Hit(f"'{name}' has day grain but is bounded inclusively (`<=`) at the cutoff: "
                          f"same-day events after the cutoff leak", needles, cte=read.scope.name,
                          hint="use `event_ts < as_of_ts` for date-grain sources")
