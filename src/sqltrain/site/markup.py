"""Markdown to HTML for the site: rule docs and dbt descriptions.

``markdown-it-py`` (CommonMark plus tables) is already installed as a dependency of ``rich``, so
the site needs no renderer of its own. Raw HTML in the source is escaped, never passed through.
"""

from __future__ import annotations

import re

_MD_LINK = re.compile(r'href="((?![a-z]+:)[^"#]*?)\.md(#[^"]*)?"')
_RELATIVE_LINK = re.compile(r'href="((?![a-z][a-z0-9+.-]*:|[#/])[^"]*)"')


def render_markdown(text: str, base: str = "") -> str:
    """CommonMark with tables; raw HTML in the source is escaped, ``.md`` links point at ``.html``.

    ``base`` prefixes relative links, for text written relative to the site root (a dbt
    description) but shown on a page deeper down.
    """
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark", {"html": False}).enable("table").render(text or "")
    html = _MD_LINK.sub(lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"', html)
    return _RELATIVE_LINK.sub(lambda m: f'href="{base}{m.group(1)}"', html) if base else html
