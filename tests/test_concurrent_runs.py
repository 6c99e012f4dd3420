"""Two snapshots of the same as-of and a `dbt build`, all at once on one DuckDB warehouse.

DuckDB lets one process write the file or many read it. Whoever holds it wins; a snapshot that
finds it held either reports the lock in one line (exit 1, nothing written) or, with
``--wait-lock``, waits and lands. Whatever the interleaving, the snapshot that is left is whole:
its manifest's hash is the hash of its data, and it is the hash every run of that as-of gives.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
AS_OF = "2025-06-01"


def _run_together(demo_env: Path, out: Path, wait_lock: str | None) -> tuple[list[subprocess.CompletedProcess], list[str]]:
    snapshot = [sys.executable, "-m", "sqltrain.cli", "snapshot", "--as-of", AS_OF, "--out", str(out),
                "--project-dir", str(REPO), *(["--wait-lock", wait_lock] if wait_lock else [])]
    logs = demo_env / "dbt-logs"
    # the training set and its upstream; cautious: no test of a model outside that selection
    build = [str(Path(sys.executable).with_name("dbt")), "build", "--select", "+churn_training",
             "--indirect-selection", "cautious", "--project-dir", str(REPO), "--profiles-dir", str(REPO),
             "--vars", json.dumps({"as_of": AS_OF}), "--log-path", str(logs)]
    # dbt writes target/ in place: concurrent runs each get their own target directory, as dbt requires
    started = [subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=demo_env,
                                env={**os.environ, "DBT_TARGET_PATH": str(demo_env / f"target-{out.name}-{i}")})
               for i, argv in enumerate((snapshot, snapshot, build))]
    finished = [(p.returncode, *p.communicate(timeout=1200)) for p in started]
    finished = [subprocess.CompletedProcess(p.args, p.returncode, out_, err) for p, (_, out_, err) in zip(started, finished)]
    return finished[:2], [finished[2].stdout + finished[2].stderr, str(finished[2].returncode)]


def _landed_hash(out: Path) -> str:
    folder = out / "churn_training" / f"as_of={AS_OF}"
    manifest = json.loads((folder / "manifest.json").read_text())
    data = hashlib.sha256((folder / "data.parquet").read_bytes()).hexdigest()
    assert manifest["data"]["sha256"] == data            # the manifest describes the data beside it
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".tmp-")]
    return data


def test_one_snapshot_wins_the_other_reports_the_lock_or_waits(demo_env):
    warehouse = demo_env / "warehouse.duckdb"
    lock_line = re.compile(rf"error: the warehouse {re.escape(str(warehouse))} is locked by another process "
                           r"\(PID \d+\) — wait until it has finished, or pass --wait-lock SECONDS")

    first, (build_output, build_code) = _run_together(demo_env, demo_env / "racing", None)
    outcomes = []
    for run in first:
        if run.returncode == 0:
            outcomes.append("landed")
        else:
            assert run.returncode == 1 and len(run.stderr.splitlines()) == 1 and lock_line.fullmatch(run.stderr.strip()), \
                run.stderr
            outcomes.append("reported the lock")
    assert build_code == "0" or "Could not set lock on file" in build_output, build_output[-2000:]
    outcomes.append("dbt build " + ("succeeded" if build_code == "0" else "found the file locked"))
    assert "landed" in outcomes or build_code == "0"          # one of the three wins
    racing = _landed_hash(demo_env / "racing") if "landed" in outcomes else None
    if racing is None:                                        # nothing half-written by the losers
        assert not any((demo_env / "racing").rglob("*.parquet"))

    waited, (build_output, build_code) = _run_together(demo_env, demo_env / "waiting", "600")
    assert [run.returncode for run in waited] == [0, 0], [run.stderr for run in waited]
    assert build_code == "0" or "Could not set lock on file" in build_output, build_output[-2000:]
    landed = _landed_hash(demo_env / "waiting")
    assert racing in (None, landed)                           # the same as-of gives the same data
    print(f"without --wait-lock: {outcomes}; with --wait-lock: both snapshots landed, hash {landed[:12]}")
