"""Random worlds for the property tests: small, dense, and full of edges.

A world is one independent case: a spine and its sources for a couple of entities. Generation
is driven by a ``random.Random`` seeded from hypothesis (one seed per example), because
hypothesis' own structured generation of many nested rows falls back to tiny examples (its
buffer overruns) and the edges below would almost never meet. Everything is tuned so that they
meet often:

- two entities (k1 in 1, 2) plus NULL keys; a second key column k2 for composite keys;
- times on a 6-hour grid over 8 days, some one microsecond off it, some NULL, so exact ties and
  instants exactly on a cutoff, a TTL, a window, a horizon or the as-of date are common;
- known_at usually equal to the event time or later (late arrival), sometimes earlier or NULL;
- duplicated spine rows; NULL values; every timestamp written naive or with a UTC offset.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from macro_harness import Stamp

BASE = datetime(2025, 1, 1)
STEP = timedelta(hours=6)
GRID_STEPS = 32
MICRO = timedelta(microseconds=1)
OFFSETS = [None, None, None, 0, 330, -300, 60, -720]  # minutes east of UTC; None = naive


def instant(rng: random.Random) -> datetime:
    jitter = rng.choice([timedelta(0)] * 6 + [MICRO, -MICRO])
    return BASE + rng.randint(0, GRID_STEPS) * STEP + jitter


def stamp(rng: random.Random, null_rate: float = 0.1) -> Stamp | None:
    return None if rng.random() < null_rate else Stamp(instant(rng), rng.choice(OFFSETS))


def k1(rng: random.Random) -> int | None:
    return rng.choice([None, 1, 1, 2, 2, 1, 2])


def k2(rng: random.Random) -> str | None:
    return rng.choice([None, "a", "b", "b", "b"])


def small_int(rng: random.Random) -> int | None:
    return None if rng.random() < 0.2 else rng.randint(-3, 3)


def text(rng: random.Random) -> str | None:
    return rng.choice([None, "a", "b", "c"])


def spine(rng: random.Random, max_rows: int = 6) -> list[dict]:
    rows = [{"k1": k1(rng), "k2": k2(rng), "as_of_ts": stamp(rng), "tag": rng.randint(0, 2)}
            for _ in range(rng.randint(0, max_rows))]
    copies = [dict(rng.choice(rows)) for _ in range(rng.randint(0, 3))] if rows else []
    return rows + copies


def events(rng: random.Random, key_names=("k1", "k2"), ts_name="event_ts", max_rows: int = 12) -> list[dict]:
    rows = []
    for _ in range(rng.randint(0, max_rows)):
        ev = stamp(rng)
        delay = rng.choice([None, 0, 0, 0, 1, 2, 8, -1])  # known_at - event_ts in grid steps
        known = None if ev is None or delay is None else Stamp(ev.utc + delay * STEP, rng.choice(OFFSETS))
        rows.append({key_names[0]: k1(rng), key_names[1]: k2(rng), ts_name: ev, "known_at": known,
                     "v": small_int(rng), "w": text(rng), "seq": None if rng.random() < 0.2 else rng.randint(0, 2)})
    return rows


def entities(rng: random.Random, max_rows: int = 6) -> list[dict]:
    """Validity rows on a daily grid over five months, so monthly and weekly cutoffs meet edges."""
    def day(null_rate):
        if rng.random() < null_rate:
            return None
        moment = datetime(2024, 11, 1) + timedelta(days=rng.randint(0, 150), hours=rng.choice([0, 0, 0, 6]))
        return Stamp(moment, rng.choice(OFFSETS))
    return [{"k1": k1(rng), "k2": k2(rng), "started_at": day(0.15), "ended_at": day(0.5), "known_at": day(0.3)}
            for _ in range(rng.randint(0, max_rows))]


def snapshot(rng: random.Random) -> list[dict]:
    """Per entity a chain of versions as dbt writes them, sometimes broken (overlaps, gaps, NULLs)."""
    rows = []
    for _ in range(rng.randint(0, 3)):
        key1, key2 = k1(rng), k2(rng)
        start = instant(rng)
        for _ in range(rng.randint(1, 4)):
            length = rng.choice([None, 1, 2, 4, 8])
            end = None if length is None else start + length * STEP
            if rng.random() < 0.1:  # a malformed row
                start = None if rng.random() < 0.3 else instant(rng)
                end = None if rng.random() < 0.5 else instant(rng)
            vf = None if start is None else Stamp(start, rng.choice(OFFSETS))
            vt = None if end is None else Stamp(end, rng.choice(OFFSETS))
            rows.append({"k1": key1, "k2": key2, "j1": key1, "j2": key2, "plan": text(rng), "score": small_int(rng),
                         "dbt_valid_from": vf, "dbt_valid_to": vt, "valid_from": vf, "valid_to": vt})
            if end is None:
                break
            start = end
    return rows
