"""An as-of build never writes the tables the user's own ``dbt build`` made: it goes to
``<schema>_sqltrain_asof``, and a project whose generate_schema_name would defeat that is refused."""

from __future__ import annotations

import pytest

from sqltrain.asof import parse_as_of
from sqltrain.asof_target import SCHEMA_SUFFIX, require_private_relations
from sqltrain.errors import UsageError
from sqltrain.quality.standalone import validate_as_of
from sqltrain.snapshotting import cut_snapshot
from sqltrain.warehouse import connect

AS_OF = "2025-06-01"


def test_snapshot_and_validate_leave_the_users_tables_alone(repo_project, demo_env):
    warehouse = repo_project.warehouse_path()
    con = connect(warehouse)
    # what the user's own dbt build left: sqltrain must not rebuild it as of a past date
    con.execute("create table main.churn_training as select 'the user''s build' as marker")
    con.execute("create view main.stg_orders as select 'the user''s view' as marker")
    con.close()

    result = cut_snapshot(repo_project, parse_as_of(AS_OF), out=demo_env / "snapshots")
    assert result.rows > 0 and result.manifest["relation"].startswith(f'"warehouse"."main{SCHEMA_SUFFIX}".')
    gate, _ = validate_as_of(repo_project, parse_as_of(AS_OF), "churn_training")
    assert gate.passed

    con = connect(warehouse, read_only=True)
    assert con.execute("select * from main.churn_training").fetchall() == [("the user's build",)]
    assert con.execute("select * from main.stg_orders").fetchall() == [("the user's view",)]
    assert con.execute(f"select count(*) from main{SCHEMA_SUFFIX}.churn_training").fetchone()[0] == result.rows
    con.close()


def test_a_schema_macro_that_ignores_the_target_schema_is_refused():
    node = {"resource_type": "model", "relation_name": '"w"."analytics"."m"', "original_file_path": "models/m.sql"}
    with pytest.raises(UsageError, match=r"models/m.sql: an as-of build would write .*analytics.*generate_schema_name"):
        require_private_relations({"nodes": {"model.p.m": node}}, {"nodes": {"model.p.m": node}})
    moved = {**node, "relation_name": f'"w"."analytics{SCHEMA_SUFFIX}"."m"'}
    require_private_relations({"nodes": {"model.p.m": node}}, {"nodes": {"model.p.m": moved}})
