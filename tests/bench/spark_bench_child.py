"""Run by test_bench_spark.py in a process of its own: the benchmark at a tiny size with Spark
and the scale-out figure, plus two planted wrong Spark contenders, one JSON line out.

A process of its own because Spark's JVM keeps its launch options for the life of the process,
and tests/spark starts Spark with the profile's (Derby home, metastore): the two must not share one.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bench import contenders, spark_engine
from bench.compiled import repository_root
from bench.report import write
from bench.runner import Options, run_benchmarks
from bench.sizes import Size

TINY = Size(spine=300, events=3_000, entities=30)


def _wrong(sql: str, column: str) -> str:
    """The Spark result with one row dropped and one value changed."""
    return (f"select * except ({column}), case when row_id = 5 then {column} + 1 else {column} end as {column} "
            f"from ({sql}) as q where row_id <> 7")


def pit_spark_wrong(ctx):
    return contenders._spark(ctx, "spark_wrong", _wrong(ctx.spark_pit, "value"), contenders.PIT_COLUMNS)


def window_spark_wrong(ctx):
    return contenders._spark(ctx, "spark_wrong", _wrong(ctx.spark_window, "n_90d"), contenders.WINDOW_COLUMNS)


def timeout_cancels_the_query(work: Path) -> str:
    """A query past its timeout is cancelled and reported as SparkTimeout; the session lives on."""
    session = spark_engine.start(repository_root(), work / "work")
    try:
        spark_engine.run_with_timeout(session, lambda: session.sql(
            "select count(s) from (select reflect('java.lang.Thread', 'sleep', cast(1000 as bigint)) as s "
            "from range(0, 60, 1, 2))").collect(), 2)      # 30 s of sleeping tasks unless cancelled
    except spark_engine.SparkTimeout as error:
        assert session.sql("select 1 as one").collect()[0].one == 1
        return str(error)
    return "not cancelled"


def main(work: Path) -> None:
    timeout = timeout_cancels_the_query(work)     # the benchmark below reuses this session
    pit, window = contenders.pit_contenders, contenders.window_contenders
    contenders.pit_contenders = lambda feast, spark=False, unique=False: pit(feast, spark, unique) + (
        [contenders.Contender("spark_wrong", "planted wrong Spark result", pit_spark_wrong, runs=1)] if spark else [])
    contenders.window_contenders = lambda spark=False: window(spark) + (
        [contenders.Contender("spark_wrong", "planted wrong Spark result", window_spark_wrong, runs=1)] if spark else [])
    options = Options(runs=1, feast=False, postgres=False, end_to_end=False, known_at=False, wide=False,
                      workdir=work / "work", sizes=(TINY,), scaleout_first_events=20_000, scaleout_budget_s=25,
                      scaleout_timeout_s=30)
    report = run_benchmarks(options, log=lambda line: print(line, file=sys.stderr))
    page, _ = write(report, work / "docs" / "benchmarks.md")
    summary = {
        "spark_problem": report.spark_problem,
        "timeout": timeout,
        "comparisons": {c.kind: {r.name: {"ok": r.median_s is not None, "rows": r.rows, "error": r.error} for r in c.results}
                        for c in report.comparisons},
        "diffs": {c.kind: {name: [d.dropped, d.extra, d.mismatched, d.identical]
                           for (a, name), d in c.diffs.items() if a == "sqltrain"} for c in report.comparisons},
        "scaleout": [[r.engine, r.size.events, r.seconds is not None, r.rows, r.size.spine] for r in report.scaleout.runs],
        "stopped_by": report.scaleout.stopped_by,
        "page": str(page),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
