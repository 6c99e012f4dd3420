"""The span of time a warehouse covers, read from the sources' declared event and knowledge times."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from .asof import AsOf
from .errors import UsageError
from .project import sqltrain_meta_of
from .sqlquote import identifier

if TYPE_CHECKING:
    from .engine import Engine


def source_time_columns(manifest: dict) -> list[tuple[str, str, str | None]]:
    """(relation, event_ts column, known_at column or None) of every source that declares times."""
    found = []
    for node in manifest.get("sources", {}).values():
        meta = sqltrain_meta_of(node)
        if meta.get("event_ts"):
            found.append((node["relation_name"], meta["event_ts"], meta.get("known_at")))
    return found


def warehouse_span(engine: Engine, manifest: dict) -> tuple[datetime, datetime] | None:
    """(first event, last record) over the declared sources, or None when none declares times.

    The SQL is DuckDB's dialect (an engine with another transpiles it). Times come back as text in
    the session's UTC, so every engine agrees.
    """
    engine.require_ready()     # a warehouse that cannot be opened says so, not "cannot read its time columns"
    firsts, lasts = [], []
    for relation, event_ts, known_at in source_time_columns(manifest):
        first = f"min({identifier(event_ts)})"
        last = f"greatest(max({identifier(event_ts)}), max({identifier(known_at)}))" if known_at \
            else f"max({identifier(event_ts)})"
        try:
            first_at, last_at = engine.execute(
                f"select cast(cast({first} as timestamp) as varchar), "
                f"cast(cast({last} as timestamp) as varchar) from {relation}"
            ).fetchone()
        except Exception as error:
            if not engine.missing_relation(error):   # a locked or broken warehouse is not the source's fault
                raise
            raise UsageError(
                f"source {relation}: cannot read its time columns ({' '.join(str(error).split())[:160]})",
                "check the source's meta.sqltrain event_ts/known_at and that the table exists",
            ) from None
        if first_at is not None:
            firsts.append(datetime.fromisoformat(first_at))
            lasts.append(datetime.fromisoformat(last_at))
    if not firsts:
        return None
    return min(firsts), max(lasts)


def require_in_warehouse(engine: Engine, manifest: dict, as_of: AsOf, option: str = "--as-of") -> None:
    """``as_of`` must fall inside the span of the warehouse ``engine`` reads (see ``require_within``)."""
    require_within(as_of, warehouse_span(engine, manifest), option)


def require_within(as_of: AsOf, span: tuple[datetime, datetime] | None, option: str = "--as-of") -> None:
    """An as-of before the first record builds nothing; one after the last record claims data that is not there."""
    if span is None:
        return
    first, last = span
    if as_of.instant <= first:
        raise UsageError(
            f"{option} {as_of} is before the warehouse's first record ({first:%Y-%m-%d %H:%M:%S})",
            "choose a later date",
        )
    # the day the last record landed is complete at the following midnight
    if as_of.instant > datetime(last.year, last.month, last.day) + timedelta(days=1):
        raise UsageError(
            f"{option} {as_of} is after the warehouse's last record ({last:%Y-%m-%d %H:%M:%S})",
            "choose an earlier date, or load newer data first",
        )
