"""Which compiled SQL an incremental snapshot may take from the last as-of build unchanged.

A model is reused only when its output is a function of the inputs dbt knows (refs, sources): a
file, a table function, a table dbt does not know or a non-deterministic function rules it out.
"""

from __future__ import annotations

import pytest

from sqltrain.snapshotting.upstream_reuse import _unsafe_sql

KNOWN = {"stg_orders", "orders"}


@pytest.mark.parametrize("sql", [
    'select * from "db"."main"."stg_orders"',
    "with lines as (select * from main.orders) select o.*, l.x from main.stg_orders o join lines l using (id)",
    "select count(*) as n, date_trunc('month', event_ts) from stg_orders group by 2",
])
def test_reads_of_known_inputs_are_reusable(sql):
    assert _unsafe_sql(sql, KNOWN) is None


@pytest.mark.parametrize("sql, why", [
    ("select * from read_parquet('/data/x.parquet')", "read_parquet"),
    ("select * from main.stg_orders join main.customers_current using (id)", "customers_current"),
    ("select *, random() as r from stg_orders", "random"),
    ("select *, now() as built_at from stg_orders", "now"),
    ("select * from stg_orders where event_ts < current_date", "current_date"),
    ("select *, gen_random_uuid() as id from stg_orders", "uuid"),
    ("select * from stg_orders where", "parse"),
])
def test_other_reads_and_functions_are_never_reused(sql, why):
    reason = _unsafe_sql(sql, KNOWN)
    assert reason is not None and why in reason.lower(), reason
