"""Reading the built training set (and counting its spine) through the engine it was built on.

On DuckDB, Great Expectations validates a pandas DataFrame (GX 1.x's SQL datasource would need
a SQLAlchemy dialect for DuckDB, which sqltrain does not depend on); on Spark, the Spark
DataFrame itself. Decimals and 128-bit integers are read as DOUBLE so that means and ranges
compare as numbers, not Python objects.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from ..errors import UsageError
from ..snapshotting.export import describe
from ..sqlquote import identifier
from ..warehouse import connect

_AS_DOUBLE = ("DECIMAL", "HUGEINT", "UHUGEINT")


def open_warehouse(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """A read-only UTC connection; a one-line error if the file is not there."""
    if not Path(warehouse).is_file():
        raise UsageError(f"warehouse file {warehouse} does not exist", "build the model first or set SQLTRAIN_WAREHOUSE")
    return connect(Path(warehouse), read_only=True)


def read_relation(source, relation: str, model: str | None = None):
    """The relation as the DataFrame GX validates; UsageError if it is missing.

    ``source`` is a DuckDB connection (a pandas DataFrame, decimals as floats) or an ``Engine``
    (its ``quality_frame``: pandas on DuckDB, a Spark DataFrame on Spark).
    """
    if hasattr(source, "quality_frame"):
        try:
            return source.quality_frame(relation)
        except UsageError:
            raise
        except Exception:  # duckdb.CatalogException, Spark's AnalysisException
            raise _not_built(relation, model) from None
    try:
        columns = describe(source, relation)
    except duckdb.CatalogException:
        raise _not_built(relation, model) from None
    select = ", ".join(
        f"CAST({identifier(c['name'])} AS DOUBLE) AS {identifier(c['name'])}" if c["type"].startswith(_AS_DOUBLE) else identifier(c["name"])
        for c in columns
    )
    return source.execute(f"SELECT {select} FROM {relation}").df()


def count_rows(source, relation: str, model: str) -> int:
    """Row count of ``relation`` (the model ``model``) through a DuckDB connection or an ``Engine``."""
    try:
        if hasattr(source, "count_rows"):
            return int(source.count_rows(relation))
        return int(source.execute(f"SELECT count(*) FROM {relation}").fetchone()[0])
    except UsageError:
        raise
    except Exception:  # duckdb.CatalogException, Spark's AnalysisException
        raise _not_built(relation, model) from None


def _not_built(relation: str, model: str | None) -> UsageError:
    head = f"{model}: relation" if model else "relation"
    return UsageError(f"{head} {relation} not found in the warehouse",
                      f"build it first (dbt build --select {model})" if model else "build the model first (dbt build)")
