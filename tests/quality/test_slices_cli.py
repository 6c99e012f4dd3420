"""`sqltrain snapshot` with slice limits on a tiny dbt project: real dbt, real DuckDB, real GX.

A slice beyond a limit declared ``severity: error`` refuses the snapshot (exit 1, nothing
published, the slice named with its number); a malformed slice declaration is one line, exit 2, before dbt builds anything.
"""

from __future__ import annotations

import duckdb
import pytest

from slice_project import AS_OF, MODEL, sqltrain, write_project

pytestmark = pytest.mark.slow

ERRORS = """\
          min_rows_per_slice: {limit: 40, severity: error}
          max_label_rate_gap: {limit: 0.05, severity: error}
"""


def test_a_slice_beyond_an_error_limit_refuses_the_snapshot_and_publishes_nothing(tmp_path):
    project = write_project(tmp_path, ERRORS)
    out = tmp_path / "snapshots"

    run = sqltrain(project, "snapshot", "--as-of", AS_OF, "--model", MODEL, "--out", str(out))

    assert run.returncode == 1, run.stdout + run.stderr
    # customers 1..9 (45 rows) never churn: 0 against 0.1 overall (the 205 other rows: 25 churns)
    assert "max_label_rate_gap" in run.stdout and "tenure_days" in run.stdout
    assert "slice tenure_days < 100: label rate 0.0000 vs 0.1000 for the whole set (gap -0.1000" in run.stdout
    assert "slice tenure_days >= 100" not in run.stdout  # its gap, +0.022, is within the limit
    assert "1 slice(s) beyond an error limit" in run.stderr and "nothing was exported" in run.stderr
    assert "Traceback" not in run.stderr
    assert not list(out.rglob("data.parquet")) and not list(out.rglob("manifest.json"))


def test_a_malformed_slice_declaration_is_one_line_and_exit_2(tmp_path):
    project = write_project(tmp_path, "          max_share_change: 2\n")

    run = sqltrain(project, "snapshot", "--as-of", AS_OF, "--model", MODEL, "--out", str(tmp_path / "snapshots"))

    assert run.returncode == 2, run.stdout + run.stderr
    assert "model 'training_tiny': meta.sqltrain.max_share_change must be a fraction between 0 and 1, not 2" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1 and "Traceback" not in run.stderr
    assert not (tmp_path / "snapshots" / MODEL).exists()
    assert not duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True).execute(
        "select count(*) from information_schema.tables").fetchone()[0], "nothing was built"
