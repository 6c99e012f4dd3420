"""The fact model: what the passes record about each relation (``Rel``) and each scope (``ScopeFacts``).

A ``Rel`` says what the rows of one relation *are* — events still needing a time bound, a spine
of cutoffs, a mutable dimension, label-derived columns… — whether the relation is a declared
model/source or the output of a scope the passes derived. A ``ScopeFacts`` holds one scope's
sources, predicates, time bounds, windows and aggregation; rules read only these.

>>> orders = Rel("orders", "orders", event_ts="event_ts", known_at="known_at", needs_bound=True)
>>> sorted(orders.time_columns())
['event_ts', 'known_at']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlglot import exp
from sqlglot.optimizer.scope import Scope

from ..bounds import Bound
from ..roles import ProjectRoles


ReadKey = tuple[int, str]                     # (id of the reading ScopeFacts, alias): one read of a relation


@dataclass
class Rel:
    """What a scope knows about one relation it reads (or what it produces)."""

    name: str
    origin: str                               # model/source/CTE the rows come from (for messages)
    columns: list[str] = field(default_factory=list)
    columns_known: bool = True                # False when `*` of a relation without a column list is selected
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
    future: dict[str, set[ReadKey]] = field(default_factory=dict)  # column -> forward reads its values come from
    written: dict[str, str] = field(default_factory=dict)  # column -> its name where the user wrote it (for messages)
    mutable: bool = False
    current_state: set[str] = field(default_factory=set)
    scd2: bool = False
    valid_from: str | None = None
    valid_to: str | None = None
    grain: str | None = None
    upstream_model: str | None = None         # set when this relation is another model/source
    derived_from: str | None = None           # the model/source a CTE's rows come from (for messages)
    rank_desc: set[str] = field(default_factory=set)  # `row_number() over (… order by t desc)` columns
    picked: set[str] = field(default_factory=set)     # …that a reading scope filters on `= 1`

    def time_columns(self) -> set[str]:
        """Columns whose upper bound at the cutoff bounds these rows' time."""
        return {self.event_ts, self.known_at, self.visible_at, *self.event_aliases} - {None}

    def named_columns(self) -> set[str]:
        """The columns whose role these facts name (time, entity, cutoff, validity, rank)."""
        names = {self.event_ts, self.known_at, self.visible_at, self.valid_from, self.valid_to}
        return (names | self.event_aliases | self.entity | self.cutoffs | self.rank_desc) - {None}

    def user_name(self, column: str | None) -> str | None:
        """``column`` as the user wrote it: a macro's ``__sqltrain_ev`` is the source's ``ordered_at``."""
        return self.written.get(column, column) if column else None

    def forget_time(self) -> None:
        """The rows no longer carry an event time to bound (aggregated, or already cut at a cutoff)."""
        self.event_ts = self.known_at = self.visible_at = None
        self.event_aliases = set()


@dataclass
class WindowUse:
    """One window function of a scope, with its named window (``WINDOW w AS (…)``) resolved."""

    node: exp.Window
    func: exp.Expr
    partition: list[exp.Expr]
    order: list[exp.Ordered]
    spec: exp.Expr | None
    clause: str                               # "select" | "qualify" | "where"


@dataclass
class ScopeFacts:
    """What the passes learned about one scope (CTE, derived table, subquery, UNION branch, final SELECT)."""

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
    label_reads: set[str] = field(default_factory=set)   # sources read to make the label, not features
    forward_reads: set[str] = field(default_factory=set)  # event sources read after the cutoff (label or leak)
    label_filters: list[tuple[str, exp.Column]] = field(default_factory=list)  # (clause, label column) of filters
    correlated: bool = False
    lagged_label_aliases: dict[str, str] = field(default_factory=dict)  # alias -> "ok" | "short"
    label_history_windows: list[tuple[WindowUse, str]] = field(default_factory=list)  # earlier examples' labels
    picks_from: set[str] = field(default_factory=set)   # sources whose DESC rank this scope filters to 1
    output: Rel | None = None

    @property
    def select(self) -> exp.Expr:
        return self.scope.expression

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

    def read_key(self, alias: str) -> ReadKey:
        return (id(self), alias)

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

    def enclosing_names(self, name: str) -> list[str]:
        """The CTE and derived-table names around the scope called ``name``, innermost first (a
        macro's CTEs sit inside the CTE of the model that calls the macro)."""
        scope = next((s for s in self.scopes if s.name == name), None)
        names, node = [], scope.select.parent if scope is not None else None
        while node is not None:
            if isinstance(node, (exp.CTE, exp.Subquery)) and node.alias and node.alias != name:
                names.append(node.alias)
            node = node.parent
        return names

    def readers(self, facts: ScopeFacts) -> list[tuple[ScopeFacts, str]]:
        """``(scope, alias)`` of every read of ``facts``' output (a CTE or derived table) in this model."""
        return [(reader, alias) for reader in self.scopes
                for alias, (_node, source) in reader.scope.selected_sources.items() if source is facts.scope]

    def source_facts(self, facts: ScopeFacts, alias: str) -> ScopeFacts | None:
        """The facts of the scope (CTE, derived table) that ``alias`` selects from in ``facts``, if any."""
        source = facts.scope.selected_sources.get(alias, (None, None))[1]
        return next((s for s in self.scopes if s.scope is source), None) if isinstance(source, Scope) else None


@dataclass
class PassContext:
    """What every pass may read besides the scope it works on: the project's roles, how a table of
    the SQL resolves to a ``Rel``, and the facts of the scopes already done in this model."""

    roles: ProjectRoles
    relation_rel: Callable[[exp.Table], Rel | None]
    done: dict[int, ScopeFacts] = field(default_factory=dict)        # id(Scope) -> facts
    by_select: dict[int, ScopeFacts] = field(default_factory=dict)   # id(scope expression) -> facts
