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


def count_rows(con: duckdb.DuckDBPyConnection, relation: str) -> int:
    return con.execute(f"select count(*) from {relation}").fetchone()[0]


def label_rate(con: duckdb.DuckDBPyConnection, relation: str, label: str | None) -> float | None:
    """Mean of the label over labelled rows (None without a declared label)."""
    if not label:
        return None
    rate = con.execute(f"select avg(cast({identifier(label)} as double)) from {relation}").fetchone()[0]
    return None if rate is None else round(float(rate), 6)
