"""sqltrain's macros exactly as a user's dbt project compiles them.

A throw-away dbt project under the benchmark's work directory installs this repository as a
package (``packages.yml`` with a local path, like ``integration_tests/``), holds two models that
call ``sqltrain.point_in_time_join`` and ``sqltrain.window_aggregates`` over the bare tables
``bench_spine`` and ``bench_events``, and is compiled with ``dbt compile`` — once for DuckDB (a subprocess),
once for the spark adapter (in the benchmark's process, reusing its Spark) and once for the postgres
adapter (a subprocess connected to the benchmark's cluster). The compiled SQL is what the benchmark runs on
each engine; dbt's own start-up is measured end to end elsewhere.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from .sizes import WINDOWS_DAYS

PIT_MODEL = """{{ sqltrain.point_in_time_join(
    spine='bench_spine', entity_keys=['entity_id'], cutoff='as_of_ts',
    sources=[{'relation': 'bench_events', 'columns': ['value'], 'event_ts': 'event_ts'}],
    as_of=none) }}
"""

WINDOW_MODEL = """{{{{ sqltrain.window_aggregates(
    spine='bench_spine', entity_keys=['entity_id'], cutoff='as_of_ts', source='bench_events',
    aggregates=[{{'agg': 'count', 'name': 'n'}}, {{'agg': 'sum', 'column': 'value', 'name': 's'}}],
    windows={windows}, event_ts='event_ts', as_of=none) }}}}
"""


PIT_KNOWN_AT_MODEL = """{{ sqltrain.point_in_time_join(
    spine='bench_spine', entity_keys=['entity_id'], cutoff='as_of_ts',
    sources=[{'relation': 'bench_events', 'columns': ['value'], 'event_ts': 'event_ts', 'known_at': 'known_at'}],
    as_of=none) }}
"""

# the headline's join over a source whose (entity_id, event_ts) the project proves unique
PIT_UNIQUE_MODEL = """{{ sqltrain.point_in_time_join(
    spine='bench_spine', entity_keys=['entity_id'], cutoff='as_of_ts',
    sources=[{'relation': source('bench', 'bench_events'), 'columns': ['value'], 'event_ts': 'event_ts'}],
    as_of=none) }}
"""
SOURCES = {"version": 2, "sources": [{
    "name": "bench", "database": "memory", "schema": "main",     # the benchmark's in-memory DuckDB
    "tables": [{"name": "bench_events", "data_tests": [
        {"unique_combination_of_columns": {"arguments": {"combination_of_columns": ["entity_id", "event_ts"]}}}]}],
}]}
# dbt_utils' generic test of that name, so the project needs no package besides sqltrain
UNIQUE_COMBINATION_TEST = """{% test unique_combination_of_columns(model, combination_of_columns) %}
select {{ combination_of_columns | join(', ') }}
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1
{% endtest %}
"""

WIDE_SHAPES = ((10, 100), (100, 10))    # (sources, columns per source): 1,000 columns either way


def wide_name(shape: tuple[int, int]) -> str:
    return f"wide_{shape[0]}x{shape[1]}"


def wide_model(sources: int, per_source: int) -> str:
    """One point_in_time_join call over ``sources`` views ``wide_v<i>`` of ``per_source`` columns each."""
    specs = ",\n        ".join(
        f"{{'relation': 'wide_v{i}', 'columns': {wide_columns(i, per_source)}, 'event_ts': 'event_ts'}}"
        for i in range(sources))
    return (f"{{{{ sqltrain.point_in_time_join(\n    spine='wide_spine', entity_keys=['entity_id'], cutoff='as_of_ts',\n"
            f"    sources=[\n        {specs}],\n    as_of=none) }}}}\n")


def wide_columns(source: int, per_source: int) -> list[str]:
    return [f"f{source * per_source + j:04d}" for j in range(per_source)]


@dataclass
class CompiledMacros:
    point_in_time_join: str
    window_aggregates: str
    point_in_time_join_known_at: str = ""
    point_in_time_join_unique: str = ""
    wide: dict[tuple[int, int], str] | None = None     # (sources, columns per source) -> compiled SQL


def repository_root() -> Path:
    """The sqltrain repository (the dbt package) this module belongs to."""
    root = Path(__file__).resolve().parents[1]
    if not (root / "dbt_project.yml").exists():
        raise FileNotFoundError(f"no dbt_project.yml at {root}: run the benchmark from a source checkout")
    return root


def _write_project(workdir: Path, package: Path, profile: dict, wide_shapes=WIDE_SHAPES, duckdb_only: bool = True) -> Path:
    """The throw-away project under ``workdir`` with ``profile`` as its only target; returns its directory.
    ``duckdb_only`` adds the models only the DuckDB runs use (known_at, the unique-tested source, the wide
    shapes): the source's database is the benchmark's in-memory DuckDB, which the spark adapter rejects."""
    project = workdir / "compile_project"
    (project / "models").mkdir(parents=True, exist_ok=True)
    (project / "dbt_project.yml").write_text(yaml.safe_dump({
        "name": "sqltrain_bench", "version": "1.0.0", "config-version": 2, "profile": "sqltrain_bench",
        "model-paths": ["models"], "macro-paths": ["macros"],
        # the package is also the demo project: its models and snapshots are not ours to compile
        "models": {"sqltrain": {"+enabled": False}}, "snapshots": {"sqltrain": {"+enabled": False}},
        "flags": {"send_anonymous_usage_stats": False},
    }, sort_keys=False))
    (project / "packages.yml").write_text(yaml.safe_dump({"packages": [{"local": str(package)}]}))
    (project / "profiles.yml").write_text(yaml.safe_dump({"sqltrain_bench": {"target": "dev", "outputs": {"dev": profile}}}))
    (project / "models" / "bench_pit.sql").write_text(PIT_MODEL)
    if duckdb_only:
        (project / "models" / "bench_pit_known_at.sql").write_text(PIT_KNOWN_AT_MODEL)
        (project / "models" / "bench_pit_unique.sql").write_text(PIT_UNIQUE_MODEL)
        (project / "models" / "sources.yml").write_text(yaml.safe_dump(SOURCES, sort_keys=False))
        (project / "macros").mkdir(exist_ok=True)
        (project / "macros" / "unique_combination_of_columns.sql").write_text(UNIQUE_COMBINATION_TEST)
        for shape in wide_shapes:
            (project / "models" / f"bench_{wide_name(shape)}.sql").write_text(wide_model(*shape))
    windows = [f"{d} days" for d in WINDOWS_DAYS]
    (project / "models" / "bench_window.sql").write_text(WINDOW_MODEL.format(windows=windows))
    # what `dbt deps` does for a local package (a link in dbt_packages/), without a second dbt start-up
    installed = project / "dbt_packages" / "sqltrain"
    installed.parent.mkdir(exist_ok=True)
    if installed.is_symlink() or installed.exists():
        installed.unlink()
    installed.symlink_to(package, target_is_directory=True)
    return project


def _read_compiled(project: Path, wide_shapes=()) -> CompiledMacros:
    compiled = project / "target" / "compiled" / "sqltrain_bench" / "models"

    def read(model: str) -> str:
        path = compiled / f"{model}.sql"
        return path.read_text() if path.exists() else ""

    return CompiledMacros(read("bench_pit"), read("bench_window"), read("bench_pit_known_at"), read("bench_pit_unique"),
                          {shape: read(f"bench_{wide_name(shape)}") for shape in wide_shapes})


def compile_macros(workdir: Path, package: Path | None = None, wide_shapes=WIDE_SHAPES) -> CompiledMacros:
    """Compile the benchmark models for DuckDB in a fresh project under ``workdir``; return their SQL."""
    package = package or repository_root()
    project = _write_project(workdir, package, {
        "type": "duckdb", "path": str(workdir / "compile.duckdb"), "threads": 1, "settings": {"TimeZone": "UTC"}},
        wide_shapes)
    models = ["bench_pit", "bench_window", "bench_pit_known_at", "bench_pit_unique",
              *(f"bench_{wide_name(s)}" for s in wide_shapes)]
    _dbt_compile(project, models, "")
    return _read_compiled(project, wide_shapes)


def compile_macros_for_postgres(workdir: Path, connection: dict[str, str], package: Path | None = None) -> CompiledMacros:
    """Compile both benchmark models **for the postgres adapter** (dbt-postgres): the portable
    ``default__`` implementations as a Postgres user's project runs them. dbt compile connects, so
    ``connection`` (the ``SQLTRAIN_PG_*`` settings of a running server) must reach one; it is
    passed in the environment, never written to the project."""
    package = package or repository_root()
    profile = {"type": "postgres", "host": "{{ env_var('SQLTRAIN_PG_HOST') }}",
               "port": "{{ env_var('SQLTRAIN_PG_PORT') | as_number }}", "user": "{{ env_var('SQLTRAIN_PG_USER') }}",
               "password": "{{ env_var('SQLTRAIN_PG_PASSWORD') }}", "dbname": "{{ env_var('SQLTRAIN_PG_DATABASE') }}",
               "schema": "main", "threads": 1}
    project = _write_project(workdir / "postgres", package, profile, wide_shapes=(), duckdb_only=False)
    _dbt_compile(project, ["bench_pit", "bench_window"], " for postgres", connection)
    return _read_compiled(project)


def _dbt_compile(project: Path, models: list[str], what: str, extra_env: dict[str, str] | None = None) -> None:
    """``dbt compile --select models`` of ``project`` in a subprocess (dbt's start-up is not ours to keep)."""
    dbt = [sys.executable, "-c", "from dbt.cli.main import cli; cli()"]
    paths = ["--project-dir", str(project), "--profiles-dir", str(project)]
    env = {**os.environ, **(extra_env or {}), "DO_NOT_TRACK": "1",
           "DBT_TARGET_PATH": str(project / "target"), "DBT_LOG_PATH": str(project / "logs")}
    done = subprocess.run([*dbt, "compile", "--select", *models, *paths], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"dbt compile of the benchmark project{what} failed:\n{done.stdout[-3000:]}{done.stderr[-2000:]}")


def compile_macros_for_spark(workdir: Path, package: Path | None = None) -> CompiledMacros:
    """Compile both benchmark models **for the spark adapter** (dbt-spark, session method).

    dbt runs in this process, so its session method picks up the Spark this process already
    started (``SparkSession.builder.getOrCreate()``) instead of starting one of its own: start
    Spark first (:func:`bench.spark_engine.start`). The SQL is what a Spark user's
    project runs: ``spark__point_in_time_join`` and the portable ``default__window_aggregates``.
    """
    from dbt.cli.main import dbtRunner

    package = package or repository_root()
    project = _write_project(workdir / "spark", package,
                             {"type": "spark", "method": "session", "host": "localhost", "schema": "sqltrain_bench",
                              "threads": 1}, wide_shapes=(), duckdb_only=False)
    result = dbtRunner().invoke(["compile", "--select", "bench_pit", "bench_window", "--quiet", "--log-level", "none",
                                 "--project-dir", str(project), "--profiles-dir", str(project),
                                 "--target-path", str(project / "target"), "--log-path", str(project / "logs")])
    if not result.success:
        raise RuntimeError(f"dbt compile of the benchmark project for spark failed: {result.exception}")
    return _read_compiled(project)
