"""Spark in the benchmark at a tiny size: the macros compiled for the spark
adapter agree with DuckDB row by row, a wrong Spark result is reported as wrong, and the
scale-out figure runs both engines and says why each stopped."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.report import scaleout_section
from bench.runner import Options, Report
from bench.scaleout import ScaleOut, ScaleRun, size_for

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def spark_run(tmp_path_factory):
    pytest.importorskip("pyspark", reason="the spark extra is not installed: pip install -c constraints.txt -e '.[test,spark]'")
    pytest.importorskip("dbt.adapters.spark", reason="dbt-spark is not installed: pip install -e '.[test,spark]'")
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        pytest.skip("Spark needs a Java 17 runtime (java on PATH or JAVA_HOME)")
    work = tmp_path_factory.mktemp("bench-spark")
    env = {**os.environ, "PYTHONPATH": str(HERE.parents[1])}      # the child imports the harness, bench/
    done = subprocess.run([sys.executable, str(HERE / "spark_bench_child.py"), str(work)], capture_output=True, text=True,
                          cwd=work, env=env, timeout=900)
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_spark_contenders_match_duckdb_row_by_row(spark_run):
    assert spark_run["spark_problem"] is None
    for kind in ("pit", "window"):
        spark = spark_run["comparisons"][kind]["spark"]
        assert spark["ok"] and spark["rows"] == 300, spark
        assert spark_run["diffs"][kind]["spark"] == [0, 0, 0, True]


def test_a_spark_query_past_its_timeout_is_cancelled(spark_run):
    assert spark_run["timeout"] == "timed out after 2 s"


def test_a_wrong_spark_result_is_reported_as_dropped_and_mismatching(spark_run):
    for kind in ("pit", "window"):
        dropped, extra, mismatched, identical = spark_run["diffs"][kind]["spark_wrong"]
        assert (dropped, extra, mismatched, identical) == (1, 0, 1, False), kind
    page = Path(spark_run["page"]).read_text()
    assert "spark_wrong returned 299 rows for 300 spine rows (1 dropped, 0 extra, 1 different values)" in page
    assert "| point-in-time join at 300 x 3k x 30 |" in page and "## Spark" in page


def test_scale_out_runs_both_engines_and_says_why_each_stopped(spark_run):
    runs = spark_run["scaleout"]
    assert {engine for engine, *_ in runs} == {"duckdb", "spark"}
    first = [r for r in runs if r[1] == 20_000]
    assert all(ok and rows == spine for _, _, ok, rows, spine in first), first
    assert set(spark_run["stopped_by"]) == {"duckdb", "spark"}
    assert all(why.split(":")[0] in ("budget", "timeout", "failed") for why in spark_run["stopped_by"].values())
    page = Path(spark_run["page"]).read_text()
    assert "## Scale-out: the largest point-in-time join each engine completes here" in page
    assert "img/benchmarks-scaleout.png" in page


def test_scale_out_text_tells_a_spent_budget_from_an_engine_limit():
    figure = ScaleOut(10_000_000, 150, 300, "2GB", "4g")
    figure.runs = [ScaleRun("duckdb", size_for(10_000_000), 3.0, 1_000_000, 0.8),
                   ScaleRun("spark", size_for(10_000_000), 40.0, 1_000_000),
                   ScaleRun("duckdb", size_for(20_000_000), 7.0, 2_000_000, 1.1),
                   ScaleRun("spark", size_for(20_000_000), None, error="timeout after 150 s")]
    figure.stopped_by = {"spark": "timeout: 2M x 20M x 200k ran past the per-run timeout of 150 s",
                         "duckdb": "budget: the figure's 300 s were spent before 4M x 40M x 400k"}
    text = "\n".join(scaleout_section(_report_with(figure), None))
    assert "- DuckDB: **2M x 20M x 200k** in 7.0 s — largest completed within the budget, not the engine's limit" in text
    assert "- Spark: **1M x 10M x 100k** in 40.0 s — the next size ran past the per-run timeout" in text
    assert "| 2M x 20M x 200k | — | 7.0 | 1.10 | timeout after 150 s |" in text


def _report_with(figure: ScaleOut) -> Report:
    report = Report(Options(), {}, "")
    report.scaleout = figure
    return report
