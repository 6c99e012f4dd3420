"""The demo on Spark: Parquet export, the whole DAG with its tests, and the same
churn_training as DuckDB builds for the same as-of."""

from __future__ import annotations

import json
import shutil
from datetime import timezone

import pytest

from spark_harness import AS_OF, REPO, same_value as _same, sorted_rows as _rows, spark_session

pytestmark = pytest.mark.slow


def test_export_writes_utc_timestamps_spark_reads_as_timestamp(spark_warehouse, tmp_path):
    import duckdb
    import pyarrow.parquet as pq

    from sqltrain.spark import export_parquet

    tables = {t.qualified: t for t in export_parquet(spark_warehouse, tmp_path / "pq")}
    assert set(tables) == {"raw.customers", "raw.order_items", "raw.orders", "raw.plan_changes",
                           "raw.support_tickets", "raw.web_sessions", "snapshots.customers_snapshot"}
    orders = pq.read_table(tables["raw.orders"].location)
    assert orders.num_rows == tables["raw.orders"].rows > 0
    assert str(orders.schema.field("ordered_at").type) == "timestamp[us, tz=UTC]"
    con = duckdb.connect(str(spark_warehouse), read_only=True)
    first = con.execute("select ordered_at from raw.orders order by order_id limit 1").fetchone()[0]
    con.close()
    exported = orders.sort_by("order_id").column("ordered_at")[0].as_py()
    assert exported == first.replace(tzinfo=timezone.utc)     # same instant: naive means UTC


def test_whole_demo_dag_builds_on_spark_with_its_tests(spark_build):
    statuses = {n["name"]: n["status"] for n in spark_build.nodes}
    assert statuses["churn_training"] == "success"
    failing = {name: s for name, s in statuses.items() if s not in ("success", "pass")}
    assert not failing
    tests = [n for n in spark_build.nodes if n["unique_id"].startswith(("test.", "unit_test."))]
    assert len(tests) >= 50, f"only {len(tests)} tests ran"


def _duckdb_build(warehouse, tmp_path):
    """churn_training and its parents on a copy of the same DuckDB warehouse, same as-of."""
    from dbt.cli.main import dbtRunner

    copy = tmp_path / "duckdb.duckdb"
    shutil.copy(warehouse, copy)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SQLTRAIN_WAREHOUSE", str(copy))
        target = tmp_path / "target_duckdb"
        result = dbtRunner().invoke([
            "build", "--select", "+churn_training", "--resource-type", "model", "--resource-type", "snapshot",
            "--target", "dev", "--project-dir", str(REPO), "--profiles-dir", str(REPO),
            "--target-path", str(target), "--log-path", str(target), "--vars", json.dumps({"as_of": AS_OF}),
            "--quiet",
        ])
    assert result.success, result.exception
    return copy


def test_spark_and_duckdb_build_the_same_training_set(spark_build, spark_warehouse, tmp_path):
    import duckdb

    spark_table = spark_session().table("main.churn_training").toArrow()
    con = duckdb.connect(str(_duckdb_build(spark_warehouse, tmp_path)))
    con.execute("SET TimeZone = 'UTC'")
    duck_table = con.sql("select * from main.churn_training").to_arrow_table()
    con.close()

    spark_cols, spark_rows = _rows(spark_table)
    duck_cols, duck_rows = _rows(duck_table)
    assert spark_cols == duck_cols
    assert len(duck_rows) > 100 and len(spark_rows) == len(duck_rows)
    assert [r[:2] for r in spark_rows] == [r[:2] for r in duck_rows]       # same (customer_id, as_of_ts)
    mismatches = [
        (r[:2], col, s, d)
        for r, sr in zip(duck_rows, spark_rows)
        for col, d, s in zip(duck_cols, r, sr)
        if not _same(s, d)
    ]
    assert not mismatches, f"{len(mismatches)} values differ, e.g. {mismatches[:3]}"
    label = duck_cols.index("churned_30d")
    assert sum(r[label] for r in duck_rows) > 0                            # the label is not constant
