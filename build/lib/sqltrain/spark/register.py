"""Register exported Parquet tables in the catalog of the ``spark`` target (through dbt)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from ..dbt_invoke import invoke
from ..project import Project
from .parquet import ExportedTable
from .settings import pin_spark_dir


def register_tables(project: Project, tables: Iterable[ExportedTable], target_path: str | None = None) -> None:
    """``CREATE TABLE schema.name USING parquet LOCATION ...`` for each table, in the project's target.

    Runs the ``register_parquet_tables`` macro with ``dbt run-operation``, so the tables land in
    the metastore that the same target's ``dbt build`` reads: no second copy of Spark settings.
    """
    pin_spark_dir(project.project_dir)
    payload = [{"schema": t.schema, "name": t.name, "location": str(t.location)} for t in tables]
    invoke(project, ["run-operation", "register_parquet_tables", "--args", json.dumps({"tables": payload})],
           target_path=target_path)
