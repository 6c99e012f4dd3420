"""The macro calls the property tests compile: one model per combination of options.

Each variant is ``(macro, args, oracle)``: ``args`` are written into the model as the macro call,
``oracle`` holds what the Python oracle needs beyond them (Python stand-ins for SQL predicates,
the as-of instant the call resolves to).
"""

from __future__ import annotations

from datetime import datetime

from macro_harness import AS_OF_VAR

SPINE = "spine"
ONE_KEY = ["k1"]
TWO_KEYS = ["k1", "k2"]
CUTOFF = "as_of_ts"
ON_GRID_AS_OF = "2025-01-07"  # on the generated 6-hour grid: ties with event times


def _var(value):
    """The oracle's as-of for an `as_of` argument: omitted -> var('as_of')."""
    return AS_OF_VAR if value == "var" else (None if value is None else datetime.fromisoformat(value))


def _pit(name, keys, sources, strict=False, as_of="var"):
    args = {"spine": SPINE, "entity_keys": keys, "cutoff": CUTOFF, "sources": sources, "strict": strict}
    if as_of != "var":
        args["as_of"] = as_of
    return name, ("point_in_time_join", args, {"as_of": _var(as_of)})


WIDE_COLUMNS = 30


def _wide(*columns, prefix):
    """WIDE_COLUMNS brought columns cycling over ``columns``, each under its own name."""
    return [{columns[i % len(columns)]: f"{prefix}_{i}"} for i in range(WIDE_COLUMNS)]


POINT_IN_TIME_JOIN = dict([
    _pit("pit_plain", ONE_KEY, [{"relation": "src", "columns": ["v", "w"]}], as_of=None),
    _pit("pit_strict_ttl", ONE_KEY, [{"relation": "src", "columns": ["v"], "ttl": "1 day"}], strict=True, as_of=None),
    _pit("pit_known_at", ONE_KEY, [{"relation": "src", "columns": ["v", {"w": "w_alias"}], "known_at": "known_at",
                                    "tie_break": ["seq"], "ttl": "2 days", "prefix": "f_"}]),
    _pit("pit_known_at_strict", ONE_KEY, [{"relation": "src", "columns": ["w"], "known_at": "known_at",
                                           "strict": True}], as_of=ON_GRID_AS_OF),
    _pit("pit_two_sources", TWO_KEYS, [
        {"relation": "src", "columns": ["v"], "known_at": "known_at", "tie_break": ["seq"], "prefix": "a_"},
        {"relation": "src2", "columns": ["v", "w"], "keys": ["j1", "j2"], "event_ts": "happened_at",
         "ttl": "12 hours", "strict": True, "prefix": "b_"},
    ]),
    # a wide training set: four sources of WIDE_COLUMNS columns each, in one call
    _pit("pit_wide", TWO_KEYS, [
        {"relation": "src", "columns": _wide("v", "w", "seq", prefix="late"), "known_at": "known_at",
         "tie_break": ["seq"], "ttl": "3 days", "prefix": "a_"},
        {"relation": "src", "columns": _wide("w", "v", prefix="now"), "prefix": "b_"},
        {"relation": "src2", "columns": _wide("v", "seq", "w", prefix="other"), "keys": ["j1", "j2"],
         "event_ts": "happened_at", "strict": True, "prefix": "c_"},
        {"relation": "src2", "columns": _wide("seq", "v", prefix="kn"), "keys": ["j1", "j2"],
         "event_ts": "happened_at", "known_at": "known_at", "prefix": "d_"},
    ], as_of=None),
])


def _wa(name, keys, aggregates, windows, oracle=None, as_of="var", **options):
    args = {"spine": SPINE, "entity_keys": keys, "cutoff": CUTOFF, "source": "src",
            "aggregates": aggregates, "windows": windows, **options}
    if as_of != "var":
        args["as_of"] = as_of
    return name, ("window_aggregates", args, {"as_of": _var(as_of), **(oracle or {})})


ALL_AGGS = [{"agg": "count", "column": "*"}, {"agg": "count", "column": "v"}, {"agg": "sum", "column": "v"},
            {"agg": "avg", "column": "v"}, {"agg": "min", "column": "w"}, {"agg": "max", "column": "v", "name": "top"},
            {"agg": "count_distinct", "column": "w"}]

CUMULATIVE_AGGS = [{"agg": "count", "column": "*"}, {"agg": "count", "column": "v"}, {"agg": "sum", "column": "v"},
                   {"agg": "avg", "column": "v"}]

WINDOW_AGGREGATES = dict([
    _wa("wa_plain", ONE_KEY, ALL_AGGS, ["12 hours", "1 day", "3 days"], as_of=None),
    _wa("wa_strict_known_at_where", ONE_KEY, ALL_AGGS, ["2 days", "1 week"], strict=True, known_at="known_at",
        where="v > 0", oracle={"where": lambda r: r["v"] is not None and r["v"] > 0}, prefix="o_"),
    _wa("wa_composite", TWO_KEYS, [{"agg": "sum", "column": "v"}, {"agg": "count", "column": "*"}], ["1 day", "4 days"],
        as_of=ON_GRID_AS_OF),
    # method='cumulative' (DuckDB running totals; the portable side ignores the method)
    _wa("wa_cumulative_plain", TWO_KEYS, CUMULATIVE_AGGS, ["6 hours", "1 day", "1 week"], method="cumulative"),
    _wa("wa_cumulative_known_at_strict", ONE_KEY, CUMULATIVE_AGGS, ["12 hours", "2 days"], method="cumulative",
        known_at="known_at", strict=True, where="w <> 'c'", prefix="c_",
        oracle={"where": lambda r: r["w"] is not None and r["w"] != "c"}),
    _wa("wa_cumulative_known_at", ONE_KEY, CUMULATIVE_AGGS, ["1 day"], method="cumulative", known_at="known_at",
        as_of=None),
])


def _sum_v(rows):
    values = [r["v"] for r in rows if r["v"] is not None]
    return sum(values) if values else None


def _lw(name, keys, horizon, oracle=None, as_of="var", **options):
    args = {"spine": SPINE, "entity_keys": keys, "cutoff": CUTOFF, "source": "src", "horizon": horizon, **options}
    if as_of != "var":
        args["as_of"] = as_of
    return name, ("label_window", args, {"as_of": _var(as_of), **(oracle or {})})


LABEL_WINDOW = dict([
    _lw("lw_any_event", ONE_KEY, "2 days", label="churned"),
    _lw("lw_flag_value", ONE_KEY, "1 day", maturity="flag", value="sum(v)", known_at="known_at",
        where="w <> 'b'", oracle={"value": _sum_v, "where": lambda r: r["w"] is not None and r["w"] != "b"}),
    _lw("lw_no_as_of", TWO_KEYS, "18 hours", as_of=None, maturity="flag"),
    _lw("lw_distinct_no_default", TWO_KEYS, "3 days", value="count(distinct w)", empty=None, as_of=ON_GRID_AS_OF,
        oracle={"value": lambda rows: len({r["w"] for r in rows if r["w"] is not None})}),
])


def _cs(name, entity_keys, start, every, end="var", **options):
    args = {"entities": "ent", "entity_keys": entity_keys, "start": start, "every": every, **options}
    if end != "var":
        args["end"] = end
    oracle_end = AS_OF_VAR if end == "var" else datetime.fromisoformat(end)
    return name, ("cutoff_spine", args, {"start": datetime.fromisoformat(start), "end": oracle_end})


CUTOFF_SPINE = dict([
    _cs("cs_month_validity", ONE_KEY, "2024-11-20", "month", end="2025-03-01",
        valid_from="started_at", valid_to="ended_at"),
    _cs("cs_day_known_at", ONE_KEY, "2025-01-01", "day", known_at="known_at", valid_from="started_at"),
    _cs("cs_week_composite", TWO_KEYS, "2025-01-02", "week", end="2025-02-01T06:00:00", valid_to="ended_at",
        cutoff="cutoff_at"),
])


def _sc(name, entity_keys, columns, as_of="var", **options):
    args = {"spine": SPINE, "entity_keys": entity_keys, "cutoff": CUTOFF, "snapshot": "snap", "columns": columns, **options}
    if as_of != "var":
        args["as_of"] = as_of
    return name, ("scd2_as_of_join", args, {"as_of": _var(as_of)})


SCD2_AS_OF_JOIN = dict([
    _sc("sc_plain", ONE_KEY, ["plan", "score"], as_of=None),
    _sc("sc_as_of_var", ONE_KEY, [{"plan": "plan_now"}], prefix="dim_"),
    _sc("sc_composite", TWO_KEYS, ["plan"], as_of=ON_GRID_AS_OF, keys=["j1", "j2"],
        valid_from="valid_from", valid_to="valid_to"),
])


def _ts(name, valid_start, test_start, embargo, **options):
    args = {"relation": "rel", "cutoff": CUTOFF, "valid_start": valid_start, "test_start": test_start,
            "embargo": embargo, **options}
    return name, ("temporal_split", args, {"valid_start": datetime.fromisoformat(valid_start),
                                           "test_start": datetime.fromisoformat(test_start)})


TEMPORAL_SPLIT = dict([
    _ts("ts_drop", "2025-01-05", "2025-01-09", "1 day", horizon="1 day"),
    _ts("ts_keep", "2025-01-04", "2025-01-06T12:00:00", "18 hours", drop_embargoed=False, split_column="part"),
])

ALL = {**POINT_IN_TIME_JOIN, **WINDOW_AGGREGATES, **LABEL_WINDOW, **CUTOFF_SPINE, **SCD2_AS_OF_JOIN, **TEMPORAL_SPLIT}
