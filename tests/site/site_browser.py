"""Headless Chromium from the system packages, driven by Playwright, and a local server for a site.

Playwright's own browser downloads are never used: the browser is Debian's ``chromium`` at
``/usr/bin/chromium`` (override with ``SQLTRAIN_CHROMIUM``). Without it the browser test fails
(never skips) with the command that installs it.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = os.environ.get("SQLTRAIN_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
INSTALL_HINT = (
    "install the browser test's dependencies: `apt-get install -y chromium` (Debian's package, "
    "giving /usr/bin/chromium, or set SQLTRAIN_CHROMIUM) and `pip install -c constraints.txt playwright` "
    "(never `playwright install`: no browser downloads)"
)


class BrowserMissing(RuntimeError):
    pass


def require_browser() -> None:
    """Raise ``BrowserMissing`` naming what to install when Chromium or Playwright is absent."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise BrowserMissing(f"Playwright for Python is not installed; {INSTALL_HINT}") from None
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        raise BrowserMissing(f"no Chromium at {CHROMIUM}; {INSTALL_HINT}")


@contextmanager
def chromium_page(width: int = 1280, height: int = 900) -> Iterator:
    """A Playwright page in headless system Chromium that refuses any request off 127.0.0.1."""
    from playwright.sync_api import sync_playwright

    require_browser()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": width, "height": height})
            # the site must be self-contained: anything that would reach the network is blocked
            context.route(lambda url: not url.startswith("http://127.0.0.1"), lambda route: route.abort())
            yield context.new_page()
        finally:
            browser.close()


@contextmanager
def served(root: Path) -> Iterator[str]:
    """Serve ``root`` on a free port of 127.0.0.1 (the same server as ``sqltrain docs --serve``)."""
    from sqltrain.site.serve import make_server

    server = make_server(root, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
