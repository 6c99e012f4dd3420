"""Label lineage: which scopes compute the label, which earlier labels are lagged, and which output
columns (and filters) are derived from the label.

Label taint flows from the columns each projection reads, through CTEs, subqueries and
upstream models; rows that are label events (a label source read forward from the cutoff)
make every aggregate over them label-derived. Current-state columns of mutable tables flow the
same way.

>>> from sqltrain.leakage.facts import facts_for_sql
>>> model = facts_for_sql(
...     "select customer_id, as_of_ts, country, avg(churned_30d) over (partition by country) as rate "
...     "from training_base",
...     {"training_base": {"kind": "training_set", "entity": ["customer_id"], "label": "churned_30d",
...                        "columns": ["customer_id", "as_of_ts", "country", "churned_30d"]}})
>>> sorted(model.output.tainted)
['rate']
"""

from __future__ import annotations

from sqlglot import exp

from ..bounds import interval_value, strip_casts
from ..roles import ProjectRoles
from ..tree import columns_in, inside_window, walk_scope
from .model import ModelFacts, PassContext, ScopeFacts
from .output import is_star, star_sources


# the CTE in which sqltrain.label_window (macros/labels/label_window.sql) reads its source forward:
# a read through label_window is the label, whatever the model names its output column
LABEL_WINDOW_CTE = "__sqltrain_labels"


def mark_label_scopes(facts: ScopeFacts, ctx: PassContext) -> None:
    """A scope computes the label when it reads a label source forward from the cutoff, and carries
    it when it selects a declared label column; the sources read for it are not feature reads."""
    select = facts.select
    facts.label_computation = any(
        rel.label_source and any(not b.upper and b.against == "cutoff" and (b.offset_s or 0) >= 0
                                 for b in facts.bounds_of(alias))
        for alias, rel in facts.sources.items())
    labelled = [sel for sel in select.selects if sel.alias_or_name.lower() in ctx.roles.label_names]
    facts.label_context = facts.label_computation or bool(labelled)
    if facts.label_computation:
        facts.label_reads |= {a for a, r in facts.sources.items() if r.label_source}
    for sel in labelled:       # (an event source read forward is settled by where all its values land)
        facts.label_reads |= {c.table for c in columns_in(sel) if not _read_forward(facts, c.table)}


def collect_forward_reads(facts: ScopeFacts, ctx: PassContext) -> None:
    """Event sources read from the cutoff on (a lower bound at or after it): the label when their
    values land only in a declared label column, a look into the future otherwise."""
    facts.forward_reads |= {alias for alias in facts.sources if _read_forward(facts, alias)}


def _read_forward(facts: ScopeFacts, alias: str) -> bool:
    rel = facts.sources.get(alias)
    if rel is None or rel.cutoffs or not (rel.needs_bound or rel.timeless):
        return False
    times = rel.time_columns()
    return any(not b.upper and b.against == "cutoff" and b.column in times and b.offset_s is not None
               and b.offset_s >= 0 for b in facts.bounds_of(alias))


def collect_label_lags(facts: ScopeFacts, ctx: PassContext) -> None:
    """Label relations joined on an earlier cutoff: lagged by the horizon (ok) or not (short)."""
    horizon = ctx.roles.horizon_s or 0.0
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


def collect_label_history_windows(facts: ScopeFacts, ctx: PassContext) -> None:
    """Windows over examples ordered by their cutoff that read the label of *earlier* rows (``lag``, a
    frame ending before the current row): label history, lagged by the horizon ("ok") or not ("short")."""
    horizon = ctx.roles.horizon_s or 0.0
    for win in facts.windows:
        first = strip_casts(win.order[0].this) if win.order else None
        if not (isinstance(first, exp.Column) and facts.is_cutoff(first)):
            continue
        if not tainted_columns(facts, win.func, ctx):
            continue
        spec = win.spec
        end_side = str(spec.args.get("end_side") or "").lower() if spec is not None else ""
        if isinstance(win.func, exp.Lag):
            facts.label_history_windows.append((win, "short"))
        elif "preced" in end_side and str(spec.args.get("end") or "").lower() != "unbounded":
            lag = interval_value(spec.args.get("end")) if str(spec.args.get("kind") or "").lower() == "range" else None
            facts.label_history_windows.append((win, "ok" if lag is not None and lag >= horizon > 0 else "short"))


def derive_lineage(facts: ScopeFacts, ctx: PassContext) -> None:
    """Label-derived and current-state output columns, and the filters that read the label."""
    out = facts.output
    skip = set(facts.lagged_label_aliases)
    filter_taint = _filter_taint(facts, ctx, skip)
    grouped_by_label = _grouped_across_examples(facts, ctx, skip)
    for sel in facts.select.selects:
        if is_star(sel):
            _star_lineage(facts, sel, ctx)
            continue
        target = sel.alias_or_name.lower()
        if ctx.roles.is_key(target):
            continue
        future = _future_of(facts, sel, ctx)
        if future:
            out.future[target] = future
        if grouped_by_label and any(isinstance(n, exp.AggFunc) and not inside_window(n) for n in walk_scope(sel)):
            out.tainted.add(target)
        if filter_taint or _tainted_outside_history(facts, sel, ctx, skip) or target in ctx.roles.label_names:
            out.tainted.add(target)
        if any(_current_state(facts, c) for c in columns_in(sel)):
            out.current_state.add(target)
            out.mutable = True
        for sub_select in sel.find_all(exp.Select):
            sub = ctx.by_select.get(id(sub_select))
            if sub is not None and sub.output is not None and sub.output.tainted:
                out.tainted.add(target)


def _filter_taint(facts: ScopeFacts, ctx: PassContext, skip) -> bool:
    """Whether every output of the scope is label-derived through its rows: rows that are label
    events make every aggregate over them label-derived (count(*) of cancellations), and so does a
    filter on a label-derived column where features are computed. Records those filters."""
    taint = facts.label_computation or (facts.is_agg and any(
        r.label_source and a not in skip and not label_source_bounded(facts, a) for a, r in facts.sources.items()))
    if not facts.label_computation and mixes_features(facts):
        for clause, pred in facts.predicates:
            cols = tainted_columns(facts, pred, ctx, skip, filters=True)
            if cols:
                facts.label_filters.append((clause, cols[0]))
                taint = True
    return taint


def _tainted_outside_history(facts: ScopeFacts, sel: exp.Expr, ctx: PassContext, skip) -> list[exp.Column]:
    """Label-derived columns a projection reads, except inside a label-history window (LK009's)."""
    history = [win.node for win, _state in facts.label_history_windows]
    return [c for c in tainted_columns(facts, sel, ctx, skip)
            if not any(c.find_ancestor(exp.Window) is node for node in history)]


def _grouped_across_examples(facts: ScopeFacts, ctx: PassContext, skip) -> bool:
    """GROUP BY a label-derived column without the example's key: each group gathers the examples that
    share a label value, so its aggregates encode the label (counts per label, rates per segment).
    With the entity keys and the cutoff in the group, a group is one example and the label is
    functionally dependent on the key: nothing leaks."""
    if not facts.is_agg or not any(tainted_columns(facts, key, ctx, skip) for key in facts.group_keys):
        return False
    return not any(_grouped_by_example_key(facts, alias, rel, ctx) for alias, rel in facts.sources.items()
                   if not rel.needs_bound)


def _grouped_by_example_key(facts: ScopeFacts, alias: str, rel, ctx: PassContext) -> bool:
    """The group keys hold the entity keys and the cutoff of ``alias``'s rows: one group per example."""
    grouped = {c.name.lower() for g in facts.group_keys for c in columns_in(g) if c.table == alias}
    has_entity = rel.entity <= grouped if rel.entity else bool(grouped & ctx.roles.entity_names)
    return has_entity and bool(grouped & (rel.cutoffs or ctx.roles.cutoff_names))


def _star_lineage(facts: ScopeFacts, sel: exp.Expr, ctx: PassContext) -> None:
    """An unexpanded star passes each relation's label-derived and current-state columns on unchanged."""
    out = facts.output
    for alias in star_sources(facts, sel):
        rel = facts.sources[alias]
        out.tainted |= {c for c in rel.tainted if not ctx.roles.is_key(c)}
        out.current_state |= rel.current_state
        out.mutable |= rel.mutable
        for column, keys in rel.future.items():
            out.future.setdefault(column, set()).update(keys)


def _future_of(facts: ScopeFacts, sel: exp.Expr, ctx: PassContext) -> set:
    """The forward reads whose values a projection carries: columns of a source read forward here, or
    of a relation whose column carries one; in an aggregate, ``count(*)`` counts the forward rows."""
    found = set()
    columns = columns_in(sel)
    for col in columns:
        name = col.name.lower()
        if ctx.roles.is_key(name):
            continue
        if col.table in facts.forward_reads:
            found.add(facts.read_key(col.table))
        rel = facts.resolve(col.table)
        if rel is not None:
            found |= rel.future.get(name, set())
    if facts.is_agg and not columns and any(isinstance(n, exp.AggFunc) for n in walk_scope(sel)):
        found |= {facts.read_key(alias) for alias in facts.forward_reads}
    for sub_select in sel.find_all(exp.Select):
        sub = ctx.by_select.get(id(sub_select))
        if sub is not None and sub.output is not None:
            for keys in sub.output.future.values():
                found |= keys
    return found


def settle_forward_reads(model: ModelFacts, roles: ProjectRoles) -> None:
    """A forward read whose values land only in declared label columns of the model's output is the
    label (it is read like a label source: not a feature read, and it needs a maturity filter)."""
    landing: dict = {}
    for column, keys in model.output.future.items():
        for key in keys:
            landing.setdefault(key, set()).add(column)
    by_id = {id(scope): scope for scope in model.scopes}
    label_reads = [(by_id[scope_id], alias) for (scope_id, alias), columns in landing.items()
                   if scope_id in by_id and columns <= roles.label_names]
    label_reads += [(scope, alias) for scope in model.scopes if scope.name == LABEL_WINDOW_CTE
                    for alias in scope.forward_reads]
    for scope, alias in label_reads:
        scope.label_reads.add(alias)
        scope.label_computation = scope.label_context = True
        _feeds_only_the_label(model, model.source_facts(scope, alias))


def _feeds_only_the_label(model: ModelFacts, facts: ScopeFacts | None) -> None:
    """A CTE read only to make the label (a macro's source CTE under its label read) is part of that
    label read: its own reads of event sources are not feature reads either."""
    if facts is None or not all(alias in reader.label_reads for reader, alias in model.readers(facts)):
        return
    for alias, rel in facts.sources.items():
        if rel.needs_bound or rel.timeless:
            facts.label_reads.add(alias)
            _feeds_only_the_label(model, model.source_facts(facts, alias))


def tainted_columns(facts: ScopeFacts, node: exp.Expr, ctx: PassContext, skip=(), filters=False) -> list[exp.Column]:
    """The label-derived columns ``node`` reads (in a filter, key equalities and null tests read nothing)."""
    found = []
    if filters and (_is_key_equality(node, ctx) or isinstance(node, exp.Is)
                    or isinstance(node, exp.Not) and isinstance(node.this, exp.Is)):
        return found
    for col in columns_in(node):
        if col.table in skip:
            continue
        rel = facts.resolve(col.table)
        if rel is None:
            continue
        name = col.name.lower()
        if ctx.roles.is_key(name) or name in rel.cutoffs:
            continue
        if name in rel.tainted or name in ctx.roles.label_names:
            found.append(col)
        elif rel.label_source and col.table in facts.sources and not label_source_bounded(facts, col.table) \
                and not passes_rows_on(facts):
            found.append(col)
    return found


def mixes_features(facts: ScopeFacts) -> bool:
    """Whether a scope reads at least one relation that is not label data (so a label filter selects features)."""
    return any(not r.label_source and not (r.tainted and set(r.columns) <= r.tainted | r.cutoffs | r.entity)
               for r in facts.sources.values())


def label_source_bounded(facts: ScopeFacts, alias: str) -> bool:
    """A label source read up to the cutoff is history (known by then), not a label."""
    times = facts.sources[alias].time_columns()
    return any(b.upper and b.against == "cutoff" and (b.offset_s or 0) <= 0 for b in facts.bounds_of(alias)
               if b.column in times)


def passes_rows_on(facts: ScopeFacts) -> bool:
    """The scope hands its event rows on still unbounded (a staging CTE, a macro's source CTE): whether
    they are the label or history is decided where they meet a cutoff, not here."""
    return bool(facts.output is not None and facts.output.needs_bound and not facts.cutoff_context)


def _is_key_equality(node: exp.Expr, ctx: PassContext) -> bool:
    if not isinstance(node, exp.EQ):
        return False
    cols = [strip_casts(node.left), strip_casts(node.right)]
    return all(isinstance(c, exp.Column) and ctx.roles.is_key(c.name.lower()) for c in cols)


def _current_state(facts: ScopeFacts, col: exp.Column) -> bool:
    rel = facts.resolve(col.table)
    return rel is not None and rel.mutable and (col.name.lower() in rel.current_state or "*" in rel.current_state)
