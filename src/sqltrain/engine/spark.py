"""The Spark engine: the built relation read through the SparkSession dbt-spark runs in-process.

dbt-spark's ``session`` method starts Spark inside this process with the target's settings
(profiles.yml); sqltrain never configures a session of its own, it attaches to that one. Work
runs on the executors; the driver only receives one-row aggregates, file listings and, for the
drift comparison, a bounded sample.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..project import Project
from .base import DRIFT_SAMPLE_ROWS, Engine, ExportedData

_AS_DOUBLE = ("decimal",)

PART_VIEW = "__sqltrain_part"
"""The temporary view ``relation_of`` names the rows of a query by (one at a time per session)."""


def spark_session(project: Project):
    """The SparkSession of the project's Spark target, started by dbt if this process has none yet."""
    from pyspark import SparkContext
    from pyspark.sql import SparkSession

    if SparkContext._active_spark_context is None:
        from ..dbt_invoke import invoke

        # one trivial query through dbt opens the session with exactly the target's settings
        invoke(project, ["show", "--inline", "select 1 as ok", "--limit", "1"])
    return SparkSession.builder.getOrCreate()


class _Rows:
    """A DB-API-like cursor over rows already fetched (one-row aggregates and short lists)."""

    def __init__(self, rows):
        self._rows = [tuple(r) for r in rows]

    def fetchone(self):
        return self._rows[0] if self._rows else None

    def fetchall(self):
        return list(self._rows)


class SparkEngine(Engine):
    """The project's Spark session (dbt-spark's ``session`` method)."""

    name = "spark"
    dialect = "spark"
    # dbt-spark runs snapshots only on Delta/Iceberg/Hudi tables; the demo's snapshot history is
    # registered from Parquet instead (docs/spark.md), so building it would fail.
    build_options = ("--exclude", "resource_type:snapshot")
    validates_in_sql = False   # GX validates the Spark DataFrame in this process

    def __init__(self, spark):
        self.spark = spark

    @classmethod
    def for_project(cls, project: Project) -> "SparkEngine":
        return cls(spark_session(project))

    def require_ready(self) -> None:
        """Nothing to check: the session exists (``spark_session`` started it)."""

    def missing_relation(self, error: Exception) -> bool:
        """Spark's AnalysisException: the table (or a column it names) is not in the catalog."""
        from pyspark.errors import AnalysisException

        return isinstance(error, AnalysisException)

    def relation(self, relation: str):
        from ..spark.relation import SparkRelation

        return SparkRelation(self.spark, relation)

    @contextmanager
    def pinned(self, relation: str) -> Iterator[None]:
        """Cache the table in the session while the gates, the smell (~3 queries a feature), the
        write and the hash read it, instead of reading its Parquet files each time."""
        self.spark.catalog.cacheTable(relation)
        try:
            yield
        finally:
            self.spark.catalog.uncacheTable(relation)

    @staticmethod
    def identifier(name: str) -> str:
        from ..sqlquote import spark_identifier

        return spark_identifier(name)

    @contextmanager
    def relation_of(self, query: str) -> Iterator[str]:
        """A cached temporary view of ``query`` (Spark SQL as dbt compiled it, run untranspiled): the
        DataFrame methods read tables by name, and the smell reads the rows many times."""
        self.spark.sql(query).createOrReplaceTempView(PART_VIEW)
        self.spark.catalog.cacheTable(PART_VIEW)
        try:
            yield PART_VIEW
        finally:
            self.spark.catalog.uncacheTable(PART_VIEW)
            self.spark.catalog.dropTempView(PART_VIEW)

    def execute(self, sql: str) -> _Rows:
        """Transpile sqltrain's DuckDB-dialect SQL to Spark SQL and collect its (small) result."""
        import sqlglot

        (spark_sql,) = sqlglot.transpile(sql, read="duckdb", write="spark")
        return _Rows(self.spark.sql(spark_sql).collect())

    def describe(self, relation: str) -> list[dict[str, Any]]:
        return self.relation(relation).describe()

    def count_rows(self, relation: str) -> int:
        return self.relation(relation).count_rows()

    def export(self, relation: str, columns: list[str], keys: list[str], path: Path) -> ExportedData:
        """Part files under the directory ``path``, written by the executors; the hash is Spark's
        multiset hash of the rows (``SparkRelation.data_hash``), independent of order and partitioning."""
        rel = self.relation(relation)
        parts = rel.write_parquet(path, keys)
        for marker in [*path.glob("_SUCCESS"), *path.glob(".*.crc")]:   # Hadoop's bookkeeping files
            marker.unlink()
        return ExportedData(
            files=[str(p.relative_to(path.parent)) for p in parts],
            sha256=rel.data_hash(),
            hash_method="multiset: sha256 over the sums of each row's sha256 (order- and partition-independent)",
        )

    def quality_frame(self, relation: str):
        """A Spark DataFrame (GX validates it where it lives); decimals cast to double as on DuckDB."""
        from pyspark.sql import functions as F

        from ..sqlquote import spark_identifier

        frame = self.spark.table(relation)
        return frame.select(*[
            F.col(spark_identifier(f.name)).cast("double").alias(f.name) if f.dataType.typeName() in _AS_DOUBLE
            else F.col(spark_identifier(f.name))
            for f in frame.schema.fields
        ])

    def drift_frame(self, frame):
        """A seeded sample of at most ``DRIFT_SAMPLE_ROWS`` rows, held by an in-memory DuckDB on the
        driver (drift statistics are distribution shapes: a sample measures them without bringing
        the set to the driver)."""
        rows = frame.count()
        if rows > DRIFT_SAMPLE_ROWS:
            frame = frame.sample(fraction=DRIFT_SAMPLE_ROWS / rows, seed=0)
        return super().drift_frame(frame.toPandas())
