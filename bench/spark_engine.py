"""The benchmark's local Spark: started once per benchmark process, in-process like dbt-spark's
session method, with the ``spark`` target's settings from profiles.yml.

The settings are the target's ``server_side_parameters`` (UTC session time zone, no UI, ...)
with four changes that a benchmark needs: the master is ``local[*]`` (every core of this
machine), the warehouse and Spark's spill directory (``spark.local.dir``) live under the
benchmark's work directory, the driver's memory is fixed (so "the largest input Spark
completes" means something), and the catalog is Spark's in-memory one (the inputs are temp
views over Parquet files; nothing needs a metastore). ``dbt compile`` for the spark adapter,
run in this process afterwards, reuses this session.

A Spark query cannot be killed like a subprocess without losing the JVM, so
:func:`run_with_timeout` cancels the query's job group when it runs past its time.
"""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import yaml

DRIVER_MEMORY = "4g"
SHUFFLE_PARTITIONS = 16
_ENV_VAR = re.compile(r"\{\{\s*env_var\('([A-Z_]+)',\s*'([^']*)'\)\s*\}\}")


class SparkTimeout(RuntimeError):
    """A Spark query was cancelled after running for its timeout."""


def settings(repo: Path, workdir: Path, driver_memory: str = DRIVER_MEMORY) -> dict[str, str]:
    """The ``spark`` target's settings, rendered for a Spark directory under ``workdir``."""
    profile = yaml.safe_load((repo / "profiles.yml").read_text())
    target = next(o for p in profile.values() for o in p.get("outputs", {}).values() if o.get("type") == "spark")
    spark_dir = workdir / "spark"
    values = {"SQLTRAIN_SPARK_DIR": str(spark_dir), "SQLTRAIN_SPARK_PARTITIONS": str(SHUFFLE_PARTITIONS)}
    rendered = {k: _ENV_VAR.sub(lambda m: values.get(m.group(1), m.group(2)), str(v))
                for k, v in target.get("server_side_parameters", {}).items()}
    rendered = {k: v for k, v in rendered.items() if "javax.jdo" not in k and "derby" not in v}
    rendered.update({
        "spark.master": "local[*]",
        "spark.app.name": "sqltrain-bench",
        "spark.local.dir": str(spark_dir / "spill"),
        "spark.driver.memory": driver_memory,
        "spark.sql.catalogImplementation": "in-memory",
        "spark.ui.showConsoleProgress": "false",
    })
    return rendered


def start(repo: Path, workdir: Path, driver_memory: str = DRIVER_MEMORY):
    """Start (or reuse) the process's SparkSession with :func:`settings`; returns the session."""
    from pyspark.sql import SparkSession

    conf = settings(repo, workdir, driver_memory)
    Path(conf["spark.local.dir"]).mkdir(parents=True, exist_ok=True)
    builder = SparkSession.builder
    for key, value in conf.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def stop(session) -> None:
    """Stop the JVM's Spark (the benchmark is done with it: its memory goes back to the others)."""
    if session is not None:
        session.stop()


def register_inputs(session, spine_parquet: Path, events_parquet: Path) -> None:
    """``bench_spine`` and ``bench_events`` as temp views over the benchmark's Parquet files.

    The files hold naive timestamps (UTC by contract), which Spark reads as TIMESTAMP_NTZ; cast
    in the UTC session they are the same instants as Spark's TIMESTAMP, the type the macros use."""
    session.read.parquet(str(spine_parquet)).selectExpr(
        "row_id", "entity_id", "cast(as_of_ts as timestamp) as as_of_ts").createOrReplaceTempView("bench_spine")
    session.read.parquet(str(events_parquet)).selectExpr(
        "entity_id", "cast(event_ts as timestamp) as event_ts", "value").createOrReplaceTempView("bench_events")


def write_parquet(session, sql: str, columns: list[str], out: Path, timeout_s: float) -> float:
    """Run ``sql`` and write ``columns`` of its result to Parquet at ``out`` (by Spark's executors,
    nothing collected to the driver); returns the seconds taken."""
    frame = session.sql(sql).select(*columns)
    started = time.perf_counter()
    run_with_timeout(session, lambda: frame.write.mode("overwrite").parquet(str(out)), timeout_s)
    return time.perf_counter() - started


def run_with_timeout(session, action, timeout_s: float):
    """Run ``action`` (Spark jobs) in a job group that is cancelled after ``timeout_s``.

    The group is cancelled again every second until ``action`` returns: a query still being
    planned has no job yet to cancel, and an adaptive query submits a new job per stage."""
    context = session.sparkContext
    group = f"sqltrain-bench-{time.monotonic_ns()}"
    context.setJobGroup(group, "sqltrain benchmark query", interruptOnCancel=True)
    fired, done = threading.Event(), threading.Event()

    def watch():
        if done.wait(timeout_s):
            return
        fired.set()
        while True:
            context.cancelJobGroup(group)
            if done.wait(1.0):
                return

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        result = action()
    except Exception as error:
        if fired.is_set():
            raise SparkTimeout(f"timed out after {timeout_s:.0f} s") from error
        raise
    finally:
        done.set()
        context.setLocalProperty("spark.jobGroup.id", None)
    if fired.is_set():      # finished while being cancelled: over the timeout all the same
        raise SparkTimeout(f"timed out after {timeout_s:.0f} s")
    return result
