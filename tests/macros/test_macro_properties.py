"""Property tests: both implementations of every macro equal a brute-force oracle on random data.

Each hypothesis example picks one compiled variant of a macro (macro_variants) and a seed, builds
WORLDS independent random worlds from it (macro_worlds: duplicate spine rows, exact ties, NULL
keys and values, late arrivals, times on the edges of TTLs, windows, horizons and the as-of
date, mixed time zones), loads them into DuckDB with their entity keys shifted apart
(merge_worlds), and runs the variant's DuckDB and portable SQL against the Python oracle
(macro_oracle). The cases counted and printed are worlds.

SQLTRAIN_PROPERTY_CASES sets the cases per macro (default 4000; the CI bar is 2000). A failure names
the variant and the seed; the differing rows' k1 // 10 is the world's index.
"""

from __future__ import annotations

import os
import random

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import macro_oracle as oracle
import macro_worlds as worlds
from macro_harness import check_against_oracle, merge_worlds, utc_rows
from macro_variants import (CUTOFF_SPINE, LABEL_WINDOW, POINT_IN_TIME_JOIN, SCD2_AS_OF_JOIN, TEMPORAL_SPLIT,
                            WINDOW_AGGREGATES)

WORLDS = 16
CASES_WANTED = int(os.environ.get("SQLTRAIN_PROPERTY_CASES", "4000"))
PROPERTY = settings(max_examples=-(-CASES_WANTED // WORLDS), deadline=None, database=None, print_blob=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
seeds = st.integers(0, 2**63 - 1)

SPINE_SCHEMA = {"k1": "int", "k2": "text", "as_of_ts": "ts", "tag": "int"}
EVENT_SCHEMA = {"k1": "int", "k2": "text", "event_ts": "ts", "known_at": "ts", "v": "int", "w": "text", "seq": "int"}
EVENT2_SCHEMA = {"j1": "int", "j2": "text", "happened_at": "ts", "known_at": "ts", "v": "int", "w": "text", "seq": "int"}
ENTITY_SCHEMA = {"k1": "int", "k2": "text", "started_at": "ts", "ended_at": "ts", "known_at": "ts"}
SNAPSHOT_SCHEMA = {"k1": "int", "k2": "text", "j1": "int", "j2": "text", "plan": "text", "score": "int",
                   "dbt_valid_from": "ts", "dbt_valid_to": "ts", "valid_from": "ts", "valid_to": "ts"}


def build(seed: int, *makers) -> list[list[dict]]:
    """WORLDS worlds, each a tuple of tables made by ``makers`` from one RNG, merged into tables."""
    rng = random.Random(seed)
    return merge_worlds([tuple(make(rng) for make in makers) for _ in range(WORLDS)])


def _without(args: dict, *names: str) -> dict:
    return {k: v for k, v in args.items() if k not in names}


@PROPERTY
@given(variant=st.sampled_from(sorted(POINT_IN_TIME_JOIN)), seed=seeds)
def test_point_in_time_join_matches_oracle(compiled, tables, variant, seed):
    _, args, extra = POINT_IN_TIME_JOIN[variant]
    spine, src, src2 = build(seed, worlds.spine, worlds.events,
                             lambda rng: worlds.events(rng, key_names=("j1", "j2"), ts_name="happened_at"))
    tables.load("spine", SPINE_SCHEMA, spine)
    tables.load("src", EVENT_SCHEMA, src)
    tables.load("src2", EVENT2_SCHEMA, src2)
    expected = oracle.point_in_time_join(
        utc_rows(spine), args["entity_keys"], args["cutoff"], args["sources"],
        {"src": utc_rows(src), "src2": utc_rows(src2)}, strict=args["strict"], as_of=extra["as_of"])
    check_against_oracle("point_in_time_join", compiled[variant], tables, expected, cases=WORLDS)


@PROPERTY
@given(variant=st.sampled_from(sorted(WINDOW_AGGREGATES)), seed=seeds)
def test_window_aggregates_match_oracle(compiled, tables, variant, seed):
    _, args, extra = WINDOW_AGGREGATES[variant]
    spine, src = build(seed, worlds.spine, worlds.events)
    tables.load("spine", SPINE_SCHEMA, spine)
    tables.load("src", EVENT_SCHEMA, src)
    expected = oracle.window_aggregates(utc_rows(spine), rows=utc_rows(src), where=extra.get("where"),
                                        as_of=extra["as_of"],
                                        **_without(args, "spine", "source", "where", "as_of", "method"))
    check_against_oracle("window_aggregates", compiled[variant], tables, expected, cases=WORLDS)


@PROPERTY
@given(variant=st.sampled_from(sorted(LABEL_WINDOW)), seed=seeds)
def test_label_window_matches_oracle(compiled, tables, variant, seed):
    _, args, extra = LABEL_WINDOW[variant]
    spine, src = build(seed, worlds.spine, worlds.events)
    tables.load("spine", SPINE_SCHEMA, spine)
    tables.load("src", EVENT_SCHEMA, src)
    expected = oracle.label_window(utc_rows(spine), rows=utc_rows(src), where=extra.get("where"),
                                   value=extra.get("value"), as_of=extra["as_of"],
                                   **_without(args, "spine", "source", "where", "value", "as_of"))
    check_against_oracle("label_window", compiled[variant], tables, expected, cases=WORLDS)


@PROPERTY
@given(variant=st.sampled_from(sorted(CUTOFF_SPINE)), seed=seeds)
def test_cutoff_spine_matches_oracle(compiled, tables, variant, seed):
    _, args, extra = CUTOFF_SPINE[variant]
    (entities,) = build(seed, worlds.entities)
    tables.load("ent", ENTITY_SCHEMA, entities)
    expected = oracle.cutoff_spine(utc_rows(entities), start=extra["start"], end=extra["end"],
                                   **_without(args, "entities", "start", "end"))
    check_against_oracle("cutoff_spine", compiled[variant], tables, expected, cases=WORLDS)


@PROPERTY
@given(variant=st.sampled_from(sorted(SCD2_AS_OF_JOIN)), seed=seeds)
@example(variant="sc_composite", seed=7638)  # NULL cutoffs with composite keys: DuckDB's ASOF on a NULL struct probe
def test_scd2_as_of_join_matches_oracle(compiled, tables, variant, seed):
    _, args, extra = SCD2_AS_OF_JOIN[variant]
    spine, snap = build(seed, worlds.spine, worlds.snapshot)
    tables.load("spine", SPINE_SCHEMA, spine)
    tables.load("snap", SNAPSHOT_SCHEMA, snap)
    expected = oracle.scd2_as_of_join(utc_rows(spine), versions=utc_rows(snap), as_of=extra["as_of"],
                                      **_without(args, "spine", "snapshot", "as_of"))
    check_against_oracle("scd2_as_of_join", compiled[variant], tables, expected, cases=WORLDS)


@PROPERTY
@given(variant=st.sampled_from(sorted(TEMPORAL_SPLIT)), seed=seeds)
def test_temporal_split_matches_oracle(compiled, tables, variant, seed):
    _, args, extra = TEMPORAL_SPLIT[variant]
    (rel,) = build(seed, worlds.spine)
    tables.load("rel", SPINE_SCHEMA, rel)
    expected = oracle.temporal_split(utc_rows(rel), args["cutoff"], extra["valid_start"], extra["test_start"],
                                     args["embargo"], split_column=args.get("split_column", "split"),
                                     drop_embargoed=args.get("drop_embargoed", True))
    check_against_oracle("temporal_split", compiled[variant], tables, expected, cases=WORLDS)
