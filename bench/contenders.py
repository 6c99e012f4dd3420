"""The competing implementations. Each one turns the inputs of one size into a result table
``res_<name>`` in the benchmark's DuckDB connection (``row_id`` plus the output columns), and
its timed part is only the work a user of that tool would wait for:

* DuckDB contenders: ``create table ... as <query>`` over the loaded tables;
* pandas: the sorts and the merge/rolling over DataFrames already in memory;
* Feast: ``get_historical_features(...).to_df()`` in its own venv (it reads the Parquet file);
* Spark: the macros compiled by dbt for the spark adapter, run by the benchmark's local Spark
  over the same Parquet files, result written by Spark to Parquet (read back into DuckDB for the
  comparison, outside the timed part);
* PostgreSQL: the macros compiled by dbt for the postgres adapter, run as ``create unlogged table
  … as`` in the benchmark's throw-away cluster over the same rows (loaded with COPY), under a
  statement timeout; the result is streamed back into DuckDB for the comparison, untimed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from sqltrain.sqlquote import identifier, string_literal
from .sizes import WINDOWS_DAYS

PIT_COLUMNS = ["value"]
WINDOW_COLUMNS = [f"{agg}_{d}d" for agg in ("n", "s") for d in WINDOWS_DAYS]
DAY_US = 86_400 * 1_000_000


@dataclass
class Contender:
    """``run(ctx)`` does the timed work and leaves ``res_<name>``; it may return its own time in
    seconds when the wall clock around it would include more than the work (a subprocess)."""

    name: str
    label: str
    run: Callable[["Context"], float | None]
    note: str = ""
    runs: int | None = None          # overrides the benchmark's run count (slow contenders)


@dataclass
class Context:
    con: object                        # duckdb connection with bench_spine and bench_events
    spine_df: pd.DataFrame
    events_df: pd.DataFrame
    spine_parquet: Path
    events_parquet: Path
    workdir: Path
    compiled_pit: str = ""
    compiled_window: str = ""
    compiled_pit_unique: str = ""      # the join over a source a dbt test proves free of ties
    feast: object | None = None        # feast_env.FeastEnv when Feast is available
    feast_timeout_s: float = 600
    feast_created: str | None = None   # the events' column Feast reads as created_timestamp_column
    spark: object | None = None        # the benchmark's SparkSession, inputs registered as temp views
    spark_pit: str = ""                # the macros compiled for the spark adapter
    spark_window: str = ""
    spark_timeout_s: float = 300
    postgres: object | None = None     # the benchmark's Postgres (runner._Postgres), inputs loaded
    postgres_pit: str = ""             # the macros compiled for the postgres adapter
    postgres_window: str = ""
    wide: tuple[int, int] | None = None  # the wide shapes (bench.wide): sources, columns per source
    child_timeout_s: float = 120       # a contender run in a child process (bench.wide)
    extra: dict = field(default_factory=dict)   # what a contender reports besides its time


def _ctas(ctx: Context, name: str, sql: str) -> None:
    ctx.con.execute(f"create or replace table {identifier('res_' + name)} as {sql}")


def _from_pandas(ctx: Context, name: str, frame: pd.DataFrame) -> None:
    ctx.con.register("__res_df", frame)
    ctx.con.execute(f"create or replace table {identifier('res_' + name)} as select * from __res_df")
    ctx.con.unregister("__res_df")


# --- point-in-time join, latest value -------------------------------------------------------

def pit_sqltrain(ctx: Context) -> None:
    _ctas(ctx, "sqltrain", ctx.compiled_pit)


def pit_sqltrain_unique(ctx: Context) -> None:
    _ctas(ctx, "sqltrain_unique", ctx.compiled_pit_unique)


HAND_ASOF = """select s.*, e.value
from bench_spine as s
asof left join bench_events as e
    on s.entity_id = e.entity_id and s.as_of_ts >= e.event_ts"""


def pit_duckdb_asof(ctx: Context) -> None:
    _ctas(ctx, "duckdb_asof", HAND_ASOF)


# --- point-in-time join with known_at: a row is visible from greatest(event_ts, known_at) ------

# The best correct query found by hand: a row on time (known_at <= event_ts) is visible exactly when
# it happens, so on-time rows take one struct ASOF JOIN ranked (event_ts, known_at, value) with no
# pre-pass; only the late rows need a running winner over known_at (their visibility time), read by
# a second ASOF JOIN on known_at; the answer is the greater of the two winners. Ranking as sqltrain:
# event time, then knowledge time, then the value.
HAND_KNOWN_AT = """with on_time as (
    select entity_id, {'t': event_ts, 'k': known_at, 'v': value} as r
    from bench_events where known_at <= event_ts
), late as (
    select entity_id, known_at,
        max({'t': event_ts, 'k': known_at, 'v': value}) over (
            partition by entity_id order by known_at range between unbounded preceding and current row) as r
    from bench_events where known_at > event_ts
)
select s.row_id, greatest(a.r, b.r).v as value
from bench_spine as s
asof left join on_time as a
    on s.entity_id = a.entity_id
    and {'t': s.as_of_ts, 'k': null::timestamp, 'v': null::bigint} >= a.r
asof left join late as b
    on s.entity_id = b.entity_id and s.as_of_ts >= b.known_at"""


def pit_known_at_hand(ctx: Context) -> None:
    _ctas(ctx, "hand_split", HAND_KNOWN_AT)


def pit_pandas(ctx: Context) -> None:
    left = ctx.spine_df.sort_values("as_of_ts", kind="stable")
    right = ctx.events_df.sort_values("event_ts", kind="stable")
    merged = pd.merge_asof(left, right, left_on="as_of_ts", right_on="event_ts", by="entity_id",
                           direction="backward", allow_exact_matches=True)
    _from_pandas(ctx, "pandas", merged[["row_id", "value"]])


def pit_feast(ctx: Context) -> float:
    from .feast_env import run_driver

    out = ctx.workdir / "feast_result.parquet"
    if out.exists():
        out.unlink()
    outcome = run_driver(ctx.feast, ctx.spine_parquet, ctx.events_parquet, out, ctx.workdir / "feast_repo",
                         ctx.feast_timeout_s, created=ctx.feast_created)
    if "error" in outcome:
        raise ContenderFailed(outcome["error"], stopped_after_s=outcome.get("stopped_after_s"))
    ctx.extra["process_s"] = round(outcome["process_s"], 1)
    ctx.extra["peak_rss_gib"] = round(outcome["peak_rss_gib"], 2)
    ctx.con.execute(f"create or replace table res_feast as select row_id, value from read_parquet({string_literal(out)})")
    return outcome["seconds"]


def _spark(ctx: Context, name: str, sql: str, columns: list[str]) -> float:
    """Spark runs ``sql`` and writes ``row_id`` and ``columns`` to Parquet; the write is the time."""
    from . import spark_engine

    out = ctx.workdir / f"spark_{name}_result"
    try:
        seconds = spark_engine.write_parquet(ctx.spark, sql, ["row_id", *columns], out, ctx.spark_timeout_s)
    except spark_engine.SparkTimeout as error:
        raise ContenderFailed(f"stopped ({error})", stopped_after_s=ctx.spark_timeout_s) from error
    ctx.con.execute(f"create or replace table {identifier('res_' + name)} "
                    f"as select * from read_parquet({string_literal(out / '*.parquet')})")
    return seconds


def pit_spark(ctx: Context) -> float:
    return _spark(ctx, "spark", ctx.spark_pit, PIT_COLUMNS)


def _postgres(ctx: Context, name: str, sql: str, columns: list[str]) -> float:
    """Postgres runs ``sql`` into a table; the statement is the time (fetched afterwards, untimed)."""
    from . import postgres_engine

    pg = ctx.postgres
    timeout = pg.query_timeout()
    if timeout <= 0:
        raise ContenderFailed(f"not run (Postgres budget of {pg.budget_s:.0f} s for this size spent)")
    started = time.perf_counter()
    try:
        seconds = postgres_engine.run_query(pg.con, "res_" + name, sql, timeout)
        postgres_engine.fetch_result(pg.con, ctx.con, "res_" + name, columns, ctx.workdir / f"{name}_result.csv")
    except postgres_engine.PostgresTimeout as error:
        raise ContenderFailed(f"stopped ({error})", stopped_after_s=timeout) from error
    finally:
        pg.charge(time.perf_counter() - started)
    return seconds


def pit_postgres(ctx: Context) -> float:
    return _postgres(ctx, "postgres", ctx.postgres_pit, PIT_COLUMNS)


def window_postgres(ctx: Context) -> float:
    return _postgres(ctx, "postgres", ctx.postgres_window, WINDOW_COLUMNS)


POSTGRES_NOTE = ("one run; the throw-away local cluster, inputs loaded with COPY beforehand; the time is "
                 "`create unlogged table … as` the compiled query")


def postgres_contender(kind: str) -> Contender:
    """sqltrain's macro compiled for the postgres adapter: ``kind`` is ``pit`` or ``window``."""
    macro, run = ("point_in_time_join", pit_postgres) if kind == "pit" else ("window_aggregates", window_postgres)
    return Contender("postgres", f"sqltrain {macro} (dbt-compiled for Postgres)", run, note=POSTGRES_NOTE, runs=1)


SPARK_NOTE = ("one run; local[*] Spark in the benchmark process, reading the Parquet files, writing its result "
              "to Parquet; the time is the query and the write")


class ContenderFailed(RuntimeError):
    """A contender gave no result; ``stopped_after_s`` is set when it was stopped (time or memory
    cap) rather than failing by itself, and is then a lower bound on its time."""

    def __init__(self, message: str, stopped_after_s: float | None = None):
        super().__init__(message)
        self.stopped_after_s = stopped_after_s


def pit_contenders(feast_available: bool, spark_available: bool = False, unique: bool = False) -> list[Contender]:
    """The headline's contenders; ``unique`` adds sqltrain over the same events declared as a dbt
    source whose ``unique_combination_of_columns`` test on (entity_id, event_ts) proves there are no ties."""
    found = [
        Contender("sqltrain", "sqltrain point_in_time_join (dbt-compiled, DuckDB)", pit_sqltrain),
        *([Contender("sqltrain_unique", "sqltrain point_in_time_join, (entity, event_ts) unique by a dbt test",
                     pit_sqltrain_unique)] if unique else []),
        Contender("duckdb_asof", "hand-written DuckDB ASOF JOIN", pit_duckdb_asof),
        Contender("pandas", "pandas merge_asof", pit_pandas),
    ]
    if spark_available:
        found.append(Contender("spark", "sqltrain point_in_time_join (dbt-compiled for Spark, local Spark)",
                               pit_spark, note=SPARK_NOTE, runs=1))
    if feast_available:
        found.append(Contender("feast", FEAST_LABEL, pit_feast, note=FEAST_NOTE, runs=1))
    return found


FEAST_LABEL = "Feast 0.67 get_historical_features (file offline store)"
FEAST_NOTE = ("one run (slow); the time is Feast's own get_historical_features(...).to_df() call, "
              "the whole subprocess (imports, registry, parquet) in the notes")


def pit_known_at_contenders(feast_available: bool) -> list[Contender]:
    """sqltrain with known_at, the bare ASOF JOIN that ignores known_at (the floor, wrong on late
    rows and on ties), the best correct hand-written query, and Feast with known_at as its
    created_timestamp_column (Feast uses it to break ties between rows of equal event time)."""
    found = [
        Contender("sqltrain", "sqltrain point_in_time_join with known_at (dbt-compiled, DuckDB)", pit_sqltrain),
        Contender("duckdb_asof", "bare DuckDB ASOF JOIN ignoring known_at (wrong on late rows)", pit_duckdb_asof),
        Contender("hand_split", "hand-written: struct ASOF for on-time rows, running winner for late ones",
                  pit_known_at_hand),
    ]
    if feast_available:
        found.append(Contender("feast", FEAST_LABEL + ", known_at as created_timestamp_column", pit_feast,
                               note=FEAST_NOTE, runs=1))
    return found


# --- windowed aggregates: count and sum over 7/30/90 days, window (T - w, T] -----------------

def window_sqltrain(ctx: Context) -> None:
    _ctas(ctx, "sqltrain", ctx.compiled_window)


def _filters(expr: Callable[[int], str]) -> str:
    parts = [f"count(e.value) filter (where {expr(d)}) as n_{d}d" for d in WINDOWS_DAYS]
    parts += [f"coalesce(sum(e.value) filter (where {expr(d)}), 0) as s_{d}d" for d in WINDOWS_DAYS]
    return ",\n    ".join(parts)


RANGE_JOIN = f"""select s.row_id, s.entity_id, s.as_of_ts,
    {_filters(lambda d: f"e.event_ts > s.as_of_ts - interval '{d} days'")}
from bench_spine as s
left join bench_events as e
    on e.entity_id = s.entity_id
    and e.event_ts <= s.as_of_ts
    and e.event_ts > s.as_of_ts - interval '{int(max(WINDOWS_DAYS))} days'
group by s.row_id, s.entity_id, s.as_of_ts"""


def _frame(days: int) -> str:
    # RANGE frames include their lower bound (one microsecond less gives the open bound of
    # (T - w, T]) and the current row's peers (so a cutoff sees the events at its own instant)
    return (f"over (partition by entity_id order by ts "
            f"range between interval '{days * DAY_US - 1} microseconds' preceding and current row)")


WINDOW_FRAMES = f"""with unioned as (
    select entity_id, event_ts as ts, 0 as is_spine, value, null::bigint as row_id from bench_events
    union all
    select entity_id, as_of_ts, 1, null, row_id from bench_spine
), framed as (
    select row_id, is_spine, entity_id, ts,
        {", ".join(f"count(value) {_frame(d)} as n_{d}d" for d in WINDOWS_DAYS)},
        {", ".join(f"coalesce(sum(value) {_frame(d)}, 0) as s_{d}d" for d in WINDOWS_DAYS)}
    from unioned
)
select row_id, entity_id, ts as as_of_ts, {", ".join(WINDOW_COLUMNS)}
from framed where is_spine = 1"""


def window_range_join(ctx: Context) -> None:
    _ctas(ctx, "range_join", RANGE_JOIN)


def window_frames(ctx: Context) -> None:
    _ctas(ctx, "window_frames", WINDOW_FRAMES)


def window_pandas(ctx: Context) -> None:
    events = ctx.events_df.rename(columns={"event_ts": "ts"}).assign(is_spine=0, one=1, row_id=-1)
    spine = ctx.spine_df.rename(columns={"as_of_ts": "ts"}).assign(is_spine=1, one=0, value=0)
    both = pd.concat([events, spine], ignore_index=True).sort_values(["entity_id", "ts", "is_spine"], kind="stable")
    both = both.reset_index(drop=True)
    grouped = both.groupby("entity_id", sort=False)
    out = both.loc[both["is_spine"] == 1, ["row_id"]].copy()
    mask = (both["is_spine"] == 1).to_numpy()
    for d in WINDOWS_DAYS:
        rolled = grouped.rolling(f"{d}D", on="ts", closed="right")[["one", "value"]].sum()
        # groupby(sort=False) over rows already sorted by entity keeps the frame's row order
        values = rolled[["one", "value"]].to_numpy()[mask]
        out[f"n_{d}d"] = values[:, 0].astype(np.int64)
        out[f"s_{d}d"] = values[:, 1].astype(np.int64)
    _from_pandas(ctx, "pandas", out[["row_id", *WINDOW_COLUMNS]])


def window_spark(ctx: Context) -> float:
    return _spark(ctx, "spark", ctx.spark_window, WINDOW_COLUMNS)


def window_contenders(spark_available: bool = False) -> list[Contender]:
    spark = [Contender("spark", "sqltrain window_aggregates (dbt-compiled for Spark, local Spark)",
                       window_spark, note=SPARK_NOTE, runs=1)] if spark_available else []
    return [
        Contender("sqltrain", "sqltrain window_aggregates (dbt-compiled, DuckDB)", window_sqltrain),
        Contender("range_join", "hand-written range join + FILTER aggregates", window_range_join),
        Contender("window_frames", "hand-written RANGE window frames over spine ∪ events", window_frames),
        Contender("pandas", "pandas groupby().rolling('Nd', closed='right')", window_pandas),
        *spark,
    ]
