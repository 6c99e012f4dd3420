"""The demo dbt project: `dbt build` passes (data and unit tests) and every column is documented."""

from __future__ import annotations

import pytest

from sqltrain.dbt_invoke import invoke
from sqltrain.project import sqltrain_meta_of
from sqltrain.warehouse import connect

pytestmark = pytest.mark.slow


def test_dbt_build_passes_with_data_and_unit_tests(repo_project):
    run = invoke(repo_project, ["build"], {"as_of": "2025-06-01"})
    statuses = {}
    for node in run.nodes:
        statuses.setdefault(node["unique_id"].split(".")[0], set()).add(node["status"])
    assert statuses["model"] == {"success"}
    assert statuses["snapshot"] == {"success"}
    assert statuses["test"] == {"pass"}
    assert statuses["unit_test"] == {"pass"}

    manifest = repo_project.manifest(reload=True)
    ours = [n for n in manifest["nodes"].values()
            if n["package_name"] == "sqltrain" and n["resource_type"] in ("model", "snapshot")]
    undocumented = [n["name"] for n in ours if not n["description"].strip()]
    undocumented += [f"{n['name']}.{c}" for n in ours for c, col in n["columns"].items() if not col["description"].strip()]
    assert undocumented == []
    # every built column of the training set is declared (the docs site is its datasheet)
    node = repo_project.model_node("churn_training")
    meta = sqltrain_meta_of(node)
    assert meta["kind"] == "training_set" and meta["label"] in node["columns"]
    assert sum(sqltrain_meta_of(c).get("role") == "feature" for c in node["columns"].values()) >= 12
    con = connect(repo_project.warehouse_path(), read_only=True)
    try:
        built = [row[0] for row in con.execute(f"describe {node['relation_name']}").fetchall()]
    finally:
        con.close()
    assert built == list(node["columns"])
