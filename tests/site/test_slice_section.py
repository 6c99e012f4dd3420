"""The slice section of a snapshot page, in headless Chromium: a share chart and a label-rate chart
per slice column, drawn from the snapshot's manifest, with the flagged slice highlighted.

A real snapshot of a tiny dbt project (tests/slice_project.py) whose slice ``tenure_days < 100``
is planted with a label-rate gap (0 against 0.1) beyond a warning limit; the site is built by
``build_site`` without the dbt docs (the demo site's tests cover those).
"""

from __future__ import annotations

import json

import pytest

from site_browser import chromium_page, served
from slice_project import AS_OF, MODEL, write_project

pytestmark = pytest.mark.slow


def test_snapshot_page_draws_slice_shares_and_label_rates_and_highlights_the_flagged_slice(tmp_path, monkeypatch):
    from sqltrain.asof import parse_as_of
    from sqltrain.project import Project
    from sqltrain.site import build_site
    from sqltrain.snapshotting import cut_snapshot

    root = write_project(tmp_path, "          max_label_rate_gap: 0.05\n")
    monkeypatch.setenv("SQLTRAIN_WAREHOUSE", str(tmp_path / "w.duckdb"))
    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "target"))
    project = Project.open(root)
    result = cut_snapshot(project, parse_as_of(AS_OF), model=MODEL, out=tmp_path / "snapshots")
    index = build_site(project, tmp_path / "site", tmp_path / "snapshots", with_dbt_docs=False)

    slices = json.loads((result.path / "manifest.json").read_text())["slices"]
    (column,) = slices["columns"]
    values = {v["value"]: v for v in column["values"]}
    assert values["< 100"]["flags"] == ["max_label_rate_gap"] and values[">= 100"]["flags"] == []

    with served(index.parent) as url, chromium_page() as page:
        page.goto(f"{url}training/{MODEL}/as_of={AS_OF}/index.html")
        page.wait_for_load_state("load")
        section = page.locator('section#slices div.slice[data-slice="tenure_days"]')
        assert section.count() == 1
        for chart, key in (("slice-share-tenure_days", "share"), ("slice-label-rate-tenure_days", "label_rate")):
            bars = section.locator(f'svg[data-chart="{chart}"] rect.hbar')
            drawn = {bars.nth(i).get_attribute("data-label"): float(bars.nth(i).get_attribute("data-value"))
                     for i in range(bars.count())}
            assert drawn == {name: v[key] for name, v in values.items()}, chart
            flagged = section.locator(f'svg[data-chart="{chart}"] rect.hbar.flagged')
            assert flagged.count() == 1 and flagged.get_attribute("data-label") == "< 100"
            wide = section.locator(f'svg[data-chart="{chart}"] rect.hbar[data-label=">= 100"]')
            assert wide.bounding_box()["width"] > 0  # laid out and visible, not just in the markup
        rule = section.locator('svg[data-chart="slice-label-rate-tenure_days"] line.limit title')
        assert rule.text_content() == "label rate of the whole set: 10.00%"
        row = section.locator('table.slices tr.flagged')
        assert row.count() == 1 and row.get_attribute("data-value") == "< 100"
        assert "45" in row.inner_text() and "max_label_rate_gap" in row.inner_text()
        flag = page.locator('ul.slice-flags li[data-check="max_label_rate_gap"]')
        assert flag.inner_text().startswith("warning: slice tenure_days < 100: label rate 0.0000 vs 0.1000")
        page.screenshot(path=str(tmp_path / "slices.png"), full_page=True)
