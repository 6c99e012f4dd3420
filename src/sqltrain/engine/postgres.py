"""The PostgreSQL engine: the built relation read through a psycopg connection to the ``postgres``
target's database (docs/postgres.md).

The export streams: a server-side cursor hands rows over in batches of ``EXPORT_BATCH_ROWS``,
each batch becomes one Arrow record batch appended to the Parquet file, so the process holds one
batch at a time whatever the size of the set. sqltrain's own SQL (the smell, the time-range
check, the built-in expectations) is written in DuckDB's dialect and transpiled by SQLGlot.
The quality gate validates the relation in the database (``PostgresQuery``): the built-in
expectations as SQL, the user's through GX's SQL datasource; drift reads a seeded sample.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..sqlquote import identifier
from .base import DRIFT_SAMPLE_ROWS, Engine, ExportedData, read_as

if TYPE_CHECKING:
    from ..project import Project

EXPORT_BATCH_ROWS = 50_000
"""Rows per fetch of the export's server-side cursor (and per Parquet record batch)."""

_AS_DOUBLE = ("numeric", "decimal")


@dataclass(frozen=True)
class PostgresQuery:
    """The relation as the quality gate validates it, inside PostgreSQL: sqltrain runs the built-in
    expectations through ``engine.execute``, GX the user's through its SQL datasource
    (SQLAlchemy's psycopg dialect, connections of the target); only aggregates and a few sample
    values come back to Python. ``query`` reads in both dialects (DuckDB's, which sqltrain writes
    and transpiles, and PostgreSQL's, which GX sends as is)."""

    engine: PostgresEngine
    relation: str
    query: str
    columns: list[str]
    types: list[str]          # the PostgreSQL type each column is read as (``format_type`` spelling)

    url = "postgresql+psycopg://"
    """The SQLAlchemy URL; the connections themselves come from ``connect``."""

    def connect(self):
        """A DB-API connection for SQLAlchemy's ``creator``: a new psycopg connection to the target."""
        from ..postgres.connect import connect

        return connect(self.engine.project) if self.engine.project is not None else self.engine.con


def arrow_type(pg_type: str):
    """The Arrow type a PostgreSQL column type is exported as (``format_type`` spelling), chosen to
    match what DuckDB writes for the same data: naive timestamps stay naive, numerics keep scale.

    >>> str(arrow_type("numeric(10,2)")), str(arrow_type("timestamp without time zone")), str(arrow_type("bigint"))
    ('decimal128(10, 2)', 'timestamp[us]', 'int64')
    """
    import pyarrow as pa

    numeric = re.fullmatch(r"numeric\((\d+),(\d+)\)", pg_type)
    if numeric:
        return pa.decimal128(int(numeric[1]), int(numeric[2]))
    simple = {
        "bigint": pa.int64(), "integer": pa.int32(), "smallint": pa.int16(), "boolean": pa.bool_(),
        "double precision": pa.float64(), "real": pa.float32(), "text": pa.string(), "date": pa.date32(),
        "timestamp without time zone": pa.timestamp("us"), "timestamp with time zone": pa.timestamp("us", tz="UTC"),
        # unconstrained numeric (what sum() and avg() of a numeric give): no scale to keep; DuckDB's
        # avg is a double too (docs/postgres.md)
        "numeric": pa.float64(),
    }
    if pg_type in simple:
        return simple[pg_type]
    if pg_type.startswith(("character varying", "character")):
        return pa.string()
    return pa.string()           # anything else travels as its text form


def _arrow_column(values: list, type_):
    """One column of a fetched batch; an unconstrained numeric's Decimals become doubles."""
    import pyarrow as pa

    if pa.types.is_floating(type_):
        values = [None if v is None else float(v) for v in values]
    return pa.array(values, type=type_)


def _validated_type(type_: str) -> str | None:
    """The type the gate reads a column as (None: its own): numerics as double precision (as
    DuckDB's decimals), booleans as 0/1 (so a boolean label has a mean)."""
    return "double precision" if type_.startswith(_AS_DOUBLE) else "integer" if type_ == "boolean" else None


def _record_batches(cursor, schema):
    """The cursor's rows as Arrow record batches of ``schema``, ``EXPORT_BATCH_ROWS`` at a time."""
    import pyarrow as pa

    while rows := cursor.fetchmany(EXPORT_BATCH_ROWS):
        yield pa.RecordBatch.from_arrays(
            [_arrow_column([r[i] for r in rows], field.type) for i, field in enumerate(schema)], schema=schema)


class PostgresEngine(Engine):
    """The database of the project's ``postgres`` target; the connection opens on first use."""

    name = "postgres"
    dialect = "postgres"

    def __init__(self, project: Project | None, con=None):
        self.project = project
        self._con = con

    @classmethod
    def for_project(cls, project: Project) -> PostgresEngine:
        return cls(project)

    @classmethod
    def over(cls, con) -> PostgresEngine:
        """An engine over an open psycopg connection (autocommit); ``close`` closes it."""
        return cls(None, con)

    @property
    def con(self):
        if self._con is None:
            from ..postgres.connect import connect

            self._con = connect(self.project, autocommit=True)
        return self._con

    def require_ready(self) -> None:
        """Connect now: an unreachable server is one line naming host and port."""
        _ = self.con

    def execute(self, sql: str):
        """Transpile sqltrain's DuckDB-dialect SQL to PostgreSQL and run it."""
        import sqlglot

        (pg_sql,) = sqlglot.transpile(sql, read="duckdb", write="postgres")
        return self.con.execute(pg_sql)

    def _query(self, sql: str, params: Sequence[Any] = ()):
        """Run PostgreSQL SQL as written (sqltrain's own, with bind parameters)."""
        return self.con.execute(sql, params)

    def describe(self, relation: str) -> list[dict[str, Any]]:
        """Columns and their ``format_type`` names (``bigint``, ``numeric(10,2)``, ``timestamp without time zone``)."""
        rows = self._query(
            "select a.attname, format_type(a.atttypid, a.atttypmod) from pg_attribute a "
            "where a.attrelid = %s::regclass and a.attnum > 0 and not a.attisdropped order by a.attnum",
            [relation]).fetchall()
        return [{"name": name, "type": type_} for name, type_ in rows]

    def missing_relation(self, error: Exception) -> bool:
        """A table, schema or column that is not there (regclass's cast says UndefinedTable too)."""
        from psycopg import errors

        return isinstance(error, (errors.UndefinedTable, errors.UndefinedColumn, errors.InvalidSchemaName,
                                  errors.InvalidCatalogName))

    def table_name(self, parts: Sequence[str]) -> str:
        return ".".join(identifier(p) for p in parts)

    def count_rows(self, relation: str) -> int:
        return int(self._query(f"select count(*) from {relation}").fetchone()[0])

    def export(self, relation: str, columns: list[str], keys: list[str], path: Path) -> ExportedData:
        """One file, ``data.parquet``, rows sorted by ``keys`` then every other column (as DuckDB
        writes them), streamed through a server-side cursor; its bytes are the data's hash."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        from ..snapshotting.export import sha256_of

        types = {c["name"]: c["type"] for c in self.describe(relation)}
        schema = pa.schema([(c, arrow_type(types[c])) for c in columns])
        order = ", ".join(identifier(c) for c in [*keys, *(c for c in columns if c not in keys)])
        select = ", ".join(identifier(c) for c in columns)
        with self.con.transaction(), self.con.cursor(name="sqltrain_export") as cursor:
            cursor.itersize = EXPORT_BATCH_ROWS
            cursor.execute(f"select {select} from {relation} order by {order}")
            with pq.ParquetWriter(str(path), schema, compression="zstd") as writer:
                for batch in _record_batches(cursor, schema):
                    writer.write_batch(batch)
        return ExportedData(files=[path.name], sha256=sha256_of(path), hash_method="sha256 of the file")

    def quality_frame(self, relation: str) -> PostgresQuery:
        """The query the gate validates in the database (``_validated_type``: nothing read into Python)."""
        described = [(c["name"], c["type"], _validated_type(c["type"])) for c in self.describe(relation)]
        select = ", ".join(read_as(name, as_type) for name, _, as_type in described)
        return PostgresQuery(self, relation, f"SELECT {select} FROM {relation}", [name for name, _, _ in described],
                             [as_type or type_ for _, type_, as_type in described])

    def drift_frame(self, frame: PostgresQuery):
        """A seeded sample of at most ``DRIFT_SAMPLE_ROWS`` rows (``TABLESAMPLE BERNOULLI …
        REPEATABLE (0)``: the same rows for the same table), streamed into an in-memory DuckDB,
        where drift reads it beside the previous snapshot's Parquet (as on Spark)."""
        import pyarrow as pa

        rows = self.count_rows(frame.relation)
        sample = (f" TABLESAMPLE BERNOULLI ({100.0 * DRIFT_SAMPLE_ROWS / rows!r}) REPEATABLE (0)"
                  if rows > DRIFT_SAMPLE_ROWS else "")
        schema = pa.schema([(c, arrow_type(t)) for c, t in zip(frame.columns, frame.types)])
        cursor = self._query(f"{frame.query}{sample}")
        return super().drift_frame(pa.Table.from_batches(list(_record_batches(cursor, schema)), schema=schema))

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None
