"""Load the demo warehouse into the local Spark of the ``spark`` target.

    python -m sqltrain.spark.demo [--warehouse warehouse/demo.duckdb] [--project-dir .]

exports ``raw.*`` and ``snapshots.customers_snapshot`` to ``$SQLTRAIN_SPARK_DIR/parquet``
(default ``.spark/parquet``) and registers them, after which
``dbt build --target spark --exclude resource_type:snapshot`` builds the demo on Spark
(docs/spark.md says why the snapshot node is excluded).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

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
    parser = argparse.ArgumentParser(prog="python -m sqltrain.spark.demo", description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", default=os.environ.get("SQLTRAIN_WAREHOUSE", "warehouse/demo.duckdb"))
    parser.add_argument("--project-dir", default=".")
    parser.add_argument("--target", default="spark")
    args = parser.parse_args(argv)
    if not Path(args.warehouse).is_file():
        print(f"{args.warehouse}: no DuckDB warehouse; run `make warehouse` first", file=sys.stderr)
        return 2
    project = Project.open(args.project_dir, target=args.target)
    for t in load_demo(project, args.warehouse):
        print(f"{t.qualified:40s} {t.rows:>10,d} rows  {t.location}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
