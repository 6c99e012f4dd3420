"""Time-travel invariance of the macros (docs/semantics.md §8), checked without any oracle.

For every variant with an as-of date D, the output on the full random tables must equal the
output on the same tables with every record after D deleted, as a warehouse frozen at D would
hold them: events whose event_ts, or known_at where the call declares it, is after D are gone;
snapshot versions that start after D are gone and an end after D had not been written yet
(NULL). Both implementations.
"""

from __future__ import annotations

import random
from datetime import datetime

from hypothesis import given
from hypothesis import strategies as st

import macro_worlds as worlds
from macro_harness import TIME_TRAVEL_CASES, canonical, merge_worlds
from macro_variants import ALL
from test_macro_properties import (EVENT2_SCHEMA, EVENT_SCHEMA, PROPERTY, SNAPSHOT_SCHEMA, SPINE_SCHEMA, WORLDS,
                                   seeds)

VARIANTS = sorted(name for name, (macro, _, extra) in ALL.items()
                  if macro in ("point_in_time_join", "window_aggregates", "label_window", "scd2_as_of_join")
                  and extra.get("as_of") is not None)


def _after(stamp, d: datetime) -> bool:
    return stamp is not None and stamp.utc > d


def events_known_by(rows: list[dict], d: datetime, ts: str, known_at: str | None) -> list[dict]:
    return [r for r in rows if not _after(r[ts], d) and not (known_at and _after(r[known_at], d))]


def snapshot_at(rows: list[dict], d: datetime) -> list[dict]:
    kept = []
    for r in rows:
        if _after(r["dbt_valid_from"], d):
            continue
        end = None if _after(r["dbt_valid_to"], d) else r["dbt_valid_to"]
        kept.append({**r, "dbt_valid_to": end, "valid_to": end})
    return kept


def _known_at(macro: str, args: dict, relation: str) -> str | None:
    """The knowledge-time column the call declares for ``relation``: the only other time it reads."""
    if macro == "point_in_time_join":
        return next((s.get("known_at") for s in args["sources"] if s["relation"] == relation), None)
    return args.get("known_at")


def _tables(macro: str, args: dict):
    """(name, schema, make_rows, truncate) for the tables of one world of ``macro``."""
    if macro == "scd2_as_of_join":
        return [("spine", SPINE_SCHEMA, worlds.spine, None), ("snap", SNAPSHOT_SCHEMA, worlds.snapshot, snapshot_at)]
    tables = [("spine", SPINE_SCHEMA, worlds.spine, None),
              ("src", EVENT_SCHEMA, worlds.events,
               lambda rows, d: events_known_by(rows, d, "event_ts", _known_at(macro, args, "src")))]
    if macro == "point_in_time_join":
        tables.append(("src2", EVENT2_SCHEMA,
                       lambda r: worlds.events(r, key_names=("j1", "j2"), ts_name="happened_at"),
                       lambda rows, d: events_known_by(rows, d, "happened_at", _known_at(macro, args, "src2"))))
    return tables


@PROPERTY
@given(variant=st.sampled_from(VARIANTS), seed=seeds)
def test_output_as_of_d_ignores_everything_after_d(compiled, tables, variant, seed):
    macro, args, extra = ALL[variant]
    d = extra["as_of"]
    rng = random.Random(seed)
    specs = _tables(macro, args)
    full = merge_worlds([tuple(make(rng) for _, _, make, _ in specs) for _ in range(WORLDS)])
    frozen = [rows if truncate is None else truncate(rows, d) for rows, (_, _, _, truncate) in zip(full, specs)]

    results = {}
    for label, data in (("full", full), ("frozen at D", frozen)):
        for (name, schema, _, _), rows in zip(specs, data):
            tables.load(name, schema, rows)
        for flavour, sql in compiled[variant].items():
            columns, rows = tables.run(sql)
            results[label, flavour] = canonical(columns, rows)
    for flavour in compiled[variant]:
        assert results["full", flavour] == results["frozen at D", flavour], (
            f"{variant} ({flavour}) as of {d} read records after it")
    TIME_TRAVEL_CASES[macro] += WORLDS
