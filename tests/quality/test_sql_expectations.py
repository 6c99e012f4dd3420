"""The built-in expectations, evaluated as SQL by sqltrain, agree with Great Expectations: the same
success and the same GX result (counts, percentages, observed values, sampled values) for every
type the suite uses, passing and failing, with nulls, decimals, timestamps and ``mostly``."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace

import duckdb
import pytest

from sqltrain.engine.duckdb import DuckDBEngine
from sqltrain.quality.gx_validation import _context, _gx_validate, _outcomes, import_gx, run_suite
from sqltrain.quality.sql_expectations import evaluable, evaluate
from sqltrain.quality.suite import ExpectationSpec as E

# 40 rows; each column breaks some expectation with fewer than 20 unexpected rows (so GX's sample
# holds them all and the two samples can be compared as multisets)
TABLE = """
CREATE TABLE t AS
SELECT i AS id,
       CASE WHEN i < 36 THEN i ELSE i - 30 END AS dup,
       CASE WHEN i % 4 = 0 THEN NULL ELSE i END AS n,
       CAST(i % 3 AS DECIMAL(10, 2)) AS d,
       CASE WHEN i % 7 = 0 THEN 2 ELSE i % 2 END AS y,
       CAST(i AS DOUBLE) / 10 AS f,
       CASE WHEN i % 9 = 0 THEN 'c' WHEN i % 2 = 0 THEN 'a' ELSE 'b' END AS s,
       TIMESTAMP '2025-01-01' + to_days(CASE WHEN i IN (5, 6) THEN 0 ELSE i END) AS ts,
       CASE WHEN i IN (5, 6) THEN 1 ELSE i END AS k,
       i % 5 = 0 AS flag
FROM range(0, 40) r(i)
"""

SUITE = [
    E("expect_column_to_exist", {"column": "id"}),
    E("expect_column_to_exist", {"column": "nope"}),
    E("expect_column_values_to_not_be_null", {"column": "n"}),
    E("expect_column_values_to_not_be_null", {"column": "n", "mostly": 0.5}),
    E("expect_column_values_to_not_be_null", {"column": "n", "mostly": 0.9}),
    E("expect_column_values_to_not_be_null", {"column": "id"}),
    E("expect_column_values_to_be_unique", {"column": "id"}),
    E("expect_column_values_to_be_unique", {"column": "dup"}),
    E("expect_column_values_to_be_unique", {"column": "n"}),
    E("expect_compound_columns_to_be_unique", {"column_list": ["k", "ts"]}),
    E("expect_compound_columns_to_be_unique", {"column_list": ["id", "ts"]}),
    E("expect_compound_columns_to_be_unique", {"column_list": ["n", "d"]}),
    E("expect_table_row_count_to_equal", {"value": 40}),
    E("expect_table_row_count_to_equal", {"value": 39}),
    E("expect_column_values_to_be_in_set", {"column": "y", "value_set": [0, 1]}),
    E("expect_column_values_to_be_in_set", {"column": "s", "value_set": ["a", "b"]}),
    E("expect_column_values_to_be_in_set", {"column": "flag", "value_set": [False, True]}),
    E("expect_column_mean_to_be_between", {"column": "y", "min_value": 0.1, "max_value": 0.3}),
    E("expect_column_mean_to_be_between", {"column": "flag", "min_value": 0.1, "max_value": 0.3}),
    E("expect_column_mean_to_be_between", {"column": "n", "min_value": None, "max_value": 0.3}),
    E("expect_column_values_to_be_between", {"column": "f", "min_value": 0, "max_value": 2.5}),
    E("expect_column_values_to_be_between", {"column": "n", "min_value": 3, "max_value": None}),
    E("expect_column_values_to_be_between", {"column": "d", "min_value": 1, "max_value": None}),
    E("expect_column_values_to_be_between", {"column": "id", "min_value": -1, "max_value": 39}),
    # `mostly` on every row-wise type (a user's expectation may carry it), passing and failing
    E("expect_column_values_to_be_in_set", {"column": "y", "value_set": [0, 1], "mostly": 0.8}),
    E("expect_column_values_to_be_in_set", {"column": "s", "value_set": ["a", "b"], "mostly": 0.95}),
    E("expect_column_values_to_be_between", {"column": "n", "min_value": 3, "max_value": 30, "mostly": 0.7}),
    E("expect_column_values_to_be_between", {"column": "f", "min_value": 0, "max_value": 2.5, "mostly": 0.9}),
    E("expect_column_values_to_be_unique", {"column": "dup", "mostly": 0.8}),
    E("expect_column_values_to_be_unique", {"column": "dup", "mostly": 0.9}),
    E("expect_compound_columns_to_be_unique", {"column_list": ["k", "ts"], "mostly": 0.9}),
    E("expect_compound_columns_to_be_unique", {"column_list": ["k", "ts"], "mostly": 0.99}),
]


def _comparable(result: dict) -> str:
    """A result with its samples as multisets (GX lists them in scan order, sqltrain by value)."""
    result = dict(result)
    for key in ("partial_unexpected_list", "partial_unexpected_counts"):
        if key in result:
            result[key] = sorted(json.dumps(v, sort_keys=True) for v in result[key])
    return json.dumps(result, sort_keys=True)


def test_sql_outcomes_equal_great_expectations_results():
    con = duckdb.connect()
    con.execute(TABLE)
    engine = DuckDBEngine.over(con)
    frame = engine.quality_frame("t")
    builtins = {i: replace(spec, rule="key_not_null") for i, spec in enumerate(SUITE)}
    assert all(evaluable(spec) for spec in builtins.values())
    ours = evaluate(engine, frame.query, frame.columns, builtins)
    theirs = _gx_outcomes(frame, SUITE)

    assert len(ours) == len(theirs) == len(SUITE)
    differences = [(spec.type, spec.kwargs, (o.success, o.result), (g.success, g.result))
                   for (spec, o, g) in zip(SUITE, (ours[i] for i in range(len(SUITE))), theirs)
                   if (o.success, _comparable(o.result)) != (g.success, _comparable(g.result))]
    assert differences == []
    assert [o.success for o in theirs].count(False) >= 12, "the table breaks most expectations"


def _gx_outcomes(frame, suite):
    """Every expectation of ``suite`` evaluated by GX itself, through its SQL datasource."""
    gx = import_gx()
    validated = _gx_validate(gx, _context(gx, None), frame, suite, list(range(len(suite))), "t")
    return _outcomes(suite, validated.to_json_dict())


def test_an_expectation_the_warehouse_refuses_is_reported_alone():
    con = duckdb.connect()
    con.execute(TABLE)
    engine = DuckDBEngine.over(con)
    frame = engine.quality_frame("t")
    suite = {0: E("expect_column_values_to_be_between", {"column": "ts", "max_value": 30}, "value_range"),
             1: E("expect_column_values_to_be_in_set", {"column": "y", "value_set": [0, 1]}, "label_domain"),
             2: E("expect_table_row_count_to_equal", {"value": 40}, "spine_row_count")}
    outcomes = evaluate(engine, frame.query, frame.columns, suite)
    assert not outcomes[0].success and "TIMESTAMP" in outcomes[0].exception
    assert (outcomes[1].success, outcomes[1].result["unexpected_count"]) == (False, 6)
    assert (outcomes[2].success, outcomes[2].result) == (True, {"observed_value": 40})


def test_a_range_open_on_both_sides_goes_to_gx():
    assert not evaluable(E("expect_column_values_to_be_between", {"column": "f"}, "value_range"))
    assert evaluable(E("expect_column_values_to_be_between", {"column": "f", "min_value": 0}, "value_range"))


def test_a_user_expectation_is_evaluated_as_sql_when_its_kwargs_are_the_ones_sqltrain_evaluates():
    assert all(evaluable(spec) for spec in SUITE)          # as the user would write them (rule "user")
    assert evaluable(E("expect_column_values_to_be_in_set", {"column": "s", "value_set": ["a"], "mostly": 0.5}, "user"))


@pytest.mark.parametrize("spec", [
    E("expect_column_values_to_be_between", {"column": "f", "min_value": 0, "strict_min": True}),  # a kwarg sqltrain lacks
    E("expect_column_values_to_be_in_set", {"column": "s", "value_set": ["a"], "row_condition": "id > 3"}),
    E("expect_column_values_to_be_in_set", {"column": "s"}),                                       # a missing one
    E("expect_column_values_to_be_in_set", {"column": "s", "value_set": "ab"}),                    # malformed ones
    E("expect_column_values_to_not_be_null", {"column": "n", "mostly": 1.5}),
    E("expect_column_values_to_not_be_null", {"column": ["n"]}),
    E("expect_compound_columns_to_be_unique", {"column_list": []}),
    E("expect_table_row_count_to_equal", {"value": "40"}),
    E("expect_column_max_to_be_between", {"column": "f", "max_value": 3}),                         # a type it lacks
])
def test_a_user_expectation_sqltrain_cannot_evaluate_exactly_goes_to_gx(spec):
    assert not evaluable(spec)


def test_builtins_alone_and_no_data_docs_never_import_great_expectations():
    script = f"""
import sys, duckdb
from sqltrain.engine.duckdb import DuckDBEngine
from sqltrain.quality.gx_validation import run_suite
from sqltrain.quality.suite import ExpectationSpec as E
con = duckdb.connect()
con.execute({TABLE!r})
outcomes, result = run_suite(DuckDBEngine.over(con).quality_frame("t"),
                             [E("expect_column_values_to_be_in_set", {{"column": "y", "value_set": [0, 1]}}, "label_domain")],
                             name="t", run_name="r")
print(outcomes[0].success, outcomes[0].result["unexpected_count"], result["statistics"]["unsuccessful_expectations"],
      "great_expectations" in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "6", "1", "False"]


@pytest.mark.parametrize("value", [float("nan"), [1], {"a": 1}])
def test_a_value_sqltrain_cannot_write_as_sql_goes_to_gx(value):
    assert not evaluable(E("expect_column_values_to_be_in_set", {"column": "s", "value_set": ["a", value]}, "label_domain"))


def test_data_docs_are_rendered_from_sql_outcomes_alone(tmp_path):
    con = duckdb.connect()
    con.execute(TABLE)
    suite = [replace(spec, rule="value_range") for spec in SUITE
             if spec.type == "expect_column_values_to_be_between" and "mostly" not in spec.kwargs]
    outcomes, result = run_suite(DuckDBEngine.over(con).quality_frame("t"), suite, name="t", run_name="r",
                                 docs_dir=tmp_path / "docs")
    assert [o.success for o in outcomes] == [r["success"] for r in result["results"]] == [False, False, False, True]
    (page,) = (tmp_path / "docs").glob("validations/**/*.html")
    assert "14 unexpected values found" in page.read_text()
