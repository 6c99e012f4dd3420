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
