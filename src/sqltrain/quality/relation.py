"""Reading the built training set (and its spine) out of the DuckDB warehouse.

Great Expectations validates a pandas DataFrame: GX 1.x's SQL datasource would need a
SQLAlchemy dialect for DuckDB, which sqltrain does not depend on. Decimals and 128-bit
integers are read as DOUBLE so that means and ranges compare as numbers, not Python objects.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from ..errors import UsageError

_AS_DOUBLE = ("DECIMAL", "HUGEINT", "UHUGEINT")


def connect(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """A read-only UTC connection to the warehouse file (DESIGN §3.7)."""
    if not Path(warehouse).is_file():
        raise UsageError(f"{warehouse}: no DuckDB warehouse here", "build the model first or set SQLTRAIN_WAREHOUSE")
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.ConnectionException:
        # The same process (dbt, in-process) still holds the file open read-write:
        # DuckDB then only hands out connections with the same configuration.
        con = duckdb.connect(str(warehouse))
    con.execute("SET TimeZone='UTC'")
    return con


def read_relation(con: duckdb.DuckDBPyConnection, relation: str):
    """The whole relation as a pandas DataFrame, decimals as floats; UsageError if it is missing."""
    columns = describe(con, relation)
    select = ", ".join(
        f'CAST("{name}" AS DOUBLE) AS "{name}"' if type_.startswith(_AS_DOUBLE) else f'"{name}"'
        for name, type_ in columns
    )
    return con.execute(f"SELECT {select} FROM {relation}").df()


def describe(con: duckdb.DuckDBPyConnection, relation: str) -> list[tuple[str, str]]:
    """(column name, DuckDB type) of a relation, in order."""
    try:
        rows = con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()
    except duckdb.CatalogException:
        raise UsageError(f"relation {relation} not found in the warehouse", "build the model first (dbt build)") from None
    return [(row[0], row[1]) for row in rows]


def count_rows(con: duckdb.DuckDBPyConnection, relation: str, what: str) -> int:
    """Row count of ``relation``; ``what`` names it in the error (e.g. "spine spine_customer_monthly")."""
    try:
        return int(con.execute(f"SELECT count(*) FROM {relation}").fetchone()[0])
    except duckdb.CatalogException:
        raise UsageError(f"{what}: relation {relation} not found in the warehouse", f"build it first (dbt build --select {what.split()[-1]})") from None
