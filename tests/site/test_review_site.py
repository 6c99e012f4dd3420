"""`sqltrain docs` opened in a real headless Chromium.

The site is built by the CLI over two real snapshots of the demo project (see conftest.py), served
from 127.0.0.1, and checked page by page against the snapshots' own manifest.json and data.parquet:
the index, a snapshot page, the dbt model page, the links between them, and every relative link of
sqltrain's pages. Screenshots land in the test's tmp dir.
"""

from __future__ import annotations

import json
import shutil
import sys
from urllib.parse import urljoin

import pyarrow.parquet as pq
import pytest

from site_env import AS_OFS, REPO
from site_browser import chromium_page, served

pytestmark = pytest.mark.slow

MODEL = "churn_training"
DBT_ID = f"model.sqltrain.{MODEL}"


def _manifest(snapshots, as_of):
    return json.loads((snapshots / MODEL / f"as_of={as_of}" / "manifest.json").read_text())


def _pct(rate):
    return f"{rate * 100:.2f}%"


@pytest.fixture(scope="module")
def browser(site):
    """(page, base url, blocked requests, screenshot dir) over the served site."""
    root, _snapshots, _output, tmp = site
    shots = tmp / "screenshots"
    shots.mkdir()
    blocked: list[str] = []
    with served(root) as url, chromium_page() as page:
        page.on("requestfailed", lambda request: blocked.append(request.url))
        yield page, url, blocked, shots


def _open(page, url, blocked):
    blocked.clear()
    response = page.goto(url)
    page.wait_for_load_state("load")
    assert response is not None and response.ok, f"{url}: HTTP {response and response.status}"
    return response


def test_cli_built_the_site_with_the_dbt_docs_beside_it(site):
    root, _snapshots, output, _tmp = site
    assert f"site written to {root}" in output
    for page in ("index.html", "static_index.html", f"training/{MODEL}/index.html", "docs/rules/index.html", "site.css"):
        assert (root / page).is_file(), page
    # dbt's static page carries its manifest inline: no manifest.json fetch is needed to render it
    assert DBT_ID in (root / "static_index.html").read_text()


def test_index_lists_each_snapshot_with_the_manifest_numbers(site, browser):
    _root, snapshots, _output, _tmp = site
    page, url, blocked, shots = browser
    _open(page, url + "index.html", blocked)
    assert page.title().startswith("Training sets")
    table = page.locator(f'table.snapshots[data-model="{MODEL}"]')
    assert table.locator("tbody tr").count() == len(AS_OFS)
    for as_of in AS_OFS:
        manifest = _manifest(snapshots, as_of)
        row = table.locator(f'tr[data-as-of="{as_of}"]')
        assert row.locator('[data-field="row_count"]').inner_text() == f"{manifest['row_count']:,}"
        assert row.locator('[data-field="label_rate"]').inner_text() == _pct(manifest["label_rate"])
        gates = {g["name"]: g["passed"] for g in manifest["gates"]}
        for gate in ("leakage", "quality"):
            expected = "not run" if gate not in gates else ("passed" if gates[gate] else "failed")
            assert row.locator(f'[data-status="{gate}"]').inner_text() == f"{gate}: {expected}"
        assert row.locator('[data-status="verify"]').inner_text() == "verify: not run"
        # the charts draw exactly the manifests' numbers
        chart = page.locator('svg[data-chart="label-rate"]')
        assert float(chart.locator(f'[data-label="{as_of}"]').get_attribute("data-value")) == manifest["label_rate"]
        bars = page.locator('svg[data-chart="rows"]')
        assert float(bars.locator(f'[data-label="{as_of}"]').get_attribute("data-value")) == manifest["row_count"]
    assert page.locator("svg.chart").first.is_visible()
    assert not blocked, f"the index tried the network: {blocked}"
    page.screenshot(path=str(shots / "index.png"), full_page=True)


def test_snapshot_page_shows_manifest_columns_nulls_gates_and_drift(site, browser):
    _root, snapshots, _output, _tmp = site
    page, url, blocked, shots = browser
    current, previous = AS_OFS[-1], AS_OFS[-2]
    manifest, before = _manifest(snapshots, current), _manifest(snapshots, previous)

    _open(page, url + "index.html", blocked)
    page.get_by_role("link", name=current, exact=True).first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith(f"training/{MODEL}/as_of={current}/index.html")
    assert page.locator("h1").inner_text().startswith(MODEL)

    field = lambda name: page.locator(f'.cards [data-field="{name}"]').inner_text()  # noqa: E731
    assert field("row_count") == f"{manifest['row_count']:,}"
    assert field("column_count") == str(manifest["column_count"])
    assert field("label_rate") == _pct(manifest["label_rate"])
    assert field("horizon") == manifest["horizon"]
    assert page.locator('[data-field="sha256"]').inner_text() == manifest["data"]["sha256"]

    # columns: every manifest column with its role and type, null fractions as in the parquet file
    table = pq.read_table(snapshots / MODEL / f"as_of={current}" / "data.parquet")
    rows = page.locator("table.columns tbody tr")
    assert rows.count() == manifest["column_count"]
    for column in manifest["columns"]:
        row = page.locator(f'table.columns tr[data-column="{column["name"]}"]')
        cells = row.locator("td")
        assert cells.nth(1).inner_text() == column["role"]
        assert cells.nth(2).inner_text() == column["type"]
        nulls = table.column(column["name"]).null_count / table.num_rows
        assert row.locator('[data-field="null_fraction"]').inner_text() == _pct(nulls)
    features = [c["name"] for c in manifest["columns"] if c["role"] == "feature"]
    assert page.locator('svg[data-chart="null-fraction"] rect.hbar').count() == len(features)
    # the trend across snapshots marks this one
    current_bar = page.locator('svg[data-chart="rows"] rect.bar.current')
    assert current_bar.get_attribute("data-label") == current
    assert float(current_bar.get_attribute("data-value")) == manifest["row_count"]

    # gates and validation, as the reports say
    validation = json.loads((snapshots / MODEL / f"as_of={current}" / "validation.json").read_text())
    assert page.locator('[data-field="validation_summary"]').inner_text() == validation["summary"]
    assert page.locator('[data-field="evaluated"]').inner_text() == str(validation["statistics"]["evaluated_expectations"])

    # learnability: base rate, best single feature and the AUC smell, as the manifest says
    smell = manifest["smell"]
    assert page.locator('[data-field="base_rate"]').inner_text() == _pct(smell["base_rate"])
    assert page.locator('[data-field="best_feature"]').inner_text() == (
        f"{smell['best_feature']['name']} AUC {smell['best_feature']['auc']:.3f}")
    assert page.locator('[data-field="suspicious"]').inner_text().startswith("none")
    assert page.locator("table.smell tbody tr").count() == sum(f["auc"] is not None for f in smell["features"])

    # slices, as the manifest reports them: one share chart per declared slice column
    for column in manifest["slices"]["columns"]:
        bars = page.locator(f'svg[data-chart="slice-share-{column["column"]}"] rect.hbar')
        assert bars.count() == len(column["values"])
        assert float(bars.first.get_attribute("data-value")) == column["values"][0]["share"]
    assert {c["column"] for c in manifest["slices"]["columns"]} == {"plan", "country", "tenure_days"}

    # drift against the previous snapshot
    change = manifest["row_count"] - before["row_count"]
    assert page.locator('[data-field="rows_change"]').inner_text() == (
        f"{before['row_count']:,} → {manifest['row_count']:,} ({change:+d})")
    assert page.locator("table.drift tbody tr").count() == len(features)
    assert not blocked, f"the snapshot page tried the network: {blocked}"
    page.screenshot(path=str(shots / "snapshot-page.png"), full_page=True)

    # its links: the GX Data Docs, the raw manifest, the previous snapshot
    assert page.locator("a.data-docs").count() == 1
    data_docs = page.request.get(urljoin(page.url, page.locator("a.data-docs").get_attribute("href")))
    assert data_docs.ok and "<html" in data_docs.text().lower()
    raw = page.request.get(urljoin(page.url, "manifest.json"))
    assert raw.ok and raw.json()["data"]["sha256"] == manifest["data"]["sha256"]
    page.locator("a.previous").click()
    page.wait_for_load_state("load")
    assert page.url.endswith(f"as_of={previous}/index.html")
    assert page.locator('.cards [data-field="row_count"]').inner_text() == f"{before['row_count']:,}"


def test_dbt_model_page_and_training_set_page_link_both_ways(site, browser):
    _root, snapshots, _output, _tmp = site
    page, url, blocked, shots = browser
    manifest = _manifest(snapshots, AS_OFS[-1])
    _open(page, url + f"training/{MODEL}/as_of={AS_OFS[-1]}/index.html", blocked)
    page.locator("a.dbt-link").first.click()
    page.wait_for_url(f"**/static_index.html#!/model/{DBT_ID}")
    heading = page.locator("h1").filter(has_text=MODEL)
    heading.wait_for()
    # the dbt page is the datasheet: the YAML description and every documented column are there
    assert "churned_30d" in page.locator("body").inner_text()
    for column in manifest["columns"]:
        assert page.get_by_text(column["name"], exact=True).count() >= 1, column["name"]
    page.screenshot(path=str(shots / "dbt-model-page.png"), full_page=False)

    back = page.locator(f'a[href="training/{MODEL}/index.html"]')
    assert back.count() >= 1, (
        f"the dbt description of {MODEL} has no link to its review page: add "
        f"[Snapshots, gates and drift](training/{MODEL}/index.html) to its YAML description")
    back.first.click()
    page.wait_for_url(f"**/training/{MODEL}/index.html")
    assert page.locator("h1").inner_text() == MODEL
    assert page.locator("table.snapshots tbody tr").count() == len(AS_OFS)


def test_every_relative_link_of_sqltrain_pages_resolves(site, browser):
    root, _snapshots, _output, _tmp = site
    page, url, blocked, _shots = browser
    pages = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.html")
                   if "validation" not in p.parts and p.name != "static_index.html")
    assert len(pages) >= 3 + len(AS_OFS)
    checked: set[str] = set()
    for path in pages:
        _open(page, url + path, blocked)
        hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        for href in hrefs:
            target = href.split("#")[0]
            if not target.startswith(url) or target in checked:
                continue
            assert page.request.get(target).ok, f"{path}: broken link {href}"
            checked.add(target)
        assert not blocked, f"{path} tried the network: {blocked}"
    assert len(checked) > len(pages)


def test_leakage_findings_link_to_their_rule_page_and_verify_shows(site, browser, tmp_path, monkeypatch):
    """A snapshot whose leakage.json holds a finding (written by the check's own JSON formatter),
    verified by time travel."""
    from sqltrain.leakage.findings import Finding, Report
    from sqltrain.leakage.formats import to_dict
    from sqltrain.project import Project
    from sqltrain.site import build_site

    _root, snapshots, _output, tmp = site
    page, _url, blocked, shots = browser
    copy = tmp_path / "snapshots" / MODEL / f"as_of={AS_OFS[-1]}"
    shutil.copytree(snapshots / MODEL / f"as_of={AS_OFS[-1]}", copy)
    finding = Finding(code="LK001", severity="warning", message="feat_orders joined on customer_id without a time bound",
                      hint="bound it: event_ts <= as_of_ts", model=MODEL, path="models/training/churn_training.sql",
                      line=12, col=5)
    (copy / "leakage.json").write_text(json.dumps(to_dict(Report([finding], [MODEL]))))
    rows = _manifest(snapshots, AS_OFS[-1])["row_count"]  # and a verify report, as `sqltrain verify --json` writes it
    (copy / "verify.json").write_text(json.dumps({"model": MODEL, "as_of": AS_OFS[-1], "identical": True,
                                                  "rows": {"full": rows, "truncated": rows, "only_full": 0,
                                                           "only_truncated": 0, "changed": 0}}))

    monkeypatch.setenv("SQLTRAIN_WAREHOUSE", str(tmp / "warehouse.duckdb"))
    index = build_site(Project.open(REPO), tmp_path / "site", tmp_path / "snapshots", with_dbt_docs=False)
    with served(index.parent) as url:
        _open(page, url + f"training/{MODEL}/as_of={AS_OFS[-1]}/index.html", blocked)
        assert page.locator('[data-status="leakage"]').first.inner_text() == "leakage: warning"
        assert page.locator('[data-status="verify"]').first.inner_text() == "verify: passed"
        row = page.locator("table.findings tbody tr")
        assert row.count() == 1
        assert "models/training/churn_training.sql:12:5" in row.inner_text()
        page.screenshot(path=str(shots / "snapshot-with-finding.png"), full_page=True)
        row.locator("a.rule-link").click()
        page.wait_for_url("**/docs/rules/LK001.html")
        assert page.locator("article.rule h1").inner_text().startswith("LK001")


def test_docs_serve_listens_on_localhost(site, tmp_path):
    """`sqltrain docs --serve --port 0` builds, prints its address, and answers there until interrupted."""
    import os
    import re
    import signal
    import subprocess
    import urllib.request

    _root, snapshots, _output, tmp = site
    env = {**os.environ, "SQLTRAIN_WAREHOUSE": str(tmp / "warehouse.duckdb"), "DBT_TARGET_PATH": str(tmp_path / "target"),
           "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "sqltrain.cli", "docs", "--project-dir", str(REPO), "--out", str(tmp_path / "site"),
               "--snapshots", str(snapshots), "--serve", "--port", "0"]
    server = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        for line in server.stdout:
            lines.append(line)
            address = re.search(r"serving on (http://127\.0\.0\.1:\d+/)", line)
            if address:
                break
        assert address, "".join(lines)
        with urllib.request.urlopen(address.group(1) + "index.html") as response:
            assert response.status == 200 and MODEL in response.read().decode()
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)
    assert server.returncode == 0
