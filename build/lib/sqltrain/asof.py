"""Parsing the as-of instant: ISO date or timestamp, always UTC (docs/semantics.md §7)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

from .errors import UsageError


@dataclass(frozen=True)
class AsOf:
    """The as-of instant. ``label`` is what the user wrote, normalised (used in paths and vars)."""

    instant: datetime  # naive, UTC
    label: str

    @property
    def var(self) -> str:
        """The value handed to dbt as ``var('as_of')``."""
        return self.label

    def __str__(self) -> str:
        return self.label


def parse_as_of(text: str) -> AsOf:
    raw = str(text).strip()
    try:
        if len(raw) == 10:
            day = date.fromisoformat(raw)
            return AsOf(datetime(day.year, day.month, day.day), day.isoformat())
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(
            f"--as-of '{text}' is not a date",
            "give an ISO date like 2025-12-01 or a timestamp like 2025-12-01T00:00:00Z",
        ) from None
    if moment.tzinfo is not None:
        try:
            moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
        except OverflowError:  # e.g. 0001-01-01T00:00:00+01:00 is before year 1 in UTC
            raise UsageError(f"--as-of '{text}' is outside the calendar in UTC", "give a date between 0001 and 9999") from None
    label = moment.date().isoformat() if moment.time() == datetime.min.time() else moment.strftime("%Y-%m-%dT%H:%M:%S")
    return AsOf(moment, label)
