"""Small things a first real project met: a refused snapshot leaves no empty folder behind, and a
git repository without a commit (or one git will not read) is still recorded."""

from __future__ import annotations

import subprocess

import pytest

from sqltrain.asof import parse_as_of
from sqltrain.provenance import git_commit
from sqltrain.snapshotting.layout import snapshot_dir, staged


def test_a_refused_snapshot_leaves_no_empty_model_folder(tmp_path):
    out = tmp_path / "snapshots"
    with pytest.raises(RuntimeError):
        with staged(snapshot_dir(out, "my_set", parse_as_of("2024-09-01"))) as stage:
            (stage / "validation.json").write_text("{}")
            raise RuntimeError("a gate refused it")
    assert not out.exists()
    # an earlier snapshot's folder stays
    with staged(snapshot_dir(out, "my_set", parse_as_of("2024-08-01"))) as stage:
        (stage / "manifest.json").write_text("{}")
    with pytest.raises(RuntimeError), staged(snapshot_dir(out, "my_set", parse_as_of("2024-09-01"))):
        raise RuntimeError("refused")
    assert [p.name for p in (out / "my_set").iterdir()] == ["as_of=2024-08-01"]


def test_git_commit_of_a_fresh_repository_and_of_its_files(tmp_path, monkeypatch):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    fresh = git_commit(tmp_path)
    assert fresh is not None and fresh["sha"] is None and "no commit yet" in fresh["note"]
    subprocess.run(["git", "-C", str(tmp_path), "-c", "user.email=t@example.com", "-c", "user.name=t",
                    "commit", "-q", "--allow-empty", "-m", "x"], check=True)
    head = subprocess.run(["git", "-C", str(tmp_path), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    monkeypatch.setenv("PATH", str(tmp_path / "no-git-here"))      # git unavailable: read from .git
    assert git_commit(tmp_path / ".") == {"sha": head, "dirty": None}
