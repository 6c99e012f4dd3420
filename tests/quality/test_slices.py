"""Slices on the hand-built training set: rows, share, label rate and null fractions per slice value,
computed in SQL; a planted under-represented slice and a planted label-rate gap flagged as warnings,
or refused when the limit says ``severity: error``; share change against the previous snapshot;
malformed declarations as one-line errors.

The set (conftest.py): 50 customers x 4 cutoffs; plan by customer_id % 3 (0 basic, 1 standard,
2 premium: 16, 17, 17 customers); churned_30d = 1 for customers 10, 20, .. 50; tenure_days null
for customers 7, 14, .. 49.
"""

from __future__ import annotations

import json

import pytest

from sqltrain.errors import UsageError
from sqltrain.quality.gate import run_gate
from sqltrain.quality.spec import spec_from_node

# customer 4 (standard) becomes "enterprise" at two cutoffs: a slice of 2 rows
UNDER_REPRESENTED = "UPDATE churn_training SET plan = 'enterprise' WHERE customer_id = 4 AND month(as_of_ts) < 3"
# premium customers up to 20 (2, 5, .. 20: 7 customers, 28 rows) churn: premium's label rate 32/68
LABEL_GAP = "UPDATE churn_training SET churned_30d = 1 WHERE plan = 'premium' AND customer_id <= 20"
LIMITS = {"min_rows_per_slice": 10, "max_label_rate_gap": 0.15}


def _with(training_set, **meta):
    training_set.set_manifest({**training_set.meta, "slices": ["plan"], **meta})


def _report(training_set):
    return json.loads((training_set.root / "report" / "validation.json").read_text())


def test_planted_small_slice_and_label_rate_gap_are_warnings_by_default(training_set):
    _with(training_set, **LIMITS)
    training_set.sql(f"{UNDER_REPRESENTED}; {LABEL_GAP}")

    result = run_gate(training_set.context())

    assert result.passed, result.failures
    assert "slice plan=enterprise: 2 rows < min_rows_per_slice 10" in result.warnings
    # overall: (20 + 28 - 4 already churned by customer 20) / 200 = 0.22; premium 32 / 68 = 0.4706
    assert ("slice plan=premium: label rate 0.4706 vs 0.2200 for the whole set "
            "(gap +0.2506 > max_label_rate_gap 0.15, 68 rows)") in result.warnings
    # the 2-row slice is too small to judge its label rate (0 of 2)
    assert not any("plan=enterprise: label rate" in w for w in result.warnings)
    assert "slice warning(s)" in result.summary
    report = _report(training_set)
    assert report["passed"] is True
    plan = report["slices"]["columns"][0]
    values = {v["value"]: v for v in plan["values"]}
    assert values["enterprise"]["rows"] == 2 and values["enterprise"]["share"] == 0.01
    assert values["enterprise"]["flags"] == ["min_rows_per_slice"]
    assert values["premium"]["label_rate"] == 0.470588 and values["premium"]["label_rate_gap"] == 0.250588
    assert {f["check"]: f["severity"] for f in report["slices"]["flags"]} == {
        "min_rows_per_slice": "warning", "max_label_rate_gap": "warning"}


def test_error_severity_refuses_the_set_and_names_slice_column_value_and_number(training_set):
    _with(training_set, min_rows_per_slice={"limit": 10, "severity": "error"},
          max_label_rate_gap={"limit": 0.15, "severity": "error"})
    training_set.sql(f"{UNDER_REPRESENTED}; {LABEL_GAP}")

    result = run_gate(training_set.context())

    assert not result.passed
    slices = [f for f in result.failures if f.column == "plan"]
    small = [f for f in slices if f.check == "min_rows_per_slice"]
    assert [(f.observed, f.expected) for f in small] == [
        ("slice plan=enterprise: 2 rows < min_rows_per_slice 10", "rows >= 10")]
    gaps = sorted(f.observed for f in slices if f.check == "max_label_rate_gap")
    # premium's planted gap, and basic's (its 6.25 % is now 0.1575 below the whole set's 22 %)
    assert [g.split(" vs ")[0] for g in gaps] == ["slice plan=basic: label rate 0.0625", "slice plan=premium: label rate 0.4706"]
    assert "gap +0.2506 > max_label_rate_gap 0.15, 68 rows" in gaps[1]
    assert "; 3 slice(s) beyond an error limit" in result.summary
    assert _report(training_set)["passed"] is False


def test_clean_set_has_no_flags_and_counts_match_the_data(training_set):
    _with(training_set, slices=["plan", {"column": "tenure_days", "bins": [200, 500]},
                                {"column": "days_since_last_order", "quantiles": 4}], **LIMITS)
    result = run_gate(training_set.context())
    assert result.passed and result.warnings == []

    slices = _report(training_set)["slices"]
    assert slices["rows"] == 200 and slices["label_rate"] == 0.1 and slices["previous_snapshot"] is None
    by_column = {c["column"]: c for c in slices["columns"]}
    plan = {v["value"]: (v["rows"], v["label_rate"]) for v in by_column["plan"]["values"]}
    # basic: 16 customers (3, 6, .. 48; 30 churns); standard 17 (1, .. 49; 10, 40 churn); premium 17 (20, 50 churn)
    assert plan == {"premium": (68, 0.117647), "standard": (68, 0.117647), "basic": (64, 0.0625)}
    tenure = by_column["tenure_days"]
    assert tenure["edges"] == [200.0, 500.0]
    shown = [v["value"] for v in tenure["values"]]
    assert shown == ["< 200", "[200, 500)", ">= 500", None]  # bins in order, nulls last
    nulls = next(v for v in tenure["values"] if v["value"] is None)
    assert nulls["rows"] == 28 and nulls["null_fractions"]["tenure_days"] == 1.0
    assert nulls["null_fractions"]["plan"] == 0.0
    assert sum(v["rows"] for v in tenure["values"]) == 200
    quartiles = by_column["days_since_last_order"]  # customer_id % 13: values 0..12
    assert quartiles["quantiles"] == 4 and quartiles["edges"] == [3.0, 6.0, 9.0]
    assert [v["rows"] for v in quartiles["values"]] == [44, 48, 48, 60]


def test_share_and_label_rate_change_against_the_previous_snapshot(training_set):
    _with(training_set, max_share_change=0.1)
    previous = training_set.export_as_snapshot(training_set.root / "snapshots" / "as_of=2025-05-01", "2025-05-01")
    # 12 standard customers (1, 4, .. 34) move to basic: 48 rows, share 0.34 -> 0.10 and 0.32 -> 0.56
    training_set.sql("UPDATE churn_training SET plan = 'basic' WHERE plan = 'standard' AND customer_id <= 34")

    result = run_gate(training_set.context(previous=previous))

    assert result.passed
    assert ("slice plan=standard: share 0.3400 -> 0.1000 since as_of=2025-05-01 "
            "(change -0.2400 > max_share_change 0.1)") in result.warnings
    assert any(w.startswith("slice plan=basic: share 0.3200 -> 0.5600") for w in result.warnings)
    assert not any("plan=premium" in w for w in result.warnings)
    slices = _report(training_set)["slices"]
    assert slices["previous_snapshot"] == "as_of=2025-05-01"
    standard = next(v for v in slices["columns"][0]["values"] if v["value"] == "standard")
    assert (standard["share_previous"], standard["share_change"]) == (0.34, -0.24)
    # standard keeps customers 37, 40, .. 49: 20 rows, 4 of them customer 40's churns
    assert (standard["label_rate_previous"], standard["label_rate"], standard["label_rate_change"]) == (
        0.117647, 0.2, 0.082353)


def test_a_slice_column_the_relation_lacks_or_bins_on_text_is_a_usage_error(training_set):
    _with(training_set, slices=["region"])
    with pytest.raises(UsageError, match="meta.sqltrain.slices names column region, which the built relation"):
        run_gate(training_set.context())
    _with(training_set, slices=[{"column": "plan", "bins": [1, 2]}])
    with pytest.raises(UsageError, match="column plan is VARCHAR, not a number, so it cannot have bins"):
        run_gate(training_set.context())


BASE = {"kind": "training_set", "entity": ["id"], "cutoff": "ts", "label": "y"}


@pytest.mark.parametrize(
    "meta, message",
    [
        ({"slices": "plan"}, r"meta.sqltrain.slices must be a non-empty list, not 'plan'"),
        ({"slices": []}, r"meta.sqltrain.slices must be a non-empty list"),
        ({"slices": [3]}, r"meta.sqltrain.slices\[0\] must be a column name"),
        ({"slices": [{"column": "x", "bin": [1]}]}, r"meta.sqltrain.slices\[0\] has unknown key bin"),
        ({"slices": [{"bins": [1]}]}, r"meta.sqltrain.slices\[0\] needs column: <name>"),
        ({"slices": [{"column": "x", "bins": [5, 1]}]}, r"slices\[0\] \(x\): bins must be increasing numbers, not \[5, 1\]"),
        ({"slices": [{"column": "x", "bins": []}]}, r"slices\[0\] \(x\): bins must be increasing numbers"),
        ({"slices": [{"column": "x", "quantiles": 1}]}, r"slices\[0\] \(x\): quantiles must be an integer from 2 to 20"),
        ({"slices": [{"column": "x", "bins": [1], "quantiles": 4}]}, r"slices\[0\] \(x\) declares both bins and quantiles"),
        ({"slices": ["x", {"column": "x", "quantiles": 4}]}, "slices lists column x twice"),
        ({"slices": ["x"], "min_rows_per_slice": 2.5}, "min_rows_per_slice must be a whole number of rows, not 2.5"),
        ({"slices": ["x"], "max_label_rate_gap": 1.5}, "max_label_rate_gap must be a fraction between 0 and 1, not 1.5"),
        ({"slices": ["x"], "max_share_change": {"limit": 0.1, "severity": "fatal"}},
         r"max_share_change must be a number or \{limit: N, severity: warning\|error\}"),
        ({"min_rows_per_slice": 10}, "meta.sqltrain.min_rows_per_slice is set but meta.sqltrain.slices is not"),
    ],
)
def test_malformed_slice_declarations_are_one_line_errors_naming_model_and_entry(meta, message):
    node = {"name": "m", "patch_path": "p://models/training/_training.yml",
            "config": {"meta": {"sqltrain": {**BASE, **meta}}}, "columns": {}}
    with pytest.raises(UsageError, match=message) as raised:
        spec_from_node(node)
    text = str(raised.value)
    assert text.startswith("models/training/_training.yml: model 'm': ") and "\n" not in text
