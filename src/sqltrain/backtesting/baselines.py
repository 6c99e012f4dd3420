"""The floor a model must beat on a fold's test set: two baselines, measured in the engine (SQL).

* **base rate**: predict the train set's label rate for every test example. Its AUC is 0.5 by
  construction (a constant ranks nothing); its log-loss and Brier score on the test labels are the
  numbers a calibrated model must get below.
* **best single feature**: the feature the AUC smell ranks best on the *train* set (largest
  ``|AUC − 0.5|``), used as the score on the *test* set with the direction (and, for a categorical
  column, the category) chosen on train. Its test AUC is what a one-column rule fitted on train
  achieves out of time; nothing about the test labels is used to pick it.

Both read only one-row aggregates from the engine (the test part's query), so they cost a few
queries per fold, run on the cluster on Spark, and hold no rows in Python.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ..smell.auc import ordered_auc
from ..sqlquote import identifier, string_literal

if TYPE_CHECKING:
    from ..engine import Engine
    from .export import PartResult

LOG_LOSS_EPSILON = 1e-15
"""Predictions are clipped to [ε, 1 − ε] before the log (a train rate of 0 or 1 would be infinite)."""

METHOD = (
    "base rate: the train label rate predicted for every test example (AUC 0.5; log-loss and Brier on the "
    "test labels); best feature: the train set's best univariate-AUC feature scored on test with the "
    "direction (categorical: the category) chosen on train"
)


def fold_baselines(engine: Engine, relation: str, label: str | None, train: PartResult) -> dict[str, Any]:
    """The baselines of one fold's test part ``relation``, picked on ``train`` (a JSON-able dict).

    >>> import duckdb
    >>> from sqltrain.engine.duckdb import DuckDBEngine
    >>> from sqltrain.backtesting.export import PartResult
    >>> engine = DuckDBEngine.over(duckdb.connect())
    >>> _ = engine.execute("create table t as select range as x, (range >= 6)::int as y from range(10)")
    >>> train = PartResult("train", 100, 0.25, (None, None), "", smell={"positives": 25, "labelled_rows": 100,
    ...     "best_feature": {"name": "x", "auc": 0.9}, "features": [{"name": "x", "kind": "ordered"}]})
    >>> b = fold_baselines(engine, "t", "y", train)
    >>> b["base_rate"]["prediction"], b["base_rate"]["test_rate"], b["base_rate"]["brier"]
    (0.25, 0.4, 0.2625)
    >>> b["best_feature"]["name"], b["best_feature"]["test_auc"]
    ('x', 1.0)
    """
    result: dict[str, Any] = {"method": METHOD}
    if not label:
        return {**result, "skipped": "no label declared (meta.sqltrain.label)"}
    if train.smell.get("skipped"):
        return {**result, "skipped": f"the train set's smell was skipped: {train.smell['skipped']}"}
    result["base_rate"] = _base_rate(engine, relation, label, _train_rate(train))
    result["best_feature"] = _best_feature(engine, relation, label, train.smell)
    return result


def _train_rate(train: PartResult) -> float | None:
    smell = train.smell
    if smell.get("labelled_rows"):
        return smell["positives"] / smell["labelled_rows"]
    return train.label_rate


def _base_rate(engine: Engine, relation: str, label: str, rate: float | None) -> dict[str, Any]:
    y = identifier(label)
    positives, labelled = engine.execute(
        f"select coalesce(sum(case when {y} = 0 then 0 else 1 end), 0), count({y}) from {relation}"
    ).fetchone()
    positives, labelled = int(positives), int(labelled)
    entry: dict[str, Any] = {"prediction": None if rate is None else round(rate, 6), "auc": 0.5,
                             "labelled_rows": labelled, "test_rate": round(positives / labelled, 6) if labelled else None,
                             "log_loss": None, "brier": None}
    if rate is None or not labelled:
        return entry
    negatives = labelled - positives
    p = min(max(rate, LOG_LOSS_EPSILON), 1 - LOG_LOSS_EPSILON)
    entry["log_loss"] = round(-(positives * math.log(p) + negatives * math.log(1 - p)) / labelled, 6)
    entry["brier"] = round((positives * (1 - rate) ** 2 + negatives * rate ** 2) / labelled, 6)
    return entry


def _best_feature(engine: Engine, relation: str, label: str, smell: dict[str, Any]) -> dict[str, Any] | None:
    best = smell.get("best_feature")
    if not best:
        return None
    scored = next((f for f in smell.get("features") or [] if f["name"] == best["name"]), {})
    name, train_auc = best["name"], float(best["auc"])
    category = scored.get("category")
    if scored.get("kind") == "categorical" and category is not None:
        raw, rows = _category_auc(engine, relation, name, label, category)
    else:
        raw, counts = ordered_auc(engine, relation, name, label)
        rows = counts.positives + counts.negatives
    higher = train_auc >= 0.5        # the direction the train set chose
    return {
        "name": name,
        "category": category,
        "direction": "higher scores positive" if higher else "lower scores positive",
        "train_auc": round(train_auc, 6),
        "train_separation": round(max(train_auc, 1 - train_auc), 6),
        "test_auc": None if raw is None else round(raw if higher else 1 - raw, 6),
        "test_rows_used": rows,
    }


def _category_auc(engine: Engine, relation: str, column: str, label: str, category: str) -> tuple[float | None, int]:
    """AUC on ``relation`` of the indicator ``column = category`` (NULLs left out, as the smell does)."""
    x, y = identifier(column), identifier(label)
    hit = f"cast({x} as varchar) = {string_literal(category)}"
    p_c, n_c, positives, negatives = engine.execute(
        f"select coalesce(sum(case when {hit} and {y} <> 0 then 1 else 0 end), 0), "
        f"coalesce(sum(case when {hit} and {y} = 0 then 1 else 0 end), 0), "
        f"coalesce(sum(case when {y} <> 0 then 1 else 0 end), 0), coalesce(sum(case when {y} = 0 then 1 else 0 end), 0) "
        f"from {relation} where {y} is not null and {x} is not null"
    ).fetchone()
    if not positives or not negatives:
        return None, int(positives + negatives)
    return 0.5 + 0.5 * (p_c / positives - n_c / negatives), int(positives + negatives)
