"""Writing the built relation to Parquet deterministically and describing it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from ..sqlquote import identifier
from .integrity import sha256_of  # noqa: F401  (the exporters' file hash)


def export_parquet(
    con: duckdb.DuckDBPyConnection, relation: str, columns: list[str], keys: list[str], path: Path
) -> None:
    """Write ``relation`` sorted by ``keys`` then every other column, so equal data gives equal bytes."""
    order = ", ".join(identifier(c) for c in [*keys, *(c for c in columns if c not in keys)])
    con.execute(  # the path is a bind parameter: a quote in --out is part of the name, never SQL
        f"copy (select * from {relation} order by {order}) to ? "
        "(format parquet, compression zstd, row_group_size 122880)",
        [str(path)],
    )


def describe(con: duckdb.DuckDBPyConnection, relation: str) -> list[dict[str, Any]]:
    """Column names and DuckDB types, in table order."""
    return [
        {"name": name, "type": type_}
        for name, type_, *_ in con.execute(f"describe select * from {relation}").fetchall()
    ]


