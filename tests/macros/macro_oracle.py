"""Brute-force Python oracle of the point-in-time semantics (docs/semantics.md).

Each function reads plain rows (dicts of Python values, timestamps as naive UTC datetimes) and
returns the rows the matching macro must return. It is written from the rules, not from the SQL:
every spine row is examined on its own against every source row, with no joins, no windows and
no shortcuts, so that it can be wrong only in ways the SQL cannot share.

Ordering rule shared by the "latest row" macros: greater wins and NULL loses, compared column by
column (event time, knowledge time, tie_break columns, then the brought columns themselves).
"""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta
from typing import Any, Iterable

Row = dict[str, Any]

UNIT_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 604800}


def interval(text: str) -> timedelta:
    """'30 days' -> timedelta(days=30); months/years are not used by the property tests."""
    n, unit = text.split()
    return timedelta(seconds=int(n) * UNIT_SECONDS[unit.rstrip("s")])


def suffix(text: str) -> str:
    n, unit = text.split()
    return n + {"second": "s", "minute": "min", "hour": "h", "day": "d", "week": "w"}[unit.rstrip("s")]


def null_lowest(values: Iterable[Any]) -> tuple:
    """Sort key under which NULL is lower than any value, column by column."""
    return tuple((0, 0) if v is None else (1, v) for v in values)


def _keys(row: Row, columns: list[str]) -> tuple | None:
    """The row's key tuple, or None when any part is NULL (NULL keys never match)."""
    values = tuple(row[c] for c in columns)
    return None if any(v is None for v in values) else values


def _le(a, b) -> bool:
    return a is not None and b is not None and a <= b


# -- point_in_time_join --------------------------------------------------------------------------
def point_in_time_join(spine: list[Row], entity_keys: list[str], cutoff: str, sources: list[dict],
                       source_rows: dict[str, list[Row]], strict: bool = False,
                       as_of: datetime | None = None) -> list[Row]:
    out = []
    for srow in spine:
        result = dict(srow)
        key, t = _keys(srow, entity_keys), srow[cutoff]
        for src in sources:
            keys = src.get("keys", entity_keys)
            ev_col, kn_col = src.get("event_ts", "event_ts"), src.get("known_at")
            ttl = interval(src["ttl"]) if src.get("ttl") else None
            is_strict = src.get("strict", strict)
            columns = [(c, c) if isinstance(c, str) else next(iter(c.items())) for c in src["columns"]]
            best, best_key = None, None
            for row in source_rows[src["relation"]] if key is not None and t is not None else []:
                ev = row[ev_col]
                kn = row[kn_col] if kn_col else None
                if _keys(row, keys) != key or ev is None or (kn_col and kn is None):
                    continue
                if (ev >= t) if is_strict else (ev > t):
                    continue
                if kn_col and kn > t:
                    continue
                if ttl is not None and not ev > t - ttl:
                    continue
                if as_of is not None and (ev > as_of or (kn_col and kn > as_of)):
                    continue
                rank = null_lowest([ev, kn, *[row[c] for c in src.get("tie_break", [])],
                                    *[row[c] for c, _ in columns]])
                if best_key is None or rank > best_key:
                    best, best_key = row, rank
            for col, alias in columns:
                result[src.get("prefix", "") + alias] = None if best is None else best[col]
        out.append(result)
    return out


# -- window_aggregates ---------------------------------------------------------------------------
def _aggregate(agg: str, values: list[Any]) -> Any:
    present = [v for v in values if v is not None]
    if agg == "count":
        return len(present)
    if agg == "count_distinct":
        return len(set(present))
    if agg == "sum":
        return sum(present) if present else 0
    if not present:
        return None
    if agg == "avg":
        return sum(present) / len(present)
    return min(present) if agg == "min" else max(present)


def window_aggregates(spine: list[Row], entity_keys: list[str], cutoff: str, rows: list[Row],
                      aggregates: list[dict], windows: list[str], event_ts: str = "event_ts",
                      known_at: str | None = None, keys: list[str] | None = None, strict: bool = False,
                      prefix: str = "", where=None, as_of: datetime | None = None) -> list[Row]:
    """``where`` is a Python predicate standing for the SQL one."""
    keys = keys or entity_keys
    out = []
    for srow in spine:
        result = dict(srow)
        key, t = _keys(srow, entity_keys), srow[cutoff]
        inside = {w: [r for r in rows if _in_window(r, key, t, interval(w), keys, event_ts, known_at,
                                                    strict, as_of, where)] for w in windows}
        for a in aggregates:
            column = a.get("column", "*")
            base = a.get("name") or ("count" if column == "*" else f"{a['agg']}_{column}")
            for w in windows:
                values = [1 for _ in inside[w]] if column == "*" else [r[column] for r in inside[w]]
                result[f"{prefix}{base}_{suffix(w)}"] = _aggregate(a["agg"], values)
        out.append(result)
    return out


def _in_window(row, key, t, span, keys, event_ts, known_at, strict, as_of, where) -> bool:
    ev = row[event_ts]
    if key is None or t is None or _keys(row, keys) != key or ev is None:
        return False
    if not (t - span < ev and (ev < t if strict else ev <= t)):
        return False
    if known_at and not _le(row[known_at], t):
        return False
    if as_of is not None and (ev > as_of or (known_at and not _le(row[known_at], as_of))):
        return False
    return where is None or bool(where(row))


# -- label_window --------------------------------------------------------------------------------
def label_window(spine: list[Row], entity_keys: list[str], cutoff: str, rows: list[Row], horizon: str,
                 label: str = "label", event_ts: str = "event_ts", known_at: str | None = None,
                 keys: list[str] | None = None, where=None, value=None, maturity: str = "exclude",
                 as_of: datetime | None = None, empty: Any = 0) -> list[Row]:
    """``value`` is a Python function of the list of rows in the horizon, standing for the SQL aggregate."""
    keys = keys or entity_keys
    h = interval(horizon)
    out = []
    for srow in spine:
        key, t = _keys(srow, entity_keys), srow[cutoff]
        mature = t is not None and (as_of is None or t + h <= as_of)
        if maturity == "exclude" and not mature:
            continue
        result = dict(srow)
        if not mature:
            result[label] = None
        else:
            inside = []
            for row in rows if key is not None else []:
                ev = row[event_ts]
                if _keys(row, keys) != key or ev is None or not (t < ev <= t + h):
                    continue
                if where is not None and not where(row):
                    continue
                if as_of is not None and (ev > as_of or (known_at and not _le(row[known_at], as_of))):
                    continue
                inside.append(row)
            if not inside:
                result[label] = empty
            else:
                result[label] = 1 if value is None else value(inside)
        if maturity == "flag":
            result["is_mature"] = mature
        out.append(result)
    return out


# -- cutoff_spine --------------------------------------------------------------------------------
def cutoff_dates(start: datetime, every: str, end: datetime) -> list[datetime]:
    """Every day/week(Monday)/month from start truncated to its period, up to end inclusive."""
    day = datetime(start.year, start.month, start.day)
    if every == "day":
        first, step = day, lambda d: d + timedelta(days=1)
    elif every == "week":
        first, step = day - timedelta(days=day.weekday()), lambda d: d + timedelta(days=7)
    else:
        first = datetime(start.year, start.month, 1)

        def step(d):
            return d + timedelta(days=calendar.monthrange(d.year, d.month)[1])
    dates, d = [], first
    while d <= end:
        dates.append(d)
        d = step(d)
    return dates


def cutoff_spine(entities: list[Row], entity_keys: list[str], start: datetime, every: str, end: datetime,
                 cutoff: str = "as_of_ts", valid_from: str | None = None, valid_to: str | None = None,
                 known_at: str | None = None) -> list[Row]:
    found = set()
    for t in cutoff_dates(start, every, end):
        for row in entities:
            key = _keys(row, entity_keys)
            if key is None:
                continue
            if valid_from and not _le(row[valid_from], t):
                continue
            if valid_to and row[valid_to] is not None and not t < row[valid_to]:
                continue
            if known_at and not _le(row[known_at], t):
                continue
            found.add((key, t))
    return [{**dict(zip(entity_keys, key)), cutoff: t} for key, t in found]


# -- scd2_as_of_join -----------------------------------------------------------------------------
def scd2_as_of_join(spine: list[Row], entity_keys: list[str], cutoff: str, versions: list[Row],
                    columns: list, keys: list[str] | None = None, prefix: str = "",
                    valid_from: str = "dbt_valid_from", valid_to: str = "dbt_valid_to",
                    as_of: datetime | None = None) -> list[Row]:
    """The version that started last at or before T (and by as_of) counts if still valid at T;
    an end after as_of had not happened yet at as_of, so it reads as open."""
    keys = keys or entity_keys
    columns = [(c, c) if isinstance(c, str) else next(iter(c.items())) for c in columns]
    out = []
    for srow in spine:
        result = dict(srow)
        key, t = _keys(srow, entity_keys), srow[cutoff]
        best, best_key, best_end = None, None, None
        for row in versions if key is not None and t is not None else []:
            vf, vt = row[valid_from], row[valid_to]
            if _keys(row, keys) != key or vf is None or vf > t or (as_of is not None and vf > as_of):
                continue
            if as_of is not None and vt is not None and vt > as_of:
                vt = None
            rank = null_lowest([vf, vt is None, vt, *[row[c] for c, _ in columns]])
            if best_key is None or rank > best_key:
                best, best_key, best_end = row, rank, vt
        current = best is not None and (best_end is None or t < best_end)
        for col, alias in columns:
            result[prefix + alias] = best[col] if current else None
        out.append(result)
    return out


# -- temporal_split ------------------------------------------------------------------------------
def temporal_split(rows: list[Row], cutoff: str, valid_start: datetime, test_start: datetime, embargo: str,
                   split_column: str = "split", drop_embargoed: bool = True) -> list[Row]:
    gap = interval(embargo)
    out = []
    for row in rows:
        t = row[cutoff]
        if t is not None and t + gap <= valid_start:
            split = "train"
        elif t is not None and valid_start <= t and t + gap <= test_start:
            split = "validation"
        elif t is not None and t >= test_start:
            split = "test"
        else:
            split = "embargo"
        if split == "embargo" and drop_embargoed:
            continue
        out.append({**row, split_column: split})
    return out
