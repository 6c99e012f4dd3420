"""Where snapshots live: ``DIR/<model>/as_of=<D>/``, and how one lands there atomically."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..asof import AsOf, parse_as_of

STAGING_PREFIX = ".tmp-"


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


@contextmanager
def staged(destination: Path) -> Iterator[Path]:
    """Yield a fresh staging directory beside ``destination``; on success swap it into place.

    On any failure or interrupt the staging directory is removed and ``destination`` (an earlier
    snapshot of the same as-of, if any) is left exactly as it was.
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    stage = destination.parent / f"{STAGING_PREFIX}{destination.name}-{uuid.uuid4().hex[:8]}"
    stage.mkdir()
    try:
        yield stage
        _swap_into_place(stage, destination)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise


def _swap_into_place(stage: Path, destination: Path) -> None:
    """Replace ``destination`` by ``stage``: two renames, the old copy removed only afterwards."""
    if destination.exists():
        retired = destination.parent / f"{STAGING_PREFIX}retired-{destination.name}-{uuid.uuid4().hex[:8]}"
        os.rename(destination, retired)
        try:
            os.rename(stage, destination)
        except BaseException:
            os.rename(retired, destination)
            raise
        shutil.rmtree(retired, ignore_errors=True)
    else:
        os.rename(stage, destination)


def keep_failed_reports(stage: Path, keep: Path) -> Path:
    """Copy a refused snapshot's gate reports (never its data) to ``keep`` for the user to read."""
    if keep.exists():
        shutil.rmtree(keep)
    shutil.copytree(stage, keep, ignore=shutil.ignore_patterns("*.parquet"))
    return keep
