"""The too-good-to-be-true smell: per-feature univariate AUC against the label (issue #9)."""

from .report import DEFAULT_THRESHOLD, smell_report

__all__ = ["DEFAULT_THRESHOLD", "smell_report"]
