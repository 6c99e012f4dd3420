"""A second process holding a DuckDB warehouse, and the line commands print when they meet it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


class WarehouseHolder:
    """A second process holding a DuckDB write connection to ``path`` until ``release()``.

    The holder reads its stdin: closing the pipe is the signal to let go, so a test decides the
    moment exactly (no sleeps).
    """

    SCRIPT = ("import duckdb, sys; con = duckdb.connect(sys.argv[1]); print('holding', flush=True); "
              "sys.stdin.read(); con.close()")

    def __init__(self, path: Path):
        self.process = subprocess.Popen([sys.executable, "-c", self.SCRIPT, str(path)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout.readline().strip() == "holding"

    @property
    def pid(self) -> int:
        return self.process.pid

    def release(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait(timeout=60)


def locked_line(path: Path, pid: int) -> str:
    """The one line a command prints when another process holds the warehouse."""
    return (f"error: the warehouse {path} is locked by another process (PID {pid}) — "
            "wait until it has finished, or pass --wait-lock SECONDS")
