"""Measure the macros' DuckDB and portable SQL on synthetic data (docs/macros.md#benchmarks).

    python -m bench.macros --spine 1000000 --events 10000000 --entities 100000 1000

For each entity count it writes a spine (random customer, random midnight cutoff in 2024) and an
event source (random event_ts over 15 months, known_at up to 3 days later, an integer amount)
into a DuckDB file under --workdir, compiles the benchmarked macro calls once (a throw-away dbt
project installing this repository), and times `create table as <compiled SQL>` for each
implementation, stopping any query after --timeout seconds. Nothing here is part of the tests.

"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from pathlib import Path


from .macro_project import compile_models


# -- the benchmarked calls -------------------------------------------------------------------------
_WINDOWS = "['7 days', '30 days', '90 days']"
_AGGS = "[{'agg': 'count', 'column': '*'}, {'agg': 'sum', 'column': 'amount'}, {'agg': 'avg', 'column': 'amount'}]"
BENCH_MODELS = {
    "point_in_time_join": (
        "{{ sqltrain.point_in_time_join('bench_spine', ['customer_id'], 'as_of_ts', "
        "[{'relation': 'bench_events', 'columns': ['amount'], 'known_at': 'known_at', 'tie_break': ['event_id']}], "
        "as_of=none) }}"),
    "window_aggregates": (
        "{{ sqltrain.window_aggregates('bench_spine', ['customer_id'], 'as_of_ts', 'bench_events', "
        f"{_AGGS}, {_WINDOWS}, known_at='known_at', as_of=none) }}}}"),
    "window_aggregates_cumulative": (
        "{{ sqltrain.window_aggregates('bench_spine', ['customer_id'], 'as_of_ts', 'bench_events', "
        f"{_AGGS}, {_WINDOWS}, known_at='known_at', as_of=none, method='cumulative') }}}}"),
}
FLAVOURS = {"duckdb": {}, "portable": {"sqltrain_portable": True}}


def make_data(con, spine_rows: int, events: int, entities: int) -> None:
    con.execute("SET TimeZone='UTC'")
    con.execute("SELECT setseed(0.42)")
    con.execute(f"""
        create or replace table bench_spine as
        select (random() * {entities})::bigint as customer_id,
               timestamp '2024-01-01' + to_days((random() * 365)::int) as as_of_ts
        from range({spine_rows})""")
    con.execute(f"""
        create or replace table bench_events as
        select range as event_id,
               (random() * {entities})::bigint as customer_id,
               timestamp '2023-10-01' + to_microseconds((random() * 455 * 86400e6)::bigint) as event_ts,
               (random() * 100)::int as amount
        from range({events})""")
    con.execute("""
        create or replace table bench_events as
        select *, event_ts + to_microseconds((random() * 3 * 86400e6)::bigint) as known_at from bench_events""")


def timed(con, sql: str, timeout_s: float) -> float | None:
    """Seconds to materialise ``sql``, or None when it ran past the timeout (interrupted)."""
    timer = threading.Timer(timeout_s, con.interrupt)
    started = time.perf_counter()
    timer.start()
    try:
        con.execute(f"create or replace temp table bench_out as {sql}")
        return time.perf_counter() - started
    except Exception:  # duckdb.InterruptException, raised by the timer
        return None
    finally:
        timer.cancel()


def main(argv: list[str] | None = None) -> None:
    import duckdb

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--spine", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--entities", type=int, nargs="+", default=[100_000, 1_000])
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--only", nargs="*", default=None, help="model[:flavour] to run, e.g. window_aggregates:duckdb")
    args = parser.parse_args(argv)

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="sqltrain-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    compiled = compile_models(workdir, BENCH_MODELS, FLAVOURS)
    con = duckdb.connect(str(workdir / "bench.duckdb"))
    con.execute(f"SET threads={args.threads}")
    print(f"spine rows {args.spine:,}, events {args.events:,}, threads {args.threads}, timeout {args.timeout:.0f} s")
    for entities in args.entities:
        make_data(con, args.spine, args.events, entities)
        for model, by_flavour in compiled.items():
            for flavour, sql in by_flavour.items():
                if model.endswith("cumulative") and flavour == "portable":
                    continue  # the portable implementation ignores `method`: same SQL as window_aggregates
                if args.only and model not in args.only and f"{model}:{flavour}" not in args.only:
                    continue
                seconds = timed(con, sql, args.timeout)
                shown = f"{seconds:8.2f} s" if seconds is not None else f"> {args.timeout:.0f} s (stopped)"
                print(f"entities {entities:>7,}  {model:<30} {flavour:<9} {shown}", flush=True)


if __name__ == "__main__":
    main()
