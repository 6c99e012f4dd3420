"""The quality gate inside `sqltrain snapshot` on the demo project.

The demo's churn_training passes the gate and its reports land with the snapshot; a second
snapshot measures drift against the first; data corrupted in the model's SQL blocks the export,
exits 1 and prints the failed expectation with its column and observed value.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from sqltrain.asof import parse_as_of
from sqltrain.snapshotting import cut_snapshot

pytestmark = pytest.mark.slow

EARLIER, LATER = "2025-03-01", "2025-06-01"


def test_demo_passes_the_gate_and_keeps_reports_and_drift_with_the_snapshot(project_copy, demo_env):
    out = demo_env / "snapshots"
    first = cut_snapshot(project_copy, parse_as_of(EARLIER), out=out)
    second = cut_snapshot(project_copy, parse_as_of(LATER), out=out)

    for result in (first, second):
        quality = [g for g in result.gates if g.name == "quality"]
        assert quality and quality[0].passed, quality
        report = json.loads((result.path / "validation.json").read_text())
        assert report["passed"] is True and report["row_count"] == result.rows
        assert (result.path / report["data_docs"]).is_file()
        rules = {e["rule"] for e in report["expectations"]}
        assert {"key_not_null", "unique_example", "spine_row_count", "label_domain", "label_rate",
                "null_fraction", "value_range", "user"} <= rules

    later = json.loads((second.path / "validation.json").read_text())
    assert later["drift"]["previous_as_of"] == EARLIER
    assert later["drift"]["label_rate"]["previous"] == first.label_rate
    assert {f["column"] for f in later["drift"]["features"]} >= {"tenure_days", "orders_sum_amount_30d", "plan"}
    assert json.loads((first.path / "validation.json").read_text())["drift"] is None


def test_corrupted_demo_data_blocks_the_export_and_names_column_and_value(project_copy, demo_env):
    model = project_copy.project_dir / "models" / "training" / "churn_training.sql"
    # every example's tenure becomes negative: the declared range [0, null] must stop the export
    model.write_text(f"select * replace (tenure_days - 100000 as tenure_days) from (\n{model.read_text()}\n) as corrupted\n")
    out = demo_env / "snapshots"

    run = subprocess.run(
        [sys.executable, "-m", "sqltrain.cli", "snapshot", "--as-of", LATER, "--out", str(out),
         "--project-dir", str(project_copy.project_dir)],
        capture_output=True, text=True, env={**os.environ, "COLUMNS": "200"}, timeout=600,
    )

    assert run.returncode == 1, run.stdout + run.stderr
    rows = [line for line in run.stdout.splitlines() if "expect_column_values_to_be_between" in line and "tenure_days" in line]
    assert rows and "values >= 0" in rows[0] and "rows out of range of" in rows[0], run.stdout
    assert "quality gate failed" in run.stderr and "nothing was exported" in run.stderr
    assert not (out / "churn_training" / f"as_of={LATER}").exists()
    staging = list((out / "churn_training").glob(".tmp-*")) if (out / "churn_training").is_dir() else []
    assert staging == []


SNAPSHOT_PROBE = """
import sys
from sqltrain.cli import main
code = main(sys.argv[1:])
print("PROBE", code, "great_expectations" in sys.modules)
"""


@pytest.mark.parametrize("command", ["snapshot", "validate"])
def test_the_gate_writes_the_data_docs_without_importing_great_expectations_itself(project_copy, demo_env, command):
    # every expectation of the demo (its user ones included) runs as SQL; a child process started
    # ahead of time imports GX while dbt builds and writes the Data Docs (docs/quality-gate.md)
    script = demo_env / "probe.py"
    script.write_text(SNAPSHOT_PROBE)
    out = demo_env / "out"
    where = ["--out", str(out)] if command == "snapshot" else ["--report-dir", str(out)]
    run = subprocess.run([sys.executable, str(script), command, "--as-of", EARLIER, *where,
                          "--project-dir", str(project_copy.project_dir)], capture_output=True, text=True, timeout=600)
    assert "PROBE 0 False" in run.stdout, run.stdout + run.stderr
    landed = out / "churn_training" / f"as_of={EARLIER}" if command == "snapshot" else out
    report = json.loads((landed / "validation.json").read_text())
    assert {e["rule"] for e in report["expectations"]} >= {"user", "label_domain"}
    (page,) = landed.glob("validation/validations/**/*.html")
    assert "premium" in page.read_text()     # the user's expectation on plan, rendered with its value set
