"""Load the demo warehouse into the local Spark of the ``spark`` target.

    python -m sqltrain.spark.demo [--warehouse warehouse/demo.duckdb] [--project-dir .]

exports ``raw.*`` and ``snapshots.customers_snapshot`` to ``$SQLTRAIN_SPARK_DIR/parquet``
(default ``.spark/parquet``) and registers them, after which
``dbt build --target spark --exclude resource_type:snapshot`` builds the demo on Spark
(docs/spark.md says why the snapshot node is excluded).
"""

from __future__ import annotations

import os
import sys

from ..demo_loading import demo_loader_args
from ..project import Project
from .parquet import ExportedTable, export_parquet
from .register import register_tables
from .settings import pin_spark_dir


def load_demo(project: Project, warehouse: str | os.PathLike, target_path: str | None = None) -> list[ExportedTable]:
    """Export the DuckDB ``warehouse`` to Parquet and register its tables in ``project``'s Spark target."""
    parquet_dir = pin_spark_dir(project.project_dir) / "parquet"
    tables = export_parquet(warehouse, parquet_dir)
    register_tables(project, tables, target_path=target_path)
    return tables


def main(argv: list[str] | None = None) -> int:
    args = demo_loader_args("python -m sqltrain.spark.demo", __doc__.splitlines()[0], "spark", argv)
    if args is None:
        return 2
    project = Project.open(args.project_dir, target=args.target)
    for t in load_demo(project, args.warehouse):
        print(f"{t.qualified:40s} {t.rows:>10,d} rows  {t.location}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
