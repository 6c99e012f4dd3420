"""The project's ``docs/`` folder as site pages: every ``*.md`` rendered, the rule docs listed.

Pages keep their place in the tree (``docs/rules/LK001.md`` → ``docs/rules/LK001.html``), so the
links between documents keep working once ``.md`` becomes ``.html``. A relative link whose target
does not exist is not left broken: its text stays, unlinked, and the build warns about it.
Images and other files a page links to are copied beside it.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .markup import render_markdown

RULE_FILE = re.compile(r"^(LK\d{3})\.md$")
_ANCHOR = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.S)
_IMAGE = re.compile(r'<img src="([^"]*)"')
_EXTERNAL = re.compile(r"^([a-z][a-z0-9+.-]*:|#|/)")


@dataclass
class DocPage:
    source: PurePosixPath            # relative to docs/: "rules/LK001.md"
    title: str                       # the first heading
    html: str                        # the rendered body, links fixed
    assets: list[PurePosixPath] = field(default_factory=list)  # other files it links to, relative to docs/

    @property
    def path(self) -> str:
        return self.source.with_suffix(".html").as_posix()

    @property
    def rule_code(self) -> str | None:
        match = RULE_FILE.match(self.source.name) if self.source.parent.as_posix() == "rules" else None
        return match.group(1) if match else None


def doc_pages(docs_dir: Path, warn: Callable[[str], None]) -> list[DocPage]:
    """Every markdown file under ``docs_dir``, rendered (none when the folder is absent)."""
    if not docs_dir.is_dir():
        return []
    pages, missing = [], {}
    for path in sorted(docs_dir.rglob("*.md")):
        source = PurePosixPath(path.relative_to(docs_dir).as_posix())
        text = path.read_text(encoding="utf-8")
        page = DocPage(source=source, title=_title(text, source.stem), html="")
        page.html = _fix_links(render_markdown(text, md_links=False), page, docs_dir, missing)
        pages.append(page)
    for target, sources in sorted(missing.items()):
        where = f"docs/{sources[0]}" + (f" and {len(sources) - 1} more" if len(sources) > 1 else "")
        shown = target if target.startswith("..") else f"docs/{target}"
        warn(f"{where} link to '{shown}', which does not exist: shown as plain text on the site")
    return pages


def copy_assets(pages: list[DocPage], docs_dir: Path, out_dir: Path) -> None:
    for asset in {a for page in pages for a in page.assets}:
        target = out_dir / asset
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(docs_dir / asset, target)


def _fix_links(html: str, page: DocPage, docs_dir: Path, missing: dict[str, list[PurePosixPath]]) -> str:
    """``.md`` links to ``.html``; links without a target unlinked and noted in ``missing``."""
    here = page.source.parent

    def note(href: str) -> None:
        target = _normalise(here / href.partition("#")[0])
        missing.setdefault(target, []).append(page.source)

    def resolve(href: str) -> str | None:
        """The link as the site serves it, or None when its target does not exist."""
        target, _, fragment = href.partition("#")
        if not target:
            return href
        relative = PurePosixPath(_normalise(here / target))
        if ".." in relative.parts or not (docs_dir / relative).exists():
            return None
        if relative.suffix == ".md":
            return href.replace(target, PurePosixPath(target).with_suffix(".html").as_posix(), 1)
        page.assets.append(relative)
        return href

    def anchor(match: re.Match) -> str:
        href, text = match.group(1), match.group(2)
        if _EXTERNAL.match(href):
            return match.group(0)
        fixed = resolve(href)
        if fixed is None:
            note(href)
            return f'<span class="missing-link" title="{href} (not found)">{text}</span>'
        return f'<a href="{fixed}">{text}</a>'

    def image(match: re.Match) -> str:
        src = match.group(1)
        if not _EXTERNAL.match(src) and resolve(src) is None:
            note(src)
        return match.group(0)

    return _IMAGE.sub(image, _ANCHOR.sub(anchor, html))


def _normalise(path: PurePosixPath) -> str:
    parts: list[str] = []
    for part in path.parts:
        if part == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            else:
                parts.append(part)
        elif part != ".":
            parts.append(part)
    return "/".join(parts) or "."


def _title(text: str, fallback: str) -> str:
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return fallback
