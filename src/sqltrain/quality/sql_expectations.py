"""sqltrain's built-in expectations evaluated as SQL inside the warehouse (docs/quality-gate.md).

GX's SQL datasource runs several queries per expectation, each a scan of the training set; the
built-in rules need far less. Here they cost one aggregate scan of the validated query (every
count, null count and mean at once), one ``GROUP BY … HAVING count(*) > 1`` per uniqueness rule,
and, only for an expectation that failed, one small query for up to 20 sample values. Each
outcome carries a ``result`` dict in GX 1.x's SUMMARY shape (``element_count``,
``unexpected_count``, ``unexpected_percent``, ``partial_unexpected_list``, ``observed_value`` …)
with GX's success rules, so the gate's messages, ``validation.json`` and the Data Docs read as
when GX computed them. The samples are ordered by value (GX lists them in scan order), so a rerun
reports the same ones.

Values from the model's YAML reach the SQL only as quoted literals (``sqltrain.sqlquote``) or
as numbers Python has already parsed; columns only as quoted identifiers.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from decimal import Decimal
from typing import Any

from ..sqlquote import identifier, string_literal
from .gx_validation import Outcome
from .suite import ExpectationSpec

SAMPLE_SIZE = 20
"""GX's SUMMARY format keeps up to 20 unexpected values (``partial_unexpected_list``)."""

_MAP = ("expect_column_values_to_be_in_set", "expect_column_values_to_be_between",
        "expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique")
"""Row-wise expectations whose nulls are "missing" (left out), as GX counts them."""

KWARGS = {
    "expect_column_to_exist": ({"column"}, set()),
    "expect_column_values_to_not_be_null": ({"column"}, {"mostly"}),
    "expect_table_row_count_to_equal": ({"value"}, set()),
    "expect_column_mean_to_be_between": ({"column"}, {"min_value", "max_value"}),
    "expect_column_values_to_be_in_set": ({"column", "value_set"}, {"mostly"}),
    "expect_column_values_to_be_between": ({"column"}, {"min_value", "max_value", "mostly"}),
    "expect_column_values_to_be_unique": ({"column"}, {"mostly"}),
    "expect_compound_columns_to_be_unique": ({"column_list"}, {"mostly"}),
}
"""The expectations this module evaluates: (required, optional) kwargs, with GX's meaning (checked
against GX by tests/quality/test_sql_expectations.py). Any other kwarg, or a missing one, goes to GX."""

SQL_TYPES = frozenset(KWARGS)


def evaluable(spec: ExpectationSpec) -> bool:
    """Whether this module evaluates ``spec`` — a built-in rule's expectation, or a user's whose
    type and kwargs are among ``KWARGS`` with values it can write as SQL — or GX must."""
    kwargs = spec.kwargs
    if spec.type not in KWARGS:
        return False
    required, optional = KWARGS[spec.type]
    if not required <= set(kwargs) <= required | optional or not _well_formed(kwargs):
        return False        # GX reports a missing, unknown or malformed kwarg in its own words
    bounds = [kwargs.get("min_value"), kwargs.get("max_value")]
    if spec.type == "expect_column_values_to_be_between" and bounds == [None, None]:
        return False        # GX refuses a range open on both sides: let it say so
    values = [*bounds, *kwargs.get("value_set", [])]
    return all(v is None or _literal(v) is not None for v in values)


def _well_formed(kwargs: dict[str, Any]) -> bool:
    """The kwargs that are there have the types GX accepts (names, a list, a count, a share in [0, 1])."""
    checks = {
        "column": lambda v: isinstance(v, str),
        "column_list": lambda v: isinstance(v, list) and bool(v) and all(isinstance(c, str) for c in v),
        "value_set": lambda v: isinstance(v, list),
        "value": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "mostly": lambda v: v is None or (isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 1),
    }
    return all(check(kwargs[name]) for name, check in checks.items() if name in kwargs)


def evaluate(engine, query: str, columns: list[str], suite: dict[int, ExpectationSpec]) -> dict[int, Outcome]:
    """The outcome of each expectation of ``suite`` (suite index -> spec, all ``evaluable``) on the
    rows of ``query`` (whose columns are ``columns``), run through ``engine.execute``."""
    source = f"({query}) AS sqltrain_validated"
    present = set(columns)
    outcomes: dict[int, Outcome] = {}
    scan = _Scan()
    plans = []
    for index, spec in suite.items():
        wanted = _columns(spec)
        if spec.type == "expect_column_to_exist":
            outcomes[index] = Outcome(spec, spec.kwargs["column"] in present, {})
        elif missing := [c for c in wanted if c not in present]:
            outcomes[index] = Outcome(spec, False, {}, f'column "{missing[0]}" is not in the relation')
        else:
            plans.append((index, spec, _plan(spec, wanted, scan)))

    try:
        row = scan.run(engine, source)
    except Exception:
        # one expression the warehouse refuses (say a numeric range on a timestamp column) must
        # not hide the others: evaluate each expectation on its own, as GX would
        for index, spec in suite.items():
            if index not in outcomes:
                outcomes[index] = _alone(engine, source, spec)
        return outcomes
    for index, spec, plan in plans:
        outcomes[index] = plan(engine, source, row)
    return outcomes


def _alone(engine, source: str, spec: ExpectationSpec) -> Outcome:
    """``spec`` evaluated in a scan of its own; its error, if the warehouse refuses it, as the outcome."""
    scan = _Scan()
    plan = _plan(spec, _columns(spec), scan)
    try:
        return plan(engine, source, scan.run(engine, source))
    except Exception as error:
        return Outcome(spec, False, {}, " ".join(str(error).split()))


class _Scan:
    """The aggregates of the one scan: each distinct expression once, read back by position."""

    def __init__(self) -> None:
        self.expressions: list[str] = ["count(*)"]

    def add(self, expression: str) -> int:
        if expression not in self.expressions:
            self.expressions.append(expression)
        return self.expressions.index(expression)

    def run(self, engine, source: str) -> tuple:
        return tuple(engine.execute(f"SELECT {', '.join(self.expressions)} FROM {source}").fetchone())


def _plan(spec: ExpectationSpec, columns: list[str], scan: _Scan):
    """Register ``spec``'s aggregates with ``scan``; returns how to turn the scanned row into its Outcome."""
    kind = spec.type
    if kind == "expect_table_row_count_to_equal":
        return lambda engine, source, row: Outcome(spec, row[0] == spec.kwargs["value"], {"observed_value": row[0]})

    column = identifier(columns[0])
    if kind == "expect_column_mean_to_be_between":
        at = scan.add(f"avg({column})")

        def mean(engine, source, row):
            value = _json(row[at])
            low, high = spec.kwargs.get("min_value"), spec.kwargs.get("max_value")
            success = value is not None and (low is None or value >= low) and (high is None or value <= high)
            return Outcome(spec, success, {"observed_value": value})
        return mean

    if kind == "expect_column_values_to_not_be_null":
        nulls = scan.add(f"count(*) - count({column})")

        def not_null(engine, source, row):
            count = int(row[nulls])
            return _row_wise(spec, row[0], row[0], count, [None] * min(count, SAMPLE_SIZE), missing=None)
        return not_null

    if kind in ("expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique"):
        # as GX: a row with a null key duplicates nothing; a row whose keys are all null is "missing"
        keys = ", ".join(identifier(c) for c in columns)
        all_null = " AND ".join(f"{identifier(c)} IS NULL" for c in columns)
        any_null = " OR ".join(f"{identifier(c)} IS NULL" for c in columns)
        missing = scan.add(f"sum(CASE WHEN {all_null} THEN 1 ELSE 0 END)")

        def unique(engine, source, row):
            groups = (f"SELECT {keys}, count(*) AS sqltrain_rows FROM {source} WHERE NOT ({any_null}) "
                      f"GROUP BY {keys} HAVING count(*) > 1")
            count = int(engine.execute(f"SELECT coalesce(sum(sqltrain_rows), 0) FROM ({groups}) AS d").fetchone()[0])
            sample: list[Any] = []
            if count:
                for *values, rows in engine.execute(f"{groups} ORDER BY {keys} LIMIT {SAMPLE_SIZE}").fetchall():
                    value = dict(zip(columns, map(_json, values))) if len(columns) > 1 else _json(values[0])
                    sample.extend([value] * int(rows))
            return _row_wise(spec, row[0], row[0] - int(row[missing] or 0), count, sample[:SAMPLE_SIZE],
                             missing=int(row[missing] or 0))
        return unique

    condition = _unexpected(spec, column)
    unexpected = scan.add(f"sum(CASE WHEN {condition} THEN 1 ELSE 0 END)")
    present = scan.add(f"count({column})")

    def row_wise(engine, source, row):
        count = int(row[unexpected] or 0)
        sample = []
        if count:
            rows = engine.execute(f"SELECT {column} FROM {source} WHERE {condition} "
                                  f"ORDER BY {column} LIMIT {SAMPLE_SIZE}").fetchall()
            sample = [_json(r[0]) for r in rows]
        return _row_wise(spec, row[0], row[present], count, sample, missing=row[0] - row[present])
    return row_wise


def _unexpected(spec: ExpectationSpec, column: str) -> str:
    """The SQL condition of an unexpected (non-null) value of a set or range expectation."""
    if spec.type == "expect_column_values_to_be_in_set":
        values = [_literal(v) for v in spec.kwargs["value_set"]]
        return f"{column} NOT IN ({', '.join(values)})" if values else f"{column} IS NOT NULL"
    low, high = spec.kwargs.get("min_value"), spec.kwargs.get("max_value")
    outside = ([f"{column} < {_literal(low)}"] if low is not None else []) + \
              ([f"{column} > {_literal(high)}"] if high is not None else [])
    return "(" + " OR ".join(outside) + ")"


def _row_wise(spec: ExpectationSpec, total: int, considered: int, count: int, sample: list[Any],
              missing: int | None) -> Outcome:
    """The Outcome of a row-wise expectation in GX's SUMMARY shape and with its ``mostly`` rule.

    ``missing`` None: nulls are what the expectation counts (``not_be_null``), no missing keys.
    """
    total, considered = int(total), int(considered)
    mostly = spec.kwargs.get("mostly")
    success = count == 0 if mostly is None else (considered == 0 or (considered - count) / considered >= mostly)
    percent = _percent(count, considered)
    result: dict[str, Any] = {"element_count": total, "unexpected_count": count, "unexpected_percent": percent,
                              "partial_unexpected_list": sample}
    if missing is not None:
        result.update(missing_count=missing, missing_percent=_percent(missing, total),
                      unexpected_percent_total=_percent(count, total), unexpected_percent_nonmissing=percent)
    result["partial_unexpected_counts"] = _counts(sample)
    return Outcome(spec, success, result)


def _percent(part: int, whole: int) -> float | None:
    return part / whole * 100 if whole else None


def _counts(sample: list[Any]) -> list[dict[str, Any]]:
    """GX's ``partial_unexpected_counts``: each sampled value with how often it was sampled, most first."""
    def key(value: Any) -> Any:
        return tuple(value.values()) if isinstance(value, dict) else value
    counted = Counter(key(v) for v in sample)
    return [{"value": list(value) if isinstance(value, tuple) else value, "count": n}
            for value, n in sorted(counted.items(), key=lambda item: -item[1])]


def _columns(spec: ExpectationSpec) -> list[str]:
    if "column" in spec.kwargs:
        return [spec.kwargs["column"]]
    return list(spec.kwargs.get("column_list", []))


def _literal(value: Any) -> str | None:
    """``value`` as a SQL literal (None: a value this module does not write as SQL)."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float) and math.isfinite(value):
        return repr(float(value))
    if isinstance(value, str):
        return string_literal(value)
    return None


def _json(value: Any) -> Any:
    """A value read back from the warehouse as GX writes it into a result (JSON-safe)."""
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value
