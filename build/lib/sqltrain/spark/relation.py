"""What ``sqltrain snapshot`` needs from a built relation, computed by Spark (docs/spark.md).

The DuckDB pipeline reads the built table through a DuckDB connection (snapshot/export.py);
on Spark the same questions are asked of a DataFrame and answered by the cluster — nothing
is collected to the driver but one-row aggregates:

    >>> rel = SparkRelation(spark, "main.churn_training")           # doctest: +SKIP
    >>> rel.count_rows(), rel.label_rate("churned_30d")  # doctest: +SKIP
    >>> files = rel.write_parquet(stage / "data.parquet", keys=["customer_id", "as_of_ts"])  # doctest: +SKIP
    >>> rel.data_hash()          # same data -> same hash, whatever the order or partitioning  # doctest: +SKIP

``data_hash`` is a multiset hash: every row is hashed (SHA-256 of a canonical JSON text of the
row) and the hashes are added up, in four 60-bit slices as exact decimals. Addition commutes,
so row order and partitioning cannot change it; duplicates count.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..sqlquote import spark_identifier

# Four 15-hex-digit (60-bit) slices of each row's SHA-256, summed as DECIMAL(38,0): 2^60 * rows
# stays exact up to ~10^20 rows.
_SLICES = 4
_SLICE_HEX = 15


# Spark writes timestamps as legacy INT96 unless told otherwise; TIMESTAMP_MICROS (UTC-adjusted) is
# what DuckDB writes and every Parquet reader reads as the same instant.
_TIMESTAMP_TYPE = "spark.sql.parquet.outputTimestampType"


@contextmanager
def _session_conf(spark, key: str, value: str) -> Iterator[None]:
    """Set one SQL conf of the shared session for the duration of a write, then put it back."""
    previous = spark.conf.get(key, None)
    spark.conf.set(key, value)
    try:
        yield
    finally:
        if previous is None:
            spark.conf.unset(key)
        else:
            spark.conf.set(key, previous)


class SparkRelation:
    """A built relation on Spark, read through ``spark.table(name)``."""

    def __init__(self, spark, name: str):
        self.spark = spark
        self.name = name

    @property
    def frame(self):
        return self.spark.table(self.name)

    def describe(self) -> list[dict[str, Any]]:
        """Column names and Spark SQL types, in table order."""
        return [{"name": f.name, "type": f.dataType.simpleString()} for f in self.frame.schema.fields]

    def count_rows(self) -> int:
        return self.frame.count()

    def label_rate(self, label: str | None) -> float | None:
        """Mean of the label over rows where it is not null (None without a label or rows)."""
        if not label:
            return None
        from pyspark.sql import functions as F

        value = self.frame.agg(F.avg(F.col(spark_identifier(label)).cast("double")).alias("rate")).first()["rate"]
        return None if value is None else float(value)

    def write_parquet(self, directory: Path, keys: list[str], max_records_per_file: int = 1_000_000) -> list[Path]:
        """Write the relation under ``directory`` as Parquet part files, rows sorted by ``keys``
        within each file; return the part files. Executors write; the driver only lists files."""
        columns = [f.name for f in self.frame.schema.fields]
        order = [*keys, *(c for c in columns if c not in keys)]
        with _session_conf(self.spark, _TIMESTAMP_TYPE, "TIMESTAMP_MICROS"):
            (self.frame.sortWithinPartitions(*order).write
                .option("maxRecordsPerFile", max_records_per_file)
                .option("compression", "zstd")
                .mode("errorifexists")
                .parquet(str(directory)))
        return sorted(Path(directory).glob("part-*.parquet"))

    def data_hash(self) -> str:
        """SHA-256 (hex) of the row count, the column list and the multiset sums of row hashes."""
        from pyspark.sql import functions as F

        frame = self.frame
        row_text = F.to_json(F.struct(*[F.col(spark_identifier(c)) for c in frame.columns]))
        digest = F.sha2(row_text, 256)
        sums = [
            F.sum(F.conv(F.substring(digest, 1 + i * _SLICE_HEX, _SLICE_HEX), 16, 10).cast("decimal(38,0)")).alias(f"s{i}")
            for i in range(_SLICES)
        ]
        row = frame.agg(F.count(F.lit(1)).alias("n"), *sums).first()
        schema = ",".join(f"{c['name']}:{c['type']}" for c in self.describe())
        text = "|".join([schema, str(row["n"]), *(str(row[f"s{i}"] or 0) for i in range(_SLICES))])
        return hashlib.sha256(text.encode()).hexdigest()
