"""A failing dbt test says which test, on which model and column, and how many rows — for every
failing test of the build, not just the first."""

from __future__ import annotations

import re

import pytest

from sqltrain.asof import parse_as_of
from sqltrain.errors import BuildError
from sqltrain.snapshotting import cut_snapshot


def test_every_failing_test_is_named_with_model_column_and_count(project_copy, demo_env):
    training = project_copy.project_dir / "models" / "training"
    sql = training / "churn_training.sql"
    sql.write_text(sql.read_text().replace("    churned_30d\nfrom spine", "    cast(null as integer) as churned_30d\nfrom spine"))
    yml = training / "_training.yml"
    yml.write_text(yml.read_text().replace(
        "        config: {meta: {sqltrain: {role: feature, range: [1, 5], max_null_fraction: 1.0}}}",
        "        config: {meta: {sqltrain: {role: feature, range: [1, 5], max_null_fraction: 1.0}}}\n"
        "        data_tests: [not_null]", 1))

    with pytest.raises(BuildError) as caught:
        cut_snapshot(project_copy, parse_as_of("2025-06-01"), out=demo_env / "snapshots")
    message = caught.value.message
    assert "\n" not in message
    label = re.search(r"not_null_churn_training_churned_30d: (\d+) rows where churned_30d is null "
                      r"\(model churn_training, column churned_30d, models/training/_training.yml\)", message)
    assert label and int(label.group(1)) > 0, message
    assert re.search(r"not_null_churn_training_tickets_avg_csat_90d: \d+ rows where tickets_avg_csat_90d is null "
                     r"\(model churn_training, column tickets_avg_csat_90d", message), message
    assert re.match(r"dbt build failed \((\d+) nodes\): ", message)       # every failing test, not the first
    assert not (demo_env / "snapshots" / "churn_training").exists()
