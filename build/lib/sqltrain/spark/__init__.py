"""Apache Spark as sqltrain's scale-out engine, through dbt-spark (docs/spark.md).

The models and macros are the same on both engines; what differs is where the raw tables
live. On DuckDB they are tables of one file; on Spark they are Parquet files registered as
external tables of the Hive metastore, which is what a loader does on a real cluster:

    >>> from sqltrain.spark import export_parquet, register_tables  # doctest: +SKIP
    >>> tables = export_parquet("warehouse/demo.duckdb", ".spark/raw")   # DuckDB -> Parquet  # doctest: +SKIP
    >>> register_tables(project, tables)          # CREATE TABLE raw.x USING parquet LOCATION ...  # doctest: +SKIP

``python -m sqltrain.spark.demo`` does both for the demo warehouse. Spark settings live only
in the ``spark`` target of profiles.yml; this package never builds a SparkSession of its own
configuration, so dbt and sqltrain always share one (``local_settings`` below is for tests).
"""

from .parquet import ExportedTable, export_parquet
from .register import register_tables
from .settings import SPARK_DIR_ENV, spark_dir

__all__ = ["ExportedTable", "export_parquet", "register_tables", "SPARK_DIR_ENV", "spark_dir"]
