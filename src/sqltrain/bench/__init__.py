"""Benchmarks of sqltrain against its peers: ``python -m sqltrain.bench [--quick]`` (``make bench``).

Measures the point-in-time join and the windowed aggregates as dbt compiles sqltrain's macros,
against hand-written DuckDB SQL, pandas and Feast's file offline store, on the same generated
data; compares every result row by row; times ``sqltrain snapshot``, ``sqltrain check`` and
``sqltrain --help`` end to end; and writes ``docs/benchmarks.md`` with a PNG chart.

Python API::

    from sqltrain.bench import run_benchmarks
    report = run_benchmarks(quick=True, out=Path("/tmp/benchmarks.md"))

The pieces: :mod:`.sizes` (what is measured), :mod:`.data` (inputs), :mod:`.compiled` (the
macros through dbt), :mod:`.contenders` (the competing implementations), :mod:`.compare`
(row-by-row diff), :mod:`.timing` (medians, machine facts), :mod:`.endtoend` (CLI runs),
:mod:`.report` and :mod:`.png` (the page and its chart).
"""


def run_benchmarks(*args, **kwargs):
    """See :func:`sqltrain.bench.runner.run_benchmarks` (imported on call: it pulls in dbt and pandas)."""
    from .runner import run_benchmarks as run

    return run(*args, **kwargs)
