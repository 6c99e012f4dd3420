"""Generated inputs: one spine and one event table per size, identical for every contender.

Every event time is unique within its entity (microsecond resolution), so "the latest event at
or before the cutoff" has exactly one answer and any disagreement between contenders is a bug,
not a tie broken differently. The spine is built to catch the classic slips:

* 2% of cutoffs equal an event time of their entity exactly (is the bound inclusive?);
* 1% of spine rows name an entity with no events at all (is the row kept, with NULL?);
* cutoffs start before the first event (NULL, not dropped) and end after the last;
* a few (entity, cutoff) pairs repeat (spine in = spine out: no dedup, no fan-out).

Values are integers so that sums are exact in every engine and compare with ``=``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from sqltrain.sqlquote import identifier
from .sizes import Size

START = np.datetime64("2025-01-01T00:00:00", "us")
SPAN_US = 365 * 86_400 * 1_000_000


@dataclass
class Inputs:
    """The two tables of one size as Arrow tables (the Parquet copies live beside, for Feast)."""

    size: Size
    spine: pa.Table      # row_id BIGINT, entity_id BIGINT, as_of_ts TIMESTAMP
    events: pa.Table     # entity_id BIGINT, event_ts TIMESTAMP, value BIGINT
    spine_parquet: Path
    events_parquet: Path


def generate(size: Size, directory: Path, seed: int = 8) -> Inputs:
    """Draw the tables of ``size`` with ``seed`` and write their Parquet copies under ``directory``."""
    rng = np.random.default_rng(seed)
    entity, offset = _unique_events(rng, size)
    order = rng.permutation(len(entity))          # no contender gets pre-sorted input
    entity, offset = entity[order], offset[order]
    value = rng.integers(0, 1_000, len(entity))
    events = pa.table({
        "entity_id": pa.array(entity, pa.int64()),
        "event_ts": pa.array(START + offset.astype("timedelta64[us]"), pa.timestamp("us")),
        "value": pa.array(value, pa.int64()),
    })
    spine = _spine(rng, size, entity, offset)
    directory.mkdir(parents=True, exist_ok=True)
    spine_path, events_path = directory / "spine.parquet", directory / "events.parquet"
    pq.write_table(spine, spine_path)
    pq.write_table(events, events_path)
    return Inputs(size, spine, events, spine_path, events_path)


LATE_SHARE = 0.20                         # the known_at section: rows that land after they happen
LATE_MAX_US = 3 * 86_400 * 1_000_000      # ... up to 3 days late
TIE_SHARE = 0.05                          # rows sharing (entity, event_ts) with another row
DAY_US = 86_400 * 1_000_000


def generate_known_at(size: Size, directory: Path, seed: int = 9) -> Inputs:
    """The known_at section's inputs: ``events`` gains ``known_at``, the time a row became
    visible. 20% of rows arrive late (``known_at`` up to 3 days after ``event_ts``), the others on
    time (``known_at`` at or up to an hour before ``event_ts``); 5% of rows repeat the event time of
    the entity's previous row (ties, half of them with the same ``known_at`` too, so the value
    decides). Besides the spine's usual traps, 1% of cutoffs equal a late row's ``known_at``."""
    rng = np.random.default_rng(seed)
    entity, offset = _unique_events(rng, size)          # sorted by (entity, offset)
    n = len(entity)
    tie = np.zeros(n, dtype=bool)
    tie[1:] = (rng.random(n - 1) < TIE_SHARE) & (entity[1:] == entity[:-1])
    offset[1:][tie[1:]] = offset[:-1][tie[1:]]
    late = rng.random(n) < LATE_SHARE
    known = offset + np.where(late, rng.integers(1, LATE_MAX_US + 1, n), -rng.integers(0, 3_600_000_000, n))
    same = np.zeros(n, dtype=bool)
    same[1:] = tie[1:] & (rng.random(n - 1) < 0.5)
    known[1:][same[1:]] = known[:-1][same[1:]]
    late = known > offset
    order = rng.permutation(n)
    entity, offset, known = entity[order], offset[order], known[order]
    events = pa.table({
        "entity_id": pa.array(entity, pa.int64()),
        "event_ts": pa.array(START + offset.astype("timedelta64[us]"), pa.timestamp("us")),
        "value": pa.array(rng.integers(0, 1_000, n), pa.int64()),
        "known_at": pa.array(START + known.astype("timedelta64[us]"), pa.timestamp("us")),
    })
    spine = _spine(rng, size, entity, offset)
    at_known = rng.random(size.spine) < 0.01           # cutoff == a late row's known_at (inclusive bound?)
    late_rows = np.flatnonzero(late[order])
    if len(late_rows):
        pick = late_rows[rng.integers(0, len(late_rows), int(at_known.sum()))]
        ids = spine.column("entity_id").to_numpy().copy()
        cutoffs = spine.column("as_of_ts").to_numpy().copy()
        ids[at_known], cutoffs[at_known] = entity[pick], START + known[pick].astype("timedelta64[us]")
        spine = pa.table({"row_id": spine.column("row_id"), "entity_id": pa.array(ids, pa.int64()),
                          "as_of_ts": pa.array(cutoffs, pa.timestamp("us"))})
    directory.mkdir(parents=True, exist_ok=True)
    spine_path, events_path = directory / "spine.parquet", directory / "events.parquet"
    pq.write_table(spine, spine_path)
    pq.write_table(events, events_path)
    return Inputs(size, spine, events, spine_path, events_path)


def _unique_events(rng: np.random.Generator, size: Size) -> tuple[np.ndarray, np.ndarray]:
    """``size.events`` (entity, microsecond offset) pairs, unique; every entity gets events
    when there are at least as many events as entities."""
    n = size.events
    entity = np.concatenate([np.arange(min(n, size.entities)), rng.integers(0, size.entities, max(0, n - size.entities))])
    offset = rng.integers(0, SPAN_US, n)
    key = np.unique(entity.astype(np.int64) * SPAN_US + offset)   # drops the (rare) exact duplicates
    while len(key) < n:                                            # and redraws them
        extra = rng.integers(0, size.entities, n - len(key)) * SPAN_US + rng.integers(0, SPAN_US, n - len(key))
        key = np.unique(np.concatenate([key, extra]))
    return key // SPAN_US, key % SPAN_US


def _spine(rng: np.random.Generator, size: Size, entity: np.ndarray, offset: np.ndarray) -> pa.Table:
    n = size.spine
    spine_entity = rng.integers(0, size.entities, n)
    # cutoffs from 10 days before the first event to 30 days after the last
    cutoff = rng.integers(-10 * 86_400 * 1_000_000, SPAN_US + 30 * 86_400 * 1_000_000, n)
    exact = rng.random(n) < 0.02                     # cutoff == an event time of that entity
    pick = rng.integers(0, len(entity), int(exact.sum()))
    spine_entity[exact], cutoff[exact] = entity[pick], offset[pick]
    absent = ~exact & (rng.random(n) < 0.01)         # an entity that has no events
    spine_entity[absent] = size.entities + rng.integers(0, 1_000, int(absent.sum()))
    repeat = rng.random(n) < 0.001                   # a repeated (entity, cutoff) pair
    source = rng.integers(0, n, int(repeat.sum()))
    spine_entity[repeat], cutoff[repeat] = spine_entity[source], cutoff[source]
    return pa.table({
        "row_id": pa.array(np.arange(n), pa.int64()),
        "entity_id": pa.array(spine_entity, pa.int64()),
        "as_of_ts": pa.array(START + cutoff.astype("timedelta64[us]"), pa.timestamp("us")),
    })


def load_duckdb(con, inputs: Inputs) -> None:
    """Create ``bench_spine`` and ``bench_events`` in ``con`` from the Arrow tables."""
    for name, table in (("bench_spine", inputs.spine), ("bench_events", inputs.events)):
        con.register("__arrow_in", table)
        con.execute(f"create or replace table {identifier(name)} as select * from __arrow_in")
        con.unregister("__arrow_in")
