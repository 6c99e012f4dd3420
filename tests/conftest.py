"""Shared fixtures: a small demo warehouse and the repository's dbt project pointed at it.

Everything a test writes goes to tmp dirs: the warehouse file (SQLTRAIN_WAREHOUSE), dbt's
target/ (DBT_TARGET_PATH) and the snapshots' --out directory. The repository is never written.
"""

from __future__ import annotations

import __main__
import os
import shutil
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DEMO_SCALE = 0.03
DEMO_SEED = 7

# A pytest-xdist worker runs under `python -c`, so its __main__ has neither a spec nor a file, and
# pyspark.sql.connect (which Great Expectations imports) takes such a process for a doctest run and
# exits it. Name a file for it: an empty module, harmless if multiprocessing ever re-imports it.
if getattr(__main__, "__spec__", None) is None and not hasattr(__main__, "__file__"):
    __main__.__file__ = str(Path(__file__).with_name("xdist_main.py"))

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory) -> Path:
    """A demo warehouse at test scale, built once per session; tests copy it before writing to it."""
    from sqltrain.demo.warehouse import build_warehouse

    path = tmp_path_factory.mktemp("warehouse") / "demo.duckdb"
    build_warehouse(path, scale=DEMO_SCALE, seed=DEMO_SEED)
    return path


@pytest.fixture
def demo_env(demo_warehouse, tmp_path, monkeypatch) -> Path:
    """A private copy of the demo warehouse plus a private dbt target dir; returns the tmp dir."""
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(demo_warehouse, warehouse)
    monkeypatch.setenv("SQLTRAIN_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "target"))
    return tmp_path


@pytest.fixture
def repo_project(demo_env):
    """The repository's own dbt project, reading the private warehouse copy."""
    from sqltrain.project import Project

    return Project.open(REPO)


@pytest.fixture
def project_copy(demo_env, tmp_path):
    """A writable copy of the dbt project (for tests that add or break models)."""
    from sqltrain.project import Project

    root = tmp_path / "project"
    root.mkdir()
    for name in ("dbt_project.yml", "profiles.yml"):
        shutil.copy(REPO / name, root / name)
    for folder in ("models", "macros", "snapshots", "tests/dbt"):
        shutil.copytree(REPO / folder, root / folder, ignore=shutil.ignore_patterns("as_of=*", ".tmp-*"))
    return Project.open(root)


@pytest.fixture
def hold_warehouse():
    """``hold_warehouse(path)`` starts a ``WarehouseHolder`` (a second process writing the file);
    every holder is released at teardown."""
    from warehouse_holder import WarehouseHolder

    holders: list[WarehouseHolder] = []

    def hold(path: Path) -> WarehouseHolder:
        holders.append(WarehouseHolder(path))
        return holders[-1]

    yield hold
    for holder in holders:
        holder.release()


def _require_postgres() -> None:
    """Skip, loudly (pytest -ra lists the reason), where the postgres extra or PostgreSQL is missing."""
    pytest.importorskip("psycopg", reason="the postgres extra is not installed: "
                                          "pip install -c constraints.txt -e '.[test,postgres]'")
    pytest.importorskip("dbt.adapters.postgres", reason="dbt-postgres is not installed: pip install -e '.[test,postgres]'")
    from sqltrain.postgres.cluster import ClusterError, postgres_bindir

    try:
        postgres_bindir()
    except ClusterError as error:
        pytest.skip(str(error))


@pytest.fixture(scope="session")
def pg_cluster():
    """One throw-away PostgreSQL cluster for the session (tests/postgres, tests/bench): ``initdb`` +
    ``pg_ctl`` in a temporary directory on a free port of 127.0.0.1, as an unprivileged user when the
    tests run as root, removed when the session ends. The SQLTRAIN_PG_* variables point the
    ``postgres`` target at it."""
    _require_postgres()
    from sqltrain.postgres.cluster import LocalCluster

    cluster = LocalCluster.create()
    saved = {k: os.environ.get(k) for k in cluster.env()}
    os.environ.update(cluster.env())
    try:
        yield cluster
    finally:
        cluster.destroy()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


# `make test` runs the suite on two pytest-xdist workers (--dist loadgroup): each test module is one
# group, so its module fixtures are built once, and the modules that start Spark (a JVM and the
# demo's Spark build) or a PostgreSQL cluster share one group each, so each is started once.
_ENGINE_GROUPS = {"spark": ("tests/spark/", "tests/bench/test_bench_spark.py"),
                  "postgres": ("tests/postgres/", "tests/bench/test_bench_postgres.py")}


@pytest.hookimpl(tryfirst=True)      # before pytest-xdist's own hook reads the groups
def pytest_collection_modifyitems(config, items):
    for item in items:
        module = item.path.resolve().relative_to(REPO).as_posix()
        group = next((name for name, prefixes in _ENGINE_GROUPS.items() if module.startswith(prefixes)), module)
        item.add_marker(pytest.mark.xdist_group(group))


# The property tests count the cases they generate (Counters in their harness modules), and the
# summary prints the counts. Under pytest-xdist the counters fill up in the workers: each sends its
# counts to the controller when it finishes, and the controller adds them up before it prints.
_CASE_SUMMARIES = (
    ("macro_harness", "CASES", "sqltrain macro property tests",
     "{macro}: {count} generated cases matched the oracle, DuckDB and portable implementations alike"),
    ("macro_harness", "TIME_TRAVEL_CASES", "sqltrain macro property tests",
     "{macro}: {count} generated cases gave the same output as of D after deleting every record after D"),
    ("spark_macros", "SPARK_CASES", "sqltrain macro property tests on Spark",
     "{macro}: {count} generated cases matched the oracle on Spark (0 mismatches)"),
    ("pg_macros", "PG_CASES", "sqltrain macro property tests on PostgreSQL",
     "{macro}: {count} generated cases matched the oracle on PostgreSQL (0 mismatches)"),
)
_WORKER_CASES: dict[str, Counter] = defaultdict(Counter)


def _cases_here() -> dict[str, dict[str, int]]:
    return {f"{module}.{name}": dict(getattr(sys.modules[module], name))
            for module, name, _, _ in _CASE_SUMMARIES if module in sys.modules}


def pytest_sessionfinish(session):
    if hasattr(session.config, "workeroutput"):          # an xdist worker
        session.config.workeroutput["sqltrain_cases"] = _cases_here()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):                   # the xdist controller, as each worker ends
    for counter, counts in (getattr(node, "workeroutput", None) or {}).get("sqltrain_cases", {}).items():
        _WORKER_CASES[counter].update(counts)


def pytest_terminal_summary(terminalreporter):
    cases = defaultdict(Counter, {counter: Counter(counts) for counter, counts in _cases_here().items()})
    for counter, counts in _WORKER_CASES.items():
        cases[counter].update(counts)
    titled = set()
    for module, name, title, line in _CASE_SUMMARIES:
        for macro, count in sorted(cases[f"{module}.{name}"].items()):
            if title not in titled:
                terminalreporter.section(title)
                titled.add(title)
            terminalreporter.write_line(line.format(macro=macro, count=count))
