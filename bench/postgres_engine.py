"""The benchmark's PostgreSQL: one throw-away cluster per benchmark process
(:class:`sqltrain.postgres.cluster.LocalCluster`: ``initdb`` + ``pg_ctl`` on a free port of
127.0.0.1, as ``nobody`` where the benchmark runs as root), stopped and removed at the end.

The inputs go in as the demo loader moves tables (``COPY … FROM STDIN`` streamed from a CSV file:
bounded memory) into the schema ``main``, the search path of the benchmark's connection, so the
compiled SQL's bare ``bench_spine`` and ``bench_events`` resolve as on DuckDB. A query runs as
``create unlogged table … as <compiled SQL>`` under ``statement_timeout`` (the server cancels
it); its result is streamed back with ``COPY … TO STDOUT`` into the benchmark's DuckDB for the
row-by-row comparison, outside the timed part.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from sqltrain.sqlquote import identifier, string_literal

SCHEMA = "main"
_CHUNK = 1 << 20


class PostgresTimeout(RuntimeError):
    """The server cancelled a statement at its ``statement_timeout``."""


def connect(settings: dict[str, str]):
    """An autocommit connection for the ``SQLTRAIN_PG_*`` ``settings``: UTC, search path ``main``."""
    import psycopg

    return psycopg.connect(host=settings["SQLTRAIN_PG_HOST"], port=int(settings["SQLTRAIN_PG_PORT"]),
                           user=settings["SQLTRAIN_PG_USER"], password=settings["SQLTRAIN_PG_PASSWORD"],
                           dbname=settings["SQLTRAIN_PG_DATABASE"], autocommit=True,
                           options=f"-c TimeZone=UTC -c search_path={SCHEMA}", application_name="sqltrain-bench")


def version(pg) -> str:
    return pg.execute("show server_version").fetchone()[0].split()[0]


def load_inputs(pg, duck, timeout_s: float) -> float:
    """Replace ``main.bench_spine`` and ``main.bench_events`` in Postgres with the DuckDB tables of
    the same names (connection ``duck``); returns the seconds taken. Raises :class:`PostgresTimeout`
    when the load runs past ``timeout_s``."""
    from sqltrain.postgres.demo import copy_table

    started = time.perf_counter()
    pg.execute(f"create schema if not exists {identifier(SCHEMA)}")
    with tempfile.TemporaryDirectory(prefix="sqltrain-bench-pg-") as tmp, _timeout(pg, timeout_s):
        for table in ("bench_spine", "bench_events"):
            copy_table(duck, pg, SCHEMA, table, Path(tmp) / "rows.csv")
    return time.perf_counter() - started


def run_query(pg, table: str, sql: str, timeout_s: float) -> float:
    """``create unlogged table <table> as <sql>`` under a statement timeout; returns its seconds."""
    pg.execute(f"drop table if exists {identifier(table)}")
    with _timeout(pg, timeout_s):
        started = time.perf_counter()
        pg.execute(f"create unlogged table {identifier(table)} as {sql}")  # sql: the dbt-compiled macro
        return time.perf_counter() - started


def fetch_result(pg, duck, table: str, columns: list[str], csv: Path) -> None:
    """Copy ``row_id`` and ``columns`` of the Postgres ``table`` into the DuckDB table of the same
    name (streamed through the file ``csv``; numbers as DOUBLE, as the comparison reads them), then
    drop it in Postgres."""
    names = ["row_id", *columns]
    with pg.cursor().copy(f"copy (select {', '.join(identifier(c) for c in names)} from {identifier(table)}) "
                          "to stdout (format csv)") as copy, csv.open("wb") as f:
        for chunk in copy:
            f.write(chunk)
    types = ", ".join(f"{string_literal(c)}: {string_literal('BIGINT' if c == 'row_id' else 'DOUBLE')}" for c in names)
    duck.execute(f"create or replace table {identifier(table)} as "
                 f"select * from read_csv({string_literal(csv)}, header = false, columns = {{{types}}})")
    csv.unlink()
    pg.execute(f"drop table if exists {identifier(table)}")


class _timeout:
    """``statement_timeout`` for the statements inside the block (reset to none after it); a
    cancelled statement becomes :class:`PostgresTimeout`."""

    def __init__(self, pg, seconds: float):
        self.pg, self.seconds = pg, seconds

    def __enter__(self):
        self.pg.execute(f"set statement_timeout = {max(1, int(self.seconds * 1000))}")
        return self

    def __exit__(self, kind, error, trace):
        import psycopg

        self.pg.execute("set statement_timeout = 0")
        if isinstance(error, psycopg.errors.QueryCanceled):
            raise PostgresTimeout(f"timeout {self.seconds:.0f} s") from error
        return False
