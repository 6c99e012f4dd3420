"""The engine a command reads the built training set through: a DuckDB file or a Spark session.

dbt builds the models on whichever adapter the target names; everything sqltrain does *after*
the build — the as-of range check, the quality gate's batch, row count, label rate, schema, the
AUC smell and the export — asks one ``Engine`` for it, so ``snapshot``, ``validate`` and the
gates stay one code path on both engines (docs/spark.md)::

    with engine_for(project) as engine:          # chosen from the manifest's adapter type
        engine.count_rows(relation), engine.describe(relation)
        data = engine.export(relation, keys, stage / "data.parquet")

SQL that sqltrain writes itself (the smell, the time-range check) is written once, in DuckDB's
dialect, and passed to ``engine.execute``; the Spark engine transpiles it with SQLGlot.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ..project import Project


@dataclass(frozen=True)
class ExportedData:
    """What an export wrote: files relative to the snapshot directory and the data's hash."""

    files: list[str]
    sha256: str
    hash_method: str


class Cursor(Protocol):
    def fetchone(self) -> tuple | None: ...
    def fetchall(self) -> list[tuple]: ...


class Engine:
    """The operations the pipeline needs from the engine the model was built on (a context manager)."""

    name: str        # "duckdb" or "spark" (the dbt adapter type)
    dialect: str     # sqlglot dialect of the engine's SQL

    def execute(self, sql: str) -> Cursor:
        """Run a query written in DuckDB's dialect; rows come back as tuples."""
        raise NotImplementedError

    def describe(self, relation: str) -> list[dict[str, Any]]:
        """``[{"name", "type"}]`` of ``relation`` in table order, types in the engine's own names."""
        raise NotImplementedError

    def count_rows(self, relation: str) -> int:
        return int(self.execute(f"select count(*) from {relation}").fetchone()[0])

    def label_rate(self, relation: str, label: str | None) -> float | None:
        """Mean of the label over labelled rows, rounded to 6 places (None without a label)."""
        if not label:
            return None
        from ..sqlquote import identifier

        rate = self.execute(f"select avg(cast({identifier(label)} as double)) from {relation}").fetchone()[0]
        return None if rate is None else round(float(rate), 6)

    def export(self, relation: str, columns: list[str], keys: list[str], path: Path) -> ExportedData:
        """Write ``relation`` (its ``columns``) as Parquet at ``path`` (``data.parquet``), sorted by ``keys``."""
        raise NotImplementedError

    def quality_frame(self, relation: str):
        """The relation as the DataFrame Great Expectations validates (decimals as doubles)."""
        raise NotImplementedError

    def drift_frame(self, frame):
        """A pandas DataFrame of ``frame`` for the drift comparison."""
        return frame

    @contextmanager
    def pinned(self, relation: str) -> Iterator[None]:
        """Keep ``relation`` at hand while the gates and the export read it many times (a no-op here)."""
        yield

    def close(self) -> None:
        pass

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def adapter_type(project: Project) -> str:
    """The dbt adapter type of the project's target, from its manifest (``duckdb`` without one)."""
    try:
        manifest = project.manifest()
    except Exception:  # no manifest yet: the default target is DuckDB
        return "duckdb"
    return str((manifest.get("metadata") or {}).get("adapter_type") or "duckdb").lower()


def engine_for(project: Project, warehouse: Path | None = None) -> Engine:
    """The engine of ``project``'s target: Spark for dbt-spark, else the DuckDB file ``warehouse``
    (default: the resolved dbt target's ``path``). Use it as a context manager, or ``close()``."""
    if adapter_type(project) == "spark":
        from .spark import SparkEngine

        return SparkEngine.for_project(project)
    from .duckdb import DuckDBEngine

    return DuckDBEngine(Path(warehouse) if warehouse is not None else project.warehouse_path(),
                        settings=project.duckdb_settings())


def export_parquet(engine: Engine, relation: str, columns: list[str], keys: list[str], path: Path) -> ExportedData:
    """The snapshot's data export, by whichever engine built the relation."""
    return engine.export(relation, columns, keys, path)


def build_command(project: Project, model: str) -> list[str]:
    """``dbt build`` of ``model`` and its upstream; on Spark without the snapshot nodes.

    dbt-spark runs snapshots only on Delta/Iceberg/Hudi tables; the demo's snapshot history is
    registered from Parquet instead (docs/spark.md), so building it would fail.
    """
    from ..dbt_invoke import build_command as dbt_build

    command = dbt_build(model)
    if adapter_type(project) == "spark":
        command += ["--exclude", "resource_type:snapshot"]
    return command


__all__ = ["Engine", "ExportedData", "adapter_type", "build_command", "engine_for", "export_parquet"]
