"""One throw-away PostgreSQL cluster for the whole test session, loaded with the demo warehouse
once and built once.

The cluster is the session's ``pg_cluster`` (tests/conftest.py, shared with tests/bench); the
``postgres`` target of profiles.yml reads its port and password from the SQLTRAIN_PG_* variables
that fixture sets.
"""

from __future__ import annotations

import pytest

from pg_harness import AS_OF, REPO


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
def pg_build_target(tmp_path_factory):
    """The dbt target path of ``pg_build`` (its manifest.json)."""
    return tmp_path_factory.mktemp("pg_target") / "target"


@pytest.fixture(scope="session")
def pg_build(pg_loaded, pg_project, pg_build_target):
    """``dbt build --target postgres`` of the whole demo (models, snapshot, tests): its DbtRun."""
    from sqltrain.dbt_invoke import invoke

    return invoke(pg_project, ["build"], dbt_vars={"as_of": AS_OF}, target_path=str(pg_build_target))
