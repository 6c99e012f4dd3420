"""Atomic publication of a staged folder and the sweep of dead runs' leftovers (sqltrain.staging).

The syscall-level test kills a real process with SIGKILL at every call that changes the folder's
namespace (mkdir, rename, unlink, rmdir, symlink) while it publishes over an earlier snapshot, using
strace's fault injection: whichever call it dies at, the destination is the old or the new complete
folder, and the next run leaves no leftover.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sqltrain import staging
from sqltrain.staging import ExchangeUnsupported, _RunLock, staged, sweep

OLD = {"data.parquet": "old data\n", "manifest.json": "old manifest\n"}
NEW = {"data.parquet": "new data\n", "manifest.json": "new manifest\n", "validation.json": "new\n"}


def _write(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text)


def _content(folder: Path) -> dict[str, str] | None:
    if not folder.is_dir():
        return None
    return {p.name: p.read_text() for p in folder.iterdir()}


def _leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith((".tmp-", ".v-")))


@pytest.fixture
def destination(tmp_path) -> Path:
    dest = tmp_path / "out" / "churn_training" / "as_of=2025-06-01"
    _write(dest, OLD)
    return dest


def test_first_publication_and_replacement(tmp_path, destination):
    fresh = tmp_path / "out" / "churn_training" / "as_of=2025-07-01"
    with staged(fresh) as stage:
        _write(stage, NEW)
    with staged(destination) as stage:
        _write(stage, NEW)
    assert _content(fresh) == NEW and _content(destination) == NEW
    assert not destination.is_symlink() and _leftovers(destination.parent) == []


def test_a_failed_block_leaves_the_earlier_folder_as_it_was(destination):
    for error in (RuntimeError("boom"), KeyboardInterrupt()):
        with pytest.raises(type(error)):
            with staged(destination) as stage:
                _write(stage, NEW)
                raise error
    assert _content(destination) == OLD and _leftovers(destination.parent) == []


def test_sweep_removes_dead_runs_leftovers_but_never_a_live_runs(destination):
    parent = destination.parent
    (parent / ".tmp-as_of=2025-06-01-1234-deadbeef").mkdir()           # SIGKILLed: lock file left, unheld
    (parent / ".tmp-lock-1234-deadbeef").write_text("")
    (parent / ".tmp-retired-as_of=2025-06-01-0badf00d").mkdir()         # an older version's leftover
    live = _RunLock(parent)                                              # a concurrent run, still staging
    live_stage = live.name(".tmp-", destination)
    live_stage.mkdir()
    try:
        removed = sweep(parent)
        assert sorted(p.name for p in removed) == [".tmp-as_of=2025-06-01-1234-deadbeef",
                                                   ".tmp-retired-as_of=2025-06-01-0badf00d"]
        assert _leftovers(parent) == sorted([live_stage.name, live.path.name])
        assert _content(destination) == OLD
    finally:
        live.release()
    shutil.rmtree(live_stage)
    assert sweep(parent) == [] and _leftovers(parent) == []


def test_fallback_without_renameat2_publishes_through_an_atomically_replaced_link(destination, monkeypatch):
    def unsupported(*_args):
        raise ExchangeUnsupported(38, "no renameat2 here")

    monkeypatch.setattr(staging, "renameat2", unsupported)
    with staged(destination) as stage:           # converts the plain folder to a link
        _write(stage, NEW)
    assert destination.is_symlink() and _content(destination) == NEW
    again = {**NEW, "data.parquet": "newer data\n"}
    with staged(destination) as stage:           # a replacement is one rename of a new link
        _write(stage, again)
    assert _content(destination) == again
    versions = _leftovers(destination.parent)
    assert len(versions) == 1 and versions[0].startswith(".v-as_of=2025-06-01-")  # the old version is gone
    with pytest.raises(RuntimeError):
        with staged(destination) as stage:
            _write(stage, OLD)
            raise RuntimeError("boom")
    assert _content(destination) == again and _leftovers(destination.parent) == versions

    # a crash in the one non-atomic case (plain folder moved aside, link not yet made) is recovered
    link_target = destination.parent / os.readlink(destination)
    destination.unlink()
    assert sweep(destination.parent) == [] and destination.is_symlink()
    assert destination.parent / os.readlink(destination) == link_target and _content(destination) == again


PUBLISH = """
import sys
from pathlib import Path
from sqltrain.staging import staged
with staged(Path(sys.argv[1])) as stage:
    for name, text in {new!r}.items():
        (stage / name).write_text(text)
"""
NAMESPACE_CALLS = ["mkdir", "rename", "renameat2", "unlinkat", "unlink", "rmdir", "symlink"]


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed")
def test_sigkill_at_every_namespace_call_of_a_publication(tmp_path, capsys):
    """One process per (call, n): strace delivers SIGKILL at the n-th call of that kind."""
    script = tmp_path / "publish.py"
    script.write_text(PUBLISH.format(new=NEW))
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    kills = 0
    for call in NAMESPACE_CALLS:
        for nth in range(1, 20):
            case = tmp_path / f"{call}-{nth}"
            dest = case / "as_of=2025-06-01"
            _write(dest, OLD)
            done = subprocess.run(
                ["strace", "-f", "-o", os.devnull, "-e", f"trace={call}", "-e", f"inject={call}:signal=KILL:when={nth}",
                 sys.executable, str(script), str(dest)],
                env=env, capture_output=True, text=True)
            if done.returncode == 0:
                assert _content(dest) == NEW     # fewer than n such calls: the run completed
                break
            assert done.returncode in (-9, 128 + 9, 137), done.stderr
            kills += 1
            assert _content(dest) in (OLD, NEW), f"killed at {call} #{nth}: {_leftovers(case)}"
            # the next run sweeps what the dead one left and publishes
            again = subprocess.run([sys.executable, str(script), str(dest)], env=env, capture_output=True, text=True)
            assert again.returncode == 0, again.stderr
            assert _content(dest) == NEW and _leftovers(case) == [], f"after a kill at {call} #{nth}"
    with capsys.disabled():
        print(f"\nstaging: SIGKILL injected at {kills} namespace calls of a publication")
    assert kills >= 5  # mkdir of the stage, the exchange, the old copy's removal, the lock's removal
