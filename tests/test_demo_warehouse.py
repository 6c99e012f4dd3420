"""The demo warehouse generator: schema, determinism, realism knobs, SCD2 history, atomicity.

Every check is a SQL query against a real DuckDB file built in a tmp dir.
"""

from __future__ import annotations

import subprocess
import sys

import duckdb
import pytest

from sqltrain.demo import build_warehouse
from sqltrain.demo import warehouse as demo_warehouse

EVENT_TABLES = {  # table -> event time column
    "raw.plan_changes": "changed_at",
    "raw.orders": "ordered_at",
    "raw.web_sessions": "started_at",
    "raw.support_tickets": "opened_at",
}
ALL_TABLES = ["raw.customers", "snapshots.customers_snapshot", *demo_warehouse.TABLES]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "w.duckdb"
    stats = build_warehouse(path, scale=0.05, seed=42)
    return path, stats


@pytest.fixture(scope="module")
def con(built):
    connection = duckdb.connect(str(built[0]), read_only=True)
    connection.execute("SET TimeZone = 'UTC'")
    yield connection
    connection.close()


def one(con, sql: str):
    return con.execute(sql).fetchone()[0]


def content_hashes(path) -> dict[str, str]:
    with duckdb.connect(str(path), read_only=True) as c:
        return {
            t: one(c, f"SELECT md5(string_agg(CAST(r AS VARCHAR), chr(10) ORDER BY CAST(r AS VARCHAR))) FROM {t} r")
            for t in ALL_TABLES
        }


def test_tables_and_columns_have_the_declared_types(con):
    got = con.execute(
        "SELECT table_schema || '.' || table_name, column_name, data_type FROM information_schema.columns"
        " WHERE table_schema IN ('raw', 'snapshots') ORDER BY table_schema, table_name, ordinal_position"
    ).fetchall()
    expected = [(t, c, typ) for t, cols in demo_warehouse.TABLES.items() for c, typ, _ in cols]
    customer = [(c, t) for c, t in demo_warehouse.CUSTOMER_COLUMNS]
    expected += [("raw.customers", c, t) for c, t in customer]
    expected += [("snapshots.customers_snapshot", c, t)
                 for c, t in customer + demo_warehouse.SNAPSHOT_EXTRA_COLUMNS]
    assert sorted(got) == sorted(expected)
    assert [c for t, c, _ in got if t == "raw.orders"] == [
        "order_id", "customer_id", "ordered_at", "_loaded_at", "status", "amount", "channel"]


def test_stats_are_the_row_counts(con, built):
    _, stats = built
    assert set(stats) == set(ALL_TABLES)
    for table, rows in stats.items():
        assert rows == one(con, f"SELECT count(*) FROM {table}") > 0
    assert stats["raw.customers"] == 500
    events = sum(stats[t] for t in [*EVENT_TABLES, "raw.order_items"])
    assert 0.55 < stats["raw.web_sessions"] / events < 0.75  # sessions are the bulk


def test_ids_are_unique(con):
    for table, key in [("raw.customers", "customer_id"), ("raw.orders", "order_id"),
                       ("raw.order_items", "order_item_id"), ("raw.web_sessions", "session_id"),
                       ("raw.support_tickets", "ticket_id"), ("raw.plan_changes", "change_id"),
                       ("snapshots.customers_snapshot", "dbt_scd_id")]:
        assert one(con, f"SELECT count(*) - count(DISTINCT {key}) FROM {table}") == 0, table
    assert one(con, "SELECT count(*) FROM raw.order_items i ANTI JOIN raw.orders o USING (order_id)") == 0


def test_same_seed_gives_same_content_and_another_seed_differs(tmp_path):
    build_warehouse(tmp_path / "a.duckdb", scale=0.02, seed=7)
    build_warehouse(tmp_path / "b.duckdb", scale=0.02, seed=7)
    build_warehouse(tmp_path / "c.duckdb", scale=0.02, seed=8)
    a, b, c = (content_hashes(tmp_path / f"{x}.duckdb") for x in "abc")
    assert a == b
    assert all(a[t] != c[t] for t in ALL_TABLES)


def test_event_times_lie_within_the_customers_life_and_load_horizon(con):
    for table, ts in EVENT_TABLES.items():
        assert one(con, f"""
            SELECT count(*) FROM {table} e JOIN raw.customers c USING (customer_id)
            WHERE e.{ts} < c.signup_at OR e.{ts} > TIMESTAMP '2025-12-31 23:59:59'
               OR e._loaded_at < e.{ts} OR e._loaded_at > TIMESTAMP '2026-01-01 00:00:00'
        """) == 0, table
    assert one(con, "SELECT count(*) FROM raw.web_sessions WHERE started_at < TIMESTAMP '2023-01-01'") == 0


def test_some_rows_arrive_late(con):
    for table, ts in EVENT_TABLES.items():
        late, later_month = con.execute(f"""
            SELECT avg(CAST(_loaded_at - {ts} > INTERVAL 1 DAY AS INT)),
                   count(*) FILTER (WHERE date_trunc('month', _loaded_at) > date_trunc('month', {ts}))
            FROM {table}
        """).fetchone()
        assert 0.01 < late < 0.06, table
        assert later_month > 0, table


def test_timestamps_tie(con):
    assert one(con, "SELECT count(*) FROM (SELECT customer_id, ordered_at FROM raw.orders"
                    " GROUP BY ALL HAVING count(*) > 1)") > 0
    assert one(con, "SELECT count(*) FROM (SELECT customer_id, changed_at FROM raw.plan_changes"
                    " GROUP BY ALL HAVING count(*) > 1)") > 0
    assert one(con, "SELECT count(*) FROM (SELECT started_at FROM raw.web_sessions"
                    " GROUP BY ALL HAVING count(*) > 1)") > 0


def test_nulls_where_the_story_has_them(con):
    for sql in ["SELECT count(*) FROM raw.orders WHERE amount IS NULL",
                "SELECT count(*) FROM raw.customers WHERE country IS NULL",
                "SELECT count(*) FROM raw.web_sessions WHERE customer_id IS NULL",
                "SELECT count(*) FROM raw.support_tickets WHERE csat IS NULL",
                "SELECT count(*) FROM raw.support_tickets WHERE resolved_at IS NULL"]:
        assert one(con, sql) > 0, sql
    assert one(con, "SELECT count(*) FROM raw.support_tickets WHERE csat NOT BETWEEN 1 AND 5") == 0
    assert one(con, "SELECT count(*) FROM raw.support_tickets WHERE resolved_at < opened_at") == 0


def test_every_customer_signs_up_once_and_plan_changes_chain(con):
    assert one(con, """
        SELECT count(*) FROM raw.customers c
        LEFT JOIN (SELECT customer_id, count(*) n, min(changed_at) t FROM raw.plan_changes
                   WHERE change_type = 'signup' GROUP BY 1) s USING (customer_id)
        WHERE s.n IS DISTINCT FROM 1 OR s.t <> c.signup_at
    """) == 0
    # Each change starts from the plan the previous one ended on; signup/reactivate start a
    # subscription, and only a cancel ends one.
    assert one(con, """
        WITH seq AS (
            SELECT *, lag(change_type) OVER w AS prev_type, lag(to_plan) OVER w AS prev_to,
                      lag(from_plan) OVER w AS prev_from
            FROM raw.plan_changes WINDOW w AS (PARTITION BY customer_id ORDER BY changed_at, change_id))
        SELECT count(*) FROM seq WHERE
            (change_type = 'signup' AND prev_type IS NOT NULL)
            OR (change_type = 'reactivate' AND prev_type IS DISTINCT FROM 'cancel')
            OR (change_type IN ('upgrade', 'downgrade', 'cancel')
                AND (prev_type = 'cancel' OR from_plan IS DISTINCT FROM prev_to))
            OR (change_type = 'upgrade' AND rank(to_plan) <= rank(from_plan))
            OR (change_type = 'downgrade' AND rank(to_plan) >= rank(from_plan))
    """.replace("rank(", "list_position(['basic', 'standard', 'premium'], ")) == 0


def test_no_activity_while_cancelled(con):
    for table, ts in EVENT_TABLES.items():
        if table == "raw.plan_changes":
            continue
        assert one(con, f"""
            SELECT count(*) FROM {table} e
            WHERE e.customer_id IS NOT NULL AND (
                SELECT p.change_type FROM raw.plan_changes p
                WHERE p.customer_id = e.customer_id AND p.changed_at <= e.{ts}
                ORDER BY p.changed_at DESC, p.change_id DESC LIMIT 1) = 'cancel'
        """) == 0, table


def test_snapshot_current_rows_equal_raw_customers(con):
    cols = ", ".join(c for c, _ in demo_warehouse.CUSTOMER_COLUMNS)
    current = f"SELECT {cols} FROM snapshots.customers_snapshot WHERE dbt_valid_to IS NULL"
    assert one(con, f"SELECT count(*) FROM ({current})") == one(con, "SELECT count(*) FROM raw.customers")
    assert one(con, f"SELECT count(*) FROM (({current}) EXCEPT ALL (SELECT {cols} FROM raw.customers))") == 0
    assert one(con, f"SELECT count(*) FROM ((SELECT {cols} FROM raw.customers) EXCEPT ALL ({current}))") == 0


def test_scd2_versions_chain_without_overlap(con):
    assert one(con, """
        WITH v AS (SELECT *, lead(dbt_valid_from) OVER w AS next_from, row_number() OVER w AS k
                   FROM snapshots.customers_snapshot
                   WINDOW w AS (PARTITION BY customer_id ORDER BY dbt_valid_from))
        SELECT count(*) FROM v
        WHERE dbt_valid_to IS DISTINCT FROM next_from
           OR dbt_valid_from >= dbt_valid_to
           OR dbt_valid_from <> updated_at OR dbt_updated_at <> updated_at
           OR dbt_scd_id <> md5(coalesce(CAST(customer_id AS VARCHAR), '') || '|'
                                || coalesce(CAST(updated_at AS VARCHAR), ''))
           OR (k = 1 AND CAST(dbt_valid_from AS DATE) <> CAST(signup_at AS DATE))
    """) == 0
    # A daily snapshot keeps at most one version per customer and day.
    assert one(con, "SELECT count(*) - count(DISTINCT (customer_id, CAST(dbt_valid_from AS DATE)))"
                    " FROM snapshots.customers_snapshot") == 0
    assert one(con, "SELECT count(*) FROM (SELECT customer_id FROM snapshots.customers_snapshot"
                    " GROUP BY 1 HAVING count(*) FILTER (WHERE dbt_valid_to IS NULL) <> 1)") == 0


def test_snapshot_status_and_plan_follow_the_plan_changes(con):
    # At the end of each version's first day, the snapshot shows the subscription state left
    # by the last plan change of that day.
    assert one(con, """
        SELECT count(*) FROM snapshots.customers_snapshot s
        WHERE (SELECT CASE WHEN p.change_type = 'cancel' THEN 'cancelled' ELSE 'active' END
                      || '/' || coalesce(p.to_plan, p.from_plan)
               FROM raw.plan_changes p
               WHERE p.customer_id = s.customer_id AND p.changed_at <= s.dbt_valid_from
               ORDER BY p.changed_at DESC, p.change_id DESC LIMIT 1) <> s.status || '/' || s.plan
    """) == 0
    movers = one(con, "SELECT count(*) FROM (SELECT customer_id FROM snapshots.customers_snapshot"
                      " GROUP BY 1 HAVING count(DISTINCT country) > 1)")
    assert 0 < movers < 0.1 * one(con, "SELECT count(*) FROM raw.customers")


def test_churn_depends_on_prior_behaviour(con):
    """Customers who cancel within 30 days of a cutoff ordered less in the 30 days before it."""
    rate, churn_orders, stay_orders = con.execute("""
        WITH cutoffs AS (SELECT unnest(generate_series(TIMESTAMP '2023-04-01', TIMESTAMP '2025-11-01',
                                                       INTERVAL 1 MONTH)) AS t),
        spine AS (SELECT s.customer_id, t FROM cutoffs JOIN snapshots.customers_snapshot s
                  ON s.dbt_valid_from <= t AND t < coalesce(s.dbt_valid_to, TIMESTAMP '9999-12-31')
                  WHERE s.status = 'active'),
        labelled AS (
            SELECT sp.*,
                   (SELECT count(*) FROM raw.orders o WHERE o.customer_id = sp.customer_id
                      AND o.ordered_at > t - INTERVAL 30 DAY AND o.ordered_at <= t) AS orders_30d,
                   EXISTS (SELECT 1 FROM raw.plan_changes p WHERE p.customer_id = sp.customer_id
                      AND p.change_type = 'cancel' AND p.changed_at > t
                      AND p.changed_at <= t + INTERVAL 30 DAY) AS churned
            FROM spine sp)
        SELECT avg(CAST(churned AS INT)), avg(orders_30d) FILTER (WHERE churned),
               avg(orders_30d) FILTER (WHERE NOT churned)
        FROM labelled
    """).fetchone()
    assert 0.02 < rate < 0.10
    assert churn_orders < 0.75 * stay_orders


def test_orders_peak_in_winter_and_sessions_on_weekends(con):
    winter, summer = con.execute("""
        SELECT count(*) FILTER (WHERE month(ordered_at) IN (11, 12)) / 2,
               count(*) FILTER (WHERE month(ordered_at) IN (6, 7, 8)) / 3
        FROM raw.orders WHERE ordered_at >= TIMESTAMP '2024-01-01'
    """).fetchone()
    assert winter > 1.4 * summer
    weekend, weekday = con.execute("""
        SELECT count(*) FILTER (WHERE isodow(started_at) >= 6) / 2,
               count(*) FILTER (WHERE isodow(started_at) <= 5) / 5
        FROM raw.web_sessions
    """).fetchone()
    assert weekend > 1.15 * weekday


def test_a_failed_build_leaves_the_existing_file_untouched(tmp_path, monkeypatch):
    path = tmp_path / "nested" / "dir" / "w.duckdb"  # parent dirs are created
    build_warehouse(path, scale=0.02, seed=1)
    before = path.read_bytes()

    def broken(con):
        raise RuntimeError("disk full (simulated)")

    monkeypatch.setattr(demo_warehouse, "_write_customer_history", broken)
    with pytest.raises(RuntimeError, match="simulated"):
        build_warehouse(path, scale=0.02, seed=2)
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["w.duckdb"]


def test_scale_must_be_positive(tmp_path):
    with pytest.raises(ValueError, match="scale"):
        build_warehouse(tmp_path / "w.duckdb", scale=0)
    assert not (tmp_path / "w.duckdb").exists()


def test_module_command_line(tmp_path):
    path = tmp_path / "w.duckdb"
    done = subprocess.run([sys.executable, "-m", "sqltrain.demo.warehouse", "--scale", "0.02",
                           "--seed", "3", "--path", str(path)], capture_output=True, text=True, check=True)
    assert "raw.web_sessions" in done.stdout and "built" in done.stdout
    assert "RuntimeWarning" not in done.stderr
    assert content_hashes(path) == _hashes_of_fresh_build(tmp_path / "again.duckdb", 0.02, 3)


def _hashes_of_fresh_build(path, scale, seed):
    build_warehouse(path, scale=scale, seed=seed)
    return content_hashes(path)


def test_order_amount_is_the_sum_of_its_items(con):
    assert one(con, """
        SELECT count(*) FROM raw.orders o
        JOIN (SELECT order_id, sum(quantity * unit_price) AS total FROM raw.order_items GROUP BY 1) i
          USING (order_id)
        WHERE o.amount <> i.total
    """) == 0
    assert one(con, "SELECT count(*) FROM raw.orders o ANTI JOIN raw.order_items USING (order_id)") == 0


def test_chunked_build_keeps_ids_unique_and_items_attached(tmp_path, monkeypatch):
    """Large scales simulate customers in chunks; ids must continue across chunk boundaries."""
    monkeypatch.setattr(demo_warehouse, "CHUNK_CUSTOMERS", 70)
    stats = build_warehouse(tmp_path / "w.duckdb", scale=0.02, seed=5)
    assert stats["raw.customers"] == 200
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as c:
        test_ids_are_unique(c)
        test_order_amount_is_the_sum_of_its_items(c)
        test_snapshot_current_rows_equal_raw_customers(c)
        assert one(c, "SELECT count(DISTINCT customer_id) FROM raw.plan_changes") == 200
