"""LK006 — wall clock or unseeded randomness."""

from __future__ import annotations

import re

from sqlglot import exp

from ..locate import blank_comments, call, position, word
from .base import Hit, Rule

CLOCK = tuple(getattr(exp, n) for n in ("CurrentDate", "CurrentTimestamp", "CurrentTime", "CurrentDatetime",
                                        "CurrentTimestampLTZ", "Localtime", "Localtimestamp") if hasattr(exp, n))
RANDOM = tuple(getattr(exp, n) for n in ("Rand", "Randn", "Uuid") if hasattr(exp, n))
ANONYMOUS = {"now", "get_current_timestamp", "today", "transaction_timestamp", "current_localtimestamp",
             "random", "uuid", "gen_random_uuid", "setseed", "sysdate", "getdate"}
JINJA_CLOCK = re.compile(r"run_started_at|modules\.datetime\.(?:datetime|date)\.(?:now|utcnow|today)\s*\(|invocation_id")


class WallClock(Rule):
    """Wall clock or randomness: `now()`, `current_date`, `random()`, unseeded `USING SAMPLE`, `run_started_at`.

    Why is this bad?
        A training set is a function of its as-of date and the data known by then. `now()`,
        `current_date` and `run_started_at` make it a function of when it was built: windows
        slide with the build time and read past the as-of date, and two builds differ.
        `random()` and unseeded sampling break reproducibility (same as-of, different data).

    Example
        ```sql
        select customer_id, count(*) as orders_30d
        from {{ ref('orders') }}
        where event_ts > current_date - interval '30 days'
        group by customer_id
        ```

    Use instead
        ```sql
        select customer_id, count(*) as orders_30d
        from {{ ref('orders') }}
        where event_ts > cast('{{ var("as_of") }}' as timestamp) - interval '30 days'
          and event_ts <= cast('{{ var("as_of") }}' as timestamp)
          and known_at <= cast('{{ var("as_of") }}' as timestamp)
        group by customer_id
        ```
    """

    code = "LK006"
    name = "wall-clock"
    severity = "error"
    summary = "wall clock (now(), current_date, run_started_at) or unseeded randomness"
    hint = ("use var('as_of') for time, and a seeded sample (USING SAMPLE 10% (bernoulli, 42)) "
            "or a hash of the entity keys for sampling")

    def check(self, ctx):
        for node in ctx.facts.tree.walk():
            if isinstance(node, CLOCK):
                name = node.sql_name().lower()
                yield Hit(f"`{name}` reads the wall clock: the data depends on when it was built",
                          [word(name), call(name.replace("_", "")), r"\bnow\s*\(", r"\bcurrent_\w+"])
            elif isinstance(node, RANDOM) or (isinstance(node, exp.Anonymous) and node.name.lower() in ANONYMOUS):
                name = node.name.lower() if isinstance(node, exp.Anonymous) else node.sql_name().lower()
                what = "the wall clock" if name in ("now", "get_current_timestamp", "today", "transaction_timestamp",
                                                    "current_localtimestamp", "sysdate", "getdate") else "randomness"
                yield Hit(f"`{name}()` reads {what}: the data is not reproducible",
                          [call(name), r"\brandom\s*\(", r"\bnow\s*\("])
            elif isinstance(node, exp.TableSample) and not isinstance(node.args.get("seed"), exp.Expr):
                yield Hit("sampling without a seed: each build keeps different rows",
                          [r"\busing\s+sample\b", r"\btablesample\b"])
        raw = blank_comments(ctx.model.raw_code)
        for match in JINJA_CLOCK.finditer(raw):
            line, col = position(ctx.model.raw_code, match.start())
            yield Hit(f"`{match.group(0).rstrip('(').strip()}` in Jinja: the SQL depends on when dbt ran",
                      [re.escape(match.group(0))])
