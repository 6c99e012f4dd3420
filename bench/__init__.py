"""Benchmarks of sqltrain against its peers: ``python -m bench [--quick]`` (``make bench``).

Measures the point-in-time join and the windowed aggregates as dbt compiles sqltrain's macros,
against hand-written DuckDB SQL, pandas, Feast's file offline store and the same macros compiled
for Spark, on the same generated data; the join again with late-arriving rows (``known_at``)
and over a source a dbt test proves free of ties; wide training sets (10 and 100 sources, 1,000
columns, with peak memory); compares every result row by row; finds the
largest point-in-time join DuckDB (under a memory_limit) and Spark complete on this machine;
times ``sqltrain snapshot``, ``sqltrain check`` and ``sqltrain --help`` end to end; and writes
``docs/benchmarks.md`` with its charts, all within a time budget (under 30 minutes).

Python API::

    from bench import run_benchmarks
    from bench.report import write
    from bench.runner import Options
    report = run_benchmarks(Options(quick=True, workdir=Path("/tmp/bench")))
    write(report, Path("/tmp/bench/benchmarks.md"))

The pieces: :mod:`.sizes` (what is measured), :mod:`.data` (inputs), :mod:`.compiled` (the
macros through dbt), :mod:`.contenders` (the competing implementations), :mod:`.spark_engine`
(the local Spark), :mod:`.scaleout` (the scale-out figure), :mod:`.wide` (the wide shapes), :mod:`.compare`
(row-by-row diff), :mod:`.timing` (medians, machine facts), :mod:`.endtoend` (CLI runs),
:mod:`.report` and :mod:`.charts` (the page and its matplotlib charts).
"""


def run_benchmarks(*args, **kwargs):
    """See :func:`bench.runner.run_benchmarks` (imported on call: it pulls in dbt and pandas)."""
    from .runner import run_benchmarks as run

    return run(*args, **kwargs)
