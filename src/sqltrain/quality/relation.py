"""Reading the built training set (and counting its spine) out of the DuckDB warehouse.

Great Expectations validates a pandas DataFrame: GX 1.x's SQL datasource would need a
SQLAlchemy dialect for DuckDB, which sqltrain does not depend on. Decimals and 128-bit
integers are read as DOUBLE so that means and ranges compare as numbers, not Python objects.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from ..errors import UsageError
from ..snapshot.export import describe
from ..warehouse import connect

_AS_DOUBLE = ("DECIMAL", "HUGEINT", "UHUGEINT")


def open_warehouse(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """A read-only UTC connection; a one-line error if the file is not there."""
    if not Path(warehouse).is_file():
        raise UsageError(f"warehouse file {warehouse} does not exist", "build the model first or set SQLTRAIN_WAREHOUSE")
    return connect(Path(warehouse), read_only=True)


def read_relation(con: duckdb.DuckDBPyConnection, relation: str):
    """The whole relation as a pandas DataFrame, decimals as floats; UsageError if it is missing."""
    try:
        columns = describe(con, relation)
    except duckdb.CatalogException:
        raise UsageError(f"relation {relation} not found in the warehouse", "build the model first (dbt build)") from None
    select = ", ".join(
        f"CAST({_quote(c['name'])} AS DOUBLE) AS {_quote(c['name'])}" if c["type"].startswith(_AS_DOUBLE) else _quote(c["name"])
        for c in columns
    )
    return con.execute(f"SELECT {select} FROM {relation}").df()


def count_rows(con: duckdb.DuckDBPyConnection, relation: str, model: str) -> int:
    """Row count of ``relation`` (the model ``model``); UsageError if it was not built."""
    try:
        return int(con.execute(f"SELECT count(*) FROM {relation}").fetchone()[0])
    except duckdb.CatalogException:
        raise UsageError(f"{model}: relation {relation} not found in the warehouse", f"build it first (dbt build --select {model})") from None


def _quote(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'
