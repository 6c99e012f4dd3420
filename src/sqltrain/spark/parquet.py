"""Export a DuckDB warehouse's tables to Parquet that Spark reads with the same values.

One directory per table (``<out>/<schema>/<table>/data.parquet``), since a Spark table's
LOCATION is a directory. Naive TIMESTAMP columns hold UTC (docs/semantics.md §7); they are written as
UTC-adjusted Parquet timestamps so Spark reads them as its TIMESTAMP type at the same instant
(a naive Parquet timestamp would come back as TIMESTAMP_NTZ, a different type).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..sqlquote import identifier, qualified
from ..warehouse import base_tables, table_columns

DEFAULT_SCHEMAS = ("raw", "snapshots")


@dataclass(frozen=True)
class ExportedTable:
    """One exported table: its ``schema.name`` in the warehouse and its Parquet directory."""

    schema: str
    name: str
    location: Path
    rows: int

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"


def export_parquet(
    duckdb_path: str | os.PathLike, out_dir: str | os.PathLike, schemas: tuple[str, ...] = DEFAULT_SCHEMAS
) -> list[ExportedTable]:
    """Write every table of ``schemas`` in the DuckDB file to ``out_dir``; return what was written.

    The DuckDB file is opened read-only. A table's directory is replaced whole, so a re-export
    never leaves files of an older export beside the new one.
    """
    import duckdb

    out = Path(out_dir).resolve()
    con = duckdb.connect(str(duckdb_path), read_only=True)
    try:
        con.execute("SET TimeZone = 'UTC'")
        tables = base_tables(con, schemas)
        exported = []
        for schema, name in tables:
            location = out / schema / name
            if location.exists():
                shutil.rmtree(location)
            location.mkdir(parents=True)
            select = _select_utc(con, schema, name)
            con.execute(f"COPY ({select}) TO ? (FORMAT parquet)", [str(location / "data.parquet")])
            rows = con.execute(f"SELECT count(*) FROM {qualified(schema, name)}").fetchone()[0]
            exported.append(ExportedTable(schema, name, location, rows))
        return exported
    finally:
        con.close()


def _select_utc(con, schema: str, name: str) -> str:
    """``SELECT`` of the table with each naive TIMESTAMP column cast to TIMESTAMPTZ (UTC session)."""
    columns = table_columns(con, schema, name)
    parts = [
        f"CAST({identifier(c)} AS TIMESTAMPTZ) AS {identifier(c)}"
        if t.upper().startswith("TIMESTAMP") and "TIME ZONE" not in t.upper() else identifier(c)
        for c, t in columns
    ]
    return f'SELECT {", ".join(parts)} FROM {qualified(schema, name)}'
