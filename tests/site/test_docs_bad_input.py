"""`sqltrain docs` refuses, with exit 2 and one line, to replace a directory it did not build."""

from __future__ import annotations

import pytest

from site_env import REPO, _run_cli_status


@pytest.mark.parametrize("make, message", [
    (lambda d: (d.mkdir(), (d / "notes.txt").write_text("mine")), "holds files that are not a site `sqltrain docs` built"),
    (lambda d: d.write_text("a file"), "is a file"),  # click's own check of --out
])
def test_out_that_is_not_a_site_exits_2_and_is_left_alone(tmp_path, make, message):
    out = tmp_path / "out"
    make(out)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    status, output = _run_cli_status(["docs", "--project-dir", str(REPO), "--out", str(out)])
    assert status == 2
    assert message in output and str(out) in output
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
