"""`snapshot --incremental`: reused rows give the bytes of a full rebuild, or the build is full and says why.

Real builds on the session's demo warehouse (a private copy per test); one scenario per test so
the snapshots are shared between its checks.
"""

from __future__ import annotations

import json
import shutil

import duckdb

from sqltrain.asof import parse_as_of
from sqltrain.asof_target import parsed_for_sqltrain, prepare_as_of
from sqltrain.snapshotting import cut_snapshot
from sqltrain.snapshotting.incremental import Fallback, plan_reuse
from sqltrain.snapshotting.inputs import inputs_sha256
from sqltrain.snapshotting.upstream_reuse import plan_upstream
from sqltrain.timetravel import verify
from sqltrain.training_set import load

D1, D2 = parse_as_of("2025-06-01"), parse_as_of("2025-08-01")
MODEL = "churn_training"


def _manifest(result) -> dict:
    return json.loads((result.path / "manifest.json").read_text())


def _decision(project, out):
    """What ``--incremental`` would do as of D2, without building anything."""
    asof = prepare_as_of(parsed_for_sqltrain(project), {"as_of": D2.var})   # as cut_snapshot does
    node = asof.model_node(MODEL)
    return plan_reuse(project, asof, node, D2, out,
                      inputs_sha256(asof.manifest(), node["unique_id"], project.config.get("vars")))


def test_incremental_equals_full_rebuild_once_verify_passed(repo_project, demo_env):
    out = demo_env / "snapshots"
    base = cut_snapshot(repo_project, D1, out=out)
    assert _manifest(base)["inputs_sha256"]

    refused = _decision(repo_project, out)   # verify has not run as of D1 yet
    assert isinstance(refused, Fallback) and "verify has not been run as of 2025-06-01" in refused.reason

    assert verify(repo_project, D1, MODEL).identical

    # (the private as-of schema still holds the D1 build: nothing of it may leak into D2)
    again = cut_snapshot(repo_project, D2, out=out, incremental=True)
    reuse = again.manifest["incremental"]
    assert "fallback" not in reuse, reuse
    assert reuse["base"] == "as_of=2025-06-01" and reuse["base_sha256"] == base.data_sha256
    assert reuse["reused_rows"] > 0 and reuse["built_rows"] > 0
    assert reuse["reused_rows"] + reuse["built_rows"] == again.rows
    # the upstream tables of the D1 build are kept (same SQL, same data); the spine reads the date
    assert {"stg_orders", "feat_orders", "feat_web_sessions"} <= set(reuse["upstream_reused"])
    assert "spine_customer_monthly" not in reuse["upstream_reused"]
    assert not any(n["name"] == "feat_orders" for n in again.manifest["dbt_nodes"])
    assert load(MODEL, as_of=D2, snapshots=out).to_arrow().num_rows == again.rows  # its hash checks out on load

    shutil.move(again.path, demo_env / "incremental_d2")
    full = cut_snapshot(repo_project, D2, out=out)
    assert "incremental" not in full.manifest
    assert again.data_sha256 == full.data_sha256 and again.rows == full.rows
    assert (demo_env / "incremental_d2" / "data.parquet").read_bytes() == (full.path / "data.parquet").read_bytes()

    # what the next incremental build would keep: everything the full D2 build made, until its inputs
    # or its tables change
    assert _kept(repo_project) >= {"stg_orders", "feat_orders", "feat_web_sessions", "spine_customer_monthly"}
    with duckdb.connect(str(demo_env / "warehouse.duckdb")) as con:
        # an order lands (known after D2: no row of D2 reads it, but feat_orders' table changes) ...
        con.execute("insert into raw.orders select * replace (order_id + 100000000 as order_id, "
                    "timestamp '2030-01-01' as _loaded_at) from raw.orders limit 1")
        # ... and a kept table is altered behind sqltrain's back
        con.execute("delete from main_sqltrain_asof.feat_signups where customer_id in "
                    "(select min(customer_id) from main_sqltrain_asof.feat_signups)")
    kept = _kept(repo_project)
    assert "feat_web_sessions" in kept and "stg_web_sessions" in kept
    assert not {"stg_orders", "feat_orders", "feat_signups"} & kept
    after = cut_snapshot(repo_project, D2, out=demo_env / "after_append", incremental=True)
    assert after.data_sha256 == full.data_sha256
    assert {"feat_orders", "feat_signups"} <= {n["name"] for n in after.manifest["dbt_nodes"]}


def _kept(project) -> set[str]:
    """The upstream models an incremental snapshot as of D2 would not build again."""
    user = parsed_for_sqltrain(project)
    asof = prepare_as_of(user, {"as_of": D2.var})
    plan = plan_upstream(asof, user.manifest(), asof.model_node(MODEL), {"as_of": D2.var})
    return set(plan.reused_models())


def test_in_place_update_of_a_mutable_source_falls_back_and_verify_catches_it(project_copy, demo_env):
    # the plant: country read from the customers table as it is now (not through its dbt snapshot),
    # the leakage finding silenced to a warning so that the snapshot itself passes its gate
    model = project_copy.project_dir / "models" / "training" / "churn_training.sql"
    sql = model.read_text()
    start = sql.index("profile as (")
    end = sql.index("\n),\n", start) + 3
    model.write_text(sql[:start] + (
        "profile as (\n"
        "    select spine.customer_id, spine.as_of_ts, c.country, c.marketing_opt_in\n"
        "    from spine left join {{ ref('stg_customers') }} as c on c.customer_id = spine.customer_id\n"
        "),") + sql[end:])
    config = project_copy.project_dir / "dbt_project.yml"
    config.write_text(config.read_text().replace(
        "vars:\n", "vars:\n  sqltrain: {check: {severity: {LK007: warning, LK011: warning}}}\n", 1))
    out = demo_env / "snapshots"
    cut_snapshot(project_copy, D1, out=out)

    with duckdb.connect(str(demo_env / "warehouse.duckdb")) as con:   # updated in place, nothing recorded
        con.execute("update raw.customers set country = 'ZZ' where customer_id % 2 = 0")

    decision = _decision(project_copy, out)
    assert isinstance(decision, Fallback) and "LK007" in decision.reason, decision
    assert "mutable dimension" in decision.reason and "suppress" not in decision.reason

    report = verify(project_copy, D1, MODEL)
    assert not report.identical and "country" in report.differing_columns
    record = json.loads((project_copy.reports_dir / "verify" / MODEL / "as_of=2025-06-01.json").read_text())
    assert record["identical"] is False
