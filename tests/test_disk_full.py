"""A full disk: one line naming the place and the space there, exit 1, nothing partial left
(docs/reliability.md). Each test writes to a real, tiny tmpfs (skipped where it cannot be mounted)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli_harness import error_lines, mounted_tmpfs, run_cli

REPO = Path(__file__).resolve().parents[1]
PROJECT = ["--project-dir", str(REPO)]


@pytest.fixture
def tiny(tmp_path):
    """A 256 KB filesystem: too small for a snapshot's reports, a site or a copy of the warehouse."""
    with mounted_tmpfs(tmp_path / "tiny", "256k") as where:
        yield where


def _files_under(root) -> list[str]:
    return sorted(str(p) for p in root.rglob("*") if not p.is_dir())


def _assert_disk_full(status: int, output: str, where) -> None:
    assert status == 1, output
    assert "Traceback" not in output and "Errno 28" not in output
    lines = error_lines(output)
    assert len(lines) == 1, output
    assert "no space left on the device holding" in lines[0] and str(where) in lines[0], output
    assert "a 256.0 KB filesystem" in lines[0] and "free" in lines[0], output


def test_full_disk_under_duckdb_is_disk_full_naming_the_file(tiny):
    """DuckDB's own IOException (what an export hits) becomes DiskFull, not a traceback."""
    import duckdb

    from sqltrain.errors import DiskFull
    from sqltrain.outputs import full_disk_reported

    con = duckdb.connect()
    target = tiny / "data.parquet"
    with pytest.raises(DiskFull, match=rf"no space left on the device holding {target}") as raised:
        with full_disk_reported(tiny, "the export"):
            con.execute(f"COPY (SELECT range AS i, md5(range::VARCHAR) AS h FROM range(200000)) TO '{target}' (FORMAT parquet)")
    assert raised.value.exit_code == 1


def test_demo_warehouse_on_a_full_disk(tiny):
    status, output = run_cli(["demo-warehouse", "--scale", "0.01", "--path", str(tiny / "w.duckdb")])
    _assert_disk_full(status, output, tiny)
    assert _files_under(tiny) == []


@pytest.mark.slow
def test_snapshot_on_a_full_disk_exports_nothing(tiny, demo_env):
    status, output = run_cli(["snapshot", "--as-of", "2025-06-01", "--out", str(tiny / "snapshots"), *PROJECT])
    _assert_disk_full(status, output, tiny / "snapshots")
    assert _files_under(tiny) == []
    assert not [p for p in tiny.rglob("*") if p.name.startswith((".tmp-", "as_of="))]


@pytest.mark.slow
def test_docs_on_a_full_disk_leaves_no_site(tiny, demo_env):
    status, output = run_cli(["docs", "--out", str(tiny / "site"), "--snapshots", str(demo_env / "none"), *PROJECT])
    _assert_disk_full(status, output, tiny)
    assert _files_under(tiny) == []


@pytest.mark.slow
def test_verify_with_its_temporary_copies_on_a_full_disk(tiny, demo_env):
    """verify copies the warehouse into a temporary folder (Python's tempfile: TMPDIR): a real process
    with TMPDIR on the tiny filesystem."""
    env = {**os.environ, "TMPDIR": str(tiny)}
    done = subprocess.run([sys.executable, "-m", "sqltrain.cli", "verify", "--as-of", "2025-06-01", *PROJECT],
                          capture_output=True, text=True, env=env, cwd=demo_env)
    _assert_disk_full(done.returncode, done.stdout + done.stderr, tiny)
    assert "temporary copies" in done.stderr
    assert _files_under(tiny) == [] and list(tiny.iterdir()) == []
