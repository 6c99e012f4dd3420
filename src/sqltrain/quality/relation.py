"""Reading the built training set (and counting its spine) through the engine it was built on.

The relation is validated where it lives (``Engine.quality_frame``): on DuckDB a query that
sqltrain's SQL (built-in expectations) and GX's SQL datasource (the user's) run on, on Spark the
Spark DataFrame. Only the engine's own "no such relation" error
becomes "build it first"; anything else (a locked warehouse, a broken connection) is reported
as itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from ..engine import Engine
from ..errors import UsageError

T = TypeVar("T")


def read_relation(engine: Engine, relation: str, model: str | None = None) -> Any:
    """The relation as GX validates it (never read into memory); UsageError if it is missing."""
    return _built(engine, relation, model, engine.quality_frame)


def count_rows(engine: Engine, relation: str, model: str) -> int:
    """Row count of ``relation`` (the model ``model``); UsageError if it is missing."""
    return int(_built(engine, relation, model, engine.count_rows))


def _built(engine: Engine, relation: str, model: str | None, read: Callable[[str], T]) -> T:
    try:
        return read(relation)
    except Exception as error:
        if not engine.missing_relation(error):
            raise
        head = f"{model}: relation" if model else "relation"
        raise UsageError(f"{head} {relation} not found in the warehouse",
                         f"build it first (dbt build --select {model})" if model else "build the model first (dbt build)",
                         ) from None
