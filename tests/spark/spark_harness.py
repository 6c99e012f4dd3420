"""Constants and helpers shared by the Spark tests (a module of its own: every test folder has
a conftest.py, so `from conftest import` would be ambiguous)."""

from __future__ import annotations

import math
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SPARK_SCALE = 0.02     # the "small demo scale"
SPARK_SEED = 11
AS_OF = "2025-06-01"
FLOAT_REL_TOL = 1e-9



def spark_session():
    """The session dbt-spark started in this process (a fixture must have used the target first)."""
    from pyspark import SparkContext
    from pyspark.sql import SparkSession

    assert SparkContext._active_spark_context is not None, "no Spark yet: use the spark_build fixture first"
    return SparkSession.builder.getOrCreate()     # the running one, with the profile's settings


def sorted_rows(table) -> tuple[list[str], list[tuple]]:
    """Column names and rows of an Arrow table, timestamps as naive UTC, sorted by the first two columns."""
    def norm(v):
        if isinstance(v, datetime) and v.tzinfo is not None:
            return v.astimezone(timezone.utc).replace(tzinfo=None)
        return v

    rows = [tuple(norm(v) for v in r.values()) for r in table.to_pylist()]
    return table.column_names, sorted(rows, key=lambda r: (r[0], r[1]))


def same_value(a, b) -> bool:
    """Floats within a tight relative tolerance (summation order differs); everything else exact."""
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(float(a), float(b), rel_tol=FLOAT_REL_TOL, abs_tol=0.0)
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        return Decimal(a) == Decimal(b)
    return a == b and type(a) is type(b)
