"""One throw-away PostgreSQL cluster for the whole test session, loaded with the demo warehouse
once and built once.

The cluster is ``initdb`` + ``pg_ctl`` in a temporary directory (sqltrain.postgres.cluster), on
a free port of 127.0.0.1, as an unprivileged user when the tests run as root; it is stopped and
removed when the session ends. The ``postgres`` target of profiles.yml reads its port and
password from the SQLTRAIN_PG_* variables set here.
"""

from __future__ import annotations

import os
import sys

import pytest

from pg_harness import AS_OF, REPO


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
    """The session's cluster; the SQLTRAIN_PG_* variables point the ``postgres`` target at it."""
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


@pytest.fixture(scope="session")
def pg_project(pg_cluster):
    from sqltrain.project import Project

    return Project.open(REPO, target="postgres")


@pytest.fixture(scope="session")
def pg_con(pg_project):
    """An autocommit connection to the cluster's database, for the tests' own queries."""
    from sqltrain.postgres.connect import connect

    con = connect(pg_project, autocommit=True)
    yield con
    con.close()


@pytest.fixture(scope="session")
def pg_loaded(pg_project, pg_con, demo_warehouse):
    """The session's demo warehouse (tests/conftest.py) copied into Postgres."""
    from sqltrain.postgres.demo import load_warehouse

    return load_warehouse(demo_warehouse, pg_con)


@pytest.fixture(scope="session")
def pg_build(pg_loaded, pg_project, tmp_path_factory):
    """``dbt build --target postgres`` of the whole demo (models, snapshot, tests): its DbtRun."""
    from sqltrain.dbt_invoke import invoke

    return invoke(pg_project, ["build"], dbt_vars={"as_of": AS_OF},
                  target_path=str(tmp_path_factory.mktemp("pg_target") / "target"))


def pytest_terminal_summary(terminalreporter):
    cases = sys.modules.get("pg_macros")
    if cases is not None and cases.PG_CASES:
        terminalreporter.section("sqltrain macro property tests on PostgreSQL")
        for macro, count in sorted(cases.PG_CASES.items()):
            terminalreporter.write_line(f"{macro}: {count} generated cases matched the oracle on PostgreSQL (0 mismatches)")
