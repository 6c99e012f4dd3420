"""Per-column profile of a snapshot's data, computed from its parquet file with DuckDB.

The manifest says how many rows there are; a reviewer also wants to see which features are
mostly empty. One aggregate query reads every column once.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from ..sqlquote import identifier


def null_fractions(data_files: list[Path], columns: list[str]) -> dict[str, float]:
    """Fraction of NULLs per column over all ``data_files`` (0.0 for an empty snapshot)."""
    if not columns or not data_files:
        return {}
    counts = ", ".join(f"count({identifier(c)})" for c in columns)
    con = duckdb.connect()
    try:
        row = con.execute(f"select count(*), {counts} from read_parquet(?)", [[str(f) for f in data_files]]).fetchone()
    finally:
        con.close()
    total, non_null = row[0], row[1:]
    return {c: (round(1 - n / total, 6) if total else 0.0) for c, n in zip(columns, non_null)}
