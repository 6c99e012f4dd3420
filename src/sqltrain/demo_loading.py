"""The command line every demo loader shares (``python -m sqltrain.spark.demo``, ``… .postgres.demo``):
which DuckDB warehouse to copy, into which project and target."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def demo_loader_args(prog: str, description: str, target: str, argv: list[str] | None) -> argparse.Namespace | None:
    """The parsed options, or None (after one line on stderr) when the warehouse file is missing."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--warehouse", default=os.environ.get("SQLTRAIN_WAREHOUSE", "warehouse/demo.duckdb"))
    parser.add_argument("--project-dir", default=".")
    parser.add_argument("--target", default=target)
    args = parser.parse_args(argv)
    if not Path(args.warehouse).is_file():
        print(f"{args.warehouse}: no DuckDB warehouse; run `make warehouse` first", file=sys.stderr)
        return None
    return args
