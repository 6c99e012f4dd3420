"""LK002 — time bound in the wrong direction, past the cutoff, or inclusive where the grain demands strict."""

from __future__ import annotations

import re

from .base import Hit, Rule, bound_text, rel_label


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
                lower = [b for b in read.bounds if not b.upper and b.against == "cutoff"]
                yield Hit(f"'{name}' is bounded from below at the cutoff only (`{bound_text(read.scope, lower[0])}`): "
                          f"it reads events after the cutoff", _bound_needles(lower[0]) + needles, cte=read.scope.name)
            for kind, bound in read.faulty_bounds:
                if kind == "past_cutoff":
                    yield Hit(f"'{name}' is bounded past the cutoff (`{bound_text(read.scope, bound)}`)",
                              _bound_needles(bound) + needles, cte=read.scope.name)
                elif kind == "inclusive":
                    yield Hit(f"'{name}' has day grain but is bounded inclusively at the cutoff "
                              f"(`{bound_text(read.scope, bound)}`): same-day events after the cutoff leak",
                              _bound_needles(bound) + needles, cte=read.scope.name,
                              hint="use `event_ts < as_of_ts` for date-grain sources")


def _bound_needles(bound) -> list[str]:
    """Where the user wrote the bound: ``o.event_ts <= …`` or ``… >= o.event_ts``."""
    column = rf"\b{re.escape(bound.alias)}\s*\.\s*{re.escape(bound.column)}\b"
    return [column + r"\s*[<>=]", r"[<>=]\s*" + column]
