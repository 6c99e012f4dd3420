"""The macros' Spark path against the brute-force oracle of tests/macros (engine_macros says how
cases are batched). The variants are compiled by dbt for the spark adapter (dbt-spark): the
portable default__ implementations plus dbt-spark's cross-db macros and sqltrain's spark__ ones.
"""

from __future__ import annotations

import sys
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from spark_harness import REPO

sys.path.insert(0, str(REPO / "tests" / "macros"))    # the oracle, worlds and variants of the DuckDB tests

from engine_macros import MACROS, check_variant, compile_for, variants_of  # noqa: E402,F401

SPARK_CASES: Counter = Counter()
"""Cases that matched the oracle on Spark, per macro, in this session (conftest prints them)."""


def compile_for_spark(workdir: Path) -> dict[str, str]:
    """Every variant compiled against a dbt-spark ``session`` target (this process's running Spark)."""
    return compile_for(workdir, {"type": "spark", "method": "session", "host": "localhost",
                                 "schema": "sqltrain_macro_props", "threads": 1})


class SparkTables:
    """Generated tables as Spark temp views; timestamps arrive as mixed-zone text and are cast,
    like the DuckDB harness does, so the SQL sees TIMESTAMP columns in the UTC session."""

    def __init__(self, spark):
        self.spark = spark

    def load(self, name: str, schema: dict[str, str], rows: list[dict[str, Any]]) -> None:
        from pyspark.sql.types import LongType, StringType, StructField, StructType

        struct = StructType([StructField(c, LongType() if k == "int" else StringType()) for c, k in schema.items()])
        data = [tuple(_cell(r.get(c), k) for c, k in schema.items()) for r in rows]
        self.spark.createDataFrame(data, struct).createOrReplaceTempView(f"{name}__raw")
        select = ", ".join(f"cast({c} as timestamp) as {c}" if k == "ts" else c for c, k in schema.items())
        self.spark.sql(f"create or replace temp view {name} as select {select} from {name}__raw")

    def run(self, sql: str) -> tuple[list[str], list[tuple]]:
        table = self.spark.sql(sql).toArrow()
        rows = [tuple(_naive_utc(v) for v in r.values()) for r in table.to_pylist()]
        return table.column_names, rows


def _cell(value: Any, kind: str) -> Any:
    return value.text() if kind == "ts" and value is not None else value


def _naive_utc(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(timezone.utc).replace(tzinfo=None)
    return value


