"""The analysis passes: walk a qualified tree scope by scope and record facts the rules read.

For every scope (CTE, derived table, subquery, UNION branch, the final SELECT) the passes
resolve what each selected source *is* (``Rel``: events still needing a time bound, a spine of
cutoffs, a mutable dimension, label-derived columns…), collect the time bounds of its
predicates, its windows and its aggregation, and derive the facts of its own output, which the
next scope — or the next model downstream — reads in turn. Rules never re-parse SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from sqlglot import exp
from sqlglot.optimizer.scope import Scope, ScopeType, traverse_scope

from .bounds import (Bound, comparisons, conjuncts, is_constant, normalise, offset_of, strip_casts, struct_lead,
                     time_column_of, truncated_column)
from .inputs import RelationInfo
from .roles import ProjectRoles
from .tree import columns_in, inside_window, walk_scope

GENERATED_KEY = re.compile(r"^__sqltrain_k\d+$")
INLINE_SUPPRESSION = re.compile(r"sqltrain:\s*ignore\[([A-Za-z0-9_,\s]+)\]\s*(.*)", re.S)


@dataclass
class Rel:
    """What a scope knows about one relation it reads (or what it produces)."""

    name: str
    origin: str                               # model/source/CTE the rows come from (for messages)
    columns: list[str] = field(default_factory=list)
    kind: str | None = None
    entity: set[str] = field(default_factory=set)
    event_ts: str | None = None
    known_at: str | None = None
    visible_at: str | None = None             # greatest(event_ts, known_at): bounds both at once
    event_aliases: set[str] = field(default_factory=set)   # more names of the event time
    needs_bound: bool = False                 # rows are events not yet bounded by a cutoff
    const_bounded: bool = False               # …bounded by a constant (the as-of date) only
    timeless: bool = False                    # event rows whose time column was dropped
    all_time_agg: bool = False                # per-entity aggregate over unbounded history
    latest_pick: bool = False                 # …of which a latest-value pick
    cutoffs: set[str] = field(default_factory=set)
    label_source: bool = False
    tainted: set[str] = field(default_factory=set)   # label-derived columns
    mutable: bool = False
    current_state: set[str] = field(default_factory=set)
    scd2: bool = False
    valid_from: str | None = None
    valid_to: str | None = None
    grain: str | None = None

    def time_columns(self) -> set[str]:
        """Columns whose upper bound at the cutoff bounds these rows' time."""
        return {self.event_ts, self.known_at, self.visible_at, *self.event_aliases} - {None}

    upstream_model: str | None = None         # set when this relation is another model/source
    derived_from: str | None = None           # the model/source a CTE's rows come from (for messages)
    rank_desc: set[str] = field(default_factory=set)  # `row_number() over (… order by t desc)` columns
    picked: set[str] = field(default_factory=set)     # …that a reading scope filters on `= 1`


@dataclass
class WindowUse:
    node: exp.Window
    func: exp.Expr
    partition: list[exp.Expr]
    order: list[exp.Ordered]
    spec: exp.Expr | None
    clause: str                               # "select" | "qualify" | "where"


@dataclass
class ScopeFacts:
    scope: Scope
    name: str                                 # CTE name, or "" for the model's final select
    sources: dict[str, Rel]
    parent: "ScopeFacts | None"
    bounds: list[Bound] = field(default_factory=list)
    predicates: list[tuple[str, exp.Expr]] = field(default_factory=list)   # (clause, conjunct)
    windows: list[WindowUse] = field(default_factory=list)
    is_agg: bool = False
    group_keys: list[exp.Expr] = field(default_factory=list)
    cutoff_context: bool = False
    label_context: bool = False               # the scope computes or carries the label
    label_computation: bool = False           # …reads a label source forward from the cutoff
    correlated: bool = False
    lagged_label_aliases: dict[str, str] = field(default_factory=dict)  # alias -> "ok" | "short"
    picks_from: set[str] = field(default_factory=set)   # sources whose DESC rank this scope filters to 1
    inline_suppressions: list[tuple[set[str], str]] = field(default_factory=list)  # from compiled-SQL comments
    output: Rel | None = None

    # -- lookups ------------------------------------------------------------
    def resolve(self, alias: str | None) -> Rel | None:
        facts: ScopeFacts | None = self
        while facts is not None:
            if alias in facts.sources:
                return facts.sources[alias]
            facts = facts.parent
        return None

    def is_cutoff(self, column: exp.Column) -> bool:
        rel = self.resolve(column.table)
        return rel is not None and column.name.lower() in rel.cutoffs

    def bounds_of(self, alias: str) -> list[Bound]:
        return [b for b in self.bounds if b.alias == alias]

    def cutoff_bounded(self, alias: str) -> bool:
        """An upper bound of an event/knowledge time of ``alias`` at or before a cutoff."""
        cols = self.sources[alias].time_columns()
        return any(b.upper and b.against == "cutoff" and b.column in cols for b in self.bounds_of(alias))

    def const_bounded(self, alias: str) -> bool:
        cols = self.sources[alias].time_columns()
        return any(b.upper and b.against == "const" and b.column in cols for b in self.bounds_of(alias))


@dataclass
class ModelFacts:
    """Everything the passes learned about one model."""

    name: str
    role_kind: str | None
    scopes: list[ScopeFacts]
    output: Rel
    tree: exp.Expr


class FactCollector:
    """Runs the passes over one qualified model tree."""

    def __init__(self, roles: ProjectRoles, relation_rel):
        self.roles = roles
        self.relation_rel = relation_rel        # exp.Table -> Rel | None
        self.cutoff_names = roles.cutoff_names
        self.label_names = roles.label_names
        self.key_names = roles.entity_names | self.cutoff_names
        self._by_select: dict[int, ScopeFacts] = {}     # nested SELECT -> its facts, per model

    def is_key(self, name: str) -> bool:
        return name in self.key_names or bool(GENERATED_KEY.match(name))

    # -- driver ---------------------------------------------------------------
    def collect(self, name: str, kind: str | None, tree: exp.Expr) -> ModelFacts:
        done: dict[int, ScopeFacts] = {}
        ordered: list[ScopeFacts] = []
        self._by_select = {}
        for scope in traverse_scope(tree):
            facts = self._scope_facts(scope, done)
            done[id(scope)] = facts
            self._by_select[id(scope.expression)] = facts
            ordered.append(facts)
        root = ordered[-1] if ordered else None
        output = root.output if root and root.output else Rel(name=name, origin=name)
        return ModelFacts(name=name, role_kind=kind, scopes=ordered, output=output, tree=tree)

    def _source_rel(self, source, done) -> Rel:
        if isinstance(source, Scope):
            facts = done.get(id(source))
            if facts and facts.output:
                return facts.output
            return Rel(name="?", origin="?")
        if isinstance(source, exp.Table):
            rel = self.relation_rel(source)
            if rel is not None:
                return rel
            return Rel(name=source.name, origin=source.name)
        return Rel(name="?", origin="?")

    def _scope_facts(self, scope: Scope, done: dict[int, ScopeFacts]) -> ScopeFacts:
        name = _cte_name(scope)
        if isinstance(scope.expression, exp.SetOperation):
            branches = [done[id(s)].output for s in scope.set_operation_scopes if id(s) in done and done[id(s)].output]
            facts = ScopeFacts(scope=scope, name=name, sources={}, parent=None)
            facts.output = _merge_branches(branches, name)
            return facts
        sources = {}
        for alias, (node, source) in scope.selected_sources.items():
            sources[alias] = self._source_rel(source, done)
        # a correlated subquery sees its outer scope's sources; find the nearest computed ancestor
        nested = scope.scope_type in (ScopeType.SUBQUERY, ScopeType.UDTF)
        outer = self._outer_facts(scope, done) if (scope.external_columns or nested) else None
        facts = ScopeFacts(scope=scope, name=name, sources=sources, parent=outer)
        facts.correlated = bool(scope.external_columns)
        select = scope.expression
        if not isinstance(select, exp.Select):
            facts.output = Rel(name=name, origin=name)
            return facts
        self._collect_predicates(facts, select)
        self._collect_inline_suppressions(facts, select)
        self._collect_picks(facts)
        self._collect_bounds(facts)
        self._collect_windows(facts, select)
        self._collect_aggregation(facts, select)
        # a subquery's rows meet the outer scope's per-cutoff rows (a filter, a scalar, a lateral join)
        facts.cutoff_context = any(r.cutoffs for r in sources.values()) or bool(
            outer and outer.cutoff_context and (facts.correlated or nested))
        facts.label_computation = any(
            rel.label_source and any(not b.upper and b.against == "cutoff" and (b.offset_s or 0) >= 0
                                     for b in facts.bounds_of(alias))
            for alias, rel in sources.items())
        facts.label_context = facts.label_computation or any(
            sel.alias_or_name.lower() in self.label_names for sel in select.selects)
        self._collect_label_lags(facts)
        facts.output = self._output(facts, select)
        return facts

    # -- passes ---------------------------------------------------------------
    def _outer_facts(self, scope: Scope, done: dict[int, ScopeFacts]) -> ScopeFacts | None:
        """The scope a correlated subquery refers to. Outer scopes are visited after their
        subqueries, so build a provisional view holding just the outer sources."""
        parent = scope.parent
        if parent is None:
            return None
        if id(parent) in done:
            return done[id(parent)]
        sources = {alias: self._source_rel(source, done) for alias, (_n, source) in parent.selected_sources.items()}
        facts = ScopeFacts(scope=parent, name=_cte_name(parent), sources=sources,
                           parent=self._outer_facts(parent, done) if parent.parent is not None else None)
        facts.cutoff_context = any(r.cutoffs for r in sources.values()) or bool(
            facts.parent and facts.parent.cutoff_context)
        return facts

    def _collect_predicates(self, facts: ScopeFacts, select: exp.Select) -> None:
        where = select.args.get("where")
        for pred in conjuncts(where.this if where else None):
            facts.predicates.append(("where", pred))
        for join in select.args.get("joins") or []:
            for pred in conjuncts(join.args.get("on")):
                facts.predicates.append(("on", pred))
        for clause in ("having", "qualify"):
            node = select.args.get(clause)
            for pred in conjuncts(node.this if node else None):
                facts.predicates.append((clause, pred))

    def _collect_inline_suppressions(self, facts: ScopeFacts, select: exp.Select) -> None:
        """``/* sqltrain: ignore[LK010] reason */`` inside compiled SQL — how a macro marks a scope
        that reads past the cutoff on purpose (e.g. a correction term that is subtracted back)."""
        for node in walk_scope(select):
            for comment in node.comments or []:
                match = INLINE_SUPPRESSION.search(comment)
                if match and match.group(2).strip():
                    codes = {c.strip().upper() for c in match.group(1).split(",") if c.strip()}
                    facts.inline_suppressions.append((codes, match.group(2).strip()))

    def _collect_picks(self, facts: ScopeFacts) -> None:
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

    def _collect_bounds(self, facts: ScopeFacts) -> None:
        for _clause, pred in facts.predicates:
            for op, left, right, node in comparisons(pred):
                for o, ts_side, other in ((op, left, right), normalise(op, left, right)):
                    bound = self._bound(facts, o, ts_side, other, node)
                    if bound is not None:
                        facts.bounds.append(bound)

    def _bound(self, facts, op, ts_side, other, node) -> Bound | None:
        ts_base, ts_offset = offset_of(ts_side)       # `l.t + interval h <= s.t` is `l.t <= s.t - h`
        col = time_column_of(ts_base)
        if col is None or col.table not in facts.sources:
            return None
        rel = facts.sources[col.table]
        cname = col.name.lower()
        time_cols = rel.time_columns() | {rel.valid_from, rel.valid_to} | rel.cutoffs
        if cname not in time_cols:
            return None
        upper = op in (exp.LT, exp.LTE, exp.EQ)
        inclusive = op in (exp.LTE, exp.GTE, exp.EQ)
        base, offset = offset_of(other)
        base = truncated_column(base)              # date_trunc(cutoff) is at or before the cutoff
        if offset is not None:
            offset = None if ts_offset is None else offset - ts_offset
        base_col = time_column_of(base)
        if base_col is not None and base_col.table != col.table:
            other_rel = facts.resolve(base_col.table)
            if other_rel is None:
                return None
            bname = base_col.name.lower()
            if bname in other_rel.cutoffs:
                against = "cutoff"
            elif bname in {other_rel.event_ts, other_rel.known_at}:
                against = "time"
            else:
                return None
            return Bound(col.table, cname, upper, inclusive, against, base_col.table, bname, offset, node)
        if is_constant(other):
            return Bound(col.table, cname, upper, inclusive, "const", None, None, offset, node)
        return None

    def _collect_windows(self, facts: ScopeFacts, select: exp.Select) -> None:
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

    def _collect_aggregation(self, facts: ScopeFacts, select: exp.Select) -> None:
        group = select.args.get("group")
        facts.group_keys = list(group.expressions) if group else []
        if group is not None and group.args.get("all"):      # GROUP BY ALL: every selected non-aggregate
            facts.group_keys += [
                s.this if isinstance(s, exp.Alias) else s for s in select.selects
                if not any(isinstance(n, exp.AggFunc) and not inside_window(n) for n in walk_scope(s))
            ]
        has_agg = any(
            isinstance(n, exp.AggFunc) and not inside_window(n)
            for sel in select.selects for n in walk_scope(sel)
        )
        facts.is_agg = bool(group) or has_agg

    def _collect_label_lags(self, facts: ScopeFacts) -> None:
        """Label relations joined on an earlier cutoff: lagged by the horizon (ok) or not (short)."""
        horizon = self.roles.horizon_s or 0.0
        for alias, rel in facts.sources.items():
            if not (rel.tainted and rel.cutoffs):
                continue
            lags = [b for b in facts.bounds_of(alias)
                    if b.column in rel.cutoffs and b.against == "cutoff" and b.upper and b.offset_s is not None
                    and not (b.inclusive and b.offset_s == 0 and isinstance(b.node, exp.EQ))]
            if not lags:
                continue
            best = max(-(b.offset_s or 0.0) for b in lags)
            facts.lagged_label_aliases[alias] = "ok" if best >= horizon and horizon > 0 else "short"

    # -- output facts -----------------------------------------------------------
    def _output(self, facts: ScopeFacts, select: exp.Select) -> Rel:
        out = Rel(name=facts.name or "(select)", origin=facts.name or "(select)")
        out.columns = [s.alias_or_name.lower() for s in select.selects]
        unbounded = [a for a, r in facts.sources.items()
                     if (r.needs_bound or r.timeless) and not facts.cutoff_bounded(a)]
        grouped_by_cutoff = any(isinstance(strip_casts(g), exp.Column) and facts.is_cutoff(strip_casts(g))
                                for g in facts.group_keys)
        for sel in select.selects:
            target = sel.alias_or_name.lower()
            inner = strip_casts(sel.this if isinstance(sel, exp.Alias) else sel)
            inner = _struct_time(inner)
            if isinstance(inner, exp.Column):
                rel = facts.resolve(inner.table)
                src = inner.name.lower()
                if rel is not None:
                    if src in rel.cutoffs:
                        out.cutoffs.add(target)
                    if src in rel.entity:
                        out.entity.add(target)
                    if inner.table in unbounded and (src == rel.event_ts or src in rel.event_aliases):
                        if out.event_ts is None:
                            out.event_ts = target
                        elif target != out.event_ts:
                            out.event_aliases.add(target)
                    if inner.table in unbounded and src == rel.known_at:
                        out.known_at = out.known_at or target
                    if inner.table in unbounded and src == rel.visible_at:
                        out.visible_at = out.visible_at or target
                    if rel.scd2 and src == rel.valid_from:
                        out.valid_from = target
                    if rel.scd2 and src == rel.valid_to:
                        out.valid_to = target
            if isinstance(inner, exp.Window) and isinstance(inner.this, (exp.RowNumber, exp.Rank, exp.DenseRank)):
                use = next((w for w in facts.windows if w.node is inner), None)
                if use is not None and any(o.args.get("desc") for o in use.order) and not any(
                        isinstance(strip_casts(p), exp.Column) and facts.is_cutoff(strip_casts(p)) for p in use.partition):
                    out.rank_desc.add(target)
            if isinstance(inner, exp.Column):
                rel = facts.resolve(inner.table)
                if rel is not None and inner.name.lower() in rel.rank_desc:
                    out.rank_desc.add(target)
            if isinstance(inner, exp.Greatest):
                covered = set()
                for col in columns_in(inner):
                    rel = facts.resolve(col.table)
                    if rel is not None and col.table in unbounded:
                        covered |= {r for r, c in (("event", rel.event_ts), ("known", rel.known_at),
                                                   ("event", rel.visible_at), ("known", rel.visible_at))
                                    if c == col.name.lower()}
                if covered == {"event", "known"}:
                    out.visible_at = target
            if target in self.cutoff_names and not unbounded:
                out.cutoffs.add(target)
        origins = {r.upstream_model or r.derived_from for r in facts.sources.values()} - {None}
        if len(origins) == 1:
            out.derived_from = origins.pop()
        for alias in unbounded:
            rel = facts.sources[alias]
            out.derived_from = rel.upstream_model or rel.derived_from or out.derived_from
            out.grain = out.grain or rel.grain
            out.label_source = out.label_source or rel.label_source
        if facts.is_agg:
            if (unbounded or any(r.all_time_agg for r in facts.sources.values())) and not grouped_by_cutoff \
                    and not facts.cutoff_context and facts.group_keys:
                out.all_time_agg = True
                out.latest_pick = self.has_latest_pick(facts)
            out.event_ts = out.known_at = out.visible_at = None
            out.event_aliases = set()
        elif unbounded and not facts.cutoff_context:
            out.needs_bound = True
            out.timeless = not out.time_columns()
            out.const_bounded = all(facts.const_bounded(a) for a in unbounded)
            if self.has_latest_pick(facts):
                out.needs_bound, out.all_time_agg, out.latest_pick = False, True, True
                out.event_ts = out.known_at = out.visible_at = None
                out.event_aliases = set()
        else:
            out.event_ts = out.known_at = out.visible_at = None
            out.event_aliases = set()
        if not facts.cutoff_context and any(r.all_time_agg for r in facts.sources.values()):
            out.all_time_agg = True
        single = list(facts.sources.values())
        if len(single) == 1 and single[0].scd2 and out.valid_from and out.valid_to:
            out.scd2 = True
        self._lineage(facts, select, out)
        return out

    def has_latest_pick(self, facts: ScopeFacts) -> bool:
        """``arg_max``/``max_by``/``last``, a ``row_number() … desc = 1`` filter or ``DISTINCT ON … ORDER BY t
        DESC`` in this scope."""
        select = facts.scope.expression
        for sel in select.selects:
            for node in walk_scope(sel):
                if isinstance(node, (exp.ArgMax, exp.ArgMin)) and not inside_window(node):
                    return True
                if isinstance(node, exp.Anonymous) and node.name.lower() in ("max_by", "arg_max", "min_by", "arg_min", "last"):
                    return True
        distinct, order = select.args.get("distinct"), select.args.get("order")
        if distinct is not None and distinct.args.get("on") is not None and order is not None \
                and any(o.args.get("desc") for o in order.expressions):
            return True                              # DISTINCT ON (key) … ORDER BY t DESC
        return bool(facts.picks_from) or any(is_pick_filter(facts, w) for w in facts.windows)

    def _lineage(self, facts: ScopeFacts, select: exp.Select, out: Rel) -> None:
        """Label taint and current-state columns flow from the columns each projection reads."""
        skip = {a for a, state in facts.lagged_label_aliases.items()}
        # rows that are label events make every aggregate over them label-derived (count(*) of cancellations)
        filter_taint = facts.label_computation or (facts.is_agg and any(
            r.label_source and a not in skip and not label_source_bounded(facts, a) for a, r in facts.sources.items()))
        if not facts.label_computation and mixes_features(facts):
            for clause, pred in facts.predicates:
                if self.tainted_columns(facts, pred, skip, filters=True):
                    filter_taint = True
        for sel in select.selects:
            target = sel.alias_or_name.lower()
            if self.is_key(target):
                continue
            if filter_taint or self.tainted_columns(facts, sel, skip) or target in self.label_names:
                out.tainted.add(target)
            if any(self._current_state(facts, c) for c in columns_in(sel)):
                out.current_state.add(target)
                out.mutable = True
            for sub_select in sel.find_all(exp.Select):
                sub = self._by_select.get(id(sub_select))
                if sub is not None and sub.output is not None and sub.output.tainted:
                    out.tainted.add(target)

    def tainted_columns(self, facts: ScopeFacts, node: exp.Expr, skip=(), filters=False) -> list[exp.Column]:
        found = []
        if filters and _is_key_equality(node, self) or filters and isinstance(node, exp.Is):
            return found
        if filters and isinstance(node, exp.Not) and isinstance(node.this, exp.Is):
            return found
        for col in columns_in(node):
            if col.table in skip:
                continue
            rel = facts.resolve(col.table)
            if rel is None:
                continue
            name = col.name.lower()
            if self.is_key(name) or name in rel.cutoffs:
                continue
            if name in rel.tainted or name in self.label_names:
                found.append(col)
            elif rel.label_source and col.table in facts.sources and not label_source_bounded(facts, col.table):
                found.append(col)
        return found

    def _current_state(self, facts: ScopeFacts, col: exp.Column) -> bool:
        rel = facts.resolve(col.table)
        return rel is not None and rel.mutable and (col.name.lower() in rel.current_state or "*" in rel.current_state)


def mixes_features(facts: ScopeFacts) -> bool:
    """Whether a scope reads at least one relation that is not label data (so a label filter selects features)."""
    return any(not r.label_source and not (r.tainted and set(r.columns) <= r.tainted | r.cutoffs | r.entity)
               for r in facts.sources.values())


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


def label_source_bounded(facts: ScopeFacts, alias: str) -> bool:
    """A label source read up to the cutoff is history (known by then), not a label."""
    return any(b.upper and b.against == "cutoff" and (b.offset_s or 0) <= 0 for b in facts.bounds_of(alias)
               if b.column in {facts.sources[alias].event_ts, facts.sources[alias].known_at})


def _is_key_equality(node: exp.Expr, collector: FactCollector) -> bool:
    if not isinstance(node, exp.EQ):
        return False
    cols = [strip_casts(node.left), strip_casts(node.right)]
    return all(isinstance(c, exp.Column) and collector.is_key(c.name.lower()) for c in cols)


def _merge_branches(branches: list[Rel], name: str) -> Rel:
    out = Rel(name=name or "(union)", origin=name or "(union)")
    if not branches:
        return out
    out.columns = list(branches[0].columns)
    for b in branches:
        out.needs_bound |= b.needs_bound
        out.timeless |= b.timeless
        out.all_time_agg |= b.all_time_agg
        out.latest_pick |= b.latest_pick
        out.label_source |= b.label_source
        out.mutable |= b.mutable
        out.event_ts = out.event_ts or b.event_ts
        out.known_at = out.known_at or b.known_at
        # columns line up by position
        for i, col in enumerate(b.columns):
            if i < len(out.columns):
                if col in b.tainted:
                    out.tainted.add(out.columns[i])
                if col in b.cutoffs:
                    out.cutoffs.add(out.columns[i])
                if col in b.current_state:
                    out.current_state.add(out.columns[i])
                if col in b.entity:
                    out.entity.add(out.columns[i])
    return out


def rel_from_role(info: RelationInfo, derived: Rel | None, roles: ProjectRoles) -> Rel:
    """The facts of a model/source/snapshot as seen from a downstream model: its declared role on top
    of what the analyser derived from its own SQL (declared roles win)."""
    role = info.role
    rel = replace(derived, tainted=set(derived.tainted), cutoffs=set(derived.cutoffs),
                  entity=set(derived.entity), current_state=set(derived.current_state)) if derived else \
        Rel(name=info.name, origin=info.name, columns=list(info.columns))
    rel.name = rel.origin = info.name
    rel.upstream_model = info.name
    if not rel.columns:
        rel.columns = list(info.columns)
    rel.cutoffs |= {c for c in rel.columns if c in roles.cutoff_names}
    if not role.declared:
        return rel
    rel.kind = role.kind
    rel.entity |= set(role.entity)
    if role.is_event_source:
        rel.event_ts = role.event_ts or rel.event_ts
        rel.known_at = role.known_at or rel.known_at
        rel.needs_bound = True
        rel.timeless = rel.event_ts is None
        rel.all_time_agg = rel.latest_pick = False
        rel.const_bounded = False
        rel.cutoffs -= {rel.event_ts, rel.known_at}
    if role.kind == "label_source":
        rel.label_source = True
    if role.kind in ("spine", "training_set"):
        rel.cutoffs.add(role.cutoff)
        rel.needs_bound = rel.timeless = False
    if role.label:
        rel.tainted.add(role.label)
    if role.mutable:
        rel.mutable = True
        rel.current_state = {c for c in (rel.columns or []) if c not in role.entity and c not in role.immutable}
        if not rel.columns:
            rel.current_state = {"*"}
    if role.scd2:
        rel.scd2, rel.valid_from, rel.valid_to = True, role.valid_from, role.valid_to
        rel.mutable, rel.current_state = False, set()
    rel.grain = role.grain or rel.grain
    return rel


def _cte_name(scope: Scope) -> str:
    expression = scope.expression
    parent = expression.parent
    if isinstance(parent, exp.CTE):
        return parent.alias
    if isinstance(parent, exp.Subquery) and parent.alias:
        return parent.alias
    # a UNION branch inside a CTE
    while parent is not None and not isinstance(parent, (exp.CTE, exp.Subquery)):
        if isinstance(parent, exp.Select):
            break
        parent = parent.parent
    if isinstance(parent, (exp.CTE, exp.Subquery)) and parent.alias:
        return parent.alias
    return ""




def _struct_time(node: exp.Expr) -> exp.Expr:
    """A struct whose first field is a time column, or that column plus a positive interval,
    carries that column (it compares first on it, and a bound on ``t + d`` bounds ``t``)."""
    lead = struct_lead(node)
    if lead is None:
        return node
    base, offset = offset_of(lead)
    base = strip_casts(base)
    return base if isinstance(base, exp.Column) and offset is not None and offset >= 0 else node
