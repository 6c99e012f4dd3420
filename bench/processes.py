"""Child processes that cannot outstay their welcome on a shared machine.

``run_bounded`` runs a command in a session of its own and ends the whole process tree (not
just the direct child: ``/usr/bin/time``'s child, Dask's workers) when it runs past its timeout
or when the tree's resident memory passes a cap, so a contender that explodes is a result
("stopped at 8 GiB") instead of an out-of-memory kill of someone else's process.

    >>> run_bounded(["sh", "-c", "sleep 30 & sleep 30"], timeout_s=0.5).stopped
    'timeout'
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

POLL_S = 0.5


@dataclass
class Bounded:
    done: subprocess.CompletedProcess | None     # None when the tree was stopped
    stopped: str | None = None                    # 'timeout' or 'memory'
    peak_rss_gib: float = 0.0                     # sampled every POLL_S over the whole tree


def run_bounded(command: list[str], timeout_s: float, rss_cap_gib: float | None = None,
                samples: list[tuple[float, float]] | None = None, **kwargs) -> Bounded:
    """Run ``command`` (stdout/stderr captured as text) within ``timeout_s`` and ``rss_cap_gib``;
    ``samples`` (if given) receives every (seconds since start, tree RSS GiB) sample."""
    waited, peak = 0.0, 0.0
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          start_new_session=True, **kwargs) as process:
        while True:
            try:
                out, err = process.communicate(timeout=min(POLL_S, max(0.01, timeout_s - waited)))
                break
            except subprocess.TimeoutExpired:
                waited += POLL_S
                rss = session_rss_gib(process.pid)
                peak = max(peak, rss)
                if samples is not None:
                    samples.append((waited, rss))
                reason = "timeout" if waited >= timeout_s else "memory" if rss_cap_gib and peak > rss_cap_gib else None
                if reason:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.communicate()
                    return Bounded(None, reason, peak)
    return Bounded(subprocess.CompletedProcess(command, process.returncode, out, err), None, peak)


def report_result(**fields) -> None:
    """A timed child's last line: its ``fields`` plus its own peak RSS, which the parent's sampling
    misses when the child ends before the first sample."""
    print(json.dumps({**fields, "self_peak_rss_gib": own_peak_rss_gib()}))


def own_peak_rss_gib() -> float:
    """This process's peak resident memory since it started its program: Linux's ``VmHWM``, which
    belongs to the address space ``exec`` made. Not ``getrusage``'s ``ru_maxrss``: Linux carries the
    parent's peak into it across fork and exec, so a small child of a big harness would read big."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return 0.0
    kib = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")), 0)
    return kib / 1024 / 1024


def result_of(bounded: Bounded) -> tuple[dict | None, float, str]:
    """(the child's ``report_result`` fields or None, peak RSS GiB, error) of a finished ``run_bounded``;
    the peak is the larger of the sampled tree and the child's own."""
    done = bounded.done
    if done is None:
        return None, bounded.peak_rss_gib, bounded.stopped or "stopped"
    if done.returncode != 0:
        lines = [line for line in (done.stderr or done.stdout).strip().splitlines() if line.strip()]
        return None, bounded.peak_rss_gib, (lines[-1] if lines else f"exit {done.returncode}")[:300]
    fields = json.loads(done.stdout.strip().splitlines()[-1])
    return fields, max(bounded.peak_rss_gib, fields.pop("self_peak_rss_gib", 0.0)), ""


def run_module(module: str, args: list[str], timeout_s: float, rss_cap_gib: float, cwd: Path,
               ) -> tuple[float | None, float, str]:
    """``python -m module args`` bounded: (its reported seconds or None, peak RSS GiB, error)."""
    bounded = run_bounded([sys.executable, "-m", module, *args], timeout_s, rss_cap_gib, cwd=cwd)
    if bounded.stopped == "timeout":
        return None, bounded.peak_rss_gib, f"stopped after {timeout_s:.0f} s"
    if bounded.stopped == "memory":
        return None, bounded.peak_rss_gib, f"stopped at {rss_cap_gib:.0f} GiB resident memory"
    fields, peak, error = result_of(bounded)
    return (fields["seconds"] if fields else None), peak, error


def session_rss_gib(session: int) -> float:
    """Resident memory of every process in ``session`` (Linux /proc; 0 elsewhere)."""
    total_kib = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[3]) != session:          # fields after the name: state ppid pgrp session ...
                continue
            status = (stat.parent / "status").read_text()
        except (OSError, IndexError, ValueError):
            continue
        total_kib += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return total_kib / 1024 / 1024
