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

    # the full build recorded its upstream's keys: the next incremental build keeps all of it, the
    # spine of D2 included, until its inputs or its tables change
    with duckdb.connect(str(demo_env / "warehouse.duckdb")) as con:
        # an order lands (known after D2: no row of D2 reads it, but feat_orders' table changes) ...
        con.execute("insert into raw.orders select * replace (order_id + 100000000 as order_id, "
                    "timestamp '2030-01-01' as _loaded_at) from raw.orders limit 1")
        # ... and a kept table is altered behind sqltrain's back
        con.execute("delete from main_sqltrain_asof.feat_signups where customer_id in "
                    "(select min(customer_id) from main_sqltrain_asof.feat_signups)")
    after = cut_snapshot(repo_project, D2, out=out, incremental=True)   # replaces the full D2 snapshot
    assert after.data_sha256 == full.data_sha256
    kept = set(after.manifest["incremental"]["upstream_reused"])
    assert {"feat_web_sessions", "stg_web_sessions", "spine_customer_monthly"} <= kept
    assert not {"stg_orders", "feat_orders", "feat_signups"} & kept
    assert {"feat_orders", "feat_signups"} <= {n["name"] for n in after.manifest["dbt_nodes"]}
