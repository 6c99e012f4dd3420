"""What a snapshot records about how it was made: tool versions and the project's git commit."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any


def dbt_version() -> str:
    from dbt.version import __version__ as version

    return str(version)


def git_commit(directory: Path) -> dict[str, Any] | None:
    """HEAD of the project's repository and whether tracked files had uncommitted changes."""
    try:
        head = subprocess.run(["git", "-C", str(directory), "rev-parse", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(directory), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return {"sha": head, "dirty": bool(dirty)}
