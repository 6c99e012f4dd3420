"""The DuckDB engine: the built relation read through a read-only connection to the warehouse file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from ..sqlquote import identifier
from .base import Engine, ExportedData, read_as

if TYPE_CHECKING:
    from ..project import Project

_AS_DOUBLE = ("DECIMAL", "HUGEINT", "UHUGEINT")
"""Types Great Expectations would see as Python objects: read as DOUBLE so means and ranges compare."""


@dataclass(frozen=True)
class WarehouseQuery:
    """A query over the warehouse file, validated where it lives: sqltrain runs the built-in
    expectations on it through ``engine.execute`` (``quality.sql_expectations``), GX the user's
    through its SQL datasource (SQLAlchemy's ``duckdb`` dialect, read-only, the same database instance and so the
    same ``memory_limit``); only aggregates and a few sample values come back to Python."""

    engine: DuckDBEngine
    query: str
    columns: list[str]

    url = "duckdb://"
    """The SQLAlchemy URL; the connections themselves come from ``connect``."""

    def connect(self):
        """A DB-API connection for SQLAlchemy's ``creator``: a cursor of the engine's own
        connection (the same database instance, so the same memory_limit, threads and
        temp_directory), wrapped as the ``duckdb`` dialect expects."""
        from duckdb_engine import ConnectionWrapper

        class ReadOnly(ConnectionWrapper):
            """Each query in its own (auto-committed) transaction: nothing to begin, commit or roll
            back on a read-only connection; and a ROLLBACK would drop the result SQLAlchemy has not
            fetched yet (GX fetches after the connection is returned to the pool, which rolls back)."""

            def begin(self) -> None:
                pass

            def commit(self) -> None:
                pass

            def rollback(self) -> None:
                pass

        cursor = self.engine.con.cursor()
        cursor.execute("SET TimeZone = 'UTC'")
        self.engine._cursors.append(cursor)      # closed with the engine: the file is released then
        return ReadOnly(cursor)


def _validated_type(type_: str) -> str | None:
    """The type the gate reads a column as (None: its own): decimals and 128-bit integers as DOUBLE,
    booleans as 0/1."""
    return "DOUBLE" if type_.startswith(_AS_DOUBLE) else "TINYINT" if type_ == "BOOLEAN" else None


class DuckDBEngine(Engine):
    """The warehouse file ``path``; the connection opens on first use (after dbt has released it).

    ``wait_lock``: seconds to keep retrying while another process holds the file (0: fail at once
    with ``WarehouseLocked``).

    >>> engine = DuckDBEngine.over(duckdb.connect())
    >>> _ = engine.execute("create table t as select 1.5::decimal(4, 1) as x, 1 as y")
    >>> engine.describe("t"), engine.count_rows("t"), engine.label_rate("t", "y")
    ([{'name': 'x', 'type': 'DECIMAL(4,1)'}, {'name': 'y', 'type': 'INTEGER'}], 1, 1.0)
    >>> engine.quality_frame("t").query
    'SELECT CAST("x" AS DOUBLE) AS "x", "y" FROM t'
    """

    name = "duckdb"
    dialect = "duckdb"

    def __init__(self, path: Path | None, settings: dict[str, str] | None = None, wait_lock: float = 0.0):
        self.path = Path(path) if path is not None else None
        self.settings = settings or {}              # the profile's DuckDB settings (memory_limit, ...)
        self.wait_lock = wait_lock
        self._con: duckdb.DuckDBPyConnection | None = None
        self._cursors: list[duckdb.DuckDBPyConnection] = []   # GX's connections (``WarehouseQuery.connect``)

    @classmethod
    def for_project(cls, project: Project) -> DuckDBEngine:
        """The project's warehouse file with its target's settings: the one place the engine
        learns which file to open."""
        return cls(project.warehouse_path(), settings=project.duckdb_settings(), wait_lock=project.wait_lock)

    @classmethod
    def over(cls, con: duckdb.DuckDBPyConnection) -> DuckDBEngine:
        """An engine over a connection already open (an in-memory database, a test's); ``close``
        closes it."""
        engine = cls(None)
        engine._con = con
        return engine

    def require_ready(self) -> None:
        """The file must exist (dbt-duckdb would silently create an empty one) and be free to read:
        ``WarehouseLocked`` once ``wait_lock`` has passed with another process writing it."""
        _ = self.con

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            from ..lock import waiting_for_lock
            from ..warehouse import connect, require_warehouse_file

            require_warehouse_file(self.path)
            self._con = waiting_for_lock(lambda: connect(self.path, read_only=True, settings=self.settings),
                                         self.wait_lock)
        return self._con

    def execute(self, sql: str):
        return self.con.execute(sql)

    def describe(self, relation: str) -> list[dict[str, Any]]:
        from ..snapshotting.export import describe

        return describe(self.con, relation)

    def missing_relation(self, error: Exception) -> bool:
        """A table (CatalogException) or a column (BinderException) that is not there."""
        return isinstance(error, (duckdb.CatalogException, duckdb.BinderException))

    def table_name(self, parts: Sequence[str]) -> str:
        return ".".join(identifier(p) for p in parts)

    def export(self, relation: str, columns: list[str], keys: list[str], path: Path) -> ExportedData:
        """One file, ``data.parquet``, written in a fixed row order: its bytes are the data's hash."""
        from ..snapshotting.export import export_parquet, sha256_of

        export_parquet(self.con, relation, columns, keys, path)
        return ExportedData(files=[path.name], sha256=sha256_of(path), hash_method="sha256 of the file")

    def quality_frame(self, relation: str) -> WarehouseQuery:
        """The query GX validates inside DuckDB (nothing is read into Python); decimals and 128-bit
        integers as DOUBLE, booleans as 0/1 (so a boolean label has a mean)."""
        columns = self.describe(relation)
        select = ", ".join(read_as(c["name"], _validated_type(c["type"])) for c in columns)
        return WarehouseQuery(self, f"SELECT {select} FROM {relation}", [c["name"] for c in columns])

    def drift_frame(self, frame: WarehouseQuery) -> tuple[duckdb.DuckDBPyConnection, str]:
        """The warehouse connection and the query as a relation: drift reads it in DuckDB."""
        return self.con, f"({frame.query})"

    def close(self) -> None:
        while self._cursors:
            self._cursors.pop().close()
        if self._con is not None:
            self._con.close()
            self._con = None
