"""Line suppressions: ``-- sqltrain: ignore[LK001] reason`` (the reason is required).

A suppression applies to findings on its own line, or — when the comment stands alone on a
line — to findings on the next line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PATTERN = re.compile(r"--\s*sqltrain:\s*ignore\[([A-Za-z0-9_,\s]+)\]\s*(.*)$")


@dataclass
class Suppression:
    line: int
    col: int
    codes: set[str]
    reason: str
    applies_to: set[int]


def parse_suppressions(raw_code: str) -> list[Suppression]:
    found = []
    for number, text in enumerate(raw_code.splitlines(), start=1):
        match = PATTERN.search(text)
        if not match:
            continue
        codes = {c.strip().upper() for c in match.group(1).split(",") if c.strip()}
        reason = match.group(2).strip()
        lines = {number}
        if not text[: match.start()].strip():
            lines.add(number + 1)
        found.append(Suppression(number, match.start() + 1, codes, reason, lines))
    return found
