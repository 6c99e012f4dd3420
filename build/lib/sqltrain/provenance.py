"""What a snapshot records about how it was made: tool versions and the project's git commit."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any


def dbt_version() -> str:
    from dbt.version import __version__ as version

    return str(version)


def adapter_version(adapter: str) -> str | None:
    """The installed version of the dbt adapter package (``dbt-duckdb``, ``dbt-spark``...)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(f"dbt-{adapter}")
    except PackageNotFoundError:
        return None


def git_commit(directory: Path) -> dict[str, Any] | None:
    """HEAD of the project's repository and whether tracked files had uncommitted changes.

    None only outside a git repository. A repository git will not read for us (owned by another
    user: "dubious ownership") is read from its files, with ``dirty`` unknown (None); one with no
    commit yet has ``sha`` None.
    """
    try:
        head = subprocess.run(["git", "-C", str(directory), "rev-parse", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(directory), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return _read_head(Path(directory).resolve())
    return {"sha": head, "dirty": bool(dirty)}


def _read_head(directory: Path) -> dict[str, Any] | None:
    """HEAD read from ``.git`` itself (no git binary needed), or None outside a repository."""
    for folder in (directory, *directory.parents):
        git = folder / ".git"
        if git.is_file() and git.read_text().startswith("gitdir:"):   # a worktree or submodule
            git = (folder / git.read_text().split(":", 1)[1].strip()).resolve()
        if git.is_dir():
            break
    else:
        return None
    try:
        head = (git / "HEAD").read_text().strip()
    except OSError:
        return None
    if not head.startswith("ref:"):
        return {"sha": head, "dirty": None}
    ref = head.split(":", 1)[1].strip()
    common = Path((git / "commondir").read_text().strip()) if (git / "commondir").is_file() else None
    roots = [git] + ([(git / common).resolve()] if common else [])
    for root in roots:
        if (root / ref).is_file():
            return {"sha": (root / ref).read_text().strip(), "dirty": None}
        packed = root / "packed-refs"
        if packed.is_file():
            for line in packed.read_text().splitlines():
                if line.endswith(" " + ref):
                    return {"sha": line.split()[0], "dirty": None}
    return {"sha": None, "dirty": None, "note": f"no commit yet on {ref.rsplit('/', 1)[-1]}"}
