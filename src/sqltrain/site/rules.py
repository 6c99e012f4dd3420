"""The leakage rule pages: ``docs/rules/LK0NN.md`` rendered to HTML for the site.

Links between rule docs (``LK002.md``) become links between the rendered pages (``LK002.html``),
so the site navigates on its own (see :func:`sqltrain.site.markup.render_markdown`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .markup import render_markdown

RULE_FILE = re.compile(r"^(LK\d{3})\.md$")


@dataclass
class RulePage:
    code: str          # "LK001"
    title: str         # the document's first heading
    html: str          # the rendered body

    @property
    def file(self) -> str:
        return f"{self.code}.html"


def rule_pages(rules_dir: Path) -> list[RulePage]:
    """Every ``LK0NN.md`` under ``rules_dir``, in code order (none when the folder is absent)."""
    if not rules_dir.is_dir():
        return []
    pages = []
    for path in sorted(rules_dir.iterdir()):
        match = RULE_FILE.match(path.name)
        if match:
            text = path.read_text(encoding="utf-8")
            pages.append(RulePage(code=match.group(1), title=_title(text, match.group(1)), html=render_markdown(text)))
    return pages


def _title(text: str, fallback: str) -> str:
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return fallback
