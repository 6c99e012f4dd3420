"""The benchmark harness at a tiny size: every contender agrees, and the row-by-row diff
catches a planted mismatch, a dropped row and a duplicated one."""

from __future__ import annotations

import os
import sys

import duckdb
import pytest

from bench import compare, contenders, data
from bench.endtoend import SnapshotRun
from bench.report import write
from bench.runner import Options, run_benchmarks
from bench.sizes import Size

TINY = Size(spine=300, events=3_000, entities=30)


@pytest.fixture
def loaded(tmp_path):
    inputs = data.generate(TINY, tmp_path / "inputs")
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    data.load_duckdb(con, inputs)
    ctx = contenders.Context(con=con, spine_df=inputs.spine.to_pandas(), events_df=inputs.events.to_pandas(),
                             spine_parquet=inputs.spine_parquet, events_parquet=inputs.events_parquet, workdir=tmp_path)
    yield ctx
    con.close()


def test_generated_spine_has_the_traps_the_comparison_relies_on(loaded):
    con = loaded.con
    exact = con.execute("select count(*) from bench_spine s semi join bench_events e "
                        "on s.entity_id = e.entity_id and s.as_of_ts = e.event_ts").fetchone()[0]
    absent = con.execute("select count(*) from bench_spine s anti join bench_events e using (entity_id)").fetchone()[0]
    ties = con.execute("select count(*) - count(distinct (entity_id, event_ts)) from bench_events").fetchone()[0]
    assert exact > 0 and absent > 0 and ties == 0
    assert con.execute("select count(*) from bench_events").fetchone()[0] == TINY.events


def test_planted_mismatch_drop_and_duplicate_are_reported(loaded):
    contenders.pit_duckdb_asof(loaded)
    contenders.pit_pandas(loaded)
    con = loaded.con
    assert compare.diff_results(con, "res_duckdb_asof", "res_pandas", ["value"]).identical

    changed = con.execute("select min(row_id) from res_pandas where value is not null").fetchone()[0]
    con.execute(f"update res_pandas set value = value + 1 where row_id = {changed}")
    con.execute("delete from res_pandas where row_id = 7")
    con.execute("insert into res_pandas select * from res_pandas where row_id = 9")
    diff = compare.diff_results(con, "res_duckdb_asof", "res_pandas", ["value"])
    assert (diff.dropped, diff.extra, diff.mismatched, diff.rows) == (1, 1, 1, TINY.spine)
    assert set(diff.examples) >= {7, min(changed, 7)} and not diff.identical


# the latest visible row by brute force: every visible row of the entity, ranked as sqltrain ranks
BRUTE_FORCE_KNOWN_AT = """
select s.row_id, arg_max(e.value, (e.event_ts, e.known_at, e.value)) as value
from bench_spine as s
left join bench_events as e
    on e.entity_id = s.entity_id and e.event_ts <= s.as_of_ts and e.known_at <= s.as_of_ts
group by s.row_id"""


def test_known_at_inputs_have_late_rows_ties_and_the_hand_written_query_is_right(tmp_path):
    inputs = data.generate_known_at(TINY, tmp_path / "inputs")
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    data.load_duckdb(con, inputs)
    late, ties, same_known, at_known = con.execute("""
        select (select avg((known_at > event_ts)::int) from bench_events),
               (select count(*) - count(distinct (entity_id, event_ts)) from bench_events),
               (select count(*) - count(distinct (entity_id, event_ts, known_at)) from bench_events),
               (select count(*) from bench_spine s semi join bench_events e
                    on s.entity_id = e.entity_id and s.as_of_ts = e.known_at and e.known_at > e.event_ts)
    """).fetchone()
    assert 0.15 < late < 0.25 and ties > 0 and same_known > 0 and at_known > 0
    ctx = contenders.Context(con=con, spine_df=None, events_df=None, spine_parquet=inputs.spine_parquet,
                             events_parquet=inputs.events_parquet, workdir=tmp_path)
    contenders.pit_known_at_hand(ctx)
    contenders.pit_duckdb_asof(ctx)
    con.execute(f"create table res_brute as {BRUTE_FORCE_KNOWN_AT}")
    assert compare.diff_results(con, "res_brute", "res_hand_split", ["value"]).identical
    # the floor ignores known_at: it reads late rows before they land
    assert compare.diff_results(con, "res_brute", "res_duckdb_asof", ["value"]).mismatched > 0


def test_wide_hand_written_query_has_one_narrow_asof_join_per_source():
    from bench import wide

    sql = wide.hand_written(3, 2)
    assert (wide.asof_join_count(sql), wide.join_count(sql)) == (3, 6) and "v2.f0005" in sql
    assert "from wide_spine as s asof left join wide_v2" in sql


def test_window_contenders_agree_with_each_other(loaded):
    for run in (contenders.window_range_join, contenders.window_frames, contenders.window_pandas):
        run(loaded)
    con = loaded.con
    for other in ("window_frames", "pandas"):
        assert compare.diff_results(con, "res_range_join", f"res_{other}", contenders.WINDOW_COLUMNS).identical
    assert con.execute("select sum(n_90d) > sum(n_7d) and sum(s_30d) > 0 from res_range_join").fetchone()[0]


@pytest.mark.slow
def test_harness_end_to_end_at_a_tiny_size_writes_page_and_chart(tmp_path):
    wide_size = Size(spine=200, events=60, entities=20)
    options = Options(runs=1, feast=False, spark=False, postgres=False, scaleout=False, end_to_end=False,
                      workdir=tmp_path / "work", sizes=(TINY,), wide_size=wide_size, wide_shapes=((2, 40), (12, 1)))
    report = run_benchmarks(options, log=lambda _line: None)
    kinds = {c.kind: c for c in report.comparisons}
    assert set(kinds) == {"pit", "window", "pit_known_at", "wide_2x40", "wide_12x1"}
    for c in report.comparisons:
        spine = wide_size.spine if c.kind.startswith("wide") else TINY.spine
        assert all(r.median_s is not None and r.rows == spine for r in c.results), c.results
        if c.kind != "pit_known_at":
            assert all(d.identical for d in c.diffs.values()), (c.kind, c.diffs)
    assert kinds["pit"].result("sqltrain_unique").median_s is not None
    known_at = kinds["pit_known_at"]
    assert known_at.diffs[("sqltrain", "hand_split")].identical
    assert known_at.diffs[("sqltrain", "duckdb_asof")].mismatched > 0
    for name, sources in (("wide_2x40", 2), ("wide_12x1", 12)):
        sq = kinds[name].result("sqltrain")
        assert sq.notes["peak_rss_gib"] > 0 and sq.notes["ASOF joins in the compiled SQL"] == sources

    page, image = write(report, tmp_path / "docs" / "benchmarks.md")
    text = page.read_text()
    assert "| target | measured | status |" in text
    assert "PIT join within 1.2x of the hand-written ASOF JOIN" in text
    assert "PIT join with known_at within 2.5x of the bare ASOF JOIN" in text
    assert "where the project's tests make ties impossible" in text
    assert "one point_in_time_join call over 12 sources (12 columns) costs one ASOF JOIN per source" in text
    assert "img/benchmarks.png" in text and image.read_bytes().startswith(b"\x89PNG")


def test_a_spent_time_budget_skips_jobs_and_the_page_says_so(tmp_path):
    options = Options(feast=False, scales=(1, 10, 100), workdir=tmp_path / "work", sizes=(TINY, TINY), deadline_s=0)
    report = run_benchmarks(options, log=lambda _line: None)
    assert report.comparisons == [] and report.snapshots == [] and report.scaleout is None
    # the order of the time plan: headline size, Postgres at a tenth of it, known_at, quick CLI runs, wide, the big demo
    # scales, scale-out, the others
    assert report.skipped == [
        f"point-in-time join and windowed aggregates at {TINY.label}", f"Postgres beside DuckDB at {TINY.scaled(0.1).label}",
        f"point-in-time join with known_at at {TINY.label}",
        "sqltrain --help start-up", "sqltrain check on 200 models", "sqltrain snapshot at demo scale 1",
        "wide training sets (10 sources x 100 columns, 100 sources x 10 columns)", "sqltrain snapshot at demo scale 10",
        "sqltrain snapshot at demo scale 100", "the scale-out figure",
        f"point-in-time join and windowed aggregates at {TINY.label}"]
    text = write(report, tmp_path / "benchmarks.md")[0].read_text()
    assert "Not run, because the run's time budget" in text
    assert "| `sqltrain snapshot` at demo scale 1 under 8 s | not run (time budget) | **not measured** |" in text


def test_the_scale_1_target_is_judged_on_the_warm_snapshot_and_both_rows_are_shown(tmp_path):
    report = run_benchmarks(Options(feast=False, scales=(1,), workdir=tmp_path / "work", sizes=(TINY,), deadline_s=0),
                            log=lambda _line: None)
    timings = {"parse": 1.0, "build": 3.0, "gates": 2.0, "export": 0.5}
    cold = SnapshotRun(1, True, 0, 19.0, 0.9, 4.0, rows=69_000, events=1_000_000, timings=timings, queries_s=2.0,
                       warm=SnapshotRun(1, True, 0, 7.5, 0.8, 0.0, rows=68_000, events=1_000_000,
                                        timings={**timings, "parse": 0.5}, queries_s=2.0))
    report.snapshots.append(cold)
    text = write(report, tmp_path / "benchmarks.md")[0].read_text()
    assert "| `sqltrain snapshot` at demo scale 1 under 8 s | warm 7.5 s end to end (judged); cold 19.0 s | **met** |" in text
    assert "| 1, cold | 1,000,000 | 69,000 | 19.0 |" in text and "| 1, warm | 1,000,000 | 68,000 | 7.5 |" in text
    assert "judged on the warm run" in text
    cold.warm.wall_s = 8.5
    text = write(report, tmp_path / "benchmarks.md")[0].read_text()
    assert "| warm 8.5 s end to end (judged); cold 19.0 s | **not met** |" in text


def test_repeats_stop_once_the_budget_is_spent():
    from bench.timing import median_of

    calls = []
    timing = median_of(lambda: calls.append(1) or 5.0, runs=5, budget_s=12)
    assert len(calls) == 3 and timing.median_s == 5.0 and timing.runs_s == [5.0, 5.0, 5.0]


def test_a_timeout_or_a_memory_cap_ends_the_whole_process_group():
    from bench.processes import run_bounded, session_rss_gib

    stopped = run_bounded(["sh", "-c", "sleep 30 & sleep 30"], timeout_s=0.5)
    assert stopped.done is None and stopped.stopped == "timeout"
    grown = run_bounded([sys.executable, "-c", "import time; b = bytearray(300 << 20); time.sleep(30)"],
                        timeout_s=30, rss_cap_gib=0.2)
    assert grown.stopped == "memory" and grown.peak_rss_gib > 0.2
    finished = run_bounded(["sh", "-c", "echo done"], timeout_s=30)
    assert finished.stopped is None and finished.done.stdout.strip() == "done"
    assert session_rss_gib(os.getsid(0)) > 0


def test_a_child_that_ends_before_the_first_sample_still_reports_its_own_peak_memory():
    from bench.processes import result_of, run_bounded

    ballast = bytearray(400 << 20)            # this process's peak: a forked child must not inherit it
    ballast[::4096] = b"\x01" * len(ballast[::4096])
    code = "from bench.processes import report_result; b = bytearray({mib} << 20); b[::4096] = b'x' * len(b[::4096]); " \
           "report_result(seconds=0.01)"
    peaks = {}
    for mib in (0, 120):
        fields, peaks[mib], error = result_of(run_bounded([sys.executable, "-c", code.format(mib=mib)], timeout_s=30))
        assert fields == {"seconds": 0.01} and error == ""
    assert peaks[0] < 0.1 < peaks[120] < 0.3, peaks
    del ballast


@pytest.mark.parametrize("module", ["bench.compare", "bench.charts", "bench.processes"])
def test_docstring_examples_run(module):
    import doctest
    import importlib

    failed, attempted = doctest.testmod(importlib.import_module(module))
    assert attempted > 0 and failed == 0
