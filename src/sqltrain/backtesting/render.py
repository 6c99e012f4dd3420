"""Rich renderables of a backtest: the fold summary and the suspicious features."""

from __future__ import annotations

from rich.table import Table

from .runner import BacktestResult


def fold_summary_table(result: BacktestResult) -> Table:
    """One row per fold: sizes, label rates, the best single feature (its AUC) and the suspicious features."""
    table = Table(
        title=f"{result.model} backtest {result.start} → {result.end} every {result.every} "
              f"(embargo {result.embargo}, horizon {result.horizon})",
        title_justify="left",
    )
    for header, right in (("fold", False), ("train rows", True), ("test rows", True), ("train rate", True),
                          ("test rate", True), ("best feature", False), ("suspicious", False)):
        table.add_column(header, justify="right" if right else "left")
    for fold in result.folds:
        test = fold.test
        best = fold.train.smell.get("best_feature")
        table.add_row(
            fold.fold.cutoff.label,
            f"{fold.train.rows:,}",
            "—" if test is None else f"{test.rows:,}",
            _rate(fold.train.label_rate),
            "—" if test is None else _rate(test.label_rate),
            "—" if not best else f"{best['name']} {best['auc']:.2f}",
            ", ".join(_suspicious(fold)) or "none",
        )
    return table


def suspicious_table(result: BacktestResult) -> Table | None:
    """Every flagged feature with its AUCs and lineage; None when the smell flagged nothing."""
    rows = []
    for fold in result.folds:
        for part in (fold.train, fold.test):
            if part is None:
                continue
            for feature in part.smell.get("features", []):
                if feature["suspicious"]:
                    rows.append((fold.fold.cutoff.label, part.part, feature))
    if not rows:
        return None
    table = Table(title=f"too good to be true (AUC beyond {result.folds[0].train.smell.get('threshold')})",
                  title_justify="left")
    for header in ("fold", "part", "feature", "AUC", "is-NULL AUC", "lineage"):
        table.add_column(header)
    for fold, part, feature in rows:
        table.add_row(fold, part, feature["name"], _auc(feature["auc"]), _auc(feature["auc_missing"]),
                      ", ".join(feature.get("lineage") or []) or "—")
    return table


def incremental_line(by_as_of: dict[str, dict]) -> str:
    """One line on what ``--incremental`` reused: rows per build, or the first reason it could not."""
    refused = [f"{when}: {r['fallback']}" for when, r in by_as_of.items() if "fallback" in r]
    reused = [f"{when} {r['reused_rows']:,}" for when, r in by_as_of.items() if "reused_rows" in r]
    line = (f"incremental: rows reused from the build before, as of {', '.join(reused)}" if reused
            else "incremental: no row reused")
    return line + (f"; built in full as of {refused[0]}" if refused else "")


def _suspicious(fold) -> list[str]:
    names = list(fold.train.smell.get("suspicious", []))
    if fold.test is not None:
        names += [f"{n} (test)" for n in fold.test.smell.get("suspicious", []) if n not in names]
    return names


def _rate(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.2%}"


def _auc(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"
