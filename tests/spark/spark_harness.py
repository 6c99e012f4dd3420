"""Constants and helpers shared by the Spark tests (a module of its own: every test folder has
a conftest.py, so `from conftest import` would be ambiguous)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SPARK_SCALE = 0.02     # the "small demo scale"
SPARK_SEED = 11
AS_OF = "2025-06-01"



def spark_session():
    """The session dbt-spark started in this process (a fixture must have used the target first)."""
    from pyspark import SparkContext
    from pyspark.sql import SparkSession

    assert SparkContext._active_spark_context is not None, "no Spark yet: use the spark_build fixture first"
    return SparkSession.builder.getOrCreate()     # the running one, with the profile's settings

