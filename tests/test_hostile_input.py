"""Hostile input and tampering (docs/reliability.md): SQL in paths, a missing warehouse, an altered
snapshot, a symbolic link and HTML in a snapshot's reports. One real snapshot is cut per module
(through the CLI, into an --out path that is an SQL injection payload) and every test reads it.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[1]
AS_OF = "2025-06-01"
MODEL = "churn_training"
HOSTILE_COLUMN = "<img src=x onerror=alert(1)>"

pytestmark = pytest.mark.slow


def run_cli(argv: list[str]) -> tuple[int, str]:
    """``sqltrain`` in-process: (exit status, everything it printed)."""
    from sqltrain.cli import main

    buffer = io.StringIO()
    with redirect_stdout(buffer), redirect_stderr(buffer):
        status = main([*argv, "--project-dir", str(REPO)])
    return status, buffer.getvalue()


@pytest.fixture(scope="module")
def env(demo_warehouse, tmp_path_factory):
    """A private warehouse copy and dbt target; yields the tmp dir (the environment is set meanwhile)."""
    tmp = tmp_path_factory.mktemp("hostile")
    shutil.copy(demo_warehouse, tmp / "warehouse.duckdb")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SQLTRAIN_WAREHOUSE", str(tmp / "warehouse.duckdb"))
        patch.setenv("DBT_TARGET_PATH", str(tmp / "target"))
        yield tmp


@pytest.fixture(scope="module")
def injected(env):
    """``snapshot --out`` with the payload of a COPY-target injection: (status, output, out dir)."""
    pwned = env / "pwned.csv"
    out = env / f"x' (format csv); copy (select 42 as pwned) to '{pwned}' (format csv); --"
    status, output = run_cli(["snapshot", "--as-of", AS_OF, "--out", str(out)])
    return status, output, out


def _snapshot_copy(injected, destination: Path) -> Path:
    """A copy of the module's snapshot under ``destination`` (an --out dir); returns its as_of=D folder."""
    _status, _output, out = injected
    folder = destination / MODEL / f"as_of={AS_OF}"
    shutil.copytree(out / MODEL / f"as_of={AS_OF}", folder)
    return folder


def _flip_one_value(data: Path) -> None:
    """Rewrite ``data`` (Parquet) with one feature value of one row changed, nothing else."""
    con = duckdb.connect()
    try:
        con.execute("create table t as select * from read_parquet(?)", [str(data)])
        con.execute("update t set tenure_days = tenure_days + 1 where rowid = 0")
        con.execute("copy t to ? (format parquet, compression zstd)", [str(data)])
    finally:
        con.close()


# -- SQL injection ----------------------------------------------------------------------------

def test_out_with_an_sql_payload_is_only_a_directory_name(injected, env):
    status, output, out = injected
    assert status == 0, output
    assert not (env / "pwned.csv").exists()
    assert not list(env.rglob("*.csv")), "the payload's COPY ran"
    # the quote is part of the folder name and the snapshot landed there, whole
    folder = out / MODEL / f"as_of={AS_OF}"
    manifest = json.loads((folder / "manifest.json").read_text())
    from sqltrain.snapshotting.integrity import sha256_of

    assert manifest["data"]["sha256"] == sha256_of(folder / "data.parquet")
    # nothing written outside the staging folder and its destination
    assert {p.name for p in env.iterdir()} == {"warehouse.duckdb", "target", out.relative_to(env).parts[0]}
    assert sorted(p.name for p in (out / MODEL).iterdir()) == [f"as_of={AS_OF}"]


# -- a missing warehouse is never created -----------------------------------------------------

@pytest.mark.parametrize("argv", [
    ["check", "--compile"],
    ["docs", "--out", "{tmp}/site"],
    ["snapshot", "--as-of", AS_OF, "--out", "{tmp}/snapshots"],
    ["validate", "--as-of", AS_OF],
], ids=lambda argv: argv[0])
def test_a_missing_warehouse_is_refused_and_not_created(argv, tmp_path, monkeypatch):
    missing = tmp_path / "nowhere" / "x.duckdb"
    (tmp_path / "nowhere").mkdir()
    monkeypatch.setenv("SQLTRAIN_WAREHOUSE", str(missing))
    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "target"))
    status, output = run_cli([a.replace("{tmp}", str(tmp_path)) for a in argv])
    assert status == 2, output
    assert not missing.exists() and list((tmp_path / "nowhere").iterdir()) == []
    errors = [line for line in output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and str(missing) in errors[0] and "does not exist" in errors[0], output
    assert "Traceback" not in output


# -- tampering --------------------------------------------------------------------------------

def test_one_flipped_value_is_named_with_both_hashes(injected, tmp_path):
    from sqltrain.snapshotting.integrity import TamperedSnapshot, check_data, check_snapshot_hash

    folder = _snapshot_copy(injected, tmp_path / "snapshots")
    assert check_snapshot_hash(folder).state == "verified"
    expected = json.loads((folder / "manifest.json").read_text())["data"]["sha256"]
    _flip_one_value(folder / "data.parquet")
    with pytest.raises(TamperedSnapshot) as raised:
        check_data(folder)
    message = raised.value.message
    from sqltrain.snapshotting.integrity import sha256_of

    assert "\n" not in message
    assert "data.parquet" in message and expected in message and sha256_of(folder / "data.parquet") in message
    # a part file slipped in beside the data is refused too
    shutil.copy(folder / "data.parquet", folder / "data.parquet.bak")
    (folder / "data").mkdir()
    _restore = folder / "data" / "extra.parquet"
    shutil.copy(folder / "data.parquet.bak", _restore)
    assert check_snapshot_hash(folder).state == "tampered"


def test_snapshot_refuses_a_tampered_drift_baseline(injected, env):
    """The next as-of's snapshot reads this one as its drift baseline: refused, one line, nothing landed."""
    out = env / "baseline"
    folder = _snapshot_copy(injected, out)
    _flip_one_value(folder / "data.parquet")
    status, output = run_cli(["snapshot", "--as-of", "2025-07-01", "--out", str(out)])
    assert status == 1, output
    found = hashlib.sha256((folder / "data.parquet").read_bytes()).hexdigest()
    expected = json.loads((folder / "manifest.json").read_text())["data"]["sha256"]
    errors = [line for line in output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "data.parquet" in errors[0] and expected in errors[0] and found in errors[0], output
    assert not (out / MODEL / "as_of=2025-07-01").exists()
    assert not [p for p in (out / MODEL).iterdir() if p.name.startswith(".tmp-")]


# -- the review site --------------------------------------------------------------------------

def _hostile_data_docs(destination: Path) -> None:
    """Real Great Expectations Data Docs of a frame with a column named like an XSS payload."""
    import pandas as pd

    from sqltrain.quality.gx_validation import run_suite
    from sqltrain.quality.suite import ExpectationSpec

    frame = pd.DataFrame({HOSTILE_COLUMN: [1.0, 2.0, None]})
    suite = [ExpectationSpec("expect_column_values_to_not_be_null", {"column": HOSTILE_COLUMN})]
    run_suite(frame, suite, name="hostile", run_name=AS_OF, docs_dir=destination)


@pytest.fixture(scope="module")
def hostile_site(injected, env, tmp_path_factory):
    """The review site over two snapshots: one tampered, one with hostile reports (a symbolic link to
    /etc/passwd and real GX Data Docs naming the XSS column)."""
    from sqltrain.project import Project
    from sqltrain.site import build_site

    tmp = tmp_path_factory.mktemp("hostile-site")
    snapshots = tmp / "snapshots"
    tampered = _snapshot_copy(injected, snapshots)
    _flip_one_value(tampered / "data.parquet")
    hostile = snapshots / MODEL / "as_of=2025-05-01"
    shutil.copytree(tampered.parent / f"as_of={AS_OF}", hostile)
    (hostile / "data.parquet").unlink()
    shutil.copy(injected[2] / MODEL / f"as_of={AS_OF}" / "data.parquet", hostile / "data.parquet")
    manifest = json.loads((hostile / "manifest.json").read_text())
    manifest["as_of"] = "2025-05-01"
    (hostile / "manifest.json").write_text(json.dumps(manifest))
    shutil.rmtree(hostile / "validation")
    _hostile_data_docs(hostile / "validation")
    assert HOSTILE_COLUMN in "".join(p.read_text() for p in (hostile / "validation").rglob("*.html"))
    (hostile / "validation" / "passwd.html").symlink_to("/etc/passwd")
    site = tmp / "site"
    build_site(Project.open(REPO), site, snapshots, with_dbt_docs=False)
    return site, tampered, hostile


def test_site_shows_the_tampered_snapshot_with_expected_and_found_hash(hostile_site):
    site, tampered, _hostile = hostile_site
    expected = json.loads((tampered / "manifest.json").read_text())["data"]["sha256"]
    found = hashlib.sha256((tampered / "data.parquet").read_bytes()).hexdigest()
    page = (site / "training" / MODEL / f"as_of={AS_OF}" / "index.html").read_text()
    assert 'data-field="tampered"' in page
    assert expected in page and found in page
    index = (site / "index.html").read_text()
    assert "data: tampered" in index and "data: verified" in index


def test_site_never_follows_links_out_of_the_snapshot(hostile_site):
    site, _tampered, _hostile = hostile_site
    copied = site / "training" / MODEL / "as_of=2025-05-01" / "validation"
    assert (copied / "index.html").is_file()
    assert not (copied / "passwd.html").exists() and not (copied / "etc").exists()
    passwd = Path("/etc/passwd").read_text()
    for path in site.rglob("*"):
        assert not path.is_symlink(), path
        if path.is_file() and path.suffix in (".html", ".json", ".css"):
            assert passwd not in path.read_text(errors="replace"), path


def test_a_linked_directory_is_not_entered(tmp_path):
    from sqltrain.site.bundle import copy_data_docs

    docs = tmp_path / "validation"
    docs.mkdir()
    (docs / "index.html").write_text("<p>ok</p>")
    (docs / "etc").symlink_to("/etc", target_is_directory=True)
    (docs / "static").mkdir()
    (docs / "static" / "shadow.css").symlink_to("/etc/shadow")
    skipped = copy_data_docs(docs, tmp_path / "site")
    assert sorted(skipped) == ["etc", "static/shadow.css"]
    assert [p.name for p in (tmp_path / "site").rglob("*")] == ["index.html"]


def test_bundled_data_docs_are_inert(hostile_site):
    """GX writes the column name into its pages as raw HTML; the site's copies keep no handler, no script."""
    site, _tampered, hostile = hostile_site
    assert any("onerror=alert(1)" in p.read_text() for p in (hostile / "validation").rglob("*.html"))  # GX's own
    copied = site / "training" / MODEL / "as_of=2025-05-01" / "validation"
    pages = list(copied.rglob("*.html"))
    assert len(pages) >= 3
    for page in pages:
        html = page.read_text().lower()
        assert "onerror" not in html and "<script" not in html and "javascript:" not in html, page
        assert "made static by sqltrain" in html, page
    assert any("null" in p.read_text() for p in pages if p.name != "index.html")   # the results are still there


def test_bundled_data_docs_run_nothing_in_a_browser(hostile_site):
    sys.path.insert(0, str(REPO / "tests" / "site"))
    from site_browser import chromium_page, served

    site, _tampered, _hostile = hostile_site
    dialogs: list[str] = []
    with served(site) as url, chromium_page() as page:
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for path in sorted((site / "training" / MODEL / "as_of=2025-05-01" / "validation").rglob("*.html")):
            page.goto(url + str(path.relative_to(site)))
            page.wait_for_load_state("load")
            assert page.locator("img[onerror]").count() == 0
    assert dialogs == []
