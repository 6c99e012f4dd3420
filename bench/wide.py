"""Wide training sets: few spine rows, many sources, many columns.

The shape of the slowest reports in Feast's issue tracker: 17k spine rows and 1,000 feature
columns read from one ~37 MB Parquet file, as 10 sources (feature views) of 100 columns, and a
100-source variant of 10 columns each. Every source ``wide_v<i>`` is a view of its columns over
the one file. Contenders (each in a child process, so that its peak resident memory is its own):

* sqltrain: one ``point_in_time_join`` call with every source, as dbt compiles it;
* hand-written: one DuckDB ASOF JOIN per source on the spine's ``row_id`` and keys, the columns joined
  back by ``row_id`` (chained on the spine instead, DuckDB holds every earlier source's columns in
  each ASOF JOIN: the 100-source shape passed 8 GiB);
* Feast: one feature view per source over the file, every feature asked for in one call.

The child process entry point: ``python -m bench.wide SQL_FILE SPINE EVENTS OUT SOURCES
PER_SOURCE`` prints ``{"seconds": ..., "rows": ...}``.
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from sqltrain.sqlquote import identifier, string_literal
from . import data
from .compiled import wide_columns
from .processes import report_result, run_module
from .sizes import Size

REPO = Path(__file__).resolve().parents[1]
SIZE = Size(spine=17_000, events=3_800, entities=1_000)     # 3,800 rows x 1,000 float64 columns: 37 MB
COLUMNS = 1_000
RSS_CAP_GIB = 8.0


def generate(directory: Path, size: Size = SIZE, seed: int = 13, columns: int = COLUMNS) -> tuple[Path, Path]:
    """The spine and the one wide file (``entity_id, event_ts, f0000..f0999``) under ``directory``."""
    rng = np.random.default_rng(seed)
    entity, offset = data._unique_events(rng, size)
    order = rng.permutation(len(entity))
    entity, offset = entity[order], offset[order]
    table = {"entity_id": pa.array(entity, pa.int64()),
             "event_ts": pa.array(data.START + offset.astype("timedelta64[us]"), pa.timestamp("us"))}
    values = rng.random((columns, len(entity)))
    for j in range(columns):
        table[f"f{j:04d}"] = pa.array(values[j], pa.float64())
    directory.mkdir(parents=True, exist_ok=True)
    spine_path, events_path = directory / "spine.parquet", directory / "wide.parquet"
    pq.write_table(data._spine(rng, size, entity, offset), spine_path)
    pq.write_table(pa.table(table), events_path)
    return spine_path, events_path


def hand_written(sources: int, per_source: int) -> str:
    """What a user writes by hand for ``sources`` feature views: one ASOF JOIN per source on the spine's
    unique ``row_id`` and its keys only, then the sources' columns brought back by ``row_id``. DuckDB keeps
    the whole left side of every ASOF JOIN until the query ends, so chaining the ASOF JOINs on the spine
    holds every column brought before each join (17k rows x 100 sources of 10 columns: past 8 GiB)."""
    ctes = ",\n".join(
        f"v{i} as (select s.row_id, {', '.join(f'f.{c}' for c in wide_columns(i, per_source))}\n"
        f"    from wide_spine as s asof left join wide_v{i} as f\n"
        f"    on s.entity_id = f.entity_id and s.as_of_ts >= f.event_ts)"
        for i in range(sources))
    picks = ", ".join(f"v{i}.{c}" for i in range(sources) for c in wide_columns(i, per_source))
    joins = "\n".join(f"left join v{i} on v{i}.row_id = s.row_id" for i in range(sources))
    return f"with {ctes}\nselect s.row_id, {picks}\nfrom wide_spine as s\n{joins}"


def feast_views(sources: int, per_source: int, path: Path) -> Path:
    path.write_text(json.dumps([{"name": f"wide_v{i}", "columns": wide_columns(i, per_source)} for i in range(sources)]))
    return path


def join_count(sql: str) -> int:
    """The joins in a compiled query (ASOF or not): a join or two per source, or one per column?"""
    return len(re.findall(r"\bjoin\b", sql.lower()))


def asof_join_count(sql: str) -> int:
    """The ASOF JOINs in a compiled query: one per source (two with known_at)."""
    return len(re.findall(r"\basof\s+(?:left\s+)?join\b", sql.lower()))


def run_child(sql: str, spine: Path, events: Path, out: Path, sources: int, per_source: int,
              timeout_s: float) -> tuple[float | None, float, str]:
    """Run ``sql`` in a child DuckDB process: (seconds or None, peak RSS GiB, error)."""
    sql_file = out.with_suffix(".sql")
    sql_file.write_text(sql)
    return run_module("bench.wide", [str(sql_file), str(spine), str(events), str(out), str(sources), str(per_source)],
                      timeout_s, RSS_CAP_GIB, REPO)


def _child(sql_file: str, spine: str, events: str, out: str, sources: str, per_source: str) -> None:
    import duckdb

    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET enable_progress_bar = false")
    con.execute(f"create view wide_spine as select * from read_parquet({string_literal(spine)})")
    for i in range(int(sources)):
        cols = ", ".join(identifier(c) for c in wide_columns(i, int(per_source)))
        con.execute(f"create view {identifier(f'wide_v{i}')} as "
                    f"select entity_id, event_ts, {cols} from read_parquet({string_literal(events)})")
    sql = Path(sql_file).read_text()
    columns = ", ".join(identifier(c) for i in range(int(sources)) for c in wide_columns(i, int(per_source)))
    started = time.perf_counter()
    rows = con.execute(f"copy (select row_id, {columns} from ({sql}) as q) to ? (format parquet)", [out]).fetchone()[0]
    report_result(seconds=time.perf_counter() - started, rows=int(rows))


def contenders(feast_available: bool) -> list:
    """sqltrain, the hand-written ASOF JOINs, Feast (one run, within its timeout)."""
    from .contenders import FEAST_LABEL, Contender

    found = [
        Contender("sqltrain", "sqltrain point_in_time_join, one call with every source (dbt-compiled, DuckDB)",
                  lambda ctx: _run(ctx, "sqltrain", ctx.compiled_pit)),
        Contender("hand_asof", "hand-written: one DuckDB ASOF JOIN per source on the spine's keys, columns joined back by row_id",
                  lambda ctx: _run(ctx, "hand_asof", hand_written(*ctx.wide))),
    ]
    if feast_available:
        found.append(Contender("feast", FEAST_LABEL + ", one feature view per source", _feast, runs=1))
    return found


def _run(ctx, name: str, sql: str) -> float:
    from .contenders import ContenderFailed

    out = ctx.workdir / f"{name}.parquet"
    seconds, rss, error = run_child(sql, ctx.spine_parquet, ctx.events_parquet, out, *ctx.wide, ctx.child_timeout_s)
    ctx.extra["peak_rss_gib"] = round(rss, 2)
    if name == "sqltrain":
        ctx.extra["ASOF joins in the compiled SQL"] = asof_join_count(sql)
        ctx.extra["joins in the compiled SQL"] = join_count(sql)
    if seconds is None:
        raise ContenderFailed(error, stopped_after_s=ctx.child_timeout_s if error.startswith("stopped after") else None)
    ctx.con.execute(f"create or replace table {identifier('res_' + name)} as select * from read_parquet(?)", [str(out)])
    return seconds


def _feast(ctx) -> float:
    from .contenders import ContenderFailed
    from .feast_env import run_driver

    out = ctx.workdir / "feast.parquet"
    views = feast_views(*ctx.wide, ctx.workdir / "feast_views.json")
    outcome = run_driver(ctx.feast, ctx.spine_parquet, ctx.events_parquet, out, ctx.workdir / "feast_repo",
                         ctx.feast_timeout_s, views=views)
    if "error" in outcome:
        raise ContenderFailed(outcome["error"], stopped_after_s=outcome.get("stopped_after_s"))
    ctx.extra["process_s"] = round(outcome["process_s"], 1)
    ctx.extra["peak_rss_gib"] = round(outcome["peak_rss_gib"], 2)
    ctx.con.execute("create or replace table res_feast as select * from read_parquet(?)", [str(out)])
    return outcome["seconds"]


if __name__ == "__main__":
    _child(*sys.argv[1:7])
