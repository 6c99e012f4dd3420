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
