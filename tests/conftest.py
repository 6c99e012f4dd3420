"""Shared fixtures: a small demo warehouse and the repository's dbt project pointed at it.

Everything a test writes goes to tmp dirs: the warehouse file (SQLTRAIN_WAREHOUSE), dbt's
target/ (DBT_TARGET_PATH) and the snapshots' --out directory. The repository is never written.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DEMO_SCALE = 0.03
DEMO_SEED = 7

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
