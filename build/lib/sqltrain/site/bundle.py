"""Copying a snapshot's reports into the review site without trusting them.

A snapshot directory is data: anyone who can write to it can put things in it. So the site

* copies only regular files — never a symbolic link (a link to ``/etc/passwd`` inside
  ``validation/`` is skipped, not followed), never anything outside the snapshot;
* copies only the file types Great Expectations' Data Docs are made of (HTML, CSS, images, fonts);
* rewrites every bundled HTML page through an allow-list sanitiser (nh3, the Ammonia HTML
  sanitiser): no script, no event handler, no ``javascript:`` URL survives, so a column named
  ``<img src=x onerror=alert(1)>`` (which GX writes into its pages unescaped) stays an inert
  image. The pages lose GX's JavaScript widgets (their tables are static HTML already) and keep
  their content and stylesheets.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

_COPIED = {".html", ".htm", ".css", ".png", ".jpg", ".jpeg", ".gif", ".ico", ".otf", ".ttf", ".woff", ".woff2"}
_HTML = {".html", ".htm"}

_TAGS = {"link", "main", "section", "title"}
_ATTRIBUTES = {"*": {"class", "id", "title"}, "link": {"href", "type"}}
_NOTE = ("Great Expectations Data Docs of this snapshot, made static by sqltrain: scripts and "
         "event handlers are removed, so nothing in the data can run in your browser.")


def copy_regular_file(source: Path, destination: Path) -> bool:
    """Copy ``source`` if it is a regular file and not a symbolic link; True if it was copied."""
    if source.is_symlink() or not source.is_file():
        return False
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, destination, follow_symlinks=False)
    return True


def copy_data_docs(source: Path, destination: Path) -> list[str]:
    """Copy the GX Data Docs folder ``source`` to ``destination``, sanitising every page; return
    what was skipped (links, other file types), relative to ``source``."""
    skipped: list[str] = []
    if source.is_symlink() or not source.is_dir():
        return [source.name]
    for folder, dirs, files in os.walk(source, followlinks=False):
        here = Path(folder)
        for name in list(dirs):
            if (here / name).is_symlink():
                dirs.remove(name)
                skipped.append(str((here / name).relative_to(source)))
        for name in files:
            path = here / name
            relative = path.relative_to(source)
            if path.suffix.lower() not in _COPIED or path.is_symlink() or not path.is_file():
                skipped.append(str(relative))
                continue
            target = destination / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if path.suffix.lower() in _HTML:
                target.write_text(sanitise_page(path.read_text(encoding="utf-8", errors="replace")), encoding="utf-8")
            else:
                shutil.copyfile(path, target, follow_symlinks=False)
    return skipped


def sanitise_page(html: str) -> str:
    """An HTML page reduced to inert markup, as a complete document.

    >>> sanitise_page('<p>col <img src=x onerror=alert(1)></p><script>alert(2)</script>').count('alert')
    0
    """
    import nh3

    body = nh3.clean(
        html,
        tags=set(nh3.ALLOWED_TAGS) | _TAGS,
        clean_content_tags={"script", "style", "template", "noscript", "iframe", "object", "embed"},
        attributes={**{k: set(v) for k, v in nh3.ALLOWED_ATTRIBUTES.items()}, **_ATTRIBUTES},
        tag_attribute_values={"link": {"rel": {"stylesheet"}}},
        url_schemes={"http", "https"},
        strip_comments=True,
    )
    return ("<!doctype html>\n<html><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'none'; object-src 'none'\">"
            f"</head><body>\n<p class=\"sqltrain-note\"><em>{_NOTE}</em></p>\n{body}\n</body></html>\n")
