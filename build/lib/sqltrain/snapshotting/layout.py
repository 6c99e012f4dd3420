"""Where snapshots live: ``DIR/<model>/as_of=<D>/`` (landed atomically by :mod:`sqltrain.staging`)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ..asof import AsOf, parse_as_of
from ..staging import STAGING_PREFIX, staged

__all__ = ["STAGING_PREFIX", "existing_snapshots", "keep_failed_reports", "previous_snapshot", "snapshot_dir", "staged"]


def snapshot_dir(out: Path, model: str, as_of: AsOf) -> Path:
    return out / model / f"as_of={as_of.label}"


def existing_snapshots(out: Path, model: str) -> list[tuple[AsOf, Path]]:
    """Complete snapshots of ``model`` under ``out``, oldest first (staging dirs are ignored)."""
    root = out / model
    found = []
    if os.path.isdir(root):  # (Path.is_dir raises on a name too long)
        for child in root.iterdir():
            if child.is_dir() and child.name.startswith("as_of=") and (child / "manifest.json").is_file():
                try:
                    found.append((parse_as_of(child.name[len("as_of="):]), child))
                except Exception:  # not one of ours
                    continue
    return sorted(found, key=lambda item: item[0].instant)


def previous_snapshot(out: Path, model: str, as_of: AsOf) -> Path | None:
    """The latest complete snapshot strictly before ``as_of`` (the baseline for drift)."""
    earlier = [path for when, path in existing_snapshots(out, model) if when.instant < as_of.instant]
    return earlier[-1] if earlier else None


def keep_failed_reports(stage: Path, keep: Path) -> Path:
    """Copy a refused snapshot's gate reports (never its data) to ``keep`` for the user to read."""
    if keep.exists():
        shutil.rmtree(keep)
    shutil.copytree(stage, keep, ignore=shutil.ignore_patterns("*.parquet"))
    return keep
