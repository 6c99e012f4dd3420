"""`sqltrain backtest --start D1 --end D2 --every P [--model M] [--train-window W] [--out DIR]`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click

from ._options import FiniteFloatRange, OutputPath, PeriodType, project_options, wait_lock_option


@click.command("backtest")
@click.option("--start", required=True, metavar="DATE", help="First fold date (UTC, ISO 8601).")
@click.option("--end", required=True, metavar="DATE",
              help="Evaluation date: test labels are read as known on it; the last fold is the last "
                   "date whose test labels are mature by then.")
@click.option("--every", required=True, type=PeriodType(), metavar="PERIOD",
              help="Step between fold dates: '1 month', '2 weeks', P1M…")
@click.option("--model", "-m", default="churn_training", show_default=True, help="Training-set model to backtest.")
@click.option("--train-window", type=PeriodType(), default=None, metavar="PERIOD",
              help="Train only on cutoffs within this period before each fold date (default: all history).")
@click.option("--embargo", type=PeriodType(), default=None, metavar="PERIOD",
              help="Gap between the last train cutoff and the fold date (default and minimum: the label horizon).")
@click.option("--out", type=OutputPath(directory=True), default=None,
              help="Directory the backtest lands in, as OUT/MODEL/backtest=D1_D2_P/ (default: snapshots/).")
@click.option("--auc-threshold", type=FiniteFloatRange(0.5, 1.0, min_open=True, max_open=True), default=None,
              help="Flag a feature whose univariate AUC is above this or below 1 − this "
                   "(default: the model's meta.sqltrain.auc_threshold, else 0.95).")
@click.option("--rebuild-all", is_flag=True,
              help="Rebuild the whole upstream for every fold, not only the models that read the as-of date.")
@click.option("--incremental", is_flag=True,
              help="Each build after the first keeps the previous build's rows that cannot change and builds only "
                   "the other cutoffs; same files as without it (docs/incremental.md, Backtests).")
@project_options
@wait_lock_option
def command(start, end, every, model, train_window, embargo, out, auc_threshold, rebuild_all, incremental, project):
    """Walk-forward train/test snapshots of MODEL: for each fold date X from START every PERIOD, a train
    set as of X (labels mature by X) and a test set after X, an embargo apart, gated and exported.

    Exit 0 when every fold was exported, 1 when dbt or a gate failed (nothing exported), 2 on bad input.
    Suspicious features (the AUC smell) are reported, not fatal.
    """
    from ..backtesting import run_backtest
    from ..backtesting.render import fold_summary_table, incremental_line, suspicious_table
    from ..console import say, show
    from ..errors import GateFailed
    from ..render import gate_failures_table

    try:
        with _fold_progress(f"backtest {model}") as (step, on_fold, on_node):
            result = run_backtest(
                project, start, end, every, model=model, train_window=train_window, out=out, embargo=embargo,
                auc_threshold=auc_threshold, rebuild_all=rebuild_all, incremental=incremental, step=step,
                on_fold=on_fold, on_node=on_node,
            )
    except GateFailed as failure:
        if failure.results:
            show(gate_failures_table(failure.results))
        raise
    show(fold_summary_table(result))
    flagged = suspicious_table(result)
    if flagged is not None:
        show(flagged)
        say("a feature that alone nearly decides the label is usually a leak: "
            "check its lineage, then `sqltrain check` and `sqltrain verify` the model", warning=True)
    say(
        f"{len(result.folds)} fold(s) in {result.seconds:.1f} s with {result.dbt_invocations} dbt invocations; "
        f"rebuilt per fold: {', '.join(n.split('.')[-1] for n in result.rebuilt_per_fold)}; "
        f"built once: {len(result.built_once)} node(s)"
    )
    if incremental:
        say(incremental_line(result.manifest["builds"]["incremental"]["by_as_of"]))
    say(f"backtest written to {result.path}")
    return 0


@contextmanager
def _fold_progress(title: str) -> Iterator[tuple]:
    """``(step, on_fold, on_node)``: a progress bar over the folds on a terminal, one line per event elsewhere."""
    from ..console import console, say

    if not console.is_terminal:
        yield (lambda msg: say(f"{title}: {msg}"),
               lambda done, total, what: say(f"{title}: [{done}/{total}] {what}"),
               lambda node, state: None)
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=True) as progress:
        task = progress.add_task(title, total=None)
        yield (lambda msg: progress.update(task, description=f"{title}: {msg}"),
               lambda done, total, what: progress.update(task, completed=done, total=total),
               lambda node, state: progress.update(task, description=f"{title}: dbt {node} {state}"))
