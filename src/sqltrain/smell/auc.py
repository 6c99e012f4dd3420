"""Univariate AUC of one column against a binary label, computed in SQL (DuckDB's dialect; the
Spark engine transpiles it, so the same queries run on the cluster).

The AUC of a score against a 0/1 label is the Mann–Whitney statistic
``P(score_pos > score_neg) + ½·P(score_pos = score_neg)`` over all (positive, negative) pairs.
Grouping the rows by value turns it into one pass: each positive at value v beats the negatives
below v and ties with the negatives at v, so

    AUC = Σ_v p_v · (neg_below_v + ½·n_v) / (P · N)

Three variants, one per kind of column (see docs/backtesting.md, "The leakage smell"):

* ordered columns (numbers, booleans, dates, timestamps): the rank statistic above over the rows
  where the column is not NULL;
* categorical columns (text, enums): one-vs-rest — the indicator ``column = c`` for every
  category c, whose AUC is ``½ + ½·(p_c/P − n_c/N)``; the column reports its most extreme
  category. Ordering categories by their label mean would be fitted on the very labels it is
  scored against, so a high-cardinality column (an id) would look perfectly predictive;
* missingness: the indicator ``column IS NULL``, by the same closed form — a column that is
  present exactly when the label is 1 (a cancellation reason) is the commonest leak of all.

Rows whose label is NULL are left out of everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..engine import Engine

from ..sqlquote import identifier


@dataclass(frozen=True)
class ClassCounts:
    """Positives and negatives among the rows an AUC was computed on."""

    positives: int
    negatives: int

    def enough(self, minimum: int) -> bool:
        return self.positives >= minimum and self.negatives >= minimum


def columns_of(engine: Engine, relation: str) -> list[tuple[str, str]]:
    """(name, type) of each column, in the engine's type names."""
    return [(c["name"], c["type"]) for c in engine.describe(relation)]


def _labelled(relation: str, column: str, label: str) -> str:
    """The (x, y) pairs of the labelled rows; y is 0 or 1 (any non-zero label counts as 1)."""
    return (
        f"select {identifier(column)} as x, case when {identifier(label)} = 0 then 0 else 1 end as y "
        f"from {relation} where {identifier(label)} is not null"
    )


def ordered_auc(engine: Engine, relation: str, column: str, label: str) -> tuple[float | None, ClassCounts]:
    """Rank AUC of ``column`` (higher value, higher score) over the rows where it is not NULL."""
    sql = f"""
        with v as ({_labelled(relation, column, label)}),
        g as (select x, sum(y) as p, count(*) - sum(y) as n from v where x is not null group by x),
        c as (
            select p, n, coalesce(sum(n) over (order by x rows between unbounded preceding and 1 preceding), 0) as n_below
            from g
        )
        select sum(p * (n_below + 0.5 * n)), coalesce(sum(p), 0), coalesce(sum(n), 0) from c
    """
    wins, positives, negatives = engine.execute(sql).fetchone()
    counts = ClassCounts(int(positives), int(negatives))
    if not counts.positives or not counts.negatives:
        return None, counts
    return float(wins) / (counts.positives * counts.negatives), counts


def one_vs_rest_auc(
    engine: Engine, relation: str, column: str, label: str
) -> tuple[float | None, str | None, ClassCounts]:
    """The most extreme one-vs-rest AUC among the categories of ``column`` (NULLs left out).

    Returns (auc, category, counts); ties between equally extreme categories go to the
    smallest category text, so the answer is deterministic.
    """
    sql = f"""
        with v as ({_labelled(relation, column, label)}),
        g as (select cast(x as varchar) as category, sum(y) as p, count(*) - sum(y) as n
              from v where x is not null group by 1),
        t as (select sum(p) as pp, sum(n) as nn from g)
        select category, 0.5 + 0.5 * (p / pp - n / nn) as auc, pp, nn
        from g, t
        where pp > 0 and nn > 0
        order by abs(p / pp - n / nn) desc, category
        limit 1
    """
    row = engine.execute(sql).fetchone()
    if row is None:
        positives, negatives = engine.execute(
            f"select coalesce(sum(y), 0), count(*) - coalesce(sum(y), 0) "
            f"from ({_labelled(relation, column, label)}) as v where x is not null"
        ).fetchone()
        return None, None, ClassCounts(int(positives), int(negatives))
    category, auc, positives, negatives = row
    return float(auc), category, ClassCounts(int(positives), int(negatives))


def missing_auc(engine: Engine, relation: str, column: str, label: str) -> tuple[float | None, float, ClassCounts]:
    """AUC of the indicator ``column IS NULL`` and the column's null fraction (labelled rows)."""
    sql = f"""
        with v as ({_labelled(relation, column, label)})
        select coalesce(sum(y), 0), count(*) - coalesce(sum(y), 0),
               coalesce(sum(case when x is null then y else 0 end), 0),
               coalesce(sum(case when x is null then 1 - y else 0 end), 0)
        from v
    """
    positives, negatives, null_pos, null_neg = engine.execute(sql).fetchone()
    counts = ClassCounts(int(positives), int(negatives))
    total = counts.positives + counts.negatives
    null_fraction = (null_pos + null_neg) / total if total else 0.0
    if not counts.positives or not counts.negatives or not (null_pos + null_neg):
        return None, null_fraction, counts
    return 0.5 + 0.5 * (null_pos / counts.positives - null_neg / counts.negatives), null_fraction, counts
