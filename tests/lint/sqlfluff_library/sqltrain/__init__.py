"""Stand-ins for the sqltrain macros when sqlfluff lints a model (Jinja templater, .sqlfluff).

sqlfluff renders models without dbt, so a macro call becomes a plain query over what it reads: the
model's own SQL around the call is what gets linted; the macros' output is checked by the
property and integration tests (tests/macros).
"""


def _relation(*args, **kwargs):
    """A query over the relation the call reads (its spine, entities or relation argument)."""
    read = kwargs.get("spine") or kwargs.get("entities") or kwargs.get("relation") or (args[0] if args else "spine")
    return f"select * from {read}"


point_in_time_join = window_aggregates = label_window = cutoff_spine = scd2_as_of_join = temporal_split = _relation
