"""Backtesting: walk-forward train/test snapshots with an embargo, one run for all folds (docs/backtesting.md)."""

from .folds import Fold, plan_folds
from .periods import Period, parse_period
from .runner import BacktestResult, FoldResult, run_backtest

__all__ = ["BacktestResult", "Fold", "FoldResult", "Period", "parse_period", "plan_folds", "run_backtest"]
