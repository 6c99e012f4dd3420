"""Map a finding back into the model's source file (the .sql with Jinja), not the compiled SQL.

The compiled SQL's positions mean nothing to the person who wrote the model, so a finding is
placed on the first occurrence of the text that names the fault in the raw code — the ref() of
the relation, the column, the function — outside comments; failing that, on the CTE that holds
it (a macro call's output lands there); failing that, on line 1.
"""

from __future__ import annotations

import re


def blank_comments(code: str) -> str:
    """Replace Jinja comments and SQL ``--`` comments by spaces, keeping every offset."""
    def spaces(match: re.Match) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    code = re.sub(r"\{#.*?#\}", spaces, code, flags=re.S)
    code = re.sub(r"--[^\n]*", spaces, code)
    code = re.sub(r"/\*.*?\*/", spaces, code, flags=re.S)
    return code


def position(code: str, offset: int) -> tuple[int, int]:
    line = code.count("\n", 0, offset) + 1
    col = offset - (code.rfind("\n", 0, offset) + 1) + 1
    return line, col


class Locator:
    """Finds needles in one model's raw code."""

    def __init__(self, raw_code: str):
        self.raw = raw_code
        self.searchable = blank_comments(raw_code)

    def defines(self, cte: str) -> bool:
        """Whether the model's own code defines the CTE ``cte`` (a macro's CTEs are not in it)."""
        return re.search(rf"\b{re.escape(cte)}\s+as\s*\(", self.searchable, flags=re.I) is not None

    def find(self, needles: list[str], cte: str | None = None) -> tuple[int, int]:
        """Inside a CTE: the first match after the CTE's definition. In the final SELECT (no CTE): the
        last match, since the final SELECT closes the file and earlier matches sit in the CTEs."""
        start = 0
        if cte:
            definition = re.search(rf"\b{re.escape(cte)}\s+as\s*\(", self.searchable, flags=re.I)
            start = definition.start() if definition else 0
        for needle in needles:
            if not needle:
                continue
            matches = list(re.finditer(needle, self.searchable[start:], flags=re.I))
            if matches:
                match = matches[0] if cte else matches[-1]
                return position(self.raw, start + match.start())
        if cte:
            match = re.search(rf"\b{re.escape(cte)}\s+as\s*\(", self.searchable, flags=re.I)
            if match:
                return position(self.raw, match.start())
        return 1, 1


def relation_needles(name: str) -> list[str]:
    q = re.escape(name)
    return [rf"ref\(\s*['\"]{q}['\"]", rf"source\([^)]*['\"]{q}['\"]\s*\)", rf"\b{q}\b"]


def word(name: str) -> str:
    return rf"\b{re.escape(name)}\b"


def call(name: str) -> str:
    return rf"\b{re.escape(name)}\s*\("
