"""Fault injection: `sqltrain snapshot` killed with SIGKILL, SIGINT or SIGTERM at each of its steps.

Each case is a real CLI process (real dbt build, real Great Expectations) over an earlier snapshot
of the same as-of; the test-only hook ``SQLTRAIN_FAULT=STEP:SIGNAL`` makes the process send itself
the signal on entering STEP (sqltrain.interrupts), so no case depends on timing. After each case:

- SIGINT / SIGTERM: one line ``interrupted`` on stderr, exit 130 / 143, no ``.tmp-*`` of its own left;
- SIGKILL: nothing can clean up, so leftovers are allowed until the next run;
- either way the destination is byte-identical to the earlier snapshot, or, for a fault after the
  atomic switch (``swap:retire``), the new complete snapshot with the same data hash.
After all cases, one more ordinary run must succeed, leave no ``.tmp-*``, and reproduce the hash.

Why these cases: a run costs a dbt parse and build (~15 s at test scale), so SIGKILL — the fault
nothing can clean up after — is tried at every step, and SIGINT / SIGTERM, which go through the one
interrupt handler every command shares, at one step of each kind: before the build (nothing
staged yet), in the middle of a dbt run, inside a gate, during the export (staging folder full),
and after the switch (old copy not yet removed). The cases run in three lanes (each its own
warehouse copy, dbt target and output folder), side by side. The kill
*between* the system calls of the switch is tests/reliability/test_staging.py (strace).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
MODEL, AS_OF = "churn_training", "2025-06-01"
AFTER_THE_SWITCH = {"swap:retire"}  # the new snapshot is in place when the fault lands

LANES = [
    ["parse:KILL", "dbt node:KILL", "swap:KILL", "dbt node:INT", "swap:retire:TERM"],
    ["check as-of:KILL", "gate:leakage:KILL", "export:KILL", "gate:quality:TERM"],
    ["gate:quality:KILL", "swap:retire:KILL", "check as-of:TERM", "export:INT"],
]
EXIT = {"KILL": -9, "INT": 130, "TERM": 143}


@dataclass
class Lane:
    root: Path

    @property
    def out(self) -> Path:
        return self.root / "snapshots"

    @property
    def destination(self) -> Path:
        return self.out / MODEL / f"as_of={AS_OF}"

    def snapshot(self, fault: str | None = None) -> subprocess.CompletedProcess:
        env = {**os.environ, "SQLTRAIN_WAREHOUSE": str(self.root / "warehouse.duckdb"),
               "DBT_TARGET_PATH": str(self.root / "target")}
        env.pop("SQLTRAIN_FAULT", None)
        if fault:
            env["SQLTRAIN_FAULT"] = fault
        return subprocess.run(
            [sys.executable, "-m", "sqltrain.cli", "snapshot", "--as-of", AS_OF, "--out", str(self.out),
             "--project-dir", str(REPO)],
            env=env, capture_output=True, text=True, cwd=self.root)

    def leftovers(self) -> list[str]:
        return sorted(p.name for p in (self.out / MODEL).iterdir() if p.name.startswith((".tmp-", ".v-")))


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _data_hash(folder: Path) -> str:
    """The manifest's data hash, after checking it is the hash of the data file beside it."""
    manifest = json.loads((folder / "manifest.json").read_text())
    assert hashlib.sha256((folder / "data.parquet").read_bytes()).hexdigest() == manifest["data"]["sha256"]
    return manifest["data"]["sha256"]


def _run_lane(lane: Lane, faults: list[str], baseline_hash: str) -> list[str]:
    tried = []
    for fault in faults:
        step, _, sig = fault.rpartition(":")
        before, left_before = _files(lane.destination), set(lane.leftovers())
        done = lane.snapshot(fault)
        where = f"{fault}: exit {done.returncode}, stderr {done.stderr[-2000:]!r}"
        assert done.returncode == EXIT[sig], where
        if sig != "KILL":
            assert done.stderr.strip() == "interrupted", where
            assert set(lane.leftovers()) <= left_before, where  # an interrupted run cleans up after itself
        if step in AFTER_THE_SWITCH:
            assert _data_hash(lane.destination) == baseline_hash, where
        else:
            assert _files(lane.destination) == before, where  # byte-identical, not one file touched
        tried.append(fault)
    done = lane.snapshot()
    assert done.returncode == 0, done.stderr
    assert lane.leftovers() == [], "a leftover of a killed run survived the next run"
    assert _data_hash(lane.destination) == baseline_hash
    return tried


def test_snapshot_survives_a_signal_at_every_step(demo_warehouse, tmp_path, capsys):
    lanes = [Lane(tmp_path / f"lane{i}") for i in range(len(LANES))]
    for lane in lanes:
        lane.root.mkdir()
        shutil.copy(demo_warehouse, lane.root / "warehouse.duckdb")
    first = lanes[0].snapshot()
    assert first.returncode == 0, first.stderr
    baseline_hash = _data_hash(lanes[0].destination)
    for lane in lanes[1:]:
        shutil.copytree(lanes[0].destination, lane.destination)

    with ThreadPoolExecutor(len(lanes)) as pool:
        tried = [fault for done in pool.map(_run_lane, lanes, LANES, [baseline_hash] * len(lanes)) for fault in done]

    assert sorted(tried) == sorted(f for lane in LANES for f in lane)
    with capsys.disabled():
        kinds = {sig: sum(f.endswith(":" + sig) for f in tried) for sig in EXIT}
        print(f"\nsnapshot fault injection: {len(tried)} faults tried "
              f"({', '.join(f'{n} SIG{sig}' for sig, n in kinds.items())}); every destination old or new and complete")
