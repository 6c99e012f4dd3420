"""The slice section of a snapshot page: share and label rate per slice value, flagged ones marked.

The numbers are the quality gate's (``slices`` in the snapshot's manifest, else in its
``validation.json``; quality/slices.py); the site only draws them.
"""

from __future__ import annotations

from typing import Any

from . import charts


def slice_section(model: str, as_of: str, manifest: dict[str, Any], validation: dict[str, Any] | None) -> dict[str, Any] | None:
    """What the template needs per slice column (charts and rows), or None when no slices were reported."""
    report = manifest.get("slices") or (validation or {}).get("slices")
    if not report or not report.get("columns"):
        return None
    columns = []
    for column in report["columns"]:
        name, values = column["column"], column.get("values") or []
        flagged = {_shown(v["value"]) for v in values if v.get("flags")}
        shares = [(_shown(v["value"]), v.get("share") or 0.0) for v in values]
        rates = [(_shown(v["value"]), v["label_rate"]) for v in values if v.get("label_rate") is not None]
        columns.append({
            "column": name,
            "how": _how(column),
            "entries": [{**v, "shown": _shown(v["value"])} for v in values],
            "features": sorted({f for v in values for f in (v.get("null_fractions") or {})}),
            "share_chart": charts.hbar_chart(shares, name=f"slice-share-{name}", flagged=flagged,
                                             title=f"Share of rows per {name} slice, {model} as of {as_of}"),
            "rate_chart": charts.hbar_chart(
                rates, name=f"slice-label-rate-{name}", flagged=flagged, limit=report.get("label_rate"),
                rule_title="label rate of the whole set",
                title=f"Label rate per {name} slice, {model} as of {as_of}") if rates else None,
        })
    return {**report, "columns": columns}


def _shown(value: str | None) -> str:
    return "null" if value is None else str(value)


def _how(column: dict[str, Any]) -> str:
    if column.get("quantiles"):
        return f"{column['quantiles']} quantile bins"
    if column.get("bins"):
        return "declared bins"
    return "by value"
