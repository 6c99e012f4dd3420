"""Running ``sqltrain`` in-process (as ``sqltrain.cli.main`` runs it) and the file-system checks the
reliability tests share: a small tmpfs, a read-only mount, a file's hash, a tree's listing."""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner


def run_cli(argv: list[str], env: dict[str, str] | None = None) -> tuple[int, str]:
    """``sqltrain ARGV`` in this process: (exit status, stdout and stderr together).

    ``sqltrain.cli.main`` is the real entry point (its error handling included); click's
    ``CliRunner`` only isolates the standard streams and the environment."""
    from sqltrain.cli import main

    runner = CliRunner()
    with runner.isolation(env=env) as (_stdout, _stderr, both):
        status = main(argv)
        return status, both.getvalue().decode()


def error_lines(output: str) -> list[str]:
    """The lines that report an error: sqltrain's ``error: …`` or click's ``Error: …``."""
    return [line for line in output.splitlines() if line.startswith(("error:", "Error:"))]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def listing(root: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``root`` -> (size, mtime_ns), every folder -> (0, 0): a folder's own mtime
    moves whenever anything inside it is created or removed, even temporarily."""
    found = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs:
            found[str(Path(folder, name))] = (0, 0)
        for name in files:
            stat = Path(folder, name).lstat()
            found[str(Path(folder, name))] = (stat.st_size, stat.st_mtime_ns)
    return found


@contextmanager
def mounted_tmpfs(where: Path, size: str, read_only: bool = False) -> Iterator[Path]:
    """A tmpfs of ``size`` at ``where`` (read-only if asked) for the block; skips the test when
    this machine does not let the test mount one (mounting needs root, CAP_SYS_ADMIN)."""
    where.mkdir(parents=True, exist_ok=True)
    options = f"size={size}" + (",ro" if read_only else "")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip() or 'mount failed'}): needs root or CAP_SYS_ADMIN")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)
