"""The too-good-to-be-true smell: per-feature univariate AUC against the label (docs/backtesting.md)."""

from .report import DEFAULT_THRESHOLD, smell_report

__all__ = ["DEFAULT_THRESHOLD", "smell_report"]
