"""Screenshot a page of a built review site for the README: ``docs/img/snapshot-page.png``.

    python tests/site/screenshot.py --site target/site --out docs/img/snapshot-page.png

Without ``--page`` it shows the newest snapshot of the first training set. It uses the same
headless system Chromium and local server as the browser test; it is a maintainer's tool run by
``make docs/img/snapshot-page.png``, never by the tests (they write only to tmp dirs).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from site_browser import BrowserMissing, chromium_page, served  # noqa: E402


def newest_snapshot_page(site: Path) -> str:
    pages = sorted(site.glob("training/*/as_of=*/index.html"), key=lambda p: (p.parent.parent.name, p.parent.name))
    if not pages:
        raise SystemExit(f"{site}: no snapshot pages — cut a snapshot, then run `sqltrain docs --out {site}`")
    first_set = pages[0].parent.parent.name
    return [p for p in pages if p.parent.parent.name == first_set][-1].relative_to(site).as_posix()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, required=True, help="a directory built by `sqltrain docs --out`")
    parser.add_argument("--out", type=Path, required=True, help="the PNG to write")
    parser.add_argument("--page", default=None, help="page path inside the site (default: newest snapshot)")
    parser.add_argument("--height", type=int, default=1500, help="clip height in pixels (0: the full page)")
    args = parser.parse_args(argv)
    page_path = args.page or newest_snapshot_page(args.site)
    try:
        with served(args.site) as url, chromium_page(width=1280, height=args.height or 900) as page:
            page.goto(url + page_path)
            page.wait_for_load_state("load")
            args.out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(args.out), full_page=not args.height)
    except BrowserMissing as missing:
        raise SystemExit(str(missing)) from None
    print(f"{args.out}: {page_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
