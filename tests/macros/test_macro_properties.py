"""Property tests: both implementations of every macro equal a brute-force oracle on random data.

Hypothesis generates spines and sources with duplicate spine rows, exact ties, NULLs in keys and
values, late arrivals (known_at after event_ts), times on the edges of TTLs, windows, horizons and
the as-of date, and timestamps written in mixed time zones. Each example picks one compiled
variant of the macro (see macro_variants) and runs its DuckDB and portable SQL.

A hypothesis example holds WORLDS independent cases (their entity keys shifted apart, see
merge_worlds) so that one DuckDB load and query checks several: the cases counted and printed
are worlds. SQLTRAIN_PROPERTY_CASES sets the cases per macro (default 2000, the CI bar).
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import macro_oracle as oracle
from macro_harness import Stamp, check_against_oracle, merge_worlds, utc_rows
from macro_variants import (CUTOFF_SPINE, LABEL_WINDOW, POINT_IN_TIME_JOIN, SCD2_AS_OF_JOIN, TEMPORAL_SPLIT,
                            WINDOW_AGGREGATES)

WORLDS = 16
CASES_WANTED = int(os.environ.get("SQLTRAIN_PROPERTY_CASES", "2000"))
PROPERTY = settings(max_examples=-(-CASES_WANTED // WORLDS), deadline=None, database=None, print_blob=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])

BASE = datetime(2025, 1, 1)
STEP = timedelta(hours=6)
MICRO = timedelta(microseconds=1)

# -- strategies ----------------------------------------------------------------------------------
# Times sit on a 6-hour grid over 12 days, so ties, window and TTL edges are frequent; a few are
# one microsecond off the grid to probe strict/inclusive bounds.
instants = st.builds(
    lambda k, jitter: BASE + k * STEP + jitter,
    st.integers(0, 48), st.sampled_from([timedelta(0)] * 6 + [MICRO, -MICRO]))
offsets = st.sampled_from([None, None, None, 0, 330, -300, 60, -720])
stamps = st.builds(Stamp, instants, offsets)
maybe_stamps = st.one_of(st.none(), stamps, stamps, stamps)
k1s = st.one_of(st.none(), st.integers(1, 3), st.integers(1, 3), st.integers(1, 3))
k2s = st.sampled_from([None, "a", "b", "b"])
ints = st.one_of(st.none(), st.integers(-3, 3))
texts = st.sampled_from([None, "a", "b", "c"])


tags = st.integers(0, 2)
spine_rows = st.builds(lambda k1, k2, t, tag: {"k1": k1, "k2": k2, "as_of_ts": t, "tag": tag},
                       k1s, k2s, maybe_stamps, tags)


@st.composite
def spines(draw):
    """Spine rows with duplicates: drawn rows plus copies of some of them."""
    rows = draw(st.lists(spine_rows, max_size=8))
    copies = [rows[i % len(rows)] for i in draw(st.lists(st.integers(0, 7), max_size=4))] if rows else []
    return rows + copies


delays = st.sampled_from([None, 0, 0, 0, 1, 2, 8, -1])  # known_at - event_ts, in grid steps
seqs = st.one_of(st.none(), st.integers(0, 2))


def _event(k1, k2, ev, delay, known_offset, v, w, seq, key_names, ts_name):
    """known_at: usually at or after the event (late arrival), sometimes before, sometimes NULL."""
    known = None if ev is None or delay is None else Stamp(ev.utc + delay * STEP, known_offset)
    return {key_names[0]: k1, key_names[1]: k2, ts_name: ev, "known_at": known, "v": v, "w": w, "seq": seq}


def events(key_names=("k1", "k2"), ts_name="event_ts", max_size=14):
    row = st.builds(_event, k1s, k2s, maybe_stamps, delays, offsets, ints, texts, seqs,
                    st.just(key_names), st.just(ts_name))
    return st.lists(row, max_size=max_size)


SPINE_SCHEMA = {"k1": "int", "k2": "text", "as_of_ts": "ts", "tag": "int"}
EVENT_SCHEMA = {"k1": "int", "k2": "text", "event_ts": "ts", "known_at": "ts", "v": "int", "w": "text", "seq": "int"}
EVENT2_SCHEMA = {"j1": "int", "j2": "text", "happened_at": "ts", "known_at": "ts", "v": "int", "w": "text", "seq": "int"}


def _without(args: dict, *names: str) -> dict:
    return {k: v for k, v in args.items() if k not in names}


# -- point_in_time_join --------------------------------------------------------------------------
@PROPERTY
@given(variant=st.sampled_from(sorted(POINT_IN_TIME_JOIN)),
       worlds=st.lists(st.tuples(spines(), events(), events(key_names=("j1", "j2"), ts_name="happened_at")),
                       min_size=WORLDS, max_size=WORLDS))
def test_point_in_time_join_matches_oracle(compiled, tables, variant, worlds):
    _, args, extra = POINT_IN_TIME_JOIN[variant]
    spine, src, src2 = merge_worlds(worlds)
    tables.load("spine", SPINE_SCHEMA, spine)
    tables.load("src", EVENT_SCHEMA, src)
    tables.load("src2", EVENT2_SCHEMA, src2)
    expected = oracle.point_in_time_join(
        utc_rows(spine), args["entity_keys"], args["cutoff"], args["sources"],
        {"src": utc_rows(src), "src2": utc_rows(src2)}, strict=args["strict"], as_of=extra["as_of"])
    check_against_oracle("point_in_time_join", compiled[variant], tables, expected, cases=len(worlds))


# -- window_aggregates ---------------------------------------------------------------------------
@PROPERTY
@given(variant=st.sampled_from(sorted(WINDOW_AGGREGATES)),
       worlds=st.lists(st.tuples(spines(), events(max_size=18)), min_size=WORLDS, max_size=WORLDS))
def test_window_aggregates_match_oracle(compiled, tables, variant, worlds):
    _, args, extra = WINDOW_AGGREGATES[variant]
    spine, src = merge_worlds(worlds)
    tables.load("spine", SPINE_SCHEMA, spine)
    tables.load("src", EVENT_SCHEMA, src)
    expected = oracle.window_aggregates(utc_rows(spine), rows=utc_rows(src), where=extra.get("where"),
                                        as_of=extra["as_of"], **_without(args, "spine", "source", "where", "as_of", "method"))
    check_against_oracle("window_aggregates", compiled[variant], tables, expected, cases=len(worlds))


# -- label_window --------------------------------------------------------------------------------
@PROPERTY
@given(variant=st.sampled_from(sorted(LABEL_WINDOW)),
       worlds=st.lists(st.tuples(spines(), events()), min_size=WORLDS, max_size=WORLDS))
def test_label_window_matches_oracle(compiled, tables, variant, worlds):
    _, args, extra = LABEL_WINDOW[variant]
    spine, src = merge_worlds(worlds)
    tables.load("spine", SPINE_SCHEMA, spine)
    tables.load("src", EVENT_SCHEMA, src)
    expected = oracle.label_window(utc_rows(spine), rows=utc_rows(src), where=extra.get("where"),
                                   value=extra.get("value"), as_of=extra["as_of"],
                                   **_without(args, "spine", "source", "where", "value", "as_of"))
    check_against_oracle("label_window", compiled[variant], tables, expected, cases=len(worlds))


# -- cutoff_spine --------------------------------------------------------------------------------
ENTITY_SCHEMA = {"k1": "int", "k2": "text", "started_at": "ts", "ended_at": "ts", "known_at": "ts"}
# Entities live on a daily grid over five months so that monthly and weekly cutoffs meet edges.
entity_instants = st.builds(lambda d, h: datetime(2024, 11, 1) + timedelta(days=d, hours=h),
                            st.integers(0, 150), st.sampled_from([0, 0, 0, 6]))
entity_stamps = st.builds(Stamp, entity_instants, offsets)
maybe_entity_stamps = st.one_of(st.none(), entity_stamps)
entity_rows = st.builds(
    lambda k1, k2, started, ended, known: {"k1": k1, "k2": k2, "started_at": started, "ended_at": ended,
                                           "known_at": known},
    k1s, k2s, st.one_of(st.none(), entity_stamps, entity_stamps), maybe_entity_stamps, maybe_entity_stamps)


@PROPERTY
@given(variant=st.sampled_from(sorted(CUTOFF_SPINE)),
       worlds=st.lists(st.tuples(st.lists(entity_rows, max_size=8)), min_size=WORLDS, max_size=WORLDS))
def test_cutoff_spine_matches_oracle(compiled, tables, variant, worlds):
    _, args, extra = CUTOFF_SPINE[variant]
    (entities,) = merge_worlds(worlds)
    tables.load("ent", ENTITY_SCHEMA, entities)
    expected = oracle.cutoff_spine(utc_rows(entities), start=extra["start"], end=extra["end"],
                                   **_without(args, "entities", "start", "end"))
    check_against_oracle("cutoff_spine", compiled[variant], tables, expected, cases=len(worlds))


# -- scd2_as_of_join -----------------------------------------------------------------------------
SNAPSHOT_SCHEMA = {"k1": "int", "k2": "text", "j1": "int", "j2": "text", "plan": "text", "score": "int",
                   "dbt_valid_from": "ts", "dbt_valid_to": "ts", "valid_from": "ts", "valid_to": "ts"}


lengths = st.sampled_from([None, 1, 2, 4, 8])  # version lengths in grid steps; None = still open
one_in_ten = st.integers(0, 9)
maybe_instants = st.one_of(st.none(), instants)


@st.composite
def snapshots(draw):
    """Per entity a chain of versions (as dbt writes them), sometimes broken: overlaps, gaps, NULLs."""
    rows = []
    for _ in range(draw(st.integers(0, 4))):
        k1, k2 = draw(k1s), draw(k2s)
        start = draw(instants)
        for _ in range(draw(st.integers(1, 4))):
            length = draw(lengths)
            end = None if length is None else start + length * STEP
            if draw(one_in_ten) == 0:  # a malformed row: NULL or overlapping validity
                start, end = draw(maybe_instants), draw(maybe_instants)
            vf = None if start is None else Stamp(start, draw(offsets))
            vt = None if end is None else Stamp(end, draw(offsets))
            rows.append({"k1": k1, "k2": k2, "j1": k1, "j2": k2, "plan": draw(texts), "score": draw(ints),
                         "dbt_valid_from": vf, "dbt_valid_to": vt, "valid_from": vf, "valid_to": vt})
            if end is None:
                break
            start = end
    return rows


@PROPERTY
@given(variant=st.sampled_from(sorted(SCD2_AS_OF_JOIN)),
       worlds=st.lists(st.tuples(spines(), snapshots()), min_size=WORLDS, max_size=WORLDS))
def test_scd2_as_of_join_matches_oracle(compiled, tables, variant, worlds):
    _, args, extra = SCD2_AS_OF_JOIN[variant]
    spine, snap = merge_worlds(worlds)
    tables.load("spine", SPINE_SCHEMA, spine)
    tables.load("snap", SNAPSHOT_SCHEMA, snap)
    expected = oracle.scd2_as_of_join(utc_rows(spine), versions=utc_rows(snap), as_of=extra["as_of"],
                                      **_without(args, "spine", "snapshot", "as_of"))
    check_against_oracle("scd2_as_of_join", compiled[variant], tables, expected, cases=len(worlds))


# -- temporal_split ------------------------------------------------------------------------------
@PROPERTY
@given(variant=st.sampled_from(sorted(TEMPORAL_SPLIT)),
       worlds=st.lists(st.tuples(spines()), min_size=WORLDS, max_size=WORLDS))
def test_temporal_split_matches_oracle(compiled, tables, variant, worlds):
    _, args, extra = TEMPORAL_SPLIT[variant]
    (rel,) = merge_worlds(worlds)
    tables.load("rel", SPINE_SCHEMA, rel)
    expected = oracle.temporal_split(utc_rows(rel), args["cutoff"], extra["valid_start"], extra["test_start"],
                                     args["embargo"], split_column=args.get("split_column", "split"),
                                     drop_embargoed=args.get("drop_embargoed", True))
    check_against_oracle("temporal_split", compiled[variant], tables, expected, cases=len(worlds))
