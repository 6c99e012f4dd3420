"""The Spark side of a snapshot's export: partitioned Parquet written by the executors, and a
data hash that depends on the data only (not its order or partitioning)."""

from __future__ import annotations

import pytest

from spark_harness import spark_session

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def training(spark_build):
    """churn_training as built by the session's Spark demo, plus reshuffled and altered copies."""
    from pyspark.sql import functions as F

    spark = spark_session()
    base = spark.table("main.churn_training")
    assert base.count() > 100
    base.repartition(7).orderBy(F.rand(3)).createOrReplaceTempView("shuffled_training")
    first = base.orderBy("customer_id", "as_of_ts").limit(1)
    base.union(first).createOrReplaceTempView("duplicated_training")
    base.withColumn("tenure_days", F.when((F.col("customer_id") == first.first()["customer_id"])
                                          & (F.col("as_of_ts") == first.first()["as_of_ts"]),
                                          F.col("tenure_days") + 1).otherwise(F.col("tenure_days"))
                    ).createOrReplaceTempView("altered_training")
    return spark


def test_data_hash_ignores_order_and_partitioning_but_not_data(training):
    from sqltrain.spark.relation import SparkRelation

    hashes = {name: SparkRelation(training, name).data_hash()
              for name in ("main.churn_training", "shuffled_training", "duplicated_training", "altered_training")}
    assert hashes["main.churn_training"] == hashes["shuffled_training"]
    assert SparkRelation(training, "main.churn_training").data_hash() == hashes["main.churn_training"]
    assert len({hashes["main.churn_training"], hashes["duplicated_training"], hashes["altered_training"]}) == 3


def test_write_parquet_parts_hold_every_row_sorted_by_keys(training, tmp_path):
    import pyarrow.parquet as pq

    from sqltrain.spark.relation import SparkRelation

    rel = SparkRelation(training, "shuffled_training")
    parts = rel.write_parquet(tmp_path / "data.parquet", keys=["customer_id", "as_of_ts"], max_records_per_file=200)
    assert len(parts) > 1                                   # one relation, several files
    tables = [pq.read_table(p) for p in parts]
    assert sum(t.num_rows for t in tables) == rel.count_rows()
    for t in tables:
        keys = list(zip(t.column("customer_id").to_pylist(), t.column("as_of_ts").to_pylist()))
        assert keys == sorted(keys)
    assert [c["name"] for c in rel.describe()] == tables[0].column_names
    rate = rel.label_rate("churned_30d")
    assert 0 < rate < 1
