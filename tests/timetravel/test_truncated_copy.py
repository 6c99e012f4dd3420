"""The truncated copy, on a tiny hand-made warehouse: each cut rule, and the entity sample.

No dbt here: the manifest is the few keys ``copy_plan`` reads, written by hand.
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import pytest

from sqltrain.errors import UsageError
from sqltrain.timetravel import plan as rules
from sqltrain.timetravel.copy import write_copy
from sqltrain.timetravel.plan import copy_plan

D = datetime(2025, 1, 10)


def _source(name, meta=None):
    return {
        "unique_id": f"source.shop.raw.{name}", "source_name": "raw", "name": name, "schema": "raw",
        "identifier": name, "resource_type": "source", "config": {"meta": {"sqltrain": meta} if meta else {}},
    }


def _manifest(sources, snapshots=(), model_parents=None):
    src = {s["unique_id"]: s for s in sources}
    nodes = {s["unique_id"]: s for s in snapshots}
    nodes["model.shop.m"] = {"unique_id": "model.shop.m", "resource_type": "model", "name": "m", "config": {}}
    parents = {"model.shop.m": model_parents if model_parents is not None else [*src, *nodes.keys() - {"model.shop.m"}]}
    for s in snapshots:
        parents[s["unique_id"]] = s["depends_on"]["nodes"]
    return {"sources": src, "nodes": nodes, "parent_map": parents}


SNAPSHOT = {
    "unique_id": "snapshot.shop.customers_snapshot", "resource_type": "snapshot", "name": "customers_snapshot",
    "schema": "snapshots", "alias": "customers_snapshot", "depends_on": {"nodes": ["source.shop.raw.customers"]},
    "config": {"meta": {"sqltrain": {"entity": ["customer_id"]}}},
}
ORDERS = _source("orders", {"entity": ["customer_id"], "event_ts": "ordered_at", "known_at": "_loaded_at"})
ITEMS = _source("order_items", {"belongs_to": {"source": "orders", "key": "order_id"}})
CUSTOMERS = _source("customers", {"entity": ["customer_id"], "mutable": True})
TICKETS = _source("tickets", {"entity": ["customer_id"], "event_ts": "opened_at",
                              "column_known_at": {"csat": "resolved_at", "resolved_at": "resolved_at"}})
PRODUCTS = _source("products")


@pytest.fixture
def warehouse(tmp_path):
    path = tmp_path / "w.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema raw; create schema snapshots")
    con.execute("""create table raw.orders as select * from (values
        (1, 10, timestamp '2025-01-05', timestamp '2025-01-05'),   -- known before D: kept
        (2, 10, timestamp '2025-01-09', timestamp '2025-01-11'),   -- happened before D, landed after: removed
        (3, 11, timestamp '2025-01-10', timestamp '2025-01-10'),   -- exactly at D: kept
        (4, 11, timestamp '2025-01-12', timestamp '2025-01-12'),   -- after D: removed
        (5, 12, null, null)                                        -- no time: kept
    ) t(order_id, customer_id, ordered_at, _loaded_at)""")
    con.execute("""create table raw.order_items as select * from (values
        (100, 1), (101, 2), (102, 4), (103, 99), (104, null)) t(order_item_id, order_id)""")
    con.execute("""create table raw.customers as select * from (values
        (10, 'FR', timestamp '2025-01-12'), (11, 'DE', timestamp '2025-01-01'), (13, 'IT', timestamp '2025-01-15')
    ) t(customer_id, country, updated_at)""")
    con.execute("""create table snapshots.customers_snapshot as select * from (values
        (10, 'ES', timestamp '2025-01-01', timestamp '2025-01-01', timestamp '2025-01-12'),
        (10, 'FR', timestamp '2025-01-12', timestamp '2025-01-12', null),
        (11, 'DE', timestamp '2025-01-01', timestamp '2025-01-01', null),
        (13, 'IT', timestamp '2025-01-15', timestamp '2025-01-15', null)
    ) t(customer_id, country, updated_at, dbt_valid_from, dbt_valid_to)""")
    con.execute("""create table raw.tickets as select * from (values
        (1, 10, timestamp '2025-01-02', timestamp '2025-01-05', 4),
        (2, 11, timestamp '2025-01-03', timestamp '2025-01-20', 2),
        (3, 11, timestamp '2025-01-04', null, null)
    ) t(ticket_id, customer_id, opened_at, resolved_at, csat)""")
    con.execute("create table raw.products as select 1 as product_id")
    con.close()
    return path


def _rows(path, sql):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _cut(warehouse, tmp_path, sources, snapshots=(), at=D, **kwargs):
    cuts = copy_plan(_manifest(sources, snapshots), "model.shop.m")
    out = tmp_path / ("cut.duckdb" if at else "full.duckdb")
    stats = write_copy(warehouse, out, cuts, at, **kwargs)
    return out, {s.relation: s for s in stats}


def test_timed_source_loses_rows_that_happened_or_landed_after_d(warehouse, tmp_path):
    out, stats = _cut(warehouse, tmp_path, [ORDERS])
    assert _rows(out, "select order_id from raw.orders order by 1") == [(1,), (3,), (5,)]
    assert (stats["raw.orders"].rows_original, stats["raw.orders"].rows_kept) == (5, 3)


def test_full_copy_keeps_everything(warehouse, tmp_path):
    out, _ = _cut(warehouse, tmp_path, [ORDERS, ITEMS, CUSTOMERS], [SNAPSHOT], at=None)
    assert _rows(out, "select count(*) from raw.orders") == [(5,)]
    assert _rows(out, "select count(*) from raw.order_items") == [(5,)]
    assert _rows(out, "select count(*) from snapshots.customers_snapshot") == [(4,)]


def test_belongs_to_follows_the_parent_and_keeps_orphans(warehouse, tmp_path):
    out, stats = _cut(warehouse, tmp_path, [ORDERS, ITEMS])
    # items of removed orders 2 and 4 go; items of kept orders, of an order never seen, and without order stay
    assert _rows(out, "select order_item_id from raw.order_items order by 1") == [(100,), (103,), (104,)]
    assert stats["raw.order_items"].rule == rules.BELONGS_TO


def test_belongs_to_pulls_in_a_parent_the_model_does_not_read(warehouse, tmp_path):
    cuts = copy_plan(_manifest([ORDERS, ITEMS], model_parents=[ITEMS["unique_id"]]), "model.shop.m")
    assert [c.relation for c in cuts] == ["raw.orders", "raw.order_items"]


def test_snapshot_is_cut_and_the_mutable_table_rebuilt_from_it(warehouse, tmp_path):
    out, stats = _cut(warehouse, tmp_path, [CUSTOMERS], [SNAPSHOT])
    assert _rows(out, "select customer_id, country, dbt_valid_to from snapshots.customers_snapshot order by 1") == [
        (10, "ES", None), (11, "DE", None)]  # FR starts after D; ES's end (after D) is reopened; IT dropped
    assert _rows(out, "select * from raw.customers order by 1") == [
        (10, "ES", datetime(2025, 1, 1)), (11, "DE", datetime(2025, 1, 1))]
    assert stats["raw.customers"].rule == rules.FROM_SNAPSHOT


def test_mutable_table_without_snapshot_is_unverifiable_by_name(warehouse, tmp_path):
    out, stats = _cut(warehouse, tmp_path, [CUSTOMERS])
    assert stats["raw.customers"].rule == rules.UNVERIFIABLE
    assert _rows(out, "select count(*) from raw.customers") == [(3,)]


def test_columns_filled_in_later_are_blank_until_their_time(warehouse, tmp_path):
    out, _ = _cut(warehouse, tmp_path, [TICKETS])
    assert _rows(out, "select ticket_id, resolved_at, csat from raw.tickets order by 1") == [
        (1, datetime(2025, 1, 5), 4), (2, None, None), (3, None, None)]


def test_untimed_source_is_copied_whole_and_reported(warehouse, tmp_path):
    _, stats = _cut(warehouse, tmp_path, [PRODUCTS])
    assert stats["raw.products"].rule == rules.UNTIMED and stats["raw.products"].rows_kept == 1


def test_sample_keeps_the_same_entities_on_both_copies(warehouse, tmp_path):
    sources = [ORDERS, ITEMS, CUSTOMERS]
    full, _ = _cut(warehouse, tmp_path, sources, [SNAPSHOT], at=None, sample=2, sample_entity=["customer_id"])
    cut, _ = _cut(warehouse, tmp_path, sources, [SNAPSHOT], sample=2, sample_entity=["customer_id"])
    kept = {r[0] for r in _rows(full, "select customer_id from snapshots.customers_snapshot")}
    assert len(kept) == 2
    assert {r[0] for r in _rows(full, "select customer_id from raw.customers")} == kept
    assert {r[0] for r in _rows(cut, "select customer_id from raw.orders")} <= kept
    # the items follow their orders into and out of the sample
    items = {r[0] for r in _rows(full, "select order_id from raw.order_items where order_id is not null")}
    orders = {r[0] for r in _rows(full, "select order_id from raw.orders")}
    assert items - {99} <= orders


def test_bad_belongs_to_is_a_usage_error_naming_the_source():
    bad = _source("order_items", {"belongs_to": {"source": "nope", "key": "order_id"}})
    with pytest.raises(UsageError, match="order_items.*'nope'"):
        copy_plan(_manifest([ORDERS, bad]), "model.shop.m")


def test_a_warehouse_that_cannot_be_opened_is_a_usage_error(tmp_path):
    (tmp_path / "w.duckdb").write_text("not a database")
    with pytest.raises(UsageError, match="cannot open it for reading"):
        write_copy(tmp_path / "w.duckdb", tmp_path / "copy.duckdb", copy_plan(_manifest([ORDERS]), "model.shop.m"), D)


def test_snapshot_with_renamed_columns_and_a_current_end_date(tmp_path):
    path = tmp_path / "w.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema raw; create schema snapshots")
    con.execute("create table raw.customers as select 10 as customer_id, 'FR' as country")
    con.execute("""create table snapshots.customers_snapshot as select * from (values
        (10, 'ES', timestamp '2025-01-01', timestamp '2025-01-12'),
        (10, 'FR', timestamp '2025-01-12', timestamp '9999-12-31')) t(customer_id, country, valid_from, valid_to)""")
    con.close()
    snapshot = {**SNAPSHOT, "config": {"dbt_valid_to_current": "'9999-12-31'",
                                       "snapshot_meta_column_names": {"dbt_valid_from": "valid_from", "dbt_valid_to": "valid_to"}}}
    out, stats = _cut(path, tmp_path, [CUSTOMERS], [snapshot])
    assert _rows(out, "select country, valid_to from snapshots.customers_snapshot") == [("ES", datetime(9999, 12, 31))]
    assert _rows(out, "select * from raw.customers") == [(10, "ES")]
    assert stats["raw.customers"].rule == rules.FROM_SNAPSHOT


def test_a_source_missing_from_the_warehouse_is_named(warehouse, tmp_path):
    missing = _source("refunds", {"event_ts": "refunded_at"})
    with pytest.raises(UsageError, match="raw.refunds: the model reads it"):
        _cut(warehouse, tmp_path, [ORDERS, missing])
