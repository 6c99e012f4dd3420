"""Drift of a training set against the previous snapshot of the same model.

Drift never blocks an export (the world changes; a model should be retrained on it), but a
reviewer should see it: per feature the Population Stability Index (over quantile bins of the
previous snapshot for numbers, over its categories for text), the change of each feature's null rate, and the change of the label
rate. Changes beyond the model's ``drift:`` thresholds become warnings in the report.

``compare`` measures all of it in SQL, on one DuckDB connection that reads both the new relation
and the previous snapshot's Parquet (only aggregates come back); ``psi`` and
``psi_of_categories`` are the same statistics on arrays in memory, the reference the SQL follows.

>>> import numpy as np
>>> round(psi(np.arange(100.0), np.arange(100.0), bins=10), 6)
0.0
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..snapshotting.export import describe
from ..sqlquote import identifier, string_literal
from .spec import DriftThresholds, QualitySpec

EPSILON = 1e-4  # floor for empty bins, so that ln(actual/expected) stays finite


@dataclass
class FeatureDrift:
    column: str
    psi: float | None              # None for timestamps, or when either side has no values
    null_rate_previous: float
    null_rate_current: float

    @property
    def null_rate_change(self) -> float:
        return round(self.null_rate_current - self.null_rate_previous, 6)


@dataclass
class DriftReport:
    previous_snapshot: str
    previous_as_of: str | None
    thresholds: DriftThresholds
    features: list[FeatureDrift] = field(default_factory=list)
    label_rate_previous: float | None = None
    label_rate_current: float | None = None
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "previous_snapshot": self.previous_snapshot,
            "previous_as_of": self.previous_as_of,
            "thresholds": self.thresholds.__dict__,
            "label_rate": {
                "previous": self.label_rate_previous,
                "current": self.label_rate_current,
                "change": _change(self.label_rate_previous, self.label_rate_current),
            },
            "features": [
                {
                    "column": f.column,
                    "psi": f.psi,
                    "null_rate_previous": f.null_rate_previous,
                    "null_rate_current": f.null_rate_current,
                    "null_rate_change": f.null_rate_change,
                }
                for f in self.features
            ],
            "warnings": self.warnings,
        }


def psi(previous: np.ndarray, current: np.ndarray, bins: int = 10) -> float | None:
    """Population Stability Index of ``current`` against ``previous`` (nulls excluded).

    Bins are the quantiles of ``previous`` (ties collapse bins, so a binary feature gets two);
    PSI = sum((cur% - prev%) * ln(cur% / prev%)). Rule of thumb: < 0.1 stable, > 0.2 shifted.
    """
    previous = previous[~np.isnan(previous)]
    current = current[~np.isnan(current)]
    if previous.size == 0 or current.size == 0:
        return None
    edges = np.unique(np.quantile(previous, np.linspace(0, 1, bins + 1)[1:-1]))
    expected = np.bincount(np.searchsorted(edges, previous, side="right"), minlength=edges.size + 1) / previous.size
    actual = np.bincount(np.searchsorted(edges, current, side="right"), minlength=edges.size + 1) / current.size
    return _psi_of_shares(expected, actual)


def psi_of_categories(previous, current) -> float | None:
    """PSI of a categorical feature (pandas Series): one bin per category seen before, plus one
    for categories the previous snapshot never had. Nulls excluded.

    >>> import pandas as pd
    >>> psi_of_categories(pd.Series(["a", "b"]), pd.Series(["b", "a"]))
    0.0
    """
    before, now = previous.dropna().astype(str), current.dropna().astype(str)
    if before.empty or now.empty:
        return None
    categories = sorted(set(before))
    expected = before.value_counts(normalize=True).reindex(categories).to_numpy()
    actual = now.value_counts(normalize=True).reindex(categories, fill_value=0.0).to_numpy()
    unseen = 1.0 - float(actual.sum())
    return _psi_of_shares(np.append(expected, 0.0), np.append(actual, max(unseen, 0.0)))


def _psi_of_shares(expected: np.ndarray, actual: np.ndarray) -> float:
    expected, actual = np.maximum(expected, EPSILON), np.maximum(actual, EPSILON)
    return round(float(np.sum((actual - expected) * np.log(actual / expected))), 6)


def compare(con, current: str, previous_files: list[str], spec: QualitySpec, previous_snapshot: str,
            previous_as_of: str | None = None) -> DriftReport:
    """Drift of the relation ``current`` against the previous snapshot's Parquet ``previous_files``,
    judged by ``spec.drift``.

    Both sides are read on the DuckDB connection ``con`` (the warehouse's, so the target's
    ``memory_limit`` bounds it) and only aggregates come back: null counts, the previous
    snapshot's quantile edges, bin counts per side, and one PSI sum per text feature.
    """
    limits = spec.drift
    report = DriftReport(previous_snapshot, previous_as_of, limits)
    previous = "read_parquet([" + ", ".join(string_literal(f) for f in previous_files) + "], hive_partitioning = false)"
    now_types = {c["name"]: c["type"] for c in describe(con, current)}
    before_types = {c["name"]: c["type"] for c in describe(con, previous)}
    now_features = spec.features(list(now_types))
    shared = []
    for column in now_features:
        if column in before_types:
            shared.append(column)
        else:
            report.warnings.append(
                f"drift: feature {column} is new since the previous snapshot ({previous_as_of or previous_snapshot})")

    label = spec.label if spec.label and spec.label in now_types and spec.label in before_types else None
    label_rated = label if label and _kind(now_types[label]) == _kind(before_types[label]) == "number" else None
    null_before = _null_rates(con, previous, shared, label_rated)
    null_now = _null_rates(con, current, shared, label_rated)
    kinds = {c: _kind(now_types[c]) if _kind(now_types[c]) == _kind(before_types[c]) else None for c in shared}
    psis = _numeric_psis(con, previous, current, [c for c in shared if kinds[c] == "number"], limits.bins)
    psis.update({c: _category_psi(con, previous, current, c) for c in shared if kinds[c] == "text"})
    for column in shared:
        drift = FeatureDrift(column, psis.get(column), null_before[column], null_now[column])
        report.features.append(drift)
        if drift.psi is not None and drift.psi > limits.psi_warn:
            report.warnings.append(f"drift: feature {column} PSI {drift.psi:.3f} > {limits.psi_warn:g}")
        if abs(drift.null_rate_change) > limits.null_rate_change_warn:
            report.warnings.append(
                f"drift: feature {column} null rate {drift.null_rate_previous:.3f} -> {drift.null_rate_current:.3f}"
                f" (change {drift.null_rate_change:+.3f}, limit {limits.null_rate_change_warn:g})"
            )
    for column in sorted(set(spec.features(list(before_types))) - set(now_features)):
        report.warnings.append(f"drift: feature {column} was in the previous snapshot and is gone")

    if label:
        report.label_rate_previous = null_before.get(_LABEL_RATE)
        report.label_rate_current = null_now.get(_LABEL_RATE)
        change = _change(report.label_rate_previous, report.label_rate_current)
        if change is not None and abs(change) > limits.label_rate_change_warn:
            report.warnings.append(
                f"drift: label {spec.label} rate {report.label_rate_previous:.4f} -> {report.label_rate_current:.4f}"
                f" (change {change:+.4f}, limit {limits.label_rate_change_warn:g})"
            )
    return report


def snapshot_files(path: Path) -> tuple[list[str], str | None]:
    """(the Parquet files, the as-of or None) of a snapshot directory written by ``sqltrain snapshot``.

    The data is ``data.parquet`` (a file, or on Spark a directory of part files) or
    ``data/*.parquet``; the as-of comes from ``manifest.json``. The data's sha256 is re-checked
    first: ``TamperedSnapshot`` (one line: file, found and expected hash) if it was altered.
    Nothing is read into memory here: the files are read by the drift queries.
    """
    from ..snapshotting.integrity import check_data

    path = Path(path)
    check_data(path)
    candidates = [path / "data.parquet", *sorted((path / "data.parquet").glob("*.parquet")),
                  *sorted((path / "data").glob("*.parquet"))]
    files = sorted(str(p) for p in candidates if p.is_file())
    as_of = None
    manifest = path / "manifest.json"
    if manifest.is_file():
        try:
            as_of = json.loads(manifest.read_text()).get("as_of")
        except (OSError, ValueError):
            as_of = None
    return files, as_of


_NUMBER = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT",
           "UHUGEINT", "FLOAT", "DOUBLE", "DECIMAL", "BOOLEAN", "REAL", "INT")
_LABEL_RATE = object()   # the key of the label's mean among the null rates (never a column name)


def _kind(duckdb_type: str) -> str | None:
    """"number" (booleans as 0/1), "text", or None (timestamps, dates, nested types: no PSI)."""
    upper = duckdb_type.upper()
    if upper.startswith(("VARCHAR", "ENUM(")):
        return "text"
    if upper.split("(")[0] in _NUMBER:
        return "number"
    return None


def _null_rates(con, relation: str, columns: list[str], label: str | None) -> dict[Any, float | None]:
    """Each column's null rate (6 places) over ``relation``, and the label's mean, in one scan."""
    parts = ["count(*)", *(f"count({identifier(c)})" for c in columns)]
    if label:
        parts.append(f"avg(cast({identifier(label)} as double))")
    row = con.execute(f"select {', '.join(parts)} from {relation}").fetchone()
    rows = int(row[0])
    rates: dict[Any, float | None] = {
        c: round(1.0 - int(n) / rows, 6) if rows else 0.0 for c, n in zip(columns, row[1:1 + len(columns)])
    }
    if label:
        mean = row[-1]
        rates[_LABEL_RATE] = None if mean is None or math.isnan(mean) else round(float(mean), 6)
    return rates


def _numeric_psis(con, previous: str, current: str, columns: list[str], bins: int) -> dict[str, float | None]:
    """``psi()`` in SQL for each of ``columns``: exact quantile edges of the previous side (one
    column at a time, so DuckDB holds one column of the previous snapshot for its quantiles), then
    every column's bin counts in one scan per side."""
    quantiles = "[" + ", ".join(repr(float(q)) for q in np.linspace(0, 1, bins + 1)[1:-1]) + "]"
    edges: dict[str, np.ndarray] = {}
    for column in columns:
        value_sql = _as_double(column)
        (found,) = con.execute(f"select quantile_cont({value_sql}, {quantiles}) from {previous} "
                               f"where {_present(column)}").fetchone()
        if found is not None:
            edges[column] = np.unique(np.asarray(found, dtype="float64"))
    if not edges:
        return {}
    histograms = []
    for side in (previous, current):
        parts = []
        for column, cuts in edges.items():
            bin_of = "case " + " ".join(f"when {_as_double(column)} < {_number(e)} then {i}"
                                        for i, e in enumerate(cuts)) + f" else {cuts.size} end"
            parts.append(f"histogram({bin_of}) filter (where {_present(column)})")
        histograms.append(dict(zip(edges, con.execute(f"select {', '.join(parts)} from {side}").fetchone())))
    out: dict[str, float | None] = {}
    for column, cuts in edges.items():
        shares = []
        for histogram in histograms:
            counts = np.zeros(cuts.size + 1)
            for index, count in (histogram[column] or {}).items():
                counts[int(index)] = count
            shares.append(counts / counts.sum() if counts.sum() else None)
        out[column] = None if shares[0] is None or shares[1] is None else _psi_of_shares(*shares)
    return out


def _as_double(column: str) -> str:
    return f"cast({identifier(column)} as double)"


def _present(column: str) -> str:
    """Not null and not NaN (``psi()`` leaves both out)."""
    return f"{_as_double(column)} is not null and not isnan({_as_double(column)})"


def _category_psi(con, previous: str, current: str, column: str) -> float | None:
    """``psi_of_categories()`` in SQL: the sum over the previous side's categories is computed by
    DuckDB (a text column may hold millions of them), plus the bin of categories never seen before."""
    text_sql = f"cast({identifier(column)} as varchar)"
    floor = repr(EPSILON)
    sql = f"""
        with p as (select {text_sql} as c, count(*) as n from {previous} where {text_sql} is not null group by 1),
             a as (select {text_sql} as c, count(*) as n from {current} where {text_sql} is not null group by 1),
             tp as (select sum(n)::double as t from p),
             ta as (select sum(n)::double as t from a),
             s as (select greatest(p.n / tp.t, {floor}) as e, coalesce(a.n, 0) / ta.t as share
                   from p left join a using (c), tp, ta)
        select (select t from tp), (select t from ta),
               sum((greatest(share, {floor}) - e) * ln(greatest(share, {floor}) / e)), sum(share)
        from s
    """
    before, now, total, seen = con.execute(sql).fetchone()
    if not before or not now:
        return None
    unseen = max(1.0 - float(seen), EPSILON)    # categories the previous snapshot never had
    return round(float(total) + (unseen - EPSILON) * math.log(unseen / EPSILON), 6)


def _number(value: float) -> str:
    """A float as a DuckDB literal (infinities included)."""
    return repr(float(value)) if math.isfinite(value) else f"'{value}'::double"


def _change(previous: float | None, current: float | None) -> float | None:
    if previous is None or current is None or math.isnan(previous) or math.isnan(current):
        return None
    return round(current - previous, 6)
