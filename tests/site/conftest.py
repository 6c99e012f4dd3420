"""The review site, built once for this folder from real snapshots of the demo project."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # site_browser.py beside the tests

from site_browser import BrowserMissing, require_browser  # noqa: E402

from site_env import AS_OFS, REPO, _run_cli_status  # noqa: E402,F401  (shared with the tests)


@pytest.fixture(scope="module")
def site(demo_warehouse, tmp_path_factory):
    """``sqltrain docs`` over two fresh snapshots; yields (site dir, snapshots dir, CLI output, tmp dir).

    Fails at once (before any dbt run) when the browser is missing: this test never skips.
    """
    try:
        require_browser()
    except BrowserMissing as missing:
        pytest.fail(str(missing), pytrace=False)

    from sqltrain.asof import parse_as_of
    from sqltrain.project import Project
    from sqltrain.snapshotting import cut_snapshot

    tmp = tmp_path_factory.mktemp("site")
    warehouse = tmp / "warehouse.duckdb"
    shutil.copy(demo_warehouse, warehouse)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SQLTRAIN_WAREHOUSE", str(warehouse))
        env.setenv("DBT_TARGET_PATH", str(tmp / "target"))
        snapshots = tmp / "snapshots"
        project = Project.open(REPO)
        for as_of in AS_OFS:
            cut_snapshot(project, parse_as_of(as_of), out=snapshots)
        output = _run_cli(["docs", "--project-dir", str(REPO), "--out", str(tmp / "site"), "--snapshots", str(snapshots)])
    yield tmp / "site", snapshots, output, tmp


def _run_cli(argv: list[str]) -> str:
    """``sqltrain`` in-process; returns what it printed, after checking it exited 0."""
    status, output = _run_cli_status(argv)
    assert status == 0, output
    return output
