"""`sqltrain demo-warehouse [--scale S] [--seed N] [--path FILE]`: build the demo DuckDB warehouse."""

from __future__ import annotations

import click

from ._options import FiniteFloatRange, OutputPath

MAX_SCALE = 1000  # 10M customers, about 1.1 billion events


@click.command("demo-warehouse")
@click.option("--scale", type=FiniteFloatRange(0, MAX_SCALE, min_open=True), default=1.0, show_default=True,
              help="Size: 1 is about 10k customers and 1M events; 100 is for benchmarks.")
@click.option("--seed", type=click.IntRange(min=0), default=42, show_default=True, help="Same seed, same data.")
@click.option("--path", type=OutputPath(directory=False), default=None,
              help="DuckDB file to write (default: $SQLTRAIN_WAREHOUSE, else warehouse/demo.duckdb).")
def command(scale, seed, path):
    """Generate the demo shop's warehouse (deterministic for a seed)."""
    import os
    import time

    from ..console import say
    from ..demo.warehouse import build_warehouse
    from ..outputs import full_disk_reported, require_writable
    from ..project import DEFAULT_WAREHOUSE, WAREHOUSE_ENV

    target = require_writable(path or os.environ.get(WAREHOUSE_ENV) or DEFAULT_WAREHOUSE, "--path", directory=False)
    started = time.perf_counter()
    with full_disk_reported(target, "the warehouse"):
        stats = build_warehouse(target, scale=scale, seed=seed)
    total = sum(v for v in stats.values() if isinstance(v, int))
    say(f"demo warehouse written to {target}: {total:,} rows in {time.perf_counter() - started:.1f} s")
    for table, rows in stats.items():
        say(f"  {table:<32} {rows:>12,}" if isinstance(rows, int) else f"  {table:<32} {rows}")
