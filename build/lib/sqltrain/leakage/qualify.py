"""Parse and qualify a model's compiled SQL, and attribute the columns qualify could not.

``sqlglot.optimizer.qualify`` prefixes every column with its source when it knows the
columns of the tables read. A project without column lists in its YAML and without
``target/catalog.json`` gives it none, so ``select ordered_at from raw.orders`` keeps an
unprefixed ``ordered_at``. This module attributes such a column the way the database would have
to: to the only source of its scope; failing that, to the only source without a known column
list that declares it in its role (``event_ts``, ``cutoff``, ``entity``…), or to the only source
without a column list at all. What stays ambiguous is reported per source, once, as "no column
list" — never guessed into a finding.

>>> tree, unseen = qualified("select customer_id from raw.orders where ordered_at < '2025-01-01'", {})
>>> tree.sql()
"SELECT orders.customer_id AS customer_id FROM raw.orders AS orders WHERE orders.ordered_at < '2025-01-01'"
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError
from sqlglot.optimizer.qualify import qualify
from sqlglot.optimizer.scope import Scope, traverse_scope, walk_in_scope

_CACHE: dict[str, tuple[exp.Expr, frozenset[str]]] = {}


@dataclass(frozen=True)
class TableColumns:
    """What the project says about a table's columns: the full list (None: not known) and the
    column names its role declares (time, cutoff, entity, label…)."""

    name: str                                  # how a note names the relation
    known: frozenset[str] | None
    declared: frozenset[str] = frozenset()


def qualified(sql: str, schema: dict, dialect: str = "duckdb",
              describe: Callable[[exp.Table], TableColumns | None] | None = None) -> tuple[exp.Expr, frozenset[str]]:
    """``(tree, unseen)``: the qualified tree, and the relations whose missing column lists left a
    column unattributed. Parsed and qualified once per (SQL, columns of the tables it reads)."""
    parsed = sqlglot.parse_one(sql, dialect=dialect)
    needed = _schema_subset(parsed, schema)
    tables = {t.sql(): describe(t) if describe else None for t in parsed.find_all(exp.Table)}
    key = hashlib.sha1((dialect + sql + repr(needed) + repr(sorted(tables.items(), key=str))).encode()).hexdigest()
    cached = _CACHE.get(key)
    if cached is None:
        try:
            tree = qualify(parsed, schema=needed or None, dialect=dialect, validate_qualify_columns=False,
                           quote_identifiers=False, identify=False)
        except SqlglotError:
            tree = qualify(sqlglot.parse_one(sql, dialect=dialect), dialect=dialect,
                           validate_qualify_columns=False, quote_identifiers=False, identify=False)
        unseen = attribute_columns(tree, needed, describe)
        if len(_CACHE) > 2048:
            _CACHE.clear()
        cached = _CACHE[key] = (tree, unseen)
    return cached


def attribute_columns(tree: exp.Expr, schema: dict,
                      describe: Callable[[exp.Table], TableColumns | None] | None = None) -> frozenset[str]:
    """Prefix the unprefixed columns of every scope with their source where only one source can
    hold them; returns the names of the relations that left a column ambiguous."""
    unseen: set[str] = set()
    for scope in traverse_scope(tree):
        sources = {alias: _columns_of(source, schema, describe) for alias, (_n, source) in scope.selected_sources.items()}
        if not sources:
            continue
        outputs = {s.alias_or_name.lower() for s in getattr(scope.expression, "selects", [])}
        for column in [n for n in walk_in_scope(scope.expression) if isinstance(n, exp.Column)]:
            if column.table or isinstance(column.this, exp.Star):
                continue
            name = column.name.lower()
            if name in outputs and column.find_ancestor(exp.Order, exp.Select) is not None \
                    and isinstance(column.find_ancestor(exp.Order, exp.Select), exp.Order):
                continue                 # ORDER BY reference to a projection
            owner = _owner(name, sources)
            if owner is not None:
                column.set("table", exp.to_identifier(owner))
            elif not any(c.known is not None and name in c.known for c in sources.values()):
                unseen |= {c.name for c in sources.values() if c.known is None and c.name}
    return frozenset(unseen)


def _owner(name: str, sources: dict[str, TableColumns]) -> str | None:
    if any(c.known is not None and name in c.known for c in sources.values()):
        return None                      # qualify left it alone for a reason (an alias, an outer column)
    if len(sources) == 1:
        return next(iter(sources))
    unknown = [a for a, c in sources.items() if c.known is None]
    declaring = [a for a in unknown if name in sources[a].declared]
    if len(declaring) == 1:
        return declaring[0]
    return unknown[0] if len(unknown) == 1 else None


def _columns_of(source, schema: dict, describe) -> TableColumns:
    if isinstance(source, exp.Table):
        known = _schema_columns(source, schema)
        info = describe(source) if describe else None
        if known is None and info is not None and info.known is not None:
            known = info.known
        return TableColumns(info.name if info else source.name, known, info.declared if info else frozenset())
    if isinstance(source, Scope):
        selects = getattr(source.expression, "selects", None)
        if selects is None or any(isinstance(s, exp.Star) or (isinstance(s, exp.Column) and isinstance(s.this, exp.Star))
                                  for s in selects):
            return TableColumns("", None)
        return TableColumns("", frozenset(s.alias_or_name.lower() for s in selects))
    return TableColumns("", None)


def _schema_columns(table: exp.Table, schema: dict) -> frozenset[str] | None:
    found = _schema_subset(table, schema)
    for dbs in found.values():
        for tables in dbs.values():
            for columns in tables.values():
                return frozenset(columns)
    return None


def _schema_subset(tree: exp.Expr, schema: dict) -> dict:
    """The part of ``schema`` (catalog -> db -> table -> columns) that ``tree``'s tables name."""
    subset: dict = {}
    tables = [tree] if isinstance(tree, exp.Table) else tree.find_all(exp.Table)
    for table in tables:
        name, db, catalog = table.name.lower(), table.db.lower(), table.catalog.lower()
        for cat_name, dbs in schema.items():
            if catalog and cat_name != catalog:
                continue
            for db_name, tables_of in dbs.items():
                if db and db_name != db:
                    continue
                if name in tables_of:
                    subset.setdefault(cat_name, {}).setdefault(db_name, {})[name] = tables_of[name]
    return subset
