"""`sqltrain demo-warehouse [--scale S] [--seed N] [--path FILE]`: build the demo DuckDB warehouse."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("demo-warehouse")
@click.option("--scale", type=float, default=1.0, show_default=True,
              help="Size: 1 is about 10k customers and 1M events; 100 is for benchmarks.")
@click.option("--seed", type=int, default=42, show_default=True, help="Same seed, same data.")
@click.option("--path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="DuckDB file to write (default: $SQLTRAIN_WAREHOUSE, else warehouse/demo.duckdb).")
def command(scale, seed, path):
    """Generate the demo shop's warehouse (deterministic for a seed)."""
    import os
    import time

    from ..console import say
    from ..demo.warehouse import build_warehouse
    from ..errors import UsageError
    from ..project import DEFAULT_WAREHOUSE, WAREHOUSE_ENV

    if scale <= 0:
        raise UsageError(f"--scale {scale} must be positive", "use e.g. --scale 1 (about 10k customers)")
    target = Path(path or os.environ.get(WAREHOUSE_ENV) or DEFAULT_WAREHOUSE).resolve()
    started = time.perf_counter()
    stats = build_warehouse(target, scale=scale, seed=seed)
    total = sum(v for v in stats.values() if isinstance(v, int))
    say(f"demo warehouse written to {target}: {total:,} rows in {time.perf_counter() - started:.1f} s")
    for table, rows in stats.items():
        say(f"  {table:<32} {rows:>12,}" if isinstance(rows, int) else f"  {table:<32} {rows}")
