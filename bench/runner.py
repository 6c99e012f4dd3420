"""Runs every benchmark of docs/benchmarks.md and returns the figures the report prints.

Order, most telling first so that a run cut short by its time budget still answers the targets:
the headline size (1M x 10M x 100k: every contender, Spark included, on the same tables, results
diffed pairwise; Postgres last, with its own small budget), Postgres beside DuckDB again at 1/10
of the headline size (where the portable SQL completes on Postgres), the point-in-time join with
known_at at the headline size (late rows and ties), the quick end-to-end runs (``--help``,
``check``, ``snapshot`` at scale 1), the wide training sets (10 and 100 sources, 1,000 columns),
``snapshot`` at the larger demo scales (10, then 100: the memory_limit target), the scale-out
figure (capped by its own budget; Spark is stopped after it), then the other two sizes. No job
starts after the deadline, and within a size no contender starts after it either; everything
left out is listed in the report. A contender that fails or times out is recorded as such and
the run goes on: a report with a hole says so, it never stops half-written.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqltrain.sqlquote import identifier
from . import compare, contenders, data, endtoend, scaleout, timing
from .compiled import WIDE_SHAPES, wide_columns, wide_name
from .sizes import DEMO_SCALES, Size, sizes


@dataclass
class ContenderResult:
    name: str
    label: str
    median_s: float | None
    runs_s: list[float]
    rows: int | None = None
    error: str = ""
    stopped_after_s: float | None = None     # stopped by a timeout or memory cap: a lower bound on its time
    notes: dict = field(default_factory=dict)


@dataclass
class Comparison:
    """``diffs[(a, b)]`` is b's diff against a, for every pair of contenders that produced a result."""

    kind: str
    size: Size
    results: list[ContenderResult]
    diffs: dict[tuple[str, str], compare.Diff]
    generate_s: float = 0.0
    drop_reasons: dict[str, dict[str, int]] = field(default_factory=dict)   # contender -> reason -> rows
    file_mb: float | None = None          # the wide shapes: size of the one Parquet file
    shape: tuple[int, int] | None = None  # the wide shapes: (sources, columns per source)

    def result(self, name: str) -> ContenderResult | None:
        return next((r for r in self.results if r.name == name), None)


@dataclass
class Options:
    quick: bool = False
    runs: int = 3
    feast: bool = True
    feast_timeout_s: float = 600          # cap at the first size, where the timeout is FEAST_DECISIVE x sqltrain
    feast_timeout_other_s: float = 45
    scales: tuple[float, ...] = DEMO_SCALES
    snapshot_timeout_s: float = 900
    end_to_end: bool = True
    workdir: Path = Path("/tmp/sqltrain-bench")
    feast_venv: Path | None = None
    command_line: str = ""
    sizes: tuple[Size, ...] | None = None       # instead of the (or --quick's) sizes: tests
    deadline_s: float = 28 * 60                   # no new job starts after this (issue: < 30 min)
    contender_budget_s: float = 20                # no further repeat once a contender's runs add up to this
    spark: bool = True                            # Spark contenders at the headline size, and in the scale-out
    spark_timeout_s: float = 300                  # one Spark query at the headline size
    spark_driver_memory: str = "4g"
    scaleout: bool = True
    scaleout_budget_s: float = 180                # the whole scale-out figure, input generation included
    scaleout_timeout_s: float = 120               # one engine's run at one input size
    scaleout_first_events: int | None = None      # default 10M (quick: 100k)
    known_at: bool = True                         # the point-in-time join with known_at at the headline size
    wide: bool = True                             # the wide shapes (bench.wide)
    wide_timeout_s: float = 120                   # one DuckDB run of a wide shape
    wide_feast_timeout_s: float = 60              # Feast's one run of a wide shape (start-up included)
    wide_size: Size | None = None                 # instead of bench.wide.SIZE (quick: 1/10 of it): tests
    wide_shapes: tuple[tuple[int, int], ...] = WIDE_SHAPES   # (sources, columns per source)
    postgres: bool = True                         # Postgres contenders at the headline size and at 1/10 of it
    postgres_timeout_s: float = 60                # one Postgres query (statement_timeout)
    postgres_budget_s: float = 180                # Postgres at one size: the load and both queries
    postgres_cluster: object | None = None        # a running LocalCluster to use (and leave running): tests


@dataclass
class Report:
    options: Options
    machine: dict
    load_start: str
    load_end: str = ""
    feast_version: str | None = None
    feast_problem: str | None = None
    comparisons: list[Comparison] = field(default_factory=list)
    snapshots: list[endtoend.SnapshotRun] = field(default_factory=list)
    check: endtoend.CheckRun | None = None
    help: endtoend.HelpRun | None = None
    compile_s: float = 0.0
    elapsed_s: float = 0.0
    skipped: list[str] = field(default_factory=list)     # jobs the time budget left out
    spark_version: str | None = None
    spark_problem: str | None = None
    spark_start_s: float = 0.0                   # JVM start + dbt compile for the spark adapter
    scaleout: scaleout.ScaleOut | None = None
    job_s: list[tuple[str, float]] = field(default_factory=list)   # each job's wall time, in run order
    postgres_version: str | None = None
    postgres_problem: str | None = None
    postgres_start_s: float = 0.0                # initdb + start + dbt compile for the postgres adapter
    postgres_load_s: dict[str, float | str] = field(default_factory=dict)   # size label -> load seconds (or why not)


# noqa reason: one run's job list in order; its branches are the options that drop jobs, and the jobs are
# closures over one deadline and one lazily compiled macro set, which splitting would thread through every job.
def run_benchmarks(options: Options | None = None, log=print) -> Report:  # noqa: C901
    """Run everything ``options`` asks for and return the figures (nothing is written here)."""
    options = options or Options()
    started = time.perf_counter()
    report = Report(options, timing.machine(), timing.load_average())
    log(f"machine: {report.machine['cores']} cores, {report.machine['memory_gib']} GiB; load {report.load_start}")
    work = options.workdir
    work.mkdir(parents=True, exist_ok=True)
    repo = _repo()

    feast_env = None
    if options.feast:
        from .feast_env import ensure

        feast_env = ensure(options.feast_venv or repo / ".bench" / "feast-venv")
        report.feast_version, report.feast_problem = feast_env.version, feast_env.problem
        log(f"feast: {feast_env.version or 'unavailable'} {feast_env.problem or ''}")
    else:
        report.feast_problem = "Feast skipped (--no-feast)"

    compiled = []

    def macros():
        """dbt compiles the macros once, when the first size needs them."""
        if not compiled:
            from .compiled import compile_macros

            t0 = time.perf_counter()
            compiled.append(compile_macros(work, wide_shapes=options.wide_shapes if options.wide else ()))
            report.compile_s = time.perf_counter() - t0
            log(f"dbt compiled the macros in {report.compile_s:.1f} s")
        return compiled[0]

    feast_ready = feast_env if feast_env and feast_env.python else None
    deadline = started + options.deadline_s
    spark = _Spark(options, report, repo, log)
    postgres = _Postgres(options, report, log)

    def remaining() -> float:
        return deadline - time.perf_counter()

    def size_job(index: int, size: Size):
        def job():
            report.comparisons.extend(_run_size(index, size, options, macros(), feast_ready, log, remaining,
                                                spark if index == 0 else None, report.skipped,
                                                postgres if index == 0 else None))
        return f"point-in-time join and windowed aggregates at {size.label}", job

    def postgres_small_job():
        # where the headline is too big for the portable SQL on Postgres, this size still compares the engines
        small = all_sizes[0][1].scaled(POSTGRES_SMALL)
        if postgres.ready() is None:
            return
        report.comparisons.extend(_run_size(len(all_sizes), small, options, macros(), None, log, remaining,
                                            skipped=report.skipped, postgres=postgres, only=("sqltrain", "postgres")))
        postgres.stop()

    scaleout_done = False

    def scaleout_job():
        nonlocal scaleout_done
        scaleout_done = True
        ready = spark.ready()
        first = options.scaleout_first_events or (scaleout.QUICK_FIRST_EVENTS if options.quick else scaleout.FIRST_EVENTS)
        budget = max(0.0, min(options.scaleout_budget_s, remaining()))
        report.scaleout = scaleout.measure(
            macros().point_in_time_join, ready.compiled.point_in_time_join if ready else None,
            ready.session if ready else None, work, options.scaleout_timeout_s, budget, first, options.spark_driver_memory, log)
        if ready is None and options.spark:
            report.scaleout.stopped_by["spark"] = f"not run: {report.spark_problem}"
        spark.stop()      # Spark is done: its JVM's memory goes back before the other sizes

    def known_at_job():
        size = (options.sizes or sizes(options.quick))[0]
        report.comparisons.append(_run_known_at(size, options, macros(), feast_ready, log, remaining, report.skipped))

    def wide_job():
        report.comparisons.extend(_run_wide(options, macros(), feast_ready, log, remaining, report.skipped))

    def snapshot_job(scale: float):
        def job():
            # a slow big scale must not eat the scale-out figure's turn: its budget is kept aside
            reserved = options.scaleout_budget_s if options.scaleout and not scaleout_done else 0.0
            timeout = max(60.0, min(options.snapshot_timeout_s, remaining() - reserved))
            run = endtoend.snapshot_at_scale(repo, work / "e2e", scale, timeout)
            log(f"sqltrain snapshot at scale {scale:g}: {'ok' if run.ok else 'FAILED ' + run.error} "
                f"{run.wall_s:.1f} s, peak {run.peak_rss_gib or 0:.2f} GiB")
            report.snapshots.append(run)
        return f"sqltrain snapshot at demo scale {scale:g}", job

    def help_job():
        report.help = endtoend.help_startup()
        log(f"sqltrain --help: {report.help.median_s:.3f} s ({report.help.tool})")

    def check_job():
        report.check = endtoend.check_200_models(work)
        log(f"sqltrain check, {report.check.models} models: {report.check.with_compile_s:.1f} s")

    # Most telling first, so a run cut short by its time budget still answers the headline targets.
    all_sizes = list(enumerate(options.sizes or sizes(options.quick)))
    scales = list(options.scales) if options.end_to_end else []
    jobs = [size_job(*all_sizes[0])] if all_sizes else []
    if options.postgres and all_sizes:
        jobs.append((f"Postgres beside DuckDB at {all_sizes[0][1].scaled(POSTGRES_SMALL).label}", postgres_small_job))
    if options.known_at and all_sizes:
        jobs.append((f"point-in-time join with known_at at {all_sizes[0][1].label}", known_at_job))
    if options.end_to_end:
        jobs += [("sqltrain --help start-up", help_job), ("sqltrain check on 200 models", check_job)]
        jobs += [snapshot_job(s) for s in scales[:1]]
    if options.wide:
        jobs.append(("wide training sets (" + ", ".join(f"{s} sources x {p} columns" for s, p in options.wide_shapes) + ")",
                     wide_job))
    jobs += [snapshot_job(s) for s in scales[1:]]
    if options.scaleout:
        jobs.append(("the scale-out figure", scaleout_job))
    jobs += [size_job(*item) for item in all_sizes[1:]]
    try:
        for name, job in jobs:
            if remaining() <= 0:
                report.skipped.append(name)
                log(f"skipped (time budget of {options.deadline_s / 60:.0f} min spent): {name}")
                continue
            t0 = time.perf_counter()
            job()
            report.job_s.append((name, time.perf_counter() - t0))
    finally:
        spark.stop()
        postgres.stop()

    report.load_end = timing.load_average()
    report.elapsed_s = time.perf_counter() - started
    return report


def _repo() -> Path:
    from .compiled import repository_root

    return repository_root()


class _LazyEngine:
    """An engine the benchmark starts on first use and stops once; ``ready()`` is None when it is
    off or broken, and the report's ``<key>_problem`` says why (``<key>_start_s``: its start-up)."""

    key = label = ""

    def __init__(self, options: Options, report: Report, log, enabled: bool):
        self.options, self.report, self.log = options, report, log
        self.compiled = None
        self.stopped = False
        if not enabled:
            self._problem = f"{self.label} skipped (--no-{self.key})"

    @property
    def _problem(self) -> str | None:
        return getattr(self.report, f"{self.key}_problem")

    @_problem.setter
    def _problem(self, value: str | None) -> None:
        setattr(self.report, f"{self.key}_problem", value)

    def _started(self) -> bool:
        raise NotImplementedError

    def _start(self) -> None:
        """Start the engine and compile the macros for its adapter (sets ``compiled``)."""
        raise NotImplementedError

    def _close(self) -> None:
        raise NotImplementedError

    def ready(self):
        if not self._started() and not self.stopped and self._problem is None:
            t0 = time.perf_counter()
            try:
                self._start()
            except Exception as error:  # no runtime, no extra, a broken compile: the page says so
                self._problem = f"{type(error).__name__}: {' '.join(str(error).split())[:300]}"
                self.stop()
            seconds = time.perf_counter() - t0
            setattr(self.report, f"{self.key}_start_s", seconds)
            self.log(f"{self.key}: {self._problem or f'started and compiled in {seconds:.1f} s'}")
        return self if self._started() and self.compiled is not None else None

    def stop(self) -> None:
        self._close()
        self.stopped = True


class _Spark(_LazyEngine):
    """The benchmark's one Spark session (JVM, then ``dbt compile`` for the spark adapter in this process)."""

    key, label = "spark", "Spark"

    def __init__(self, options: Options, report: Report, repo: Path, log):
        self.repo, self.session = repo, None
        super().__init__(options, report, log, options.spark)

    def _started(self) -> bool:
        return self.session is not None

    def _start(self) -> None:
        from importlib import metadata

        from . import spark_engine
        from .compiled import compile_macros_for_spark

        self.session = spark_engine.start(self.repo, self.options.workdir, self.options.spark_driver_memory)
        self.report.spark_version = metadata.version("pyspark")
        self.compiled = compile_macros_for_spark(self.options.workdir)

    def _close(self) -> None:
        if self.session is not None:
            from . import spark_engine

            spark_engine.stop(self.session)
            self.session = None


POSTGRES_SMALL = 0.1     # the second Postgres size, x the headline's


class _Postgres(_LazyEngine):
    """The benchmark's one PostgreSQL cluster (initdb, start, then ``dbt compile`` for the postgres
    adapter against it), removed once. ``begin(size)`` loads a size's inputs and starts its budget,
    which counts Postgres' own time only (the load, each query and its fetch), not the other
    contenders' in between."""

    key, label = "postgres", "Postgres"

    def __init__(self, options: Options, report: Report, log):
        self.cluster = self.con = None
        self.budget_s = options.postgres_budget_s
        self.spent_s = 0.0               # Postgres' own time at the current size: load, queries, fetches
        super().__init__(options, report, log, options.postgres)

    def _started(self) -> bool:
        return self.con is not None

    def _start(self) -> None:
        from sqltrain.postgres.cluster import LocalCluster

        from . import postgres_engine
        from .compiled import compile_macros_for_postgres

        self.cluster = self.options.postgres_cluster or LocalCluster.create()
        self.con = postgres_engine.connect(self.cluster.env())
        self.report.postgres_version = postgres_engine.version(self.con)
        self.compiled = compile_macros_for_postgres(self.options.workdir, self.cluster.env())

    def begin(self, size: Size, duck, remaining) -> bool:
        """Load ``size``'s inputs from the DuckDB connection ``duck``; False (and the reason in the
        report) when the load failed or ran past the size's budget."""
        from . import postgres_engine

        self.budget_s = max(0.0, min(self.options.postgres_budget_s, remaining()))
        self.spent_s = 0.0
        try:
            seconds = postgres_engine.load_inputs(self.con, duck, self.budget_s)
        except Exception as error:
            why = "stopped (the size's budget)" if isinstance(error, postgres_engine.PostgresTimeout) else str(error)
            self.report.postgres_load_s[size.label] = f"{why}"[:300]
            self.log(f"[{size.label}] postgres load: {why}")
            return False
        self.spent_s = seconds
        self.report.postgres_load_s[size.label] = seconds
        self.log(f"[{size.label}] postgres: inputs loaded with COPY in {seconds:.1f} s")
        return True

    def query_timeout(self) -> float:
        """Seconds the next query may take: the per-query timeout within what is left of the size's budget."""
        return min(self.options.postgres_timeout_s, self.budget_s - self.spent_s)

    def charge(self, seconds: float) -> None:
        """Count ``seconds`` of Postgres work (a query and its fetch) against the size's budget."""
        self.spent_s += seconds

    def _close(self) -> None:
        if self.con is not None:
            self.con.close()
            self.con = None
        if self.cluster is not None and self.cluster is not self.options.postgres_cluster:
            self.cluster.destroy()
        self.cluster = None


def _run_size(index: int, size: Size, options: Options, macros, feast_env, log, remaining,
              spark: _Spark | None = None, skipped: list[str] | None = None, postgres: _Postgres | None = None,
              only: tuple[str, ...] | None = None) -> list[Comparison]:
    """Every contender at ``size`` (``only`` these, when given), Spark and Postgres where passed."""
    import duckdb

    directory = options.workdir / f"size-{index}"
    spark = spark.ready() if spark is not None else None     # the JVM start is not the inputs' time
    postgres = postgres.ready() if postgres is not None else None
    t0 = time.perf_counter()
    inputs = data.generate(size, directory)
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET enable_progress_bar = false")
    data.load_duckdb(con, inputs)
    ctx = contenders.Context(
        con=con, spine_df=inputs.spine.to_pandas(), events_df=inputs.events.to_pandas(),
        spine_parquet=inputs.spine_parquet, events_parquet=inputs.events_parquet, workdir=directory,
        compiled_pit=macros.point_in_time_join, compiled_window=macros.window_aggregates, feast=feast_env,
        compiled_pit_unique=macros.point_in_time_join_unique if index == 0 else "",
        feast_timeout_s=options.feast_timeout_other_s)
    if spark is not None:
        from . import spark_engine

        spark_engine.register_inputs(spark.session, inputs.spine_parquet, inputs.events_parquet)
        ctx.spark, ctx.spark_timeout_s = spark.session, options.spark_timeout_s
        ctx.spark_pit, ctx.spark_window = spark.compiled.point_in_time_join, spark.compiled.window_aggregates
    generate_s = time.perf_counter() - t0
    log(f"[{size.label}] inputs ready in {generate_s:.1f} s")
    out = []
    try:
        if postgres is not None and postgres.begin(size, con, remaining):
            ctx.postgres, ctx.postgres_pit, ctx.postgres_window = (
                postgres, postgres.compiled.point_in_time_join, postgres.compiled.window_aggregates)
        for kind, field_names, empty, group in (
                ("pit", contenders.PIT_COLUMNS, "value is null",
                 contenders.pit_contenders(feast_env is not None, spark is not None, bool(ctx.compiled_pit_unique))),
                ("window", contenders.WINDOW_COLUMNS, "n_90d = 0", contenders.window_contenders(spark is not None))):
            group = group + ([contenders.postgres_contender(kind)] if ctx.postgres is not None else [])
            group = [c for c in group if only is None or c.name in only]
            out.append(_compare(kind, size, group, field_names, empty, ctx, options, log, remaining, skipped, generate_s,
                                headline=index == 0))
    finally:
        con.close()
        shutil.rmtree(directory, ignore_errors=True)
    return out


def _run_known_at(size: Size, options: Options, macros, feast_env, log, remaining,
                  skipped: list[str] | None = None) -> Comparison:
    """The point-in-time join with known_at at ``size``: late rows and ties (data.generate_known_at)."""
    import duckdb

    directory = options.workdir / "known-at"
    t0 = time.perf_counter()
    inputs = data.generate_known_at(size, directory)
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.execute("SET enable_progress_bar = false")
        data.load_duckdb(con, inputs)
        ctx = contenders.Context(
            con=con, spine_df=inputs.spine.to_pandas(), events_df=inputs.events.to_pandas(),
            spine_parquet=inputs.spine_parquet, events_parquet=inputs.events_parquet, workdir=directory,
            compiled_pit=macros.point_in_time_join_known_at, feast=feast_env,
            feast_timeout_s=options.feast_timeout_other_s, feast_created="known_at")
        generate_s = time.perf_counter() - t0
        log(f"[known_at {size.label}] inputs ready in {generate_s:.1f} s")
        return _compare("pit_known_at", size, contenders.pit_known_at_contenders(feast_env is not None),
                        contenders.PIT_COLUMNS, "value is null", ctx, options, log, remaining, skipped, generate_s)
    finally:
        con.close()
        shutil.rmtree(directory, ignore_errors=True)


def _run_wide(options: Options, macros, feast_env, log, remaining, skipped: list[str] | None = None) -> list[Comparison]:
    """The wide shapes of :mod:`bench.wide` over one generated file: 10 and 100 sources."""
    import duckdb

    from . import wide

    directory = options.workdir / "wide"
    t0 = time.perf_counter()
    size = options.wide_size or (wide.SIZE.scaled(0.1) if options.quick else wide.SIZE)
    spine, events = wide.generate(directory, size, columns=max(s * p for s, p in options.wide_shapes))
    generate_s = time.perf_counter() - t0
    log(f"[wide {size.label}] inputs ready in {generate_s:.1f} s ({events.stat().st_size / 1e6:.0f} MB of Parquet)")
    out = []
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.execute("create table bench_spine as select * from read_parquet(?)", [str(spine)])
        for shape in options.wide_shapes:
            ctx = contenders.Context(con=con, spine_df=None, events_df=None, spine_parquet=spine, events_parquet=events,
                                     workdir=directory, compiled_pit=(macros.wide or {}).get(shape, ""), feast=feast_env,
                                     wide=shape, child_timeout_s=options.wide_timeout_s)
            columns = [c for i in range(shape[0]) for c in wide_columns(i, shape[1])]
            comparison = _compare(wide_name(shape), size, wide.contenders(feast_env is not None), columns, "f0000 is null", ctx,
                                  options, log, remaining, skipped, generate_s, feast_timeout_s=options.wide_feast_timeout_s)
            comparison.file_mb, comparison.shape = round(events.stat().st_size / 1e6, 1), shape
            out.append(comparison)
    finally:
        con.close()
        shutil.rmtree(directory, ignore_errors=True)
    return out


def _compare(kind: str, size: Size, group, field_names: list[str], empty: str, ctx, options: Options, log, remaining,
             skipped: list[str] | None, generate_s: float, headline: bool = False,
             feast_timeout_s: float | None = None) -> Comparison:
    """Run ``group`` in order (sqltrain first, always; the others within the time budget), then
    diff every pair of results row by row and drop the result tables."""
    con = ctx.con
    results = []
    for c in group:
        if results and remaining() <= 0:
            results.append(ContenderResult(c.name, c.label, None, [], error="not run (time budget)"))
            if skipped is not None:
                skipped.append(f"{c.name} ({kind}) at {size.label}")
            continue
        if c.name == "feast":
            ctx.feast_timeout_s = (_feast_timeout(headline, options, results, remaining) if feast_timeout_s is None
                                   else max(10.0, min(feast_timeout_s, remaining() - 60)))
        results.append(_measure(c, ctx, options.runs, options.contender_budget_s, log, f"[{size.label}] {kind}"))
    done = [r for r in results if r.median_s is not None]
    diffs = {}
    for i, a in enumerate(done):
        for b in done[i + 1:]:
            forward = compare.diff_results(con, f"res_{a.name}", f"res_{b.name}", field_names)
            diffs[(a.name, b.name)] = forward
            # identical one way means identical the other; otherwise count from b's side too
            diffs[(b.name, a.name)] = forward if forward.identical else compare.diff_results(
                con, f"res_{b.name}", f"res_{a.name}", field_names)
    reasons = {}
    if done:
        reference = done[0].name
        for r in done[1:]:
            if diffs[(reference, r.name)].dropped:
                reasons[r.name] = _drop_reasons(con, reference, r.name, empty)
    for r in done:
        r.rows = con.execute(f"select count(*) from {identifier('res_' + r.name)}").fetchone()[0]
        con.execute(f"drop table {identifier('res_' + r.name)}")
    return Comparison(kind, size, results, diffs, generate_s, reasons)


FEAST_DECISIVE = 22   # x sqltrain's time: a Feast run stopped there is > 20x slower, which decides the target
FEAST_STARTUP_S = 30  # the timeout covers Feast's imports, registry and spine read before its timed call


def _feast_timeout(headline: bool, options: Options, results: list[ContenderResult], remaining) -> float:
    """At the headline size Feast gets long enough to decide the "20x faster" target (capped by
    --feast-timeout), elsewhere --feast-timeout-other; never more than the time budget left."""
    timeout = options.feast_timeout_other_s
    sqltrain = next((r for r in results if r.name == "sqltrain" and r.median_s), None)
    if headline:
        decisive = FEAST_DECISIVE * sqltrain.median_s + FEAST_STARTUP_S if sqltrain else options.feast_timeout_s
        timeout = min(options.feast_timeout_s, max(60.0, decisive))
    return max(10.0, min(timeout, remaining() - 60))


def _drop_reasons(con, reference: str, candidate: str, empty: str) -> dict[str, int]:
    """Why rows went missing: a repeated (entity, cutoff) spine pair, or no visible feature in
    the reference result (``empty``), or neither."""
    row = con.execute(f"""
        with pairs as (
            select row_id, count(*) over (partition by entity_id, as_of_ts) > 1 as repeated from bench_spine
        ), missing as (
            select r.*, p.repeated from res_{reference} as r join pairs as p using (row_id)
            where r.row_id not in (select row_id from res_{candidate})
        )
        select count(*) filter (where repeated),
               count(*) filter (where not repeated and {empty}),
               count(*) filter (where not repeated and not ({empty}))
        from missing
    """).fetchone()
    return {"repeated (entity, cutoff) pair": int(row[0]), "no visible feature at the cutoff": int(row[1]),
            "other": int(row[2])}


def _measure(contender, ctx, runs: int, budget_s: float, log, where: str) -> ContenderResult:
    ctx.extra.clear()
    try:
        t = timing.median_of(lambda: contender.run(ctx), contender.runs or runs, budget_s)
    except contenders.ContenderFailed as failure:
        log(f"{where} {contender.name}: {failure}")
        return ContenderResult(contender.name, contender.label, None, [], error=str(failure),
                               stopped_after_s=failure.stopped_after_s, notes=dict(ctx.extra))
    except Exception as error:  # a contender's crash is a result to report, not a reason to stop
        message = " ".join(str(error).split())[:300]
        log(f"{where} {contender.name}: failed: {message}")
        return ContenderResult(contender.name, contender.label, None, [], error=f"{type(error).__name__}: {message}")
    log(f"{where} {contender.name}: {t.median_s:.2f} s (runs {t.spread})")
    return ContenderResult(contender.name, contender.label, t.median_s, t.runs_s, notes=dict(ctx.extra))

