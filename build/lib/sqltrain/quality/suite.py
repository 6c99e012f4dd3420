"""The expectation suite of a training set, derived from its declared roles (docs/quality-gate.md).

Pure data: no Great Expectations import here, so the suite can be built, printed and tested
cheaply. Each entry names the GX 1.x expectation, its kwargs, the sqltrain rule that asked for
it and, in words, what it expects (the text printed next to the observed value on failure).

>>> from sqltrain.quality.spec import QualitySpec
>>> spec = QualitySpec(model="m", entity=("id",), cutoff="ts", label="y", label_domain=(0, 1))
>>> [(e.type, e.column) for e in build_suite(spec, ["id", "ts", "y"])][:4]  # doctest: +NORMALIZE_WHITESPACE
[('expect_column_to_exist', 'id'), ('expect_column_to_exist', 'ts'), ('expect_column_to_exist', 'y'),
 ('expect_column_values_to_not_be_null', 'id')]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .spec import QualitySpec

# The sqltrain rules, in the order their expectations appear in the suite.
RULES = (
    "declared_column",   # entity, cutoff and label columns exist
    "key_not_null",      # entity keys and cutoff are never null
    "unique_example",    # (entity, cutoff) unique unless `unique: false`
    "spine_row_count",   # one training row per spine row (docs/semantics.md §3)
    "label_domain",      # label values within `label_domain`
    "label_rate",        # mean of the label within `label_rate`
    "null_fraction",     # per-column null fraction limits
    "value_range",       # per-column `range`
    "user",              # `expectations:` from the model YAML, as written
)


@dataclass(frozen=True)
class ExpectationSpec:
    """One expectation of the suite: a GX 1.x expectation type with its kwargs."""

    type: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    rule: str = "user"
    expected: str = ""

    @property
    def column(self) -> str | None:
        """The column the expectation is about (compound keys are joined with ', ')."""
        if "column" in self.kwargs:
            return self.kwargs["column"]
        for key in ("column_list", "column_set"):
            if key in self.kwargs:
                return ", ".join(self.kwargs[key])
        if "column_A" in self.kwargs:
            return f"{self.kwargs['column_A']}, {self.kwargs.get('column_B')}"
        return None


def build_suite(spec: QualitySpec, relation_columns: list[str], spine_rows: int | None = None) -> list[ExpectationSpec]:
    """All expectations for a training set whose built relation has ``relation_columns``.

    ``spine_rows`` is the row count of the declared spine (None: no spine, no row-count check).
    """
    suite: list[ExpectationSpec] = []
    add = suite.append

    for column in spec.keys + ((spec.label,) if spec.label else ()):
        add(ExpectationSpec("expect_column_to_exist", {"column": column}, "declared_column", "column exists"))

    for column in spec.keys:
        add(ExpectationSpec("expect_column_values_to_not_be_null", {"column": column}, "key_not_null", "no nulls"))

    if spec.unique and spec.keys:
        keys = list(spec.keys)
        expected = f"one row per ({', '.join(keys)})"
        if len(keys) == 1:
            add(ExpectationSpec("expect_column_values_to_be_unique", {"column": keys[0]}, "unique_example", expected))
        else:
            add(ExpectationSpec("expect_compound_columns_to_be_unique", {"column_list": keys}, "unique_example", expected))

    if spine_rows is not None:
        add(ExpectationSpec("expect_table_row_count_to_equal", {"value": int(spine_rows)}, "spine_row_count",
                            f"{spine_rows} rows, as many as spine {spec.spine}"))

    suite.extend(_label_expectations(spec))

    for column, limit in _null_limits(spec, relation_columns):
        kwargs: dict[str, Any] = {"column": column}
        if limit > 0:
            kwargs["mostly"] = round(1.0 - limit, 12)
        add(ExpectationSpec("expect_column_values_to_not_be_null", kwargs, "null_fraction",
                            f"null fraction <= {limit:g}"))

    for rules in spec.columns.values():
        if rules.range is not None:
            low, high = rules.range
            add(ExpectationSpec("expect_column_values_to_be_between",
                                {"column": rules.name, "min_value": low, "max_value": high}, "value_range",
                                f"values {_between(low, high)}"))

    for name, kwargs in spec.expectations:
        add(ExpectationSpec(name, dict(kwargs), "user", _describe_user(kwargs)))
    return _without_repeats(suite)


def _label_expectations(spec: QualitySpec) -> list[ExpectationSpec]:
    """The label's declared domain and rate bounds."""
    out: list[ExpectationSpec] = []
    if spec.label and spec.label_domain is not None:
        out.append(ExpectationSpec("expect_column_values_to_be_in_set",
                                   {"column": spec.label, "value_set": list(spec.label_domain)}, "label_domain",
                                   f"values in {{{', '.join(map(str, spec.label_domain))}}}"))
    if spec.label and spec.label_rate is not None:
        low, high = spec.label_rate
        out.append(ExpectationSpec("expect_column_mean_to_be_between",
                                   {"column": spec.label, "min_value": low, "max_value": high}, "label_rate",
                                   f"label rate {_between(low, high)}"))
    return out


def _without_repeats(suite: list[ExpectationSpec]) -> list[ExpectationSpec]:
    """Keep the first of expectations with the same type and kwargs.

    GX keeps one of two identical expectations in a suite, so a user expectation that repeats a
    derived one (say a `range` written again under `expectations:`) would otherwise come back
    "not evaluated" and fail the gate.
    """
    seen, kept = set(), []
    for expectation in suite:
        key = (expectation.type, repr(sorted(expectation.kwargs.items())))
        if key not in seen:
            seen.add(key)
            kept.append(expectation)
    return kept


def _null_limits(spec: QualitySpec, relation_columns: list[str]) -> list[tuple[str, float]]:
    """(column, max null fraction) for the label and every feature that has a limit.

    The label defaults to no nulls: immature examples are excluded, never exported unlabelled
    (docs/semantics.md §5); a label column may relax that with its own ``max_null_fraction``.
    Features take their own limit, else the model's ``max_null_fraction``, else none.
    """
    limits = []
    if spec.label:
        own = spec.columns.get(spec.label)
        limits.append((spec.label, own.max_null_fraction if own and own.max_null_fraction is not None else 0.0))
    for column in spec.features(relation_columns):
        own = spec.columns.get(column)
        limit = own.max_null_fraction if own and own.max_null_fraction is not None else spec.max_null_fraction
        if limit is not None and limit < 1:
            limits.append((column, limit))
    return limits


def _between(low: Any, high: Any) -> str:
    if low is not None and high is not None:
        return f"between {low:g} and {high:g}"
    if low is not None:
        return f">= {low:g}"
    if high is not None:
        return f"<= {high:g}"
    return "any"


def _describe_user(kwargs: dict[str, Any]) -> str:
    shown = {k: v for k, v in kwargs.items() if k not in ("column", "column_list", "meta", "notes")}
    return ", ".join(f"{k}={v}" for k, v in shown.items()) or "as declared"
