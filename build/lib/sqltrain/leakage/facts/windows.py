"""Collect windows, aggregation and latest-value picks of a scope.

Windows keep their partition, order and frame (a named ``WINDOW w AS (…)`` resolved); GROUP BY
ALL groups by the selected non-aggregates; a latest pick is ``arg_max``/``max_by``/``last``, a
``row_number() … desc`` filtered to 1 (in QUALIFY, or by a reading scope) or ``DISTINCT ON …
ORDER BY t DESC``.

>>> from sqltrain.leakage.facts import facts_for_sql
>>> model = facts_for_sql(
...     "select customer_id, to_plan from plan_changes "
...     "qualify row_number() over (partition by customer_id order by event_ts desc) = 1",
...     {"plan_changes": {"kind": "feature_source", "entity": ["customer_id"], "event_ts": "event_ts"}})
>>> scope = model.scopes[-1]
>>> [(w.clause, w.func.key) for w in scope.windows], has_latest_pick(scope)
([('qualify', 'rownumber')], True)
"""

from __future__ import annotations

from sqlglot import exp

from ..bounds import comparisons, strip_casts
from ..tree import inside_window, walk_scope
from .model import PassContext, ScopeFacts, WindowUse

_LATEST_FUNCTIONS = ("max_by", "arg_max", "min_by", "arg_min", "last")


def collect_windows(facts: ScopeFacts, ctx: PassContext) -> None:
    select = facts.select
    named = {w.this.name: w for w in select.args.get("windows") or [] if isinstance(w.this, exp.Identifier)}
    places = [("select", e) for e in select.selects]
    for clause in ("qualify", "where"):
        if select.args.get(clause):
            places.append((clause, select.args[clause]))
    for clause, root in places:
        for win in walk_scope(root):
            if not isinstance(win, exp.Window) or isinstance(win.this, exp.Identifier):
                continue
            partition = list(win.args.get("partition_by") or [])
            order = list(win.args["order"].expressions) if win.args.get("order") else []
            spec = win.args.get("spec")
            ref = win.args.get("alias")
            if ref is not None and ref.name in named:
                base = named[ref.name]
                partition = partition or list(base.args.get("partition_by") or [])
                order = order or (list(base.args["order"].expressions) if base.args.get("order") else [])
                spec = spec or base.args.get("spec")
            facts.windows.append(WindowUse(win, win.this, partition, order, spec, clause))


def collect_aggregation(facts: ScopeFacts, ctx: PassContext) -> None:
    select = facts.select
    group = select.args.get("group")
    facts.group_keys = list(group.expressions) if group else []
    if group is not None and group.args.get("all"):      # GROUP BY ALL: every selected non-aggregate
        facts.group_keys += [s.this if isinstance(s, exp.Alias) else s for s in select.selects
                             if not _aggregates(s)]
    facts.is_agg = bool(group) or any(_aggregates(sel) for sel in select.selects)


def _aggregates(node: exp.Expr) -> list[exp.AggFunc]:
    """The GROUP BY aggregates (not window aggregates) ``node`` computes in its own scope."""
    return [n for n in walk_scope(node) if isinstance(n, exp.AggFunc) and not inside_window(n)]


def collect_picks(facts: ScopeFacts, ctx: PassContext) -> None:
    """``where rn = 1`` on a source's DESC-ordered row_number: a latest-value pick made in two steps."""
    for _clause, pred in facts.predicates:
        for op, left, right, _node in comparisons(pred):
            col, value = strip_casts(left), strip_casts(right)
            if not isinstance(col, exp.Column) or not isinstance(value, exp.Literal) or value.is_string:
                continue
            rel = facts.sources.get(col.table)
            limit = {exp.EQ: 1, exp.LTE: 1, exp.LT: 2}.get(op)
            if rel is not None and col.name.lower() in rel.rank_desc and limit is not None \
                    and str(value.this) == str(limit):
                rel.picked.add(col.name.lower())
                facts.picks_from.add(col.table)


def has_latest_pick(facts: ScopeFacts) -> bool:
    """Whether the scope picks the latest row per group: ``arg_max``/``max_by``/``last``, a
    ``row_number() … desc = 1`` filter or ``DISTINCT ON … ORDER BY t DESC``."""
    select = facts.select
    if not isinstance(select, exp.Select):
        return False
    for sel in select.selects:
        for node in walk_scope(sel):
            if isinstance(node, (exp.ArgMax, exp.ArgMin)) and not inside_window(node):
                return True
            if isinstance(node, exp.Anonymous) and node.name.lower() in _LATEST_FUNCTIONS:
                return True
    distinct, order = select.args.get("distinct"), select.args.get("order")
    if distinct is not None and distinct.args.get("on") is not None and order is not None \
            and any(o.args.get("desc") for o in order.expressions):
        return True                              # DISTINCT ON (key) … ORDER BY t DESC
    return bool(facts.picks_from) or any(is_pick_filter(facts, w) for w in facts.windows)


def is_pick_filter(facts: ScopeFacts, win: WindowUse) -> bool:
    """``row_number() over (… order by t desc) = 1`` in QUALIFY/WHERE, or projected and filtered to 1
    by a reading scope of the same model."""
    if not isinstance(win.func, (exp.RowNumber, exp.Rank, exp.DenseRank)):
        return False
    if not any(o.args.get("desc") for o in win.order):
        return False
    if win.clause != "select":
        return True
    alias = win.node.parent.alias if isinstance(win.node.parent, exp.Alias) else None
    return bool(alias) and facts.output is not None and alias.lower() in facts.output.picked


def partitioned_by_cutoff(facts: ScopeFacts, win: WindowUse) -> bool:
    """A window partitioned by the cutoff works within one example's cutoff: it never sees another's rows."""
    return any(isinstance(strip_casts(p), exp.Column) and facts.is_cutoff(strip_casts(p)) for p in win.partition)
