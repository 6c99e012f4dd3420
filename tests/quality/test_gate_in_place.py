"""The gate validates the training set inside DuckDB and measures drift in SQL: neither the set
nor the previous snapshot is read into Python, so the gate's memory is DuckDB's (bounded by the
target's memory_limit), whatever the set's size."""

from __future__ import annotations

import gc
import tracemalloc

from sqltrain.quality.gate import run_gate
from sqltrain.quality.gx_validation import import_gx

ROWS = 400_000   # 8 columns: ~25 MB as a DataFrame, ~50 MB with the previous snapshot's


def test_the_gate_reads_neither_the_set_nor_the_previous_snapshot_into_python(training_set):
    training_set.sql(f"""
        CREATE OR REPLACE TABLE spine_monthly AS
        SELECT c AS customer_id, TIMESTAMP '2025-01-01' AS as_of_ts FROM range(1, {ROWS} + 1) t(c);
        CREATE OR REPLACE TABLE churn_training AS
        SELECT customer_id, as_of_ts,
               CASE customer_id % 3 WHEN 0 THEN 'basic' WHEN 1 THEN 'standard' ELSE 'premium' END AS plan,
               CAST(customer_id % 997 AS DECIMAL(10, 2)) AS orders_sum_amount_30d,
               CASE WHEN customer_id % 7 = 0 THEN NULL ELSE customer_id % 1000 END AS tenure_days,
               CAST(customer_id % 13 AS DOUBLE) AS days_since_last_order,
               'train' AS split,
               CAST(customer_id % 10 = 0 AS INTEGER) AS churned_30d
        FROM spine_monthly;
    """)
    previous = training_set.export_as_snapshot(training_set.root / "snapshots" / "as_of=2025-05-01", "2025-05-01")
    context = training_set.context(previous=previous)
    import_gx()                        # GX's own import is not the gate's memory
    run_gate(training_set.context(training_set.root / "warm"))   # nor are GX's first-use caches
    gc.collect()

    tracemalloc.start()
    try:
        result = run_gate(context)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert result.passed and result.warnings == [], (result.failures, result.warnings)
    assert peak < 12 * 2**20, f"the gate held {peak / 2**20:.0f} MiB in Python"


def test_gx_connections_share_the_targets_settings_and_close_with_the_engine(tmp_path):
    import duckdb

    from sqltrain.engine.duckdb import DuckDBEngine

    warehouse = tmp_path / "w.duckdb"
    con = duckdb.connect(str(warehouse))
    con.execute("create table t as select 1 as x")
    con.close()
    spill = tmp_path / "spill"
    engine = DuckDBEngine(warehouse, settings={"memory_limit": "321MB", "threads": "1", "temp_directory": str(spill)})
    gx_connection = engine.quality_frame("t").connect()
    cursor = gx_connection.cursor()
    cursor.execute("select current_setting('memory_limit'), current_setting('threads'), "
                   "current_setting('temp_directory'), current_setting('TimeZone')")
    limit, threads, temp, zone = cursor.fetchone()
    assert limit.replace(" ", "").upper().startswith(("321", "306")) and threads == 1
    assert (temp, zone) == (str(spill), "UTC")
    engine.close()
    duckdb.connect(str(warehouse)).close()    # read-write again: nothing in this process holds the file
