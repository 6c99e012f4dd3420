"""Markdown to HTML for the site: rule docs and dbt descriptions.

``markdown-it-py`` (CommonMark plus tables) is already installed as a dependency of ``rich``, so
the site needs no renderer of its own. Raw HTML in the source is escaped, never passed through.
"""

from __future__ import annotations

import re

_COMMENT = re.compile(r"<!--.*?-->\s*", re.S)
_MD_LINK = re.compile(r'href="((?![a-z]+:)[^"#]*?)\.md(#[^"]*)?"')
_RELATIVE_LINK = re.compile(r'href="((?![a-z][a-z0-9+.-]*:|[#/])[^"]*)"')


def render_markdown(text: str, base: str = "", md_links: bool = True) -> str:
    """CommonMark with tables; HTML comments dropped, other raw HTML escaped, ``.md`` links to ``.html``.

    ``base`` prefixes relative links, for text written relative to the site root (a dbt
    description) but shown on a page deeper down. ``md_links=False`` leaves ``.md`` links alone
    (for a caller that checks their targets first).
    """
    from markdown_it import MarkdownIt

    text = _COMMENT.sub("", text or "")  # notes to maintainers ("generated from …"), not to readers
    html = MarkdownIt("commonmark", {"html": False}).enable("table").render(text)
    if md_links:
        html = _MD_LINK.sub(lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"', html)
    return _RELATIVE_LINK.sub(lambda m: f'href="{base}{m.group(1)}"', html) if base else html
