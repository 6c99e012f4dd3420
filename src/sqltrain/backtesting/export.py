"""Writing one part (train or test) of one fold: data.parquet, the smell, and the part's manifest."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Callable
from typing import Any

from ..engine import Engine
from ..smell import smell_report
from ..snapshotting.integrity import file_hashes
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
    engine: Engine,
    query: str,
    directory: Path,
    part: str,
    meta: dict[str, Any],
    roles: dict[str, str],
    auc_threshold: float,
    compiled_sql: str | None,
    manifest_fields: dict[str, Any],
    extra: Callable[[str], dict[str, Any]] | None = None,
) -> PartResult:
    """Export the rows of ``query`` (compiled by dbt for the engine) sorted by (entity, cutoff) and write
    ``manifest.json`` beside them; ``extra(relation)`` adds fields measured on the same rows."""
    directory.mkdir(parents=True, exist_ok=True)
    with engine.relation_of(query) as relation:
        return _export(engine, query, relation, directory, part, meta, roles, auc_threshold, compiled_sql,
                       {**manifest_fields, **(extra(relation) if extra else {})})


def _export(engine, query, relation, directory, part, meta, roles, auc_threshold, compiled_sql,
            manifest_fields) -> PartResult:
    columns = engine.describe(relation)
    keys = [*meta.get("entity", []), meta["cutoff"]]
    data = engine.export(relation, [c["name"] for c in columns], keys, directory / "data.parquet")
    rows = engine.count_rows(relation)
    rate = engine.label_rate(relation, meta.get("label"))
    cutoff = identifier(meta["cutoff"])
    first, last = engine.execute(f"select min({cutoff}), max({cutoff}) from {relation}").fetchone()
    smell = smell_report(engine, relation, meta, roles=roles, threshold=auc_threshold, compiled_sql=compiled_sql)
    manifest = {
        **manifest_fields,
        "part": part,
        "row_count": rows,
        "column_count": len(columns),
        "columns": [{**c, "role": roles.get(c["name"], "feature")} for c in columns],
        "label_rate": rate,
        "cutoff_range": [_text(first), _text(last)],
        "data": {"files": data.files, "format": "parquet", "sha256": data.sha256,
                 "file_sha256": file_hashes(directory, data.files)},
        "smell": smell,
        "split_sql": query,
    }
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str) + "\n")
    return PartResult(part, rows, rate, (_text(first), _text(last)), data.sha256, smell, manifest)


def _text(value) -> str | None:
    return None if value is None else value.isoformat(sep=" ") if hasattr(value, "isoformat") else str(value)
