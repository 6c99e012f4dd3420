"""Drift against the previous snapshot: PSI, null-rate change, label-rate change — warnings only."""

from __future__ import annotations

import json

import numpy as np
import pytest

from sqltrain.quality.drift import psi, psi_of_categories
from sqltrain.quality.gate import run_gate


def test_psi_is_zero_for_the_same_distribution_and_grows_with_the_shift():
    rng = np.random.default_rng(0)
    before = rng.normal(0, 1, 5000)
    assert psi(before, before.copy()) == 0
    small, large = psi(before, rng.normal(0.1, 1, 5000)), psi(before, rng.normal(1.0, 1, 5000))
    assert small < 0.1 < 0.2 < large


def test_psi_hand_computed_on_a_binary_feature():
    before = np.array([0.0] * 80 + [1.0] * 20)
    after = np.array([0.0] * 50 + [1.0] * 50)
    expected = (0.5 - 0.8) * np.log(0.5 / 0.8) + (0.5 - 0.2) * np.log(0.5 / 0.2)
    assert psi(before, after) == pytest.approx(expected, abs=1e-6)


def test_psi_of_categories_counts_unseen_categories_as_their_own_bin():
    import pandas as pd

    before = pd.Series(["a"] * 50 + ["b"] * 50)
    after = pd.Series(["a"] * 50 + ["b"] * 25 + ["c"] * 25)
    expected = (0.25 - 0.5) * np.log(0.25 / 0.5) + (0.25 - 1e-4) * np.log(0.25 / 1e-4)
    assert psi_of_categories(before, after) == pytest.approx(expected, abs=1e-6)
    assert psi_of_categories(before, pd.Series([None, None], dtype="string")) is None


def test_psi_ignores_nulls_and_is_none_without_values():
    assert psi(np.array([1.0, 2.0, np.nan]), np.array([1.0, 2.0])) == 0
    assert psi(np.array([np.nan]), np.array([1.0])) is None


def test_same_data_as_the_previous_snapshot_has_no_drift(training_set):
    previous = training_set.export_as_snapshot(training_set.root / "snapshots" / "as_of=2025-05-01", "2025-05-01")
    result = run_gate(training_set.context(previous=previous))
    assert result.passed and result.warnings == []
    drift = json.loads((training_set.root / "report" / "validation.json").read_text())["drift"]
    assert drift["previous_as_of"] == "2025-05-01" and drift["previous_snapshot"] == "as_of=2025-05-01"
    assert drift["label_rate"] == {"previous": 0.1, "current": 0.1, "change": 0.0}
    assert {f["column"]: f["psi"] for f in drift["features"]} == {
        "plan": 0.0, "orders_sum_amount_30d": 0.0, "tenure_days": 0.0, "days_since_last_order": 0.0,
    }


def test_shifted_feature_more_nulls_and_label_rate_change_are_warnings_not_failures(training_set):
    previous = training_set.export_as_snapshot(training_set.root / "snapshots" / "as_of=2025-05-01", "2025-05-01")
    training_set.sql("""
        UPDATE churn_training SET orders_sum_amount_30d = orders_sum_amount_30d * 3;
        UPDATE churn_training SET tenure_days = NULL WHERE customer_id BETWEEN 1 AND 12;
        UPDATE churn_training SET churned_30d = 1 WHERE customer_id IN (1, 2, 3, 4);
        UPDATE churn_training SET plan = 'enterprise' WHERE customer_id <= 20;
    """)
    result = run_gate(training_set.context(previous=previous))

    assert result.passed, result.failures
    text = "\n".join(result.warnings)
    assert "feature orders_sum_amount_30d PSI" in text
    assert "feature tenure_days null rate 0.140 -> 0.360 (change +0.220, limit 0.1)" in text
    assert "label churned_30d rate 0.1000 -> 0.1800 (change +0.0800, limit 0.05)" in text
    assert "feature plan PSI" in text  # a category the previous snapshot never had
    assert "days_since_last_order" not in text
    report = json.loads((training_set.root / "report" / "validation.json").read_text())
    assert report["passed"] is True and report["warnings"] == result.warnings


def test_thresholds_come_from_the_model_yaml(training_set):
    previous = training_set.export_as_snapshot(training_set.root / "snapshots" / "as_of=2025-05-01", "2025-05-01")
    training_set.sql("UPDATE churn_training SET churned_30d = 1 WHERE customer_id IN (1, 2, 3, 4)")
    training_set.set_manifest({**training_set.meta, "drift": {"label_rate_change_warn": 0.1}})
    assert run_gate(training_set.context(previous=previous)).warnings == []


def test_new_and_vanished_features_are_reported(training_set):
    previous = training_set.export_as_snapshot(training_set.root / "snapshots" / "as_of=2025-05-01", "2025-05-01")
    training_set.sql("ALTER TABLE churn_training RENAME COLUMN days_since_last_order TO days_since_order")
    warnings = run_gate(training_set.context(previous=previous)).warnings
    assert any("feature days_since_order is new since the previous snapshot (2025-05-01)" in w for w in warnings)
    assert any("feature days_since_last_order was in the previous snapshot and is gone" in w for w in warnings)
