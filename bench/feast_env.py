"""Feast lives in its own virtual environment so its pins never touch sqltrain's.

The benchmark creates ``.bench/feast-venv`` (git-ignored) with ``python3.11 -m venv`` and
installs ``feast==0.67.*`` into it on first use; later runs reuse it. When the install cannot
be done (no network, no such version), the benchmark reports why and goes on without Feast.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

FEAST_REQUIREMENT = "feast==0.67.*"
DRIVER = Path(__file__).with_name("feast_driver.py")


@dataclass
class FeastEnv:
    python: Path | None
    version: str | None
    problem: str | None = None   # why Feast is not available, when it is not


def ensure(venv: Path) -> FeastEnv:
    """Return the Feast venv's interpreter, creating and installing it when missing."""
    python = venv / "bin" / "python"
    version = _installed_version(python)
    if version is None:
        base = shutil.which("python3.11") or sys.executable
        steps = [[base, "-m", "venv", str(venv)], [str(python), "-m", "pip", "install", "--quiet", FEAST_REQUIREMENT]]
        for step in steps:
            done = subprocess.run(step, capture_output=True, text=True)
            if done.returncode != 0:
                tail = " ".join((done.stderr or done.stdout).strip().splitlines()[-1:])
                return FeastEnv(None, None, f"`{' '.join(step[-3:])}` failed: {tail}")
        version = _installed_version(python)
    if version is None or not version.startswith("0.67"):
        return FeastEnv(None, version, f"Feast {version} found in {venv}, the benchmark needs {FEAST_REQUIREMENT}")
    return FeastEnv(python, version)


def _installed_version(python: Path) -> str | None:
    if not python.exists():
        return None
    done = subprocess.run([str(python), "-c", "import importlib.metadata as m; print(m.version('feast'))"],
                          capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else None


def run_driver(env: FeastEnv, spine: Path, events: Path, out: Path, workdir: Path, timeout_s: float,
               rss_cap_gib: float = 12, created: str | None = None, views: Path | None = None) -> dict:
    """One ``get_historical_features`` run: ``{"seconds", "rows", "process_s", "peak_rss_gib"}``, or
    ``{"error": ...}`` (with ``"stopped_after_s"`` when the timeout or the memory cap stopped it).
    ``created`` names the events' created_timestamp_column; ``views`` a JSON file of feature views
    (see feast_driver.py) instead of the one view with ``value``."""
    if workdir.exists():
        shutil.rmtree(workdir)
    from .processes import run_bounded

    started = time.perf_counter()
    bounded = run_bounded([str(env.python), str(DRIVER), str(spine), str(events), str(out), str(workdir),
                           created or "", str(views or "")], timeout_s, rss_cap_gib)
    done = bounded.done
    if bounded.stopped:
        # Feast's own call had run this long when it was stopped: a lower bound on its time
        marker = workdir / "call_started_at"
        in_call = max(0.0, time.time() - float(marker.read_text())) if marker.exists() else 0.0
        why = (f"timed out after {timeout_s:.0f} s" if bounded.stopped == "timeout"
               else f"passed {rss_cap_gib:g} GiB of resident memory")
        return {"error": f"stopped ({why}) {in_call:.0f} s into get_historical_features", "stopped_after_s": in_call}
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        return {"error": lines[-1] if lines else f"exit {done.returncode}"}
    return {**json.loads(done.stdout.strip().splitlines()[-1]), "process_s": time.perf_counter() - started,
            "peak_rss_gib": bounded.peak_rss_gib}
