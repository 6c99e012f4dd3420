"""Drift of a training set against the previous snapshot of the same model.

Drift never blocks an export (the world changes; a model should be retrained on it), but a
reviewer should see it: per feature the Population Stability Index (over quantile bins of the
previous snapshot for numbers, over its categories for text), the change of each feature's null rate, and the change of the label
rate. Changes beyond the model's ``drift:`` thresholds become warnings in the report.

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


def compare(current, previous, spec: QualitySpec, previous_snapshot: str, previous_as_of: str | None = None) -> DriftReport:
    """Drift of the ``current`` DataFrame against the ``previous`` one, judged by ``spec.drift``."""
    limits = spec.drift
    report = DriftReport(previous_snapshot, previous_as_of, limits)
    now_features = spec.features(list(current.columns))
    before = set(previous.columns)
    for column in now_features:
        if column not in before:
            report.warnings.append(
                f"drift: feature {column} is new since the previous snapshot ({previous_as_of or previous_snapshot})")
            continue
        drift = FeatureDrift(
            column,
            _feature_psi(previous[column], current[column], limits.bins),
            _null_rate(previous[column]),
            _null_rate(current[column]),
        )
        report.features.append(drift)
        if drift.psi is not None and drift.psi > limits.psi_warn:
            report.warnings.append(f"drift: feature {column} PSI {drift.psi:.3f} > {limits.psi_warn:g}")
        if abs(drift.null_rate_change) > limits.null_rate_change_warn:
            report.warnings.append(
                f"drift: feature {column} null rate {drift.null_rate_previous:.3f} -> {drift.null_rate_current:.3f}"
                f" (change {drift.null_rate_change:+.3f}, limit {limits.null_rate_change_warn:g})"
            )
    for column in sorted(set(spec.features(list(previous.columns))) - set(now_features)):
        report.warnings.append(f"drift: feature {column} was in the previous snapshot and is gone")

    if spec.label and spec.label in current.columns and spec.label in previous.columns:
        report.label_rate_previous = _rate(previous[spec.label])
        report.label_rate_current = _rate(current[spec.label])
        change = _change(report.label_rate_previous, report.label_rate_current)
        if change is not None and abs(change) > limits.label_rate_change_warn:
            report.warnings.append(
                f"drift: label {spec.label} rate {report.label_rate_previous:.4f} -> {report.label_rate_current:.4f}"
                f" (change {change:+.4f}, limit {limits.label_rate_change_warn:g})"
            )
    return report


def read_snapshot(path: Path):
    """(data as a DataFrame, its as-of or None) of a snapshot directory written by ``sqltrain snapshot``.

    The data is ``data.parquet`` (a file, or on Spark a directory of part files) or
    ``data/*.parquet``; the as-of comes from ``manifest.json``. The data's sha256 is re-checked
    first: ``TamperedSnapshot`` (one line: file, found and expected hash) if it was altered.
    """
    import duckdb

    from ..snapshotting.integrity import check_data

    path = Path(path)
    check_data(path)
    candidates = [path / "data.parquet", *sorted((path / "data.parquet").glob("*.parquet")),
                  *sorted((path / "data").glob("*.parquet"))]
    files = sorted(str(p) for p in candidates if p.is_file())
    if not files:
        return None, None
    con = duckdb.connect()
    con.execute("SET TimeZone='UTC'")
    frame = con.execute("SELECT * FROM read_parquet(?, hive_partitioning = false)", [files]).df()
    as_of = None
    manifest = path / "manifest.json"
    if manifest.is_file():
        try:
            as_of = json.loads(manifest.read_text()).get("as_of")
        except (OSError, ValueError):
            as_of = None
    return frame, as_of


def _feature_psi(previous, current, bins: int) -> float | None:
    """Quantile-bin PSI for numbers, per-category PSI for text; None for other types (timestamps)."""
    before, now = _numeric(previous), _numeric(current)
    if before is not None and now is not None:
        return psi(before, now, bins)
    if _is_text(previous) and _is_text(current):
        return psi_of_categories(previous, current)
    return None


def _is_text(series) -> bool:
    import pandas as pd

    return pd.api.types.is_string_dtype(series.dtype) or isinstance(series.dtype, pd.CategoricalDtype)


def _numeric(series) -> np.ndarray | None:
    """The series as float64 (booleans as 0/1), or None when it is not numeric."""
    kind = series.dtype.kind
    if kind in "biuf":
        return series.to_numpy(dtype="float64", na_value=np.nan)
    return None


def _null_rate(series) -> float:
    return round(float(series.isna().mean()), 6) if len(series) else 0.0


def _rate(series) -> float | None:
    values = _numeric(series)
    if values is None or np.all(np.isnan(values)):
        return None
    return round(float(np.nanmean(values)), 6)


def _change(previous: float | None, current: float | None) -> float | None:
    if previous is None or current is None or math.isnan(previous) or math.isnan(current):
        return None
    return round(current - previous, 6)
