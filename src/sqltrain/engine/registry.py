"""Which engine reads a project's built models: one entry per dbt adapter type.

Adding an engine is one module (a subclass of ``sqltrain.engine.base.Engine``) and one line in
``ENGINES``; tests/test_engine_contract.py checks that every entry keeps the whole contract.
"""

from __future__ import annotations

from ..errors import UsageError
from ..project import Project
from .base import Engine, ExportedData
from .duckdb import DuckDBEngine
from .postgres import PostgresEngine
from .spark import SparkEngine

ENGINES: dict[str, type[Engine]] = {
    "duckdb": DuckDBEngine,
    "spark": SparkEngine,
    "postgres": PostgresEngine,
}
"""``{dbt adapter type: Engine class}``."""

DEFAULT_ADAPTER = "duckdb"
"""The adapter of a project that has no manifest yet (the demo profile's)."""


def adapter_type(project: Project) -> str:
    """The dbt adapter type of the project's target, from its manifest (``duckdb`` without one)."""
    try:
        manifest = project.manifest()
    except UsageError:  # no manifest yet: the default target is DuckDB
        return DEFAULT_ADAPTER
    return str((manifest.get("metadata") or {}).get("adapter_type") or DEFAULT_ADAPTER).lower()


def engine_class(adapter: str) -> type[Engine]:
    """The ``Engine`` subclass for dbt adapter type ``adapter``; UsageError for one sqltrain cannot read."""
    try:
        return ENGINES[adapter]
    except KeyError:
        raise UsageError(f"the target's dbt adapter '{adapter}' has no sqltrain engine",
                         f"use a target of type {', '.join(sorted(ENGINES))}") from None


def engine_for(project: Project) -> Engine:
    """The engine of ``project``'s target, not yet connected. Use it as a context manager, or ``close()``."""
    return engine_class(adapter_type(project)).for_project(project)


def export_parquet(engine: Engine, relation: str, columns: list[str], keys: list[str], path) -> ExportedData:
    """The snapshot's data export, by whichever engine built the relation."""
    return engine.export(relation, columns, keys, path)


def build_command(project: Project, model: str) -> list[str]:
    """``dbt build`` of ``model`` and its upstream, as the target's engine needs it (``build_options``)."""
    from ..dbt_invoke import build_command as dbt_build

    return [*dbt_build(model), *engine_class(adapter_type(project)).build_options]
