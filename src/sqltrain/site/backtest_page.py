"""What the page of one backtest shows, from its ``backtest.json``: the fold timeline, rows and label
rate per fold, the AUC smell of each part and the test-set baselines recorded by ``sqltrain backtest``.

Nothing is computed from the data here: the baselines are measured at backtest time, in the engine
that built the folds (``sqltrain.backtesting.baselines``), and the page only draws what was recorded.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..backtesting.periods import parse_period
from ..errors import UsageError
from . import charts
from .collect import BacktestInfo


def fold_rows(backtest: BacktestInfo) -> list[dict[str, Any]]:
    """One dict per fold for the template: dates, both parts, the smell and the baselines."""
    rows = []
    for fold in backtest.folds:
        test = fold.get("test") or {}
        baselines = test.get("baselines") or {}
        rows.append({
            "fold": fold.get("fold"),
            "path": fold.get("path"),
            "dates": fold.get("dates") or {},
            "train": fold.get("train") or {},
            "test": test,
            "base_rate": baselines.get("base_rate"),
            "best_feature": baselines.get("best_feature"),
            "baselines_note": baselines.get("skipped") or (None if baselines else
                                                            "not recorded (a backtest by an older sqltrain: run it again)"),
        })
    return rows


def backtest_charts(backtest: BacktestInfo) -> dict[str, str]:
    """The fold timeline, test rows per fold and label rate per fold (test), as inline SVG."""
    labels = [str(f.get("fold")) for f in backtest.folds]
    tests = [f.get("test") or {} for f in backtest.folds]
    title = f"{backtest.model} {backtest.slug}"
    rows = [(label, segments(fold, backtest)) for label, fold in zip(labels, backtest.folds)]
    return {
        "timeline": charts.timeline_chart(rows, name="fold-timeline", since=_axis_start(rows),
                                          title=f"Train, embargo and test cutoff periods per fold, {title}"),
        "rows": charts.bar_chart(list(zip(labels, [t.get("rows") or 0 for t in tests])), name="fold-test-rows",
                                 title=f"Test rows per fold, {title}"),
        "label_rate": charts.line_chart(list(zip(labels, [t.get("label_rate") for t in tests])),
                                        name="fold-test-label-rate", title=f"Test label rate per fold, {title}"),
    }


def segments(fold: dict[str, Any], backtest: BacktestInfo) -> list[tuple[str, datetime, datetime]]:
    """The fold's (kind, first, last) cutoff periods: train, embargo up to the fold date, test.

    Train starts at the train window's start, else at the first train cutoff exported; the last
    fold's test runs to the last cutoff whose label is mature on the evaluation date.
    """
    dates = fold.get("dates") or {}
    train_cut, test_cut = dates.get("train_cutoffs") or {}, dates.get("test_cutoffs") or {}
    fold_date = _moment(dates.get("date") or fold.get("fold"))
    if fold_date is None:
        return []
    train_to = _moment(train_cut.get("to")) or fold_date
    train_from = (_moment(train_cut.get("from")) or _moment(((fold.get("train") or {}).get("cutoffs") or [None])[0])
                  or train_to)
    test_to = _moment(test_cut.get("before")) or _last_mature(backtest) or fold_date
    return [("train", train_from, train_to), ("embargo", train_to, fold_date), ("test", fold_date, test_to)]


def _axis_start(rows) -> datetime | None:
    """Where the timeline starts: train may take at most half its width (an expanding window reaches
    back to the first cutoff ever, which would squeeze embargo and test to slivers)."""
    ends = [end for _, segs in rows for kind, _, end in segs if kind == "train"]
    last = max((end for _, segs in rows for _, _, end in segs), default=None)
    if not ends or last is None:
        return None
    return min(ends) - (last - min(ends))


def _last_mature(backtest: BacktestInfo) -> datetime | None:
    end = _moment(backtest.spec.get("end"))
    try:
        return parse_period(backtest.summary.get("horizon") or "").before(end) if end else None
    except UsageError:
        return None


def _moment(text: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text)) if text else None
    except ValueError:
        return None
