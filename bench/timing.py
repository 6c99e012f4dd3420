"""Wall-clock medians and the facts about the machine that a reader needs to trust them."""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata


@dataclass
class Timing:
    median_s: float
    runs_s: list[float]

    @property
    def spread(self) -> str:
        return ", ".join(f"{t:.2f}" for t in self.runs_s)


def median_of(fn: Callable[[], float | None], runs: int, budget_s: float = float("inf")) -> Timing:
    """Run ``fn`` ``runs`` times (no hidden warm-up) and keep the median; stop repeating once
    the runs add up to ``budget_s`` (a slow contender then has fewer runs, all listed). When
    ``fn`` returns a number, that is the run's time (a subprocess timing its own call)."""
    times = []
    for _ in range(max(1, runs)):
        if sum(times) >= budget_s:
            break
        started = time.perf_counter()
        own = fn()
        elapsed = time.perf_counter() - started
        times.append(float(own) if isinstance(own, (int, float)) else elapsed)
    return Timing(statistics.median(times), times)


def machine() -> dict:
    """Cores, memory, CPU model, load and versions, printed at the top of the report."""
    mem_kib = 0
    try:
        with open("/proc/meminfo") as f:
            mem_kib = next(int(line.split()[1]) for line in f if line.startswith("MemTotal:"))
    except (OSError, StopIteration):
        pass
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    versions = {}
    for package in ("duckdb", "dbt-core", "dbt-duckdb", "pandas", "numpy", "pyarrow", "sqlglot", "sqltrain"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "-"
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(mem_kib / 1024 / 1024, 1),
        "cpu": cpu,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "versions": versions,
    }


def load_average() -> str:
    return " / ".join(f"{v:.2f}" for v in os.getloadavg())
