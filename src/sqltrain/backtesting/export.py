"""Writing one part (train or test) of one fold: data.parquet, the smell, and the part's manifest."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from ..smell import smell_report
from ..snapshotting.export import count_rows, describe, export_parquet, label_rate, sha256_of
from ..sqlquote import identifier


@dataclass
class PartResult:
    """What landed in ``fold=X/<part>/``."""

    part: str
    rows: int
    label_rate: float | None
    cutoffs: tuple[str | None, str | None]   # first and last cutoff in the part
    sha256: str
    smell: dict[str, Any] = field(default_factory=dict)
    manifest: dict[str, Any] = field(default_factory=dict)


def export_part(
    con: duckdb.DuckDBPyConnection,
    query: str,
    directory: Path,
    part: str,
    meta: dict[str, Any],
    roles: dict[str, str],
    auc_threshold: float,
    compiled_sql: str | None,
    manifest_fields: dict[str, Any],
) -> PartResult:
    """Export the rows of ``query`` sorted by (entity, cutoff) and write ``manifest.json`` beside them."""
    directory.mkdir(parents=True, exist_ok=True)
    relation = f"({query})"
    columns = describe(con, relation)
    keys = [*meta.get("entity", []), meta["cutoff"]]
    data_file = directory / "data.parquet"
    export_parquet(con, relation, [c["name"] for c in columns], keys, data_file)
    rows = count_rows(con, relation)
    rate = label_rate(con, relation, meta.get("label"))
    cutoff = identifier(meta["cutoff"])
    first, last = con.execute(f"select min({cutoff}), max({cutoff}) from {relation}").fetchone()
    smell = smell_report(con, relation, meta, roles=roles, threshold=auc_threshold, compiled_sql=compiled_sql)
    digest = sha256_of(data_file)
    manifest = {
        **manifest_fields,
        "part": part,
        "row_count": rows,
        "column_count": len(columns),
        "columns": [{**c, "role": roles.get(c["name"], "feature")} for c in columns],
        "label_rate": rate,
        "cutoff_range": [_text(first), _text(last)],
        "data": {"files": ["data.parquet"], "format": "parquet", "sha256": digest,
                 "file_sha256": {"data.parquet": digest}},
        "smell": smell,
        "split_sql": query,
    }
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str) + "\n")
    return PartResult(part, rows, rate, (_text(first), _text(last)), digest, smell, manifest)


def _text(value) -> str | None:
    return None if value is None else value.isoformat(sep=" ") if hasattr(value, "isoformat") else str(value)
