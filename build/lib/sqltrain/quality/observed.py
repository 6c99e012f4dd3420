"""What the data actually showed, in a few words, for the failure table and validation.json.

GX results differ in shape per expectation (an ``observed_value`` for aggregates, counts and
samples of unexpected values for row-wise checks); this turns each into one short sentence.
"""

from __future__ import annotations

from typing import Any

from .gx_validation import Outcome

SAMPLE = 3


def observed(outcome: Outcome) -> str:
    """The observed value of one expectation, e.g. ``"null fraction 0.25 (3 of 12 rows)"``."""
    if outcome.exception:
        return f"could not evaluate: {outcome.exception[:160]}"
    spec, result = outcome.spec, outcome.result
    if spec.type == "expect_column_to_exist":
        return "column present" if outcome.success else "column missing"
    if "observed_value" in result:
        return _observed_value(spec.type, result["observed_value"])
    if "unexpected_count" in result:
        return _unexpected(spec.type, result)
    return "passed" if outcome.success else "failed"


def _observed_value(kind: str, value: Any) -> str:
    if value is None:
        return "no values"
    if kind == "expect_table_row_count_to_equal":
        return f"{value} rows"
    if kind == "expect_column_mean_to_be_between":
        return f"label rate {value:.4g}" if isinstance(value, (int, float)) else f"mean {value}"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def _unexpected(kind: str, result: dict[str, Any]) -> str:
    count = int(result.get("unexpected_count") or 0)
    total = int(result.get("element_count") or 0)
    if kind == "expect_column_values_to_not_be_null":
        fraction = count / total if total else 0.0
        return f"null fraction {fraction:.4g} ({count} of {total} rows)"
    shown = list(dict.fromkeys(_show(v) for v in result.get("partial_unexpected_list") or []))
    sample = ", ".join(shown[:SAMPLE])
    what = {
        "expect_column_values_to_be_unique": "duplicate rows",
        "expect_compound_columns_to_be_unique": "duplicate rows",
        "expect_column_values_to_be_in_set": "rows outside the domain",
        "expect_column_values_to_be_between": "rows out of range",
    }.get(kind, "unexpected rows")
    return f"{count} {what} of {total}" + (f", e.g. {sample}" if sample else "")


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "(" + ", ".join(_show(v) for v in value.values()) + ")"
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else repr(value)
    return str(value)
