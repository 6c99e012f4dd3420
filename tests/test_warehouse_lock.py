"""Another process holding the DuckDB warehouse is reported as exactly that, never as something
else: one line naming the file and the holder's PID, exit 1; ``--wait-lock SECONDS`` waits for it.

The holder is a real second process with a DuckDB write connection (``hold_warehouse``); it lets
go when the test closes its stdin.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from warehouse_holder import locked_line

from sqltrain.asof import parse_as_of
from sqltrain.cli import main
from sqltrain.engine.duckdb import DuckDBEngine
from sqltrain.errors import UsageError, WarehouseLocked
from sqltrain.lock import waiting_for_lock
from sqltrain.quality.relation import count_rows, read_relation
from sqltrain.time_range import require_in_warehouse
from sqltrain.warehouse import connect

REPO = Path(__file__).resolve().parents[1]
AS_OF = "2025-06-01"

SOURCES = {"sources": {"source.p.raw.events": {
    "relation_name": '"w"."main"."events"', "meta": {"sqltrain": {"event_ts": "event_ts"}}}}}


@pytest.fixture
def small_warehouse(tmp_path) -> Path:
    path = tmp_path / "w.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create table events as select range as id, timestamp '2025-01-01' + to_days(range) as event_ts from range(200)")
    con.close()
    return path


def test_the_gate_and_the_as_of_check_report_the_lock_not_a_missing_relation(small_warehouse, hold_warehouse):
    holder = hold_warehouse(small_warehouse)
    for read in (lambda e: read_relation(e, "events", "m"), lambda e: count_rows(e, "events", "m"),
                 lambda e: require_in_warehouse(e, SOURCES, parse_as_of(AS_OF))):
        with DuckDBEngine(small_warehouse) as engine, pytest.raises(WarehouseLocked) as caught:
            read(engine)
        assert str(caught.value) == locked_line(small_warehouse, holder.pid).removeprefix("error: ")
        assert caught.value.exit_code == 1
    holder.release()
    with DuckDBEngine(small_warehouse) as engine:   # and once free, the same reads work
        assert count_rows(engine, "events", "m") == 200
        require_in_warehouse(engine, SOURCES, parse_as_of(AS_OF))
        with pytest.raises(UsageError, match="relation nowhere not found in the warehouse"):
            read_relation(engine, "nowhere", "m")    # a relation that is really missing still says so


def test_waiting_for_the_lock_succeeds_once_the_holder_lets_go(small_warehouse, hold_warehouse):
    holder = hold_warehouse(small_warehouse)
    heard = []

    def release(message):                 # called once the wait has begun: the holder exits now
        heard.append(message)
        holder.release()

    con = waiting_for_lock(lambda: connect(small_warehouse, read_only=True), 300, on_wait=release)
    try:
        assert con.execute("select count(*) from events").fetchone()[0] == 200
    finally:
        con.close()
    assert heard == [f"the warehouse {small_warehouse} is locked by another process (PID {holder.pid}): "
                     "waiting up to 300 s for it (--wait-lock)"]

    holder = hold_warehouse(small_warehouse)
    with pytest.raises(WarehouseLocked, match=r"still locked after waiting 0.2 s \(--wait-lock\)"):
        DuckDBEngine(small_warehouse, wait_lock=0.2).require_ready()


@pytest.mark.slow
def test_every_command_that_opens_the_warehouse_reports_the_lock_in_one_line(demo_env, hold_warehouse, capsys):
    warehouse = demo_env / "warehouse.duckdb"
    holder = hold_warehouse(warehouse)
    project = ["--project-dir", str(REPO)]
    commands = [
        ["snapshot", "--as-of", AS_OF, "--out", str(demo_env / "snapshots")],
        ["validate", "--as-of", AS_OF],
        ["verify", "--as-of", AS_OF],
        ["backtest", "--start", "2025-03-01", "--end", AS_OF, "--every", "1 month", "--out", str(demo_env / "snapshots")],
        ["check", "--compile"],
        ["docs", "--out", str(demo_env / "site")],
    ]
    for argv in commands:
        assert main([*argv, *project]) == 1, argv
        assert capsys.readouterr().err.splitlines() == [locked_line(warehouse, holder.pid)], argv
    assert not (demo_env / "snapshots").exists() or not any((demo_env / "snapshots").rglob("data.parquet"))


@pytest.mark.slow
def test_snapshot_with_wait_lock_waits_for_the_holder_and_lands(demo_env, hold_warehouse):
    holder = hold_warehouse(demo_env / "warehouse.duckdb")
    out = demo_env / "snapshots"
    run = subprocess.Popen(
        [sys.executable, "-m", "sqltrain.cli", "snapshot", "--as-of", AS_OF, "--out", str(out), "--wait-lock", "600",
         "--project-dir", str(REPO)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = []
    for line in run.stderr:                # the command says it is waiting: only then let go
        lines.append(line)
        if "waiting up to 600 s" in line:
            holder.release()
            break
    stdout, stderr = run.communicate(timeout=900)
    assert run.returncode == 0, "".join(lines) + stderr
    assert lines[-1].startswith(f"the warehouse {demo_env / 'warehouse.duckdb'} is locked by another process (PID {holder.pid})")
    folder = out / "churn_training" / f"as_of={AS_OF}"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["data"]["sha256"] == hashlib.sha256((folder / "data.parquet").read_bytes()).hexdigest()
