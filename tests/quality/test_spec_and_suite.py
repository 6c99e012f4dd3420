"""Reading the quality contract from model YAML, and the suite derived from it (no GX run)."""

from __future__ import annotations

import pytest

from sqltrain.errors import UsageError
from sqltrain.quality import build_suite, spec_from_node


def node(meta: dict, columns: dict | None = None) -> dict:
    return {
        "name": "m",
        "patch_path": "pkg://models/training/_training.yml",
        "config": {"meta": {"sqltrain": meta}},
        "columns": {name: {"name": name, "meta": {"sqltrain": rules}} for name, rules in (columns or {}).items()},
    }


BASE = {"kind": "training_set", "entity": ["id"], "cutoff": "ts", "label": "y"}


def test_composite_keys_give_a_compound_uniqueness_check_and_not_null_keys():
    spec = spec_from_node(node({**BASE, "entity": ["shop_id", "customer_id"]}))
    suite = build_suite(spec, ["shop_id", "customer_id", "ts", "y"])
    assert [(e.type, e.column) for e in suite if e.rule == "key_not_null"] == [
        ("expect_column_values_to_not_be_null", "shop_id"),
        ("expect_column_values_to_not_be_null", "customer_id"),
        ("expect_column_values_to_not_be_null", "ts"),
    ]
    (unique,) = [e for e in suite if e.rule == "unique_example"]
    assert unique.type == "expect_compound_columns_to_be_unique"
    assert unique.kwargs == {"column_list": ["shop_id", "customer_id", "ts"]}


def test_null_limits_own_then_model_default_and_label_strict_by_default():
    spec = spec_from_node(node({**BASE, "max_null_fraction": 0.25},
                               {"a": {"role": "feature", "max_null_fraction": 0.0}, "w": {"role": "weight"}}))
    suite = build_suite(spec, ["id", "ts", "a", "b", "w", "y"])
    limits = {e.column: e.kwargs.get("mostly") for e in suite if e.rule == "null_fraction"}
    assert limits == {"y": None, "a": None, "b": 0.75}  # no `mostly`: not a single null; `w` is no feature


def test_without_declarations_there_is_nothing_to_limit():
    spec = spec_from_node(node({"kind": "training_set"}))
    assert build_suite(spec, ["x", "y"]) == []


def test_no_spine_no_row_count_check_and_ranges_with_open_sides():
    spec = spec_from_node(node(BASE, {"amount": {"range": [0, None]}, "score": {"range": [None, 1]}}))
    suite = build_suite(spec, ["id", "ts", "y", "amount", "score"])
    assert not [e for e in suite if e.rule == "spine_row_count"]
    ranges = {e.column: (e.kwargs, e.expected) for e in suite if e.rule == "value_range"}
    assert ranges == {
        "amount": ({"column": "amount", "min_value": 0, "max_value": None}, "values >= 0"),
        "score": ({"column": "score", "min_value": None, "max_value": 1}, "values <= 1"),
    }


def test_user_expectations_are_appended_as_written():
    spec = spec_from_node(node({**BASE, "expectations": [
        {"expect_column_values_to_be_in_set": {"column": "plan", "value_set": ["a", "b"]}},
    ]}))
    (user,) = [e for e in build_suite(spec, ["id", "ts", "y", "plan"]) if e.rule == "user"]
    assert (user.type, user.kwargs, user.expected) == (
        "expect_column_values_to_be_in_set", {"column": "plan", "value_set": ["a", "b"]}, "value_set=['a', 'b']"
    )


def test_a_user_expectation_repeating_a_derived_one_is_kept_once():
    spec = spec_from_node(node({**BASE, "expectations": [
        {"expect_column_values_to_be_between": {"column": "x", "min_value": 0, "max_value": None}},
        {"expect_column_values_to_be_between": {"column": "x", "min_value": 0, "max_value": 5}},
    ]}, {"x": {"role": "feature", "range": [0, None]}}))
    ranges = [e for e in build_suite(spec, ["id", "ts", "y", "x"]) if e.type == "expect_column_values_to_be_between"]
    assert [(e.rule, e.kwargs["max_value"]) for e in ranges] == [("value_range", None), ("user", 5)]


@pytest.mark.parametrize(
    "meta, columns, message",
    [
        ({"label_rate": [0.3, 0.1]}, None, r"label_rate must be \[low, high\]"),
        ({"label_rate": [0, 2]}, None, r"label_rate must be \[low, high\]"),
        ({"max_null_fraction": 1.5}, None, "max_null_fraction must be a fraction between 0 and 1, not 1.5"),
        ({"unique": "yes"}, None, "unique must be true or false"),
        ({"label_domain": []}, None, "label_domain must be a non-empty list"),
        ({"expectations": {"expect_x": {}}}, None, "expectations must be a list"),
        ({"expectations": [{"a": {}, "b": {}}]}, None, r"expectations\[0\] must map one GX expectation name"),
        ({"drift": {"psi": 0.2}}, None, "drift has unknown key psi"),
        ({"drift": {"bins": 1}}, None, "drift.bins must be an integer >= 2"),
        ({"lable": "y"}, None, "unknown key meta.sqltrain.lable"),
        ({}, {"x": {"range": [5]}}, r"column x: meta.sqltrain.range must be \[low, high\]"),
        ({}, {"x": {"range": [None, None]}}, r"column x: meta.sqltrain.range must be \[low, high\]"),
    ],
)
def test_malformed_declarations_are_one_line_errors_naming_file_model_and_key(meta, columns, message):
    with pytest.raises(UsageError, match=message) as raised:
        spec_from_node(node({**BASE, **meta}, columns))
    text = str(raised.value)
    assert text.startswith("models/training/_training.yml: model 'm': ") and "\n" not in text


def test_unknown_or_malformed_user_expectation_is_a_usage_error():
    from sqltrain.quality.gx_validation import to_gx_expectation
    from sqltrain.quality.suite import ExpectationSpec

    with pytest.raises(UsageError, match="unknown expectation 'expect_column_to_be_lovely'"):
        to_gx_expectation(ExpectationSpec("expect_column_to_be_lovely", {"column": "x"}), "m")
    with pytest.raises(UsageError, match=r"expect_column_values_to_be_between\(.*\) is invalid"):
        to_gx_expectation(ExpectationSpec("expect_column_values_to_be_between", {"colum": "x", "min_value": 0}), "m")


@pytest.mark.parametrize("module", ["sqltrain.quality.suite", "sqltrain.quality.drift"])
def test_docstring_examples_run(module):
    import doctest
    import importlib

    failed, attempted = doctest.testmod(importlib.import_module(module))
    assert attempted > 0 and failed == 0


def test_keys_cutoff_and_label_may_come_from_the_columns_roles():
    spec = spec_from_node(node({"kind": "training_set"}, {
        "shop": {"role": "entity"}, "customer": {"role": "entity"}, "ts": {"role": "cutoff"}, "y": {"role": "label"},
    }))
    assert (spec.entity, spec.cutoff, spec.label) == (("shop", "customer"), "ts", "y")
