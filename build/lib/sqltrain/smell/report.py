"""``smell_report``: is this training set too good to be true?

A feature that on its own separates the classes almost perfectly is rarely a discovery and
usually a leak (a column computed after the cutoff, a label in disguise). The report scores every
feature with its univariate AUC (``auc``), flags the extreme ones, and gives the label's base
rate and the best single feature so a reader sees at once whether the set is learnable at all.
It is a smell, not a proof: the static check (``sqltrain check``) and the time-travel test
(``sqltrain verify``) are the proofs; this catches what slipped past both.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..project import column_roles
from ..sqlquote import identifier
from .auc import ClassCounts, columns_of, missing_auc, one_vs_rest_auc, ordered_auc

if TYPE_CHECKING:
    from ..engine import Engine

DEFAULT_THRESHOLD = 0.95
DEFAULT_MIN_PER_CLASS = 10

METHOD = (
    "univariate AUC (Mann–Whitney) per feature on the labelled rows; ordered columns by rank over "
    "non-NULL rows, categorical columns one-vs-rest (most extreme category), plus the AUC of the "
    "is-NULL indicator; suspicious when an AUC is above the threshold or below 1 − threshold"
)

_CATEGORICAL = ("VARCHAR", "ENUM", "UUID", "CHAR", "TEXT", "STRING")
_UNORDERED = ("[]", "STRUCT", "MAP", "UNION", "BLOB", "BIT", "JSON", "LIST", "ARRAY", "BINARY", "VARIANT")


def column_kind(type_name: str) -> str | None:
    """``"categorical"``, ``"ordered"`` or None (a type the smell cannot score); DuckDB or Spark type names."""
    upper = type_name.upper()
    if any(marker in upper for marker in _UNORDERED):
        return None
    if upper.startswith(_CATEGORICAL):
        return "categorical"
    return "ordered"


def smell_report(
    engine: Engine,
    relation: str,
    meta: dict[str, Any],
    *,
    roles: dict[str, str] | None = None,
    threshold: float | None = None,
    min_per_class: int = DEFAULT_MIN_PER_CLASS,
    compiled_sql: str | None = None,
) -> dict[str, Any]:
    """The leakage smell of ``relation`` (a table name or a parenthesised query), as a JSON-able dict.

    ``engine`` is the ``sqltrain.engine.Engine`` the relation lives in (on Spark the queries run on
    the cluster, transpiled from DuckDB's dialect; only their one-row results reach the driver).

    ``meta`` is the model's ``meta.sqltrain`` (entity, cutoff, label, and optionally ``auc_threshold``,
    used when ``threshold`` is not given; default 0.95); ``roles`` maps column names
    to roles (entity, cutoff, label, feature, ...) — columns without a role are features, columns
    with any other role are not scored. With ``compiled_sql`` (the model's compiled SQL) each
    suspicious feature carries its lineage: the upstream table columns it is computed from.

    >>> import duckdb
    >>> from sqltrain.engine.duckdb import DuckDBEngine
    >>> engine = DuckDBEngine.over(duckdb.connect())
    >>> _ = engine.execute("create table t as select range as k, range % 2 as y, range % 2 * 10 as leak from range(40)")
    >>> smell_report(engine, "t", {"entity": ["k"], "label": "y"})["suspicious"]
    ['leak']
    """
    threshold = resolve_threshold(meta, threshold)
    label = meta.get("label")
    report: dict[str, Any] = {"threshold": threshold, "min_per_class": min_per_class, "method": METHOD, "label": label}
    if not label:
        return {**report, "skipped": "no label declared (meta.sqltrain.label)"}
    columns = columns_of(engine, relation)
    names = [name for name, *_ in columns]
    if label not in names:
        return {**report, "skipped": f"label column {label} is not in the relation"}
    problem = _non_binary(engine, relation, label)
    if problem:
        return {**report, "skipped": problem}

    total, positives, negatives = engine.execute(
        f"select count(*), count(*) filter (where {identifier(label)} <> 0), count(*) filter (where {identifier(label)} = 0) "
        f"from {relation}"
    ).fetchone()
    labelled = positives + negatives
    report.update(
        rows=int(total),
        labelled_rows=int(labelled),
        positives=int(positives),
        base_rate=round(positives / labelled, 6) if labelled else None,
    )
    roles = {**column_roles(None, meta), **(roles or {})}
    features, skipped = [], []
    for name, type_, *_ in columns:
        role = roles.get(name, "feature")
        if role != "feature":
            continue
        kind = column_kind(type_)
        if kind is None:
            skipped.append({"name": name, "type": type_, "reason": "type has no order and no categories"})
            continue
        features.append(_score(engine, relation, name, type_, kind, label, threshold, min_per_class))

    scored = [f for f in features if f["auc"] is not None]
    best = max(scored, key=lambda f: (abs(f["auc"] - 0.5), f["name"]), default=None)
    suspicious = [f["name"] for f in features if f["suspicious"]]
    if compiled_sql and suspicious:
        from .lineage import feature_lineage

        for feature in features:
            if feature["suspicious"]:
                feature["lineage"] = feature_lineage(compiled_sql, feature["name"], engine)
    report.update(
        best_feature=None if best is None else {"name": best["name"], "auc": best["auc"], "separation": _separation(best["auc"])},
        suspicious=suspicious,
        features=features,
        skipped_columns=skipped,
    )
    return report


def resolve_threshold(meta: dict[str, Any], threshold: float | None = None) -> float:
    """The explicit threshold, else the model's ``meta.sqltrain.auc_threshold``, else 0.95; within (0.5, 1)."""
    chosen = threshold if threshold is not None else meta.get("auc_threshold", DEFAULT_THRESHOLD)
    try:
        value = float(chosen)
    except (TypeError, ValueError):
        value = float("nan")
    if not 0.5 < value < 1.0:
        from ..errors import UsageError

        raise UsageError(f"AUC threshold {chosen!r} must be a number between 0.5 and 1",
                         "use e.g. 0.95 (--auc-threshold or meta.sqltrain.auc_threshold)")
    return value


def _score(engine, relation, name, type_, kind, label, threshold, min_per_class) -> dict[str, Any]:
    """One feature's AUCs and verdict."""
    category = None
    if kind == "categorical":
        auc, category, counts = one_vs_rest_auc(engine, relation, name, label)
    else:
        auc, counts = ordered_auc(engine, relation, name, label)
    auc_missing, null_fraction, all_counts = missing_auc(engine, relation, name, label)
    entry: dict[str, Any] = {
        "name": name,
        "type": type_,
        "kind": kind,
        "rows_used": counts.positives + counts.negatives,
        "null_fraction": round(null_fraction, 6),
        "auc": _round(auc if counts.enough(min_per_class) else None),
        "auc_missing": _round(auc_missing if all_counts.enough(min_per_class) else None),
    }
    if category is not None:
        entry["category"] = category
    reasons = [
        f"{what} AUC {value:.3f} is {'above' if value > threshold else 'below'} "
        f"{threshold if value > threshold else round(1 - threshold, 6)}"
        for what, value in (("value", entry["auc"]), ("is-NULL", entry["auc_missing"]))
        if value is not None and (value > threshold or value < 1 - threshold)
    ]
    entry["suspicious"] = bool(reasons)
    entry["reason"] = "; ".join(reasons) or None
    if entry["auc"] is None and auc is None:
        entry["note"] = "no value seen in one of the classes"
    elif entry["auc"] is None:
        entry["note"] = _too_few(counts, min_per_class)
    return entry


def _too_few(counts: ClassCounts, minimum: int) -> str:
    return f"too few rows to score ({counts.positives} positive, {counts.negatives} negative; need {minimum} of each)"


def _non_binary(engine, relation: str, label: str) -> str | None:
    query = f"select distinct {identifier(label)} from {relation} where {identifier(label)} is not null limit 3"
    values = [v for (v,) in engine.execute(query).fetchall()]
    if any(v not in (0, 1, True, False) for v in values):
        return f"label {label} is not binary (values such as {sorted(map(str, values))[:3]}); the AUC smell needs a 0/1 label"
    return None


def _separation(auc: float) -> float:
    return round(max(auc, 1 - auc), 6)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6)
