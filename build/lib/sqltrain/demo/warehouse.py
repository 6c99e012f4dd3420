"""Build the demo warehouse: one DuckDB file with the raw tables of a subscription shop.

    >>> from sqltrain.demo import build_warehouse
    >>> build_warehouse("/tmp/demo.duckdb", scale=0.05, seed=42)["raw.orders"]  # doctest: +SKIP
    6308

The numbers come from :mod:`sqltrain.demo.simulate` (numpy, vectorised); this module lays
them out as the tables that the dbt sources declare, derives ``raw.customers`` and the SCD2
history a daily ``dbt snapshot`` would have recorded of it, and writes the file atomically.
Same seed and scale give identical table contents. Command line::

    python -m sqltrain.demo.warehouse --scale 1 --seed 42 --path warehouse/demo.duckdb
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from pathlib import Path

import numpy as np

from ..interrupts import cleanup_on_failure
from . import simulate as sim

# Customers are simulated in chunks of this many so scale 100 fits in memory. Part of the
# output's definition: each chunk has its own random stream.
CHUNK_CUSTOMERS = 25_000
CUSTOMERS_AT_SCALE_1 = 10_000

# (column, SQL type, expression over the staged chunk). Other engineers' dbt sources rely on
# these exact names and types.
_TIMESTAMP = "TIMESTAMP"
TABLES: dict[str, list[tuple[str, str, str]]] = {
    "raw.plan_changes": [
        ("change_id", "BIGINT", "change_id"),
        ("customer_id", "BIGINT", "customer_id"),
        ("changed_at", _TIMESTAMP, "ts"),
        ("_loaded_at", _TIMESTAMP, "_loaded_at"),
        ("change_type", "VARCHAR", "change_type"),
        ("from_plan", "VARCHAR", "from_plan"),
        ("to_plan", "VARCHAR", "to_plan"),
    ],
    "raw.orders": [
        ("order_id", "BIGINT", "order_id"),
        ("customer_id", "BIGINT", "customer_id"),
        ("ordered_at", _TIMESTAMP, "ts"),
        ("_loaded_at", _TIMESTAMP, "_loaded_at"),
        ("status", "VARCHAR", "status"),
        ("amount", "DECIMAL(10,2)", "CAST(amount AS DECIMAL(12,0)) * 0.01"),
        ("channel", "VARCHAR", "channel"),
    ],
    "raw.order_items": [
        ("order_item_id", "BIGINT", "order_item_id"),
        ("order_id", "BIGINT", "order_id"),
        ("product_id", "BIGINT", "product_id"),
        ("category", "VARCHAR", "category"),
        ("quantity", "INTEGER", "quantity"),
        ("unit_price", "DECIMAL(10,2)", "CAST(unit_price AS DECIMAL(12,0)) * 0.01"),
    ],
    "raw.web_sessions": [
        ("session_id", "BIGINT", "session_id"),
        ("customer_id", "BIGINT", "customer_id"),
        ("started_at", _TIMESTAMP, "ts"),
        ("_loaded_at", _TIMESTAMP, "_loaded_at"),
        ("duration_s", "INTEGER", "duration_s"),
        ("page_views", "INTEGER", "page_views"),
        ("device", "VARCHAR", "device"),
    ],
    "raw.support_tickets": [
        ("ticket_id", "BIGINT", "ticket_id"),
        ("customer_id", "BIGINT", "customer_id"),
        ("opened_at", _TIMESTAMP, "ts"),
        ("_loaded_at", _TIMESTAMP, "_loaded_at"),
        ("priority", "VARCHAR", "priority"),
        ("category", "VARCHAR", "category"),
        ("resolved_at", _TIMESTAMP, "resolved_at"),
        ("csat", "INTEGER", "csat"),
    ],
}
CUSTOMER_COLUMNS = [
    ("customer_id", "BIGINT"), ("email", "VARCHAR"), ("signup_at", _TIMESTAMP), ("country", "VARCHAR"),
    ("plan", "VARCHAR"), ("status", "VARCHAR"), ("marketing_opt_in", "BOOLEAN"), ("updated_at", _TIMESTAMP),
]
SNAPSHOT_EXTRA_COLUMNS = [
    ("dbt_scd_id", "VARCHAR"), ("dbt_updated_at", _TIMESTAMP),
    ("dbt_valid_from", _TIMESTAMP), ("dbt_valid_to", _TIMESTAMP),
]
# simulate.py's int codes -> labels, per table and column.
_LABELS = {
    "raw.plan_changes": {"change_type": sim.CHANGE_TYPES, "from_plan": sim.PLANS, "to_plan": sim.PLANS},
    "raw.orders": {"status": sim.ORDER_STATUSES, "channel": sim.CHANNELS},
    "raw.order_items": {"category": sim.PRODUCT_CATEGORIES},
    "raw.web_sessions": {"device": sim.DEVICES},
    "raw.support_tickets": {"priority": sim.PRIORITIES, "category": sim.TICKET_CATEGORIES},
    "state_changes": {"plan": sim.PLANS, "country": sim.COUNTRIES, "status": sim.STATUSES},
    "customer_base": {},
}
_TIME_COLUMNS = {"ts", "_loaded_at", "resolved_at", "signup_at"}
# The id column each table numbers (in time order within a chunk) and its simulate.py name.
_SOURCES = {
    "raw.plan_changes": ("change_id", "plan_changes"),
    "raw.orders": ("order_id", "orders"),
    "raw.web_sessions": ("session_id", "sessions"),
    "raw.support_tickets": ("ticket_id", "tickets"),
}


def build_warehouse(path: str | os.PathLike, scale: float = 1.0, seed: int = 42) -> dict:
    """Generate the demo warehouse into the DuckDB file ``path``; return table -> row count.

    ``scale`` multiplies the number of customers (10,000 at scale 1, about 1M events);
    ``seed`` fixes every random draw, so the same (scale, seed) gives the same contents.
    The file is built beside ``path`` and moved into place only when complete, so an
    existing warehouse survives a failed build.
    """
    import duckdb

    if not (scale > 0 and math.isfinite(scale)):
        raise ValueError(f"scale must be a finite number > 0, got {scale!r}")
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.tmp-{os.getpid()}")
    _remove_database(tmp)
    with cleanup_on_failure(lambda: _remove_database(tmp)):
        con = duckdb.connect(str(tmp))
        try:
            con.execute("SET TimeZone = 'UTC'")
            con.execute("SET memory_limit = '2GB'")  # big scales spill to disk instead of growing
            _create_tables(con)
            _write_events(con, scale, seed)
            _write_customer_history(con)
            stats = _row_counts(con)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(tmp, target)
    return stats


def _remove_database(file: Path) -> None:
    for leftover in (file, file.with_name(file.name + ".wal")):
        leftover.unlink(missing_ok=True)


def _create_tables(con) -> None:
    con.execute("CREATE SCHEMA raw")
    con.execute("CREATE SCHEMA snapshots")
    for table, columns in TABLES.items():
        con.execute(f"CREATE TABLE {table} ({', '.join(f'{c} {t}' for c, t, _ in columns)})")  # sql: trusted (TABLES)
    con.execute("CREATE TEMP TABLE state_changes (customer_id BIGINT, ts TIMESTAMP, seq BIGINT,"
                " plan VARCHAR, country VARCHAR, status VARCHAR)")
    con.execute("CREATE TEMP TABLE customer_base (customer_id BIGINT, signup_at TIMESTAMP,"
                " marketing_opt_in BOOLEAN)")


def _write_events(con, scale: float, seed: int) -> None:
    """Simulate chunk after chunk of customers and append their rows to the raw tables."""
    n = max(1, round(CUSTOMERS_AT_SCALE_1 * scale))
    signup = sim.signup_times(n, np.random.default_rng(np.random.SeedSequence([seed, 9_000_001])))
    catalog = sim.product_catalog(seed)
    next_id = dict.fromkeys([*_SOURCES, "raw.order_items", "state"], 1)
    for chunk, lo in enumerate(range(0, n, CHUNK_CUSTOMERS)):
        ids = np.arange(lo + 1, min(lo + CHUNK_CUSTOMERS, n) + 1, dtype=np.int64)
        out = sim.simulate_chunk(ids, signup[lo:lo + len(ids)], seed, chunk, catalog)
        for table, (id_col, name) in _SOURCES.items():
            cols = out[name]
            order = np.lexsort((cols["customer_id"], cols["ts"]))  # stable: ties keep their order
            cols = {c: v[order] for c, v in cols.items()}
            cols[id_col] = next_id[table] + np.arange(len(order), dtype=np.int64)
            next_id[table] += len(order)
            if name == "orders":  # items point at order rows as simulated; map them to the new ids
                new_position = np.argsort(order)
                out["order_items"]["order_id"] = cols["order_id"][new_position[out["order_items"]["order"]]]
            _append(con, table, cols)
        items = out["order_items"]
        items["order_item_id"] = next_id["raw.order_items"] + np.arange(len(items["order_id"]), dtype=np.int64)
        next_id["raw.order_items"] += len(items["order_id"])
        _append(con, "raw.order_items", items)
        state = out["state"]
        state["seq"] = next_id["state"] + np.arange(len(state["ts"]), dtype=np.int64)
        next_id["state"] += len(state["ts"])
        _stage(con, "state_changes", state, ["customer_id", "ts", "seq", "plan", "country", "status"])
        base = out["customers"]
        base["customer_id"] = ids
        _stage(con, "customer_base", base, ["customer_id", "signup_at", "marketing_opt_in"])


def _arrow(cols: dict[str, np.ndarray], labels: dict[str, list[str]]):
    """numpy columns -> Arrow table. A negative int is NULL; codes become their labels."""
    import pyarrow as pa

    arrays = {}
    for name, values in cols.items():
        null = values < 0 if np.issubdtype(values.dtype, np.integer) else None
        if name in _TIME_COLUMNS:
            arrays[name] = pa.array(values.astype("datetime64[s]"), mask=null)
        elif name in labels:
            codes = pa.array(np.where(null, 0, values).astype(np.int32), mask=null)
            arrays[name] = pa.DictionaryArray.from_arrays(codes, pa.array(labels[name])).cast(pa.string())
        else:
            arrays[name] = pa.array(values, mask=null)
    return pa.table(arrays)


def _append(con, table: str, cols: dict[str, np.ndarray]) -> None:
    select = ", ".join(f"CAST({expr} AS {typ})" for _, typ, expr in TABLES[table])
    _insert(con, table, cols, select)


def _stage(con, table: str, cols: dict[str, np.ndarray], names: list[str]) -> None:
    _insert(con, table, {c: cols[c] for c in names}, ", ".join(names))


def _insert(con, table: str, cols: dict[str, np.ndarray], select: str) -> None:
    con.register("staged", _arrow(cols, _LABELS[table]))
    try:
        con.execute(f"INSERT INTO {table} SELECT {select} FROM staged")  # sql: trusted (TABLES)
    finally:
        con.unregister("staged")


def _write_customer_history(con) -> None:
    """raw.customers (current state) and the SCD2 history a daily ``dbt snapshot`` recorded.

    The snapshot ran once a day (at midnight UTC, from 2023-01-02 to 2026-01-01), so it
    saw the state at the end of each day: of several changes in one day only the last
    survives. Its current rows are exactly raw.customers.
    """
    con.execute("""
        CREATE TEMP TABLE customer_versions AS
        WITH filled AS (
            SELECT customer_id, ts, seq,
                   last_value(plan IGNORE NULLS) OVER w AS plan,
                   last_value(country IGNORE NULLS) OVER w AS country,
                   last_value(status IGNORE NULLS) OVER w AS status
            FROM state_changes
            WINDOW w AS (PARTITION BY customer_id ORDER BY ts, seq
                         ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
        ), end_of_day AS (
            SELECT * FROM filled
            QUALIFY row_number() OVER (PARTITION BY customer_id, CAST(ts AS DATE) ORDER BY ts DESC, seq DESC) = 1
        )
        SELECT b.customer_id, 'user' || b.customer_id || '@example.com' AS email, b.signup_at,
               v.country, v.plan, v.status, b.marketing_opt_in, v.ts AS updated_at
        FROM end_of_day v JOIN customer_base b USING (customer_id)
    """)
    columns = ", ".join(c for c, _ in CUSTOMER_COLUMNS)
    con.execute(f"""
        CREATE TABLE snapshots.customers_snapshot AS
        SELECT {columns},
               md5(coalesce(cast(customer_id AS VARCHAR), '') || '|'
                   || coalesce(cast(updated_at AS VARCHAR), '')) AS dbt_scd_id,
               updated_at AS dbt_updated_at,
               updated_at AS dbt_valid_from,
               lead(updated_at) OVER (PARTITION BY customer_id ORDER BY updated_at) AS dbt_valid_to
        FROM customer_versions
        ORDER BY customer_id, dbt_valid_from
    """)
    con.execute(f"""
        CREATE TABLE raw.customers AS
        SELECT {columns} FROM snapshots.customers_snapshot WHERE dbt_valid_to IS NULL ORDER BY customer_id
    """)


def _row_counts(con) -> dict[str, int]:
    tables = ["raw.customers", "snapshots.customers_snapshot", *TABLES]
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sqltrain.demo.warehouse", description=__doc__.split("\n")[0])
    parser.add_argument("--path", default="warehouse/demo.duckdb", help="DuckDB file to (re)create")
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 10,000 customers, ~1M events")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    if not (args.scale > 0 and math.isfinite(args.scale)):
        parser.error(f"--scale must be a finite number > 0, got {args.scale}")
    started = time.perf_counter()
    stats = build_warehouse(args.path, scale=args.scale, seed=args.seed)
    for table, rows in stats.items():
        print(f"{table:32} {rows:>12,}")
    print(f"built {args.path} in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
