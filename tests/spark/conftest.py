"""One local Spark for the whole test session, loaded with a small demo warehouse and built.

Spark runs in-process (dbt-spark's session method): the first dbt call against the ``spark``
target starts the JVM with the profile's settings, and every later call reuses that session.
So the Spark directory (metastore + warehouse) is fixed once per session, in a tmp dir, and
the demo is loaded and built once; the tests read what was built.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from spark_harness import AS_OF, REPO, SPARK_SCALE, SPARK_SEED


@pytest.fixture(scope="session")
def spark_tmp(tmp_path_factory):
    """Session-wide env for Spark: a private Spark dir, few shuffle partitions (tiny data).

    dbt_invoke pins SQLTRAIN_WAREHOUSE for the process; it is put back when Spark's tests end."""
    _require_spark()
    root = tmp_path_factory.mktemp("spark")
    saved = {k: os.environ.get(k) for k in ("SQLTRAIN_SPARK_DIR", "SQLTRAIN_SPARK_PARTITIONS", "SQLTRAIN_WAREHOUSE")}
    os.environ["SQLTRAIN_SPARK_DIR"] = str(root / "spark")
    os.environ["SQLTRAIN_SPARK_PARTITIONS"] = "2"
    try:
        yield root
    finally:
        _stop_spark()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _require_spark() -> None:
    """Skip, loudly (pytest -ra lists the reason), where the spark extra or Java is missing."""
    pytest.importorskip("pyspark", reason="the spark extra is not installed: pip install -c constraints.txt -e '.[test,spark]'")
    pytest.importorskip("dbt.adapters.spark", reason="dbt-spark is not installed: pip install -e '.[test,spark]'")
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        pytest.skip("Spark needs a Java 17 runtime (java on PATH or JAVA_HOME)")


def _stop_spark() -> None:
    from pyspark import SparkContext

    if SparkContext._active_spark_context is not None:
        SparkContext._active_spark_context.stop()


@pytest.fixture(scope="session")
def spark_warehouse(spark_tmp) -> Path:
    """The DuckDB demo warehouse the Spark side is loaded from (and the DuckDB side built on)."""
    from sqltrain.demo.warehouse import build_warehouse

    path = spark_tmp / "demo.duckdb"
    build_warehouse(path, scale=SPARK_SCALE, seed=SPARK_SEED)
    return path


@pytest.fixture(scope="session")
def spark_project(spark_tmp):
    from sqltrain.project import Project

    return Project.open(REPO, target="spark")


@pytest.fixture(scope="session")
def spark_loaded(spark_project, spark_warehouse, spark_tmp):
    """The demo warehouse exported to Parquet and registered in the session's Spark catalog."""
    from sqltrain.spark.demo import load_demo

    return load_demo(spark_project, spark_warehouse, target_path=str(spark_tmp / "target_load"))


@pytest.fixture(scope="session")
def spark_build(spark_loaded, spark_project, spark_tmp):
    """``dbt build --target spark --exclude resource_type:snapshot`` of the whole demo: its DbtRun."""
    from sqltrain.dbt_invoke import invoke

    return invoke(spark_project, ["build", "--exclude", "resource_type:snapshot"], dbt_vars={"as_of": AS_OF},
                  target_path=str(spark_tmp / "target_build"))
