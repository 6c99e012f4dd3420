"""End-to-end runs of the CLI as a user starts it, each in its own process.

* ``sqltrain snapshot`` of the demo's ``churn_training`` at several demo scales, under
  ``/usr/bin/time -v`` for the peak resident memory, with a copy of the demo profile whose only
  changes are a DuckDB ``memory_limit`` (so the scale-100 run shows that DuckDB spills rather
  than grows) and ``threads: 1`` (so the dbt nodes' execution times add up to the time spent in
  queries); the manifest's ``timings_s`` and ``dbt_nodes`` split the time between dbt's start-up
  and the queries.
* at demo scale 1, a warm ``sqltrain snapshot``: a second one as of ``WARM_AS_OF`` on the same project,
  target directory and output directory right after the first (the case dbt's partial parse serves:
  nothing changed but the date), with the same timings.
* a monthly ``sqltrain snapshot --incremental`` (base: the snapshot a month earlier, verified with
  ``--sample``) against the full snapshot of the same date, same warehouse, same run.
* ``sqltrain check`` on the 200-model project of :mod:`bench.check_project`.
* ``sqltrain --help`` start-up, with hyperfine when it is installed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .processes import run_bounded

AS_OF = "2025-12-01"
MONTH_BEFORE = "2025-11-01"    # the base of the monthly incremental snapshot
WARM_AS_OF = MONTH_BEFORE      # the warm snapshot's date: another date, with no earlier snapshot to drift from
WARM_SCALES = (1,)             # the demo scales that also time a warm snapshot
VERIFY_SAMPLE = "1000"
MODEL = "churn_training"
MEMORY_LIMIT = "4GB"


def _sqltrain() -> list[str]:
    exe = Path(sys.executable).with_name("sqltrain")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "sqltrain.cli"]


@dataclass
class IncrementalRun:
    """The monthly incremental snapshot as of ``AS_OF`` on the warehouse of a ``SnapshotRun``."""

    wall_s: float | None
    same_sha256: bool = False
    reused_rows: int | None = None
    rows: int | None = None
    error: str = ""
    full_wall_s: float | None = None          # the full snapshot as of AS_OF cut right after it, same base
    upstream_reused: int | None = None        # upstream models kept from the last as-of build

    def share(self) -> float | None:
        """The incremental snapshot's wall time as a share of the full one's in the same state."""
        return self.wall_s / self.full_wall_s if self.wall_s and self.full_wall_s else None


@dataclass
class SnapshotRun:
    scale: float
    ok: bool
    exit_code: int
    wall_s: float
    peak_rss_gib: float | None
    warehouse_build_s: float
    rows: int | None = None
    events: int | None = None
    timings: dict = field(default_factory=dict)   # parse, build, gates, export, total (from manifest)
    queries_s: float | None = None                # sum of dbt nodes' execution times
    memory_limit: str = MEMORY_LIMIT
    error: str = ""
    sha256: str | None = None
    incremental: IncrementalRun | None = None
    warm: SnapshotRun | None = None               # the second snapshot on the same target (WARM_SCALES)
    build_peak_rss_gib: float | None = None       # sampled tree RSS up to the gates (start-up, parse, build)
    gates_peak_rss_gib: float | None = None       # sampled tree RSS while the gates ran

    @property
    def dbt_startup_s(self) -> float | None:
        """dbt's own work: parsing plus the part of `dbt build` not spent executing nodes."""
        if self.queries_s is None or "build" not in self.timings:
            return None
        return self.timings.get("parse", 0.0) + max(0.0, self.timings["build"] - self.queries_s)


def bench_profiles(repo: Path, directory: Path) -> Path:
    """The repository's profiles.yml with a memory limit and one dbt thread, under ``directory``."""
    profiles = yaml.safe_load((repo / "profiles.yml").read_text())
    for profile in profiles.values():
        for output in profile.get("outputs", {}).values():
            output.setdefault("settings", {})["memory_limit"] = MEMORY_LIMIT
            output["threads"] = 1
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "profiles.yml").write_text(yaml.safe_dump(profiles, sort_keys=False))
    return directory


def snapshot_at_scale(repo: Path, workdir: Path, scale: float, timeout_s: float = 1500) -> SnapshotRun:
    work = workdir / f"scale-{scale:g}"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    warehouse = work / "demo.duckdb"
    env = {**os.environ, "SQLTRAIN_WAREHOUSE": str(warehouse), "DBT_TARGET_PATH": str(work / "target"),
           "DBT_LOG_PATH": str(work / "logs"), "DO_NOT_TRACK": "1"}
    started = time.perf_counter()
    built = run_bounded([*_sqltrain(), "demo-warehouse", "--scale", f"{scale:g}", "--seed", "42", "--path", str(warehouse)],
                        timeout_s, env=env).done
    build_s = time.perf_counter() - started
    if built is None:
        return SnapshotRun(scale, False, -1, 0.0, None, build_s,
                           error=f"the demo warehouse build timed out after {timeout_s:.0f} s")
    timeout_s = max(30.0, timeout_s - build_s)
    if built.returncode != 0:
        return SnapshotRun(scale, False, built.returncode, 0.0, None, build_s, error=_last_line(built))
    events = _count_events(warehouse)
    profiles = bench_profiles(repo, work / "profiles")
    out = work / "snapshots"
    deadline = time.perf_counter() + timeout_s
    run = _timed_snapshot(repo, work, env, profiles, out, AS_OF, scale, timeout_s, build_s, events)
    if not run.ok:
        return run
    if scale in WARM_SCALES:
        run.warm = _timed_snapshot(repo, work, env, profiles, out, WARM_AS_OF, scale,
                                   max(30.0, deadline - time.perf_counter()), 0.0, events)
    shutil.rmtree(out, ignore_errors=True)
    run.incremental = monthly_incremental(repo, work, env, profiles, run.sha256, deadline)
    warehouse.unlink(missing_ok=True)       # the big scales take GBs of disk
    return run


def _timed_snapshot(repo: Path, work: Path, env: dict, profiles: Path, out: Path, as_of: str, scale: float,
                    timeout_s: float, build_s: float, events: int | None) -> SnapshotRun:
    """One ``sqltrain snapshot --as-of as_of`` into ``out`` under ``/usr/bin/time -v``, with its
    manifest's timings and the tree's RSS sampled by phase."""
    command = ["/usr/bin/time", "-v", *_sqltrain(), "snapshot", "--as-of", as_of, "--model", MODEL, "--out", str(out),
               "--project-dir", str(repo), "--profiles-dir", str(profiles)]
    started, samples = time.perf_counter(), []
    done = run_bounded(command, timeout_s, samples=samples, env=env, cwd=work).done
    if done is None:
        return SnapshotRun(scale, False, -1, timeout_s, None, build_s, events=events, error=f"timed out after {timeout_s:.0f} s")
    wall = time.perf_counter() - started
    (work / f"snapshot-{as_of}.log").write_text(done.stdout + "\n" + done.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    run = SnapshotRun(scale, done.returncode == 0, done.returncode, wall,
                      int(rss.group(1)) / 1024 / 1024 if rss else None, build_s, events=events)
    manifest = out / MODEL / f"as_of={as_of}" / "manifest.json"
    if done.returncode != 0 or not manifest.exists():
        run.ok, run.error = False, _last_line(done)
        return run
    data = json.loads(manifest.read_text())
    run.rows = data.get("row_count")
    run.timings = data.get("timings_s", {})
    run.queries_s = round(sum(float(n.get("execution_time_s") or 0) for n in data.get("dbt_nodes", [])), 3)
    run.sha256 = data.get("data", {}).get("sha256")
    run.build_peak_rss_gib, run.gates_peak_rss_gib = phase_peaks(samples, wall, run.timings)
    return run


def monthly_incremental(repo: Path, work: Path, env: dict, profiles: Path, full_sha256: str | None,
                        deadline: float) -> IncrementalRun:
    """Cut the base a month before (full), ``verify --sample`` it, then time ``snapshot --incremental``
    as of ``AS_OF``, then a full snapshot as of ``AS_OF`` in the same state (the base beside it, so
    both run the same gates, drift against the base included); the two must hash as the cold full
    snapshot did."""
    out = work / "incremental"
    common = ["--model", MODEL, "--project-dir", str(repo), "--profiles-dir", str(profiles)]
    steps = [["snapshot", "--as-of", MONTH_BEFORE, "--out", str(out)],
             ["verify", "--as-of", MONTH_BEFORE, "--sample", VERIFY_SAMPLE]]
    for step in steps:
        done = run_bounded([*_sqltrain(), *step, *common], max(30.0, deadline - time.perf_counter()), env=env, cwd=work).done
        if done is None or done.returncode != 0:
            return IncrementalRun(None, error=f"{step[0]} as of {MONTH_BEFORE}: "
                                  + (_last_line(done) if done else "timed out"))
    walls, manifests = [], []
    for extra in (["--incremental"], []):
        started = time.perf_counter()
        done = run_bounded([*_sqltrain(), "snapshot", "--as-of", AS_OF, *extra, "--out", str(out), *common],
                           max(30.0, deadline - started), env=env, cwd=work).done
        walls.append(time.perf_counter() - started)
        landed = out / MODEL / f"as_of={AS_OF}"
        if done is None or done.returncode != 0 or not (landed / "manifest.json").exists():
            what = "incremental" if extra else "full"
            return IncrementalRun(walls[0] if not extra else None,
                                  error=f"{what}: " + (_last_line(done) if done else "timed out"))
        manifests.append(json.loads((landed / "manifest.json").read_text()))
        shutil.rmtree(landed)
    incremental, full = manifests
    reuse = incremental.get("incremental") or {}
    same = incremental.get("data", {}).get("sha256") == full.get("data", {}).get("sha256") == full_sha256
    shutil.rmtree(out, ignore_errors=True)
    return IncrementalRun(walls[0], same, reuse.get("reused_rows"), incremental.get("row_count"),
                          error=reuse.get("fallback", ""), full_wall_s=walls[1],
                          upstream_reused=len(reuse.get("upstream_reused") or []))


def phase_peaks(samples: list[tuple[float, float]], wall_s: float, timings: dict) -> tuple[float | None, float | None]:
    """(peak RSS up to the gates, peak RSS during the gates) from the tree's RSS samples.

    The manifest's ``timings_s`` give each phase's duration, not its start; the phases run in
    order and the export is the last, so the gates ran from ``wall - export - gates`` to
    ``wall - export`` (the process's exit after the export, a fraction of a second, shifts
    that window early by as much; samples are ``POLL_S`` apart). Everything before is the build's.

    >>> phase_peaks([(1, 0.5), (2, 3.0), (3, 1.0), (4, 0.8)], 5.0, {"gates": 2.0, "export": 1.0})
    (0.5, 3.0)
    """
    if "gates" not in timings or not samples:
        return None, None
    gates_end = wall_s - float(timings.get("export", 0.0))
    gates_start = gates_end - float(timings["gates"])
    build = [rss for t, rss in samples if t < gates_start]
    gates = [rss for t, rss in samples if gates_start <= t <= gates_end]
    return (round(max(build), 3) if build else None), (round(max(gates), 3) if gates else None)


def _count_events(warehouse: Path) -> int | None:
    import duckdb

    try:
        con = duckdb.connect(str(warehouse), read_only=True)
        try:
            tables = ["raw.orders", "raw.order_items", "raw.web_sessions", "raw.support_tickets", "raw.plan_changes"]
            return int(sum(con.execute(f"select count(*) from {t}").fetchone()[0] for t in tables))
        finally:
            con.close()
    except duckdb.Error:
        return None


def _last_line(done: subprocess.CompletedProcess) -> str:
    """The user-facing error line of a failed CLI run (sqltrain prints it as `error: ...`)."""
    lines = [line.strip() for line in (done.stdout + "\n" + done.stderr).splitlines()
             if line.strip() and not line.startswith("\t") and "Command being timed" not in line]
    errors = [line for line in lines if "error" in line.lower() or "failed" in line.lower()]
    return (errors or lines or [f"exit {done.returncode}"])[-1][:300]


@dataclass
class CheckRun:
    models: int
    with_compile_s: float
    analysis_only_s: float
    exit_code: int
    summary: str


def check_200_models(workdir: Path, models: int = 200) -> CheckRun:
    """Time ``sqltrain check`` on the generated project of :mod:`bench.check_project`."""
    from bench import check_project as bench_check

    root = bench_check.generate(workdir / "check-project", models)
    env = {**os.environ, "SQLTRAIN_WAREHOUSE": str(root / "bench.duckdb"), "DBT_TARGET_PATH": str(root / "target"),
           "DBT_LOG_PATH": str(root / "logs"), "DO_NOT_TRACK": "1"}
    common = ["--project-dir", str(root), "--profiles-dir", str(root)]
    with_compile, rc, summary = bench_check.timed([*_sqltrain(), "check", *common], env)
    analysis, _, _ = bench_check.timed([*_sqltrain(), "check", "--no-compile", *common], env)
    return CheckRun(models, with_compile, analysis, rc, summary)


@dataclass
class HelpRun:
    median_s: float
    runs: int
    tool: str


def help_startup(runs: int = 10) -> HelpRun:
    command = _sqltrain() + ["--help"]
    hyperfine = shutil.which("hyperfine")
    if hyperfine:
        export = Path(os.environ.get("TMPDIR", "/tmp")) / f"sqltrain-bench-hyperfine-{os.getpid()}.json"
        done = subprocess.run([hyperfine, "--warmup", "2", "--runs", str(runs), "--export-json", str(export),
                               "--style", "none", " ".join(command)], capture_output=True, text=True)
        if done.returncode == 0:
            result = json.loads(export.read_text())["results"][0]
            export.unlink(missing_ok=True)
            return HelpRun(result["median"], runs, "hyperfine")
    subprocess.run(command, capture_output=True)   # warm the file cache
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True)
        times.append(time.perf_counter() - started)
    return HelpRun(statistics.median(times), runs, "repeated subprocess timing")
