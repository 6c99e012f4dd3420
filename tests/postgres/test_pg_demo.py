"""The demo on PostgreSQL: the warehouse loaded, the whole DAG built with its tests."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def test_demo_loads_every_table_with_its_rows(pg_loaded, demo_warehouse):
    import duckdb

    con = duckdb.connect(str(demo_warehouse), read_only=True)
    want = {f"{s}.{t}": con.execute(f'select count(*) from "{s}"."{t}"').fetchone()[0]
            for s, t in con.execute("select table_schema, table_name from information_schema.tables "
                                    "where table_schema in ('raw', 'snapshots')").fetchall()}
    con.close()
    assert {t.qualified: t.rows for t in pg_loaded} == want
    assert min(want.values()) > 0


def test_whole_demo_dag_builds_on_postgres_with_its_tests(pg_build):
    statuses = {n["name"]: n["status"] for n in pg_build.nodes}
    assert statuses["churn_training"] == "success"
    failing = {name: s for name, s in statuses.items() if s not in ("success", "pass")}
    assert not failing
    tests = [n for n in pg_build.nodes if n["unique_id"].startswith(("test.", "unit_test."))]
    assert len(tests) >= 50, f"only {len(tests)} tests ran"


def test_the_cluster_listens_on_localhost_only_and_not_as_root(pg_cluster, pg_con):
    import os

    assert pg_con.execute("show listen_addresses").fetchone()[0] == "127.0.0.1"
    assert pg_con.execute("show TimeZone").fetchone()[0] == "UTC"
    pid = int((pg_cluster.data / "postmaster.pid").read_text().split()[0])
    assert os.stat(f"/proc/{pid}").st_uid != 0
    assert pg_cluster.running()
