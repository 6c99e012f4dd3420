"""`verify --sample` on a project whose tables name the entity key differently from the training set.

The training set's entity is ``custkey``; ``orders`` declares ``entity: [o_custkey]``, ``returns``
``entity: [custkey]`` and only covers part of the customers, the spine is a source without a time,
and ``nation`` declares no entity. The sample must be drawn from the spine, kept in every keyed
table whatever it calls the key, and the printed plan must say what was done to each table.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from sqltrain.asof import parse_as_of
from sqltrain.timetravel import plan as rules
from sqltrain.timetravel.copy import write_copy
from sqltrain.timetravel.plan import copy_plan, spine_upstream

AS_OF = "2024-04-01"
SPINE_CUSTOMERS = range(1, 201)      # the examples: customers 1..200
ORDER_CUSTOMERS = range(1, 301)      # orders exist for 1..300
RETURN_CUSTOMERS = range(150, 301)   # returns only for 150..300: drawing from them would miss most of the spine

SOURCES_YML = """
version: 2
sources:
  - name: tpch
    schema: tpch
    tables:
      - name: spine
        config: {meta: {sqltrain: {kind: spine, entity: [custkey]}}}
      - name: orders
        config: {meta: {sqltrain: {kind: feature_source, entity: [o_custkey], event_ts: o_orderdate}}}
      - name: returns
        config: {meta: {sqltrain: {kind: feature_source, entity: [custkey], event_ts: returned_at}}}
      - name: nation
models:
  - name: training
    config:
      meta:
        sqltrain: {kind: training_set, entity: [custkey], cutoff: cutoff}
"""

TRAINING_SQL = """
select s.custkey, s.cutoff,
       (select count(*) from {{ source('tpch', 'orders') }} as o
         where o.o_custkey = s.custkey and o.o_orderdate <= s.cutoff) as orders_before,
       (select count(*) from {{ source('tpch', 'returns') }} as r
         where r.custkey = s.custkey and r.returned_at <= s.cutoff) as returns_before,
       (select max(n_name) from {{ source('tpch', 'nation') }}) as any_nation
from {{ source('tpch', 'spine') }} as s
"""

# the planted leak: orders counted without a time bound, so orders placed after D change the counts
LEAKY_SQL = TRAINING_SQL.replace("and o.o_orderdate <= s.cutoff", "")


def build_warehouse(path: Path) -> None:
    con = duckdb.connect(str(path))
    con.execute("create schema tpch")
    con.execute(f"""create table tpch.spine as
        select custkey, cutoff from range({SPINE_CUSTOMERS.start}, {SPINE_CUSTOMERS.stop}) t(custkey),
        (values (timestamp '2024-01-01'), (timestamp '2024-02-01'), (timestamp '2024-03-01')) c(cutoff)""")
    con.execute(f"""create table tpch.orders as
        select row_number() over () as o_orderkey, o_custkey,
               timestamp '2023-06-01' + to_days(cast((o_custkey * 37 + k * 53) % 550 as integer)) as o_orderdate
        from range({ORDER_CUSTOMERS.start}, {ORDER_CUSTOMERS.stop}) t(o_custkey), range(5) r(k)""")
    con.execute(f"""create table tpch.returns as
        select custkey, timestamp '2023-09-01' + to_days(cast((custkey * 11 + k * 97) % 450 as integer)) as returned_at
        from range({RETURN_CUSTOMERS.start}, {RETURN_CUSTOMERS.stop}) t(custkey), range(2) r(k)""")
    con.execute("create table tpch.nation as select * from (values (1, 'FRANCE'), (2, 'PERU')) t(n_nationkey, n_name)")
    con.close()


def write_project(root: Path, warehouse: Path, sql: str = TRAINING_SQL) -> Path:
    (root / "models").mkdir(parents=True)
    (root / "dbt_project.yml").write_text(textwrap.dedent("""
        name: tpchproj
        version: "1.0"
        config-version: 2
        profile: tpchproj
        vars: {as_of: "2024-12-31"}
        models: {tpchproj: {+materialized: table}}
    """))
    (root / "profiles.yml").write_text(textwrap.dedent(f"""
        tpchproj:
          target: dev
          outputs:
            dev: {{type: duckdb, path: "{warehouse}", schema: main, threads: 1, settings: {{TimeZone: UTC}}}}
    """))
    (root / "models" / "_models.yml").write_text(SOURCES_YML)
    (root / "models" / "training.sql").write_text(sql)
    return root


@pytest.fixture(scope="module")
def tpch_warehouse(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("tpch") / "warehouse.duckdb"
    build_warehouse(path)
    return path


def _manifest() -> dict:
    def source(name, meta):
        return {"unique_id": f"source.p.tpch.{name}", "source_name": "tpch", "name": name, "schema": "tpch",
                "identifier": name, "resource_type": "source", "config": {"meta": {"sqltrain": meta} if meta else {}}}

    sources = [source("spine", {"kind": "spine", "entity": ["custkey"]}),
               source("orders", {"entity": ["o_custkey"], "event_ts": "o_orderdate"}),
               source("returns", {"entity": ["custkey"], "event_ts": "returned_at"}),
               source("nation", None)]
    model = {"unique_id": "model.p.training", "resource_type": "model", "name": "training",
             "config": {"meta": {"sqltrain": {"kind": "training_set", "entity": ["custkey"]}}}}
    return {"sources": {s["unique_id"]: s for s in sources}, "nodes": {model["unique_id"]: model},
            "parent_map": {model["unique_id"]: [s["unique_id"] for s in sources]}}


def _ids(path: Path, sql: str) -> set:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {r[0] for r in con.execute(sql).fetchall()}
    finally:
        con.close()


@pytest.mark.parametrize("at", [None, parse_as_of(AS_OF).instant], ids=["full", "truncated"])
def test_sample_is_drawn_from_the_spine_and_kept_in_every_keyed_table(tpch_warehouse, tmp_path, at):
    manifest = _manifest()
    spine = spine_upstream(manifest, "model.p.training")
    assert spine == {"source.p.tpch.spine"}
    copy = tmp_path / "copy.duckdb"
    stats = {s.relation: s for s in write_copy(tpch_warehouse, copy, copy_plan(manifest, "model.p.training"),
                                               at, sample=25, sample_entity=["custkey"], sample_from=spine)}
    sampled = _ids(copy, "select custkey from tpch.spine")
    assert len(sampled) == 25 and sampled <= set(SPINE_CUSTOMERS)
    # every keyed table keeps the sampled entities and no other, under its own key name
    orders, returns = _ids(copy, "select o_custkey from tpch.orders"), _ids(copy, "select custkey from tpch.returns")
    assert orders <= sampled and returns <= sampled & set(RETURN_CUSTOMERS)
    if at is None:  # the full copy: every sampled entity's rows are all there
        assert orders == sampled and returns == sampled & set(RETURN_CUSTOMERS)
    assert len(sampled - set(RETURN_CUSTOMERS)) > 0  # the draw did not come from returns
    assert stats["tpch.orders"].sampled == "sampled on o_custkey"
    assert stats["tpch.returns"].sampled == "sampled on custkey"
    assert stats["tpch.spine"].sampled == "sampled on custkey" and stats["tpch.spine"].rule == rules.UNTIMED
    assert stats["tpch.spine"].rows_kept == 25 * 3 < stats["tpch.spine"].rows_original
    assert stats["tpch.nation"].sampled == "not sampled: declares no meta.sqltrain.entity"
    assert stats["tpch.nation"].rows_kept == stats["tpch.nation"].rows_original == 2


def test_without_a_spine_the_sample_comes_from_every_keyed_table(tpch_warehouse, tmp_path):
    manifest = _manifest()
    manifest["sources"]["source.p.tpch.spine"]["config"]["meta"]["sqltrain"]["kind"] = "dimension"
    assert spine_upstream(manifest, "model.p.training") == set()
    copy = tmp_path / "copy.duckdb"
    write_copy(tpch_warehouse, copy, copy_plan(manifest, "model.p.training"), None, sample=400,
               sample_entity=["custkey"])
    assert _ids(copy, "select o_custkey from tpch.orders") == set(ORDER_CUSTOMERS)  # all 300 customers of any table


def test_a_key_of_another_arity_is_not_sampled_and_says_why(tpch_warehouse, tmp_path):
    manifest = _manifest()
    manifest["sources"]["source.p.tpch.orders"]["config"]["meta"]["sqltrain"]["entity"] = ["o_custkey", "o_orderkey"]
    stats = {s.relation: s for s in write_copy(tpch_warehouse, tmp_path / "c.duckdb",
                                               copy_plan(manifest, "model.p.training"), None, sample=5,
                                               sample_entity=["custkey"])}
    assert stats["tpch.orders"].rows_kept == stats["tpch.orders"].rows_original
    assert stats["tpch.orders"].sampled == \
        "not sampled: entity [o_custkey, o_orderkey] does not match the training set's [custkey]"


@pytest.mark.slow
@pytest.mark.parametrize("sql, identical", [(TRAINING_SQL, True), (LEAKY_SQL, False)], ids=["clean", "planted_leak"])
def test_verify_sample_on_renamed_keys_proves_clean_and_catches_the_leak(tpch_warehouse, tmp_path, sql, identical):
    """The CLI, with stdout piped as in CI: the verdict, and the plan as it really was, printed whole."""
    root = write_project(tmp_path / "a project folder whose path is longer than eighty columns of a CI log", tpch_warehouse,
                         sql)
    json_path = root / "reports with spaces" / "verify.json"
    env = {**os.environ, "DBT_TARGET_PATH": str(tmp_path / "target"), "NO_COLOR": "1"}
    env["SQLTRAIN_WAREHOUSE"] = str(tpch_warehouse)
    before = tpch_warehouse.read_bytes()
    done = subprocess.run(
        [sys.executable, "-m", "sqltrain.cli", "verify", "--as-of", AS_OF, "--model", "training", "--sample", "20",
         "--json", str(json_path), "--project-dir", str(root), "--profiles-dir", str(root)],
        capture_output=True, text=True, env=env, timeout=300,
    )
    out = done.stdout
    assert done.returncode == (0 if identical else 1), out + done.stderr
    assert tpch_warehouse.read_bytes() == before
    if identical:
        assert f"training as of {AS_OF}: IDENTICAL on the truncated copy (sample of 20 entities)" in out
    else:
        assert f"training as of {AS_OF}: DIFFERS (sample of 20 entities)" in out and "orders_before" in out
    # the plan, one line per table, never cut or wrapped
    assert "rows with event_ts or known_at after D removed; sampled on o_custkey" in out
    assert "no time declared: not cut at D; sampled on custkey" in out
    assert "no time declared: not cut at D; not sampled: declares no meta.sqltrain.entity" in out
    assert "\x1b[" not in out and "…" not in out
    import json

    report = json.loads(json_path.read_text())
    copies = {c["relation"]: c for c in report["copy"]}
    assert copies["tpch.spine"]["kept"] == 20 * 3
    assert copies["tpch.orders"]["sample"] == "sampled on o_custkey"
