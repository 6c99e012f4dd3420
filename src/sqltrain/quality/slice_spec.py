"""The slices a training set declares, and the limits the quality gate holds each slice to.

Model level (``meta.sqltrain`` of the training set)::

    slices:
      - plan                                      # one slice per value (nulls are a slice too)
      - {column: tenure_days, bins: [90, 365]}    # < 90, [90, 365), >= 365
      - {column: orders_sum_amount_90d, quantiles: 4}   # bins at this snapshot's quartiles
    min_rows_per_slice: 20                        # a number: a warning when broken
    max_label_rate_gap: {limit: 0.15, severity: error}  # error: the snapshot is refused
    max_share_change: 0.10

Parsing only: the computation is ``slices.py``. ``bad(problem, hint)`` raises the one-line
``UsageError`` naming the YAML file and the model (``spec._Complainer``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

LIMIT_KEYS = ("min_rows_per_slice", "max_label_rate_gap", "max_share_change")
SEVERITIES = ("warning", "error")
SLICE_KEYS = {"column", "bins", "quantiles"}
MAX_QUANTILES = 20

Complain = Callable[[str, str], None]


@dataclass(frozen=True)
class SliceColumn:
    """One declared slice: a column, by value, by declared bin edges, or by ``quantiles`` bins."""

    column: str
    bins: tuple[float, ...] | None = None
    quantiles: int | None = None

    @property
    def binned(self) -> bool:
        return self.bins is not None or self.quantiles is not None

    def to_dict(self) -> dict[str, Any]:
        return {"column": self.column, "bins": list(self.bins) if self.bins else None, "quantiles": self.quantiles}


@dataclass(frozen=True)
class SliceLimit:
    """A limit on every slice; ``severity`` "warning" reports it, "error" refuses the snapshot."""

    limit: float
    severity: str = "warning"


@dataclass(frozen=True)
class SliceRules:
    """Everything ``meta.sqltrain`` says about slices (``columns`` empty: no slice report)."""

    columns: tuple[SliceColumn, ...] = ()
    min_rows_per_slice: SliceLimit | None = None
    max_label_rate_gap: SliceLimit | None = None
    max_share_change: SliceLimit | None = None

    def limits(self) -> dict[str, SliceLimit]:
        return {key: getattr(self, key) for key in LIMIT_KEYS if getattr(self, key) is not None}

    def to_dict(self) -> dict[str, Any]:
        return {
            "columns": [c.to_dict() for c in self.columns],
            "limits": {key: {"limit": v.limit, "severity": v.severity} for key, v in self.limits().items()},
        }


def slice_rules(meta: dict[str, Any], bad: Complain) -> SliceRules:
    """The slice declaration of a training set's ``meta.sqltrain``; ``bad`` on any malformed entry."""
    value = meta.get("slices")
    limits = {key: _limit(key, meta.get(key), bad) for key in LIMIT_KEYS}
    if value is None:
        declared = [key for key, limit in limits.items() if limit is not None]
        if declared:
            bad(f"meta.sqltrain.{declared[0]} is set but meta.sqltrain.slices is not",
                "declare the slices it limits, e.g. slices: [plan, country]")
        return SliceRules()
    if not isinstance(value, list) or not value:
        bad(f"meta.sqltrain.slices must be a non-empty list, not {value!r}",
            "e.g. slices: [plan, {column: tenure_days, bins: [90, 365]}]")
    columns = [_slice(i, item, bad) for i, item in enumerate(value)]
    names = [c.column for c in columns]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        bad(f"meta.sqltrain.slices lists column {twice[0]} twice", "declare each slice column once")
    return SliceRules(tuple(columns), **limits)


def _slice(i: int, item: Any, bad: Complain) -> SliceColumn:
    where = f"meta.sqltrain.slices[{i}]"
    if isinstance(item, str) and item:
        return SliceColumn(item)
    if not isinstance(item, dict):
        bad(f"{where} must be a column name or {{column: ..., bins: [...]}}, not {item!r}",
            "e.g. - plan, or - {column: tenure_days, bins: [90, 365]}, or - {column: x, quantiles: 4}")
    unknown = sorted(set(item) - SLICE_KEYS)
    if unknown:
        bad(f"{where} has unknown key {unknown[0]}", f"use: {', '.join(sorted(SLICE_KEYS))}")
    column = item.get("column")
    if not isinstance(column, str) or not column:
        bad(f"{where} needs column: <name>, not {column!r}", "e.g. - {column: tenure_days, bins: [90, 365]}")
    bins, quantiles = item.get("bins"), item.get("quantiles")
    if bins is not None and quantiles is not None:
        bad(f"{where} ({column}) declares both bins and quantiles", "keep one of them")
    if bins is not None:
        numbers = isinstance(bins, list) and bins and all(
            isinstance(b, (int, float)) and not isinstance(b, bool) for b in bins)
        if not numbers or any(a >= b for a, b in zip(bins, bins[1:])):
            bad(f"{where} ({column}): bins must be increasing numbers, not {bins!r}",
                "e.g. bins: [90, 365] (slices < 90, [90, 365), >= 365)")
        return SliceColumn(column, bins=tuple(float(b) for b in bins))
    if quantiles is not None:
        if isinstance(quantiles, bool) or not isinstance(quantiles, int) or not 2 <= quantiles <= MAX_QUANTILES:
            bad(f"{where} ({column}): quantiles must be an integer from 2 to {MAX_QUANTILES}, not {quantiles!r}",
                "e.g. quantiles: 4")
        return SliceColumn(column, quantiles=quantiles)
    return SliceColumn(column)


def _limit(key: str, value: Any, bad: Complain) -> SliceLimit | None:
    if value is None:
        return None
    severity = "warning"
    if isinstance(value, dict):
        unknown = sorted(set(value) - {"limit", "severity"})
        severity = value.get("severity", "warning")
        if unknown or "limit" not in value or severity not in SEVERITIES:
            bad(f"meta.sqltrain.{key} must be a number or {{limit: N, severity: warning|error}}, not {value!r}",
                f"e.g. {key}: {{limit: {_EXAMPLE[key]}, severity: error}}")
        value = value["limit"]
    number = isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0
    if number and key != "min_rows_per_slice" and value > 1:
        number = False
    if number and key == "min_rows_per_slice" and int(value) != value:
        number = False
    if not number:
        kind = "a whole number of rows" if key == "min_rows_per_slice" else "a fraction between 0 and 1"
        bad(f"meta.sqltrain.{key} must be {kind}, not {value!r}", f"e.g. {key}: {_EXAMPLE[key]}")
    return SliceLimit(float(value), severity)


_EXAMPLE = {"min_rows_per_slice": 20, "max_label_rate_gap": 0.15, "max_share_change": 0.1}
