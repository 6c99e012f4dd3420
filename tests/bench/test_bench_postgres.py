"""Postgres in the benchmark at a tiny size (the session's cluster): the macros compiled for the
postgres adapter agree with DuckDB row by row, at the size and at its tenth, and a query past its
statement timeout is reported as stopped."""

from __future__ import annotations

import pytest

from bench import contenders, postgres_engine
from bench.report import write
from bench.runner import Options, run_benchmarks
from bench.sizes import Size

TINY = Size(spine=300, events=3_000, entities=30)


@pytest.fixture(scope="module")
def pg_bench(pg_cluster, tmp_path_factory):
    work = tmp_path_factory.mktemp("bench-postgres")
    options = Options(sizes=(TINY,), runs=1, feast=False, spark=False, scaleout=False, known_at=False, wide=False,
                      end_to_end=False, workdir=work, postgres_cluster=pg_cluster, postgres_timeout_s=60)
    report = run_benchmarks(options, log=lambda line: None)
    page, _ = write(report, work / "benchmarks.md")
    return report, page.read_text()


def test_postgres_contenders_match_duckdb_row_by_row_at_both_sizes(pg_bench):
    report, page = pg_bench
    assert report.postgres_problem is None and report.postgres_version
    ran = [(c.kind, c.size.spine) for c in report.comparisons if c.result("postgres")]
    assert ran == [("pit", 300), ("window", 300), ("pit", 30), ("window", 30)]
    for c in report.comparisons:
        pg = c.result("postgres")
        assert pg.median_s is not None and pg.rows == c.size.spine, (c.kind, pg)
        assert c.diffs[("sqltrain", "postgres")].identical, (c.kind, c.diffs[("sqltrain", "postgres")])
    assert "## PostgreSQL" in page and "| point-in-time join at 300 x 3k x 30 |" in page
    assert "| windowed aggregates at 30 x 300 x 3 |" in page and "identical |" in page


def test_a_postgres_query_past_its_timeout_is_stopped_and_a_wrong_result_is_caught(pg_cluster, tmp_path):
    import duckdb

    class Engine:       # runner._Postgres' interface, over the session's cluster
        con = postgres_engine.connect(pg_cluster.env())
        budget_s = 1.0

        def query_timeout(self):
            return self.budget_s

        def charge(self, seconds):
            pass

    # the benchmark's schema (its connection's search path), whichever test of the session ran first
    Engine.con.execute(f"create schema if not exists {postgres_engine.SCHEMA}")
    duck = duckdb.connect()
    duck.execute("create table bench_spine as select range as row_id from range(3)")
    ctx = contenders.Context(con=duck, spine_df=None, events_df=None, spine_parquet=None, events_parquet=None,
                             workdir=tmp_path, postgres=Engine())
    ctx.postgres_pit = "select row_id, pg_sleep(3)::text as value from generate_series(0, 2) as g(row_id)"
    with pytest.raises(contenders.ContenderFailed, match=r"stopped \(timeout 1 s\)") as stopped:
        contenders.pit_postgres(ctx)
    assert stopped.value.stopped_after_s == 1.0
    # a result is fetched as it is: one row short and one value off is what the comparison sees
    ctx.postgres_pit = "select row_id, case when row_id = 1 then 7 end as value from generate_series(0, 1) as g(row_id)"
    contenders.pit_postgres(ctx)
    assert duck.execute("select row_id, value from res_postgres order by row_id").fetchall() == [(0, None), (1, 7.0)]
    Engine.con.close()


def test_the_postgres_budget_counts_postgres_time_only():
    from bench.runner import Report, _Postgres

    options = Options(postgres_timeout_s=60, postgres_budget_s=100)
    engine = _Postgres(options, Report(options, {}, ""), log=lambda line: None)
    engine.budget_s, engine.spent_s = 100, 25          # the load
    assert engine.query_timeout() == 60                # other contenders' time in between is not Postgres'
    engine.charge(60)                                  # a query stopped at its timeout
    assert engine.query_timeout() == 15
    engine.charge(15)
    assert engine.query_timeout() <= 0
