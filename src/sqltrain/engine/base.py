"""The contract every engine keeps: what the pipeline, the gates, the smell and the exports ask of it.

dbt builds the models on whichever adapter the target names; everything sqltrain does *after*
the build — the as-of range check, the quality gate's batch, row count, label rate, schema, the
AUC smell and the export — asks one ``Engine`` for it, so ``snapshot``, ``validate``, ``backtest``
and the gates stay one code path on every engine (docs/spark.md)::

    with engine_for(project) as engine:          # chosen from the manifest's adapter type
        engine.require_ready()
        engine.count_rows(relation), engine.describe(relation)
        data = engine.export(relation, columns, keys, stage / "data.parquet")

SQL that sqltrain writes itself (the smell, the time-range check) is written once, in DuckDB's
dialect, and passed to ``engine.execute``; an engine with another dialect transpiles it.

A new engine is one module with a subclass of ``Engine`` and one line in
``sqltrain.engine.registry.ENGINES``; ``abc`` refuses to instantiate a subclass that leaves a
method of the contract out.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

if TYPE_CHECKING:
    from ..project import Project


DRIFT_SAMPLE_ROWS = 100_000
"""Where the set lives outside DuckDB (Spark, PostgreSQL), drift reads a seeded sample of at most
this many rows: drift statistics are distribution shapes, which a sample measures."""


def read_as(name: str, sql_type: str | None) -> str:
    """A select item: column ``name`` cast to ``sql_type`` under its own name, or as it is (None).

    >>> read_as("amount", "DOUBLE"), read_as("id", None)
    ('CAST("amount" AS DOUBLE) AS "amount"', '"id"')
    """
    from ..sqlquote import identifier

    return identifier(name) if sql_type is None else f"CAST({identifier(name)} AS {sql_type}) AS {identifier(name)}"


@dataclass(frozen=True)
class ExportedData:
    """What an export wrote: files relative to the snapshot directory and the data's hash."""

    files: list[str]
    sha256: str
    hash_method: str


class Cursor(Protocol):
    """The rows of one query (a DB-API cursor, or rows already fetched)."""

    def fetchone(self) -> tuple | None: ...
    def fetchall(self) -> list[tuple]: ...


class Engine(ABC):
    """The operations sqltrain needs from the engine a model was built on; a context manager
    (``close`` on exit). Relations are named as the engine's SQL names them (``relation_name``
    of the manifest node, or a parenthesised query)."""

    name: ClassVar[str]      # the dbt adapter type this engine reads ("duckdb", "spark")
    dialect: ClassVar[str]   # sqlglot dialect of the engine's SQL
    build_options: ClassVar[tuple[str, ...]] = ()   # extra `dbt build` arguments on this engine
    # the quality gate evaluates its built-in expectations as SQL on this engine (GX writes only
    # the Data Docs, which a child process started ahead of time can do: quality.gx_ahead)
    validates_in_sql: ClassVar[bool] = True

    @classmethod
    @abstractmethod
    def for_project(cls, project: Project) -> Engine:
        """The engine of ``project``'s target, not yet connected (connecting may wait for a lock)."""

    @abstractmethod
    def require_ready(self) -> None:
        """Connect now, or raise a one-line ``SqltrainError`` saying why the engine cannot be read
        (no warehouse file, the file locked by another process, ...)."""

    @abstractmethod
    def execute(self, sql: str) -> Cursor:
        """Run a query written in DuckDB's dialect; rows come back as tuples."""

    @abstractmethod
    def describe(self, relation: str) -> list[dict[str, Any]]:
        """``[{"name", "type"}]`` of ``relation`` in table order, types in the engine's own names."""

    @abstractmethod
    def missing_relation(self, error: Exception) -> bool:
        """True when ``error`` (raised by this engine) says a relation, or a column of one, is not
        there: the only failure a caller may report as "not built" or "check the declaration"."""

    @abstractmethod
    def export(self, relation: str, columns: list[str], keys: list[str], path: Path) -> ExportedData:
        """Write ``relation`` (its ``columns``) as Parquet at ``path`` (``data.parquet``), sorted by ``keys``."""

    @abstractmethod
    def quality_frame(self, relation: str) -> Any:
        """The relation as Great Expectations validates it, in place (decimals as doubles): a Spark
        DataFrame, or on DuckDB the query GX's SQL datasource runs; it has ``columns``."""

    @staticmethod
    def identifier(name: str) -> str:
        """``name`` quoted as an identifier of this engine's own SQL (for SQL that dbt compiles for
        the target, which the engine runs as written)."""
        from ..sqlquote import identifier

        return identifier(name)

    @contextmanager
    def relation_of(self, query: str) -> Iterator[str]:
        """A relation name for the rows of ``query`` (compiled by dbt for this engine), usable by every
        method here while the context lasts: the parenthesised query itself, by default."""
        yield f"({query})"

    def table_name(self, parts: Sequence[str]) -> str:
        """A table named by its (catalog, schema, table) ``parts`` as ``describe`` takes it."""
        return ".".join(parts)

    def count_rows(self, relation: str) -> int:
        """Number of rows of ``relation``."""
        return int(self.execute(f"select count(*) from {relation}").fetchone()[0])

    def label_rate(self, relation: str, label: str | None) -> float | None:
        """Mean of the label over labelled rows, rounded to 6 places (None without a label)."""
        if not label:
            return None
        from ..sqlquote import identifier

        rate = self.execute(f"select avg(cast({identifier(label)} as double)) from {relation}").fetchone()[0]
        return None if rate is None else round(float(rate), 6)

    def drift_frame(self, frame: Any) -> tuple[Any, str]:
        """(a DuckDB connection, a relation on it) holding ``frame`` (a ``quality_frame``) for the
        drift queries, which read the previous snapshot's Parquet on the same connection. Here
        ``frame`` is a pandas DataFrame or an Arrow table (a sample), held by an in-memory DuckDB."""
        import duckdb

        con = duckdb.connect()
        con.execute("SET TimeZone = 'UTC'")
        con.register("current_set", frame)
        return con, "current_set"

    @contextmanager
    def pinned(self, relation: str) -> Iterator[None]:
        """Keep ``relation`` at hand while the gates and the export read it many times (a no-op here)."""
        yield

    def close(self) -> None:
        """Release the connection (idempotent)."""

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
