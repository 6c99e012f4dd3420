"""Who is in the training set: rows, share, label rate and null fractions per slice value.

For each column ``meta.sqltrain.slices`` declares (slice_spec.py), one ``GROUP BY`` query on the
engine the set was built on — never a DataFrame of the rows — counts per slice value: rows and
their share of the set, the label rate and its gap to the whole set's, and the null fraction of
every feature. The same query runs over the previous snapshot's Parquet (DuckDB in memory, with
the current bin edges) for the change of share and label rate. The declared limits turn into
flags: a warning each, or a gate failure when the limit says ``severity: error``.

Numeric slices are bucketed: declared ``bins: [a, b]`` give ``< a``, ``[a, b)``, ``>= b``;
``quantiles: n`` gives bins at this snapshot's n-quantiles (ties merge bins). Nulls are a slice
of their own (value ``null``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..engine import Engine
from ..errors import UsageError
from ..sqlquote import identifier
from .slice_spec import SliceColumn, SliceRules
from .spec import QualitySpec

MAX_VALUES = 50
"""A slice column with more values than this reports its largest ones (and warns: declare bins)."""

PREVIOUS_VIEW = "previous_snapshot"
_NUMERIC = re.compile(r"int|double|float|decimal|real|numeric|long|short|byte", re.I)

CHECK_TEXT = {
    "min_rows_per_slice": "rows >= {limit:g}",
    "max_label_rate_gap": "|label rate - whole set's| <= {limit:g}",
    "max_share_change": "|share change vs previous snapshot| <= {limit:g}",
}


@dataclass
class SliceValue:
    """One value of one slice column (``value`` None: the rows where the column is null)."""

    value: str | None
    rows: int
    share: float
    label_rate: float | None
    label_rate_gap: float | None
    null_fractions: dict[str, float]
    share_previous: float | None = None
    label_rate_previous: float | None = None
    flags: list[str] = field(default_factory=list)

    @property
    def share_change(self) -> float | None:
        return _change(self.share_previous, self.share)

    @property
    def label_rate_change(self) -> float | None:
        return _change(self.label_rate_previous, self.label_rate)

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": self.value, "rows": self.rows, "share": self.share,
            "label_rate": self.label_rate, "label_rate_gap": self.label_rate_gap,
            "share_previous": self.share_previous, "share_change": self.share_change,
            "label_rate_previous": self.label_rate_previous, "label_rate_change": self.label_rate_change,
            "null_fractions": self.null_fractions, "flags": self.flags,
        }


@dataclass
class SliceFlag:
    """A slice beyond a declared limit."""

    check: str          # min_rows_per_slice | max_label_rate_gap | max_share_change
    column: str
    value: str | None
    observed: float
    limit: float
    severity: str       # warning | error
    message: str

    @property
    def expected(self) -> str:
        return CHECK_TEXT[self.check].format(limit=self.limit)

    def to_dict(self) -> dict[str, Any]:
        return {"check": self.check, "column": self.column, "value": self.value, "observed": self.observed,
                "limit": self.limit, "severity": self.severity, "expected": self.expected, "message": self.message}


@dataclass
class SliceColumnReport:
    slice: SliceColumn
    edges: list[float] | None      # bin edges used (declared, or this snapshot's quantiles)
    values: list[SliceValue]

    def to_dict(self) -> dict[str, Any]:
        return {**self.slice.to_dict(), "edges": self.edges, "values": [v.to_dict() for v in self.values]}


@dataclass
class SliceReport:
    """The slice section of ``validation.json`` and of the snapshot's manifest."""

    rules: SliceRules
    rows: int
    label: str | None
    label_rate: float | None
    previous_snapshot: str | None
    columns: list[SliceColumnReport] = field(default_factory=list)
    flags: list[SliceFlag] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def errors(self) -> list[SliceFlag]:
        return [f for f in self.flags if f.severity == "error"]

    def warnings(self) -> list[str]:
        return [*self.notes, *(f.message for f in self.flags if f.severity == "warning")]

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.rules.to_dict(),
            "rows": self.rows, "label": self.label, "label_rate": self.label_rate,
            "previous_snapshot": self.previous_snapshot,
            "columns": [c.to_dict() for c in self.columns],
            "flags": [f.to_dict() for f in self.flags],
        }


def slice_report(engine: Engine, relation: str, spec: QualitySpec, previous_snapshot: Path | None = None) -> SliceReport | None:
    """The slice report of ``relation`` (None when the model declares no slices).

    ``previous_snapshot``: the previous snapshot's directory (its data already checked against its
    manifest by the drift comparison), for the change of share and label rate.
    """
    rules = spec.slices
    if not rules.columns:
        return None
    types = {c["name"]: c["type"] for c in engine.describe(relation)}
    _require_columns(spec, rules, types)
    label = spec.label if spec.label in types else None
    features = spec.features(list(types))
    with _PreviousSnapshot(previous_snapshot) as previous:
        columns = []
        for declared in rules.columns:
            edges = _edges(engine, relation, declared)
            now = _stats(engine, relation, declared.column, edges, label, features)
            before = previous.stats(declared.column, edges, label) if previous else None
            columns.append(SliceColumnReport(declared, edges, _values(edges, now, before)))
    rows, overall, _ = _totals(now)  # every slice column partitions the same rows
    report = SliceReport(rules, rows, label, _round(overall), Path(previous_snapshot).name if previous else None,
                         columns)
    _truncate(report)
    _judge(report)
    return report


# -- the SQL ------------------------------------------------------------------------------------

def _edges(engine: Engine, relation: str, declared: SliceColumn) -> list[float] | None:
    """Bin edges: the declared ones, or this snapshot's quantiles (distinct, sorted)."""
    if declared.bins is not None:
        return list(declared.bins)
    if declared.quantiles is None:
        return None
    n = declared.quantiles
    column = identifier(declared.column)
    # exact and interpolated on both engines: DuckDB's quantile_cont is Spark's percentile, which
    # SQLGlot writes from DuckDB's quantile (it would turn quantile_cont into a call Spark refuses)
    function = "quantile_cont" if engine.dialect == "duckdb" else "quantile"
    picks = ", ".join(f"{function}({column}, {int(i)} / {int(n)})" for i in range(1, n))
    row = engine.execute(f"select {picks} from {relation}").fetchone() or ()
    return sorted({round(float(v), 6) for v in row if v is not None and not math.isnan(float(v))})


def _bucket(column: str, edges: list[float] | None) -> str:
    """The slice value of a row as SQL: the column as text, or the index of its bin."""
    quoted = identifier(column)
    if edges is None:
        return f"cast({quoted} as varchar)"
    if not edges:
        return f"case when {quoted} is null then null else 0 end"
    steps = " ".join(f"when {quoted} < {float(edge)!r} then {int(i)}" for i, edge in enumerate(edges))
    return f"case when {quoted} is null then null {steps} else {len(edges)} end"


def _stats(engine: Engine, relation: str, column: str, edges: list[float] | None, label: str | None,
           features: list[str]) -> dict[Any, tuple[int, int, float, dict[str, float]]]:
    """{slice value: (rows, labelled rows, label sum, {feature: null fraction})} in one GROUP BY."""
    label_sql = (f"count({identifier(label)}), sum(cast({identifier(label)} as double))" if label
                 else "0, 0.0")
    nulls = "".join(f", count({identifier(f)})" for f in features)
    sql = (f"select {_bucket(column, edges)} as slice_value, count(*), {label_sql}{nulls} "
           f"from {relation} group by 1")
    out = {}
    for value, rows, labelled, positives, *present in engine.execute(sql).fetchall():
        out[value] = (int(rows), int(labelled or 0), float(positives or 0.0),
                      {f: round(1 - int(p) / rows, 6) for f, p in zip(features, present)})
    return out


class _PreviousSnapshot:
    """The previous snapshot's Parquet as a DuckDB view in memory (None when there is none)."""

    def __init__(self, path: Path | None):
        self.path = path
        self.engine = None

    def __enter__(self) -> _PreviousSnapshot | None:
        if self.path is None:
            return None
        import duckdb

        from ..engine.duckdb import DuckDBEngine
        from ..snapshotting.integrity import data_files

        files = [str(p) for p in data_files(Path(self.path))]
        if not files:
            return None
        con = duckdb.connect()
        con.execute("SET TimeZone='UTC'")
        con.read_parquet(files, hive_partitioning=False).create_view(PREVIOUS_VIEW)
        self.engine = DuckDBEngine.over(con)
        self.columns = {c["name"] for c in self.engine.describe(PREVIOUS_VIEW)}
        return self

    def stats(self, column: str, edges: list[float] | None, label: str | None):
        if column not in self.columns:
            return None
        return _stats(self.engine, PREVIOUS_VIEW, column, edges, label if label in self.columns else None, [])

    def __exit__(self, *exc: object) -> None:
        if self.engine is not None:
            self.engine.close()


# -- from counts to the report ---------------------------------------------------------------------

def _totals(stats: dict) -> tuple[int, float | None, int]:
    """(rows, label rate, labelled rows) of the whole set, from one slice column's counts."""
    rows = sum(s[0] for s in stats.values())
    labelled = sum(s[1] for s in stats.values())
    return rows, (sum(s[2] for s in stats.values()) / labelled if labelled else None), labelled


def _values(edges: list[float] | None, now: dict, before: dict | None) -> list[SliceValue]:
    total, overall, _ = _totals(now)
    before_total = _totals(before)[0] if before else 0
    keys = list(now) + [k for k in (before or {}) if k not in now]
    values = []
    for key in keys:
        rows, lab, pos, nulls = now.get(key, (0, 0, 0.0, {}))
        rate = _round(pos / lab) if lab else None
        value = SliceValue(
            value=_label(key, edges), rows=rows, share=_round(rows / total) if total else 0.0,
            label_rate=rate, label_rate_gap=_change(_round(overall), rate), null_fractions=nulls,
        )
        if before is not None:
            b_rows, b_lab, b_pos, _ = before.get(key, (0, 0, 0.0, {}))
            value.share_previous = _round(b_rows / before_total) if before_total else 0.0
            value.label_rate_previous = _round(b_pos / b_lab) if b_lab else None
        values.append((key, value))
    if edges is None:
        values.sort(key=lambda kv: (kv[0] is None, -kv[1].rows, str(kv[0])))
    else:
        values.sort(key=lambda kv: (kv[0] is None, kv[0] if kv[0] is not None else 0))
    return [v for _, v in values]


def _label(key: Any, edges: list[float] | None) -> str | None:
    """The slice value as the report names it: the text, or the bin ("< 90", "[90, 365)", ">= 365")."""
    if key is None:
        return None
    if edges is None:
        return str(key)
    if not edges:
        return "all"
    i = int(key)
    if i == 0:
        return f"< {edges[0]:g}"
    if i == len(edges):
        return f">= {edges[-1]:g}"
    return f"[{edges[i - 1]:g}, {edges[i]:g})"


def _truncate(report: SliceReport) -> None:
    for column in report.columns:
        if column.edges is None and len(column.values) > MAX_VALUES:
            report.notes.append(
                f"slices: column {column.slice.column} has {len(column.values)} values; the report keeps the "
                f"{MAX_VALUES} largest — declare bins or quantiles for it")
            column.values = column.values[:MAX_VALUES]


def _judge(report: SliceReport) -> None:
    """Flag every slice value beyond a declared limit."""
    limits = report.rules.limits()
    floor = limits.get("min_rows_per_slice")
    for column in report.columns:
        name = column.slice.column
        for value in column.values:
            shown = f"slice {slice_name(name, value.value)}"
            if floor and value.rows < floor.limit:
                _flag(report, value, "min_rows_per_slice", name, value.rows, floor,
                      f"{shown}: {value.rows} rows < min_rows_per_slice {floor.limit:g}")
            gap_limit = limits.get("max_label_rate_gap")
            big_enough = value.rows > 0 and (floor is None or value.rows >= floor.limit)
            if gap_limit and big_enough and value.label_rate_gap is not None and abs(value.label_rate_gap) > gap_limit.limit:
                _flag(report, value, "max_label_rate_gap", name, value.label_rate_gap, gap_limit,
                      f"{shown}: label rate {value.label_rate:.4f} vs {report.label_rate:.4f} for the whole set "
                      f"(gap {value.label_rate_gap:+.4f} > max_label_rate_gap {gap_limit.limit:g}, {value.rows} rows)")
            change_limit = limits.get("max_share_change")
            if change_limit and value.share_change is not None and abs(value.share_change) > change_limit.limit:
                _flag(report, value, "max_share_change", name, value.share_change, change_limit,
                      f"{shown}: share {value.share_previous:.4f} -> {value.share:.4f} since {report.previous_snapshot} "
                      f"(change {value.share_change:+.4f} > max_share_change {change_limit.limit:g})")


def slice_name(column: str, value: str | None) -> str:
    """A slice in words: ``plan=basic``, ``country=null``, ``tenure_days < 90``, ``tenure_days in [90, 365)``."""
    if value is None:
        return f"{column}=null"
    if value.startswith(("< ", ">= ")):
        return f"{column} {value}"
    if value.startswith("[") and value.endswith(")"):
        return f"{column} in {value}"
    return f"{column}={value}"


def _flag(report: SliceReport, value: SliceValue, check: str, column: str, observed: float, limit, message: str) -> None:
    value.flags.append(check)
    report.flags.append(SliceFlag(check, column, value.value, observed, limit.limit, limit.severity, message))


def _require_columns(spec: QualitySpec, rules: SliceRules, types: dict[str, str]) -> None:
    for declared in rules.columns:
        if declared.column not in types:
            raise UsageError(
                f"model '{spec.model}': meta.sqltrain.slices names column {declared.column}, which the built "
                f"relation does not have",
                f"slice by one of its columns: {', '.join(list(types)[:12])}")
        if declared.binned and not _NUMERIC.search(types[declared.column]):
            how = "bins" if declared.bins is not None else "quantiles"
            raise UsageError(
                f"model '{spec.model}': meta.sqltrain.slices: column {declared.column} is "
                f"{types[declared.column]}, not a number, so it cannot have {how}",
                f"slice it by value: - {declared.column}")


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 6)


def _change(previous: float | None, current: float | None) -> float | None:
    if previous is None or current is None:
        return None
    return round(current - previous, 6)


def recorded_slices(report_dir: Path) -> dict[str, Any] | None:
    """The slice section the quality gate wrote into ``report_dir``'s ``validation.json`` (for the
    snapshot's manifest); None when it has none."""
    import json

    path = Path(report_dir) / "validation.json"
    if not path.is_file():
        return None
    return json.loads(path.read_text()).get("slices")
