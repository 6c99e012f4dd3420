"""Where a suspicious feature comes from: the upstream table columns of a compiled model's output column."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..engine import Engine


def feature_lineage(compiled_sql: str, column: str, engine: Engine | None = None) -> list[str]:
    """``["schema.table.column", ...]`` that ``column`` of ``compiled_sql`` is computed from, sorted.

    Follows the column through CTEs, joins and subqueries with SQLGlot's lineage, in the engine's
    dialect (DuckDB's without one). With an ``engine`` the tables' columns are read from the
    warehouse first, so ``select *`` and ``join ... using`` resolve; without one the lineage may
    stop early. Returns an empty list when the SQL cannot be analysed (the report then simply
    has no lineage for that feature).

    >>> feature_lineage("with a as (select t.x + 1 as y from db.main.t as t) select a.y from a", "y")
    ['main.t.x']
    """
    from sqlglot import exp, parse_one
    from sqlglot.errors import SqlglotError
    from sqlglot.lineage import lineage

    dialect = engine.dialect if engine is not None else "duckdb"
    try:
        tree = parse_one(compiled_sql, dialect=dialect)
        schema = _schema_of(tree, engine) if engine is not None else None
        root = lineage(column, tree, schema, dialect=dialect)
    except (SqlglotError, ValueError, KeyError, AttributeError, RecursionError):
        return []
    found = set()
    for node in root.walk():
        if node.downstream or not isinstance(node.source, exp.Table):
            continue
        table = node.source
        found.add(".".join([*(p for p in (table.db, table.name) if p), node.name.split(".")[-1]]))
    return sorted(found)


def _schema_of(tree, engine: Engine) -> dict[str, Any]:
    """``{catalog: {schema: {table: {column: type}}}}`` of the warehouse tables the query reads."""
    from sqlglot import exp

    from .auc import columns_of

    ctes = {cte.alias for cte in tree.find_all(exp.CTE)}
    schema: dict[str, Any] = {}
    for table in tree.find_all(exp.Table):
        if not table.name or (not table.db and table.name in ctes):    # a table function, a CTE
            continue
        parts = [p for p in (table.catalog, table.db, table.name) if p]
        try:
            columns = columns_of(engine, engine.table_name(parts))
        except Exception as error:
            if not engine.missing_relation(error):
                raise
            continue          # not a table the warehouse has: the lineage stops there
        level = schema
        for part in (table.catalog, table.db):
            if part:
                level = level.setdefault(part, {})
        level[table.name] = {c[0]: c[1] for c in columns}
    return schema
