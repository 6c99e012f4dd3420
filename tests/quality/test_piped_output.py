"""Output read from a pipe, as in every CI log: messages, values and paths whole, no colour codes.

Rich lays tables out for an 80-column terminal when standard output is a pipe; a gate failure's
column or observed value, or the snapshot's path, then came out cut ("…") or wrapped. COLUMNS is
deliberately not set here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from test_validate_command import MODELS_YML, TRAINING_SQL, tiny_project  # noqa: F401  (fixture)

pytestmark = pytest.mark.slow

LONG_COLUMN = "tenure_in_days_since_the_first_subscription_of_this_customer_at_the_cutoff"


def _run(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR")}
    env.update(SQLTRAIN_WAREHOUSE=str(root.parent / "w.duckdb"), DO_NOT_TRACK="1")
    return subprocess.run([sys.executable, "-m", "sqltrain.cli", *args, "--project-dir", str(root)],
                          capture_output=True, text=True, env=env, cwd=root.parent, timeout=300)


def _whole_line_with(text: str, output: str) -> str:
    lines = [line for line in output.splitlines() if text in line]
    assert lines, f"{text!r} is not whole in:\n{output}"
    return lines[0]


def test_gate_failure_and_paths_are_printed_whole_into_a_pipe(tiny_project):  # noqa: F811
    (tiny_project / "models" / "training_tiny.sql").write_text(
        TRAINING_SQL.replace("customer_id * 10 + month(as_of_ts) as tenure_days",
                             f"case when customer_id = 7 then -3 else customer_id * 10 end as {LONG_COLUMN}"))
    (tiny_project / "models" / "_models.yml").write_text(MODELS_YML.replace("name: tenure_days", f"name: {LONG_COLUMN}"))
    report_dir = tiny_project.parent / "a report folder with spaces and a name longer than a terminal is wide"
    run = _run(tiny_project, "--no-color", "validate", "--as-of", "2025-06-01", "--model", "training_tiny",
               "--report-dir", str(report_dir))
    assert run.returncode == 1, run.stdout + run.stderr
    row = _whole_line_with(LONG_COLUMN, run.stdout)
    assert "expect_column_values_to_be_between" in row and "5 rows out of range of 250, e.g. -3" in row
    _whole_line_with(f"report: {report_dir / 'validation.json'}", run.stdout)
    assert "…" not in run.stdout and "\x1b[" not in run.stdout + run.stderr


def test_snapshot_path_is_printed_whole_into_a_pipe(tiny_project):  # noqa: F811
    out = tiny_project.parent / "snapshots of a project whose folder names are long enough to wrap"
    run = _run(tiny_project, "snapshot", "--as-of", "2025-06-01", "--model", "training_tiny", "--out", str(out))
    assert run.returncode == 0, run.stdout + run.stderr
    path = out / "training_tiny" / "as_of=2025-06-01"
    assert path.is_dir()
    _whole_line_with(f"snapshot written to {path}", run.stdout)
    summary = _whole_line_with(str(path), run.stdout.split("snapshot written to")[0])  # the summary table's row
    assert "250" in summary
    assert "…" not in run.stdout and "\x1b[" not in run.stdout
