"""Calendar periods for backtests: ``--every 1 month``, ``--train-window 12 months``, the horizon.

A period is a whole number of hours, days, weeks, months or years, written as dbt-style text
(``30 days``, ``month``) or as an ISO 8601 duration (``P1M``, ``P2W``, ``PT6H``). Months and years
are calendar steps (Jan 31 + 1 month is Feb 28), as the spines' ``every='month'`` cutoffs are.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..errors import UsageError

UNITS = ("hour", "day", "week", "month", "year")
_ISO_UNITS = {"H": "hour", "D": "day", "W": "week", "M": "month", "Y": "year"}
# shortest and longest length of one unit, in hours: comparing "30 days" with "1 month" needs both
_HOURS = {"hour": (1, 1), "day": (24, 24), "week": (168, 168), "month": (28 * 24, 31 * 24), "year": (365 * 24, 366 * 24)}
LONGEST_YEARS = 1000  # a longer period cannot step between dates of a calendar that ends in 9999


@dataclass(frozen=True)
class Period:
    n: int
    unit: str

    @property
    def text(self) -> str:
        """dbt-style text, as the macros take it: ``30 days``, ``1 month``."""
        return f"{self.n} {self.unit}{'s' if self.n != 1 else ''}"

    @property
    def iso(self) -> str:
        """ISO 8601 duration (used in directory names: no spaces): ``P30D``, ``P1M``, ``PT6H``."""
        letter = {v: k for k, v in _ISO_UNITS.items()}[self.unit]
        return f"PT{self.n}H" if self.unit == "hour" else f"P{self.n}{letter}"

    def after(self, moment: datetime, times: int = 1) -> datetime:
        """``moment`` plus ``times`` periods (negative ``times`` goes back); a ``UsageError`` when
        that leaves the calendar (years 1 to 9999)."""
        try:
            return self._after(moment, times)
        except (OverflowError, ValueError):
            raise UsageError(
                f"{moment:%Y-%m-%d} {'+' if times >= 0 else '-'} {abs(times)} × {self} is outside the calendar (years 1 to 9999)",
                "use dates and periods that stay within it",
            ) from None

    def _after(self, moment: datetime, times: int) -> datetime:
        steps = self.n * times
        if self.unit in ("month", "year"):
            months = steps * (12 if self.unit == "year" else 1)
            index = moment.month - 1 + months
            year, month = moment.year + index // 12, index % 12 + 1
            day = min(moment.day, calendar.monthrange(year, month)[1])
            return moment.replace(year=year, month=month, day=day)
        hours = {"hour": 1, "day": 24, "week": 168}[self.unit]
        return moment + timedelta(hours=hours * steps)

    def before(self, moment: datetime) -> datetime:
        return self.after(moment, -1)

    def surely_at_least(self, other: "Period") -> bool:
        """True when this period is never shorter than ``other`` (the embargo-vs-horizon rule)."""
        if self.unit == other.unit:
            return self.n >= other.n
        return self.n * _HOURS[self.unit][0] >= other.n * _HOURS[other.unit][1]

    def __str__(self) -> str:
        return self.text


def parse_period(text: str, what: str = "period") -> Period:
    """Parse ``30 days``, ``1 month``, ``month``, ``2w`` or ``P1M``; a ``UsageError`` names ``what`` otherwise."""
    raw = str(text).strip()
    iso = re.fullmatch(r"P(?:(\d+)([DWMY])|T(\d+)H)", raw.upper())
    if iso:
        n, letter, hours = iso.groups()
        period = Period(int(hours), "hour") if hours else Period(int(n), _ISO_UNITS[letter])
    else:
        plain = re.fullmatch(r"(\d+)?\s*([a-z]+?)s?", raw.lower())
        unit = _unit(plain.group(2)) if plain else None
        if unit is None:
            raise UsageError(
                f"{what} '{text}' is not a period",
                "write e.g. '1 month', '2 weeks', '30 days' or an ISO duration like P1M",
            )
        period = Period(int(plain.group(1) or 1), unit)
    if period.n <= 0:
        raise UsageError(f"{what} '{text}' must be positive", "write e.g. '1 month'")
    if period.n * _HOURS[period.unit][0] > LONGEST_YEARS * _HOURS["year"][1]:
        raise UsageError(f"{what} '{text}' is longer than {LONGEST_YEARS} years", "write e.g. '1 month' or '1 year'")
    return period


def _unit(word: str) -> str | None:
    aliases = {"h": "hour", "d": "day", "w": "week", "m": "month", "mon": "month", "y": "year", "yr": "year"}
    word = aliases.get(word, word)
    return word if word in UNITS else None
