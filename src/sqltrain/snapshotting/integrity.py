"""Is a snapshot's data what its manifest says? Per-file SHA-256, checked wherever a snapshot is read.

The manifest records ``data.file_sha256``: the SHA-256 of every data file, relative to the
snapshot directory (one ``data.parquet`` on DuckDB, the part files on Spark). Any reader checks
them before trusting the rows; a flipped byte, a replaced or a missing file raises
``TamperedSnapshot`` naming the file with the expected and the found hash.

    >>> check_data(Path("snapshots/churn_training/as_of=2025-06-01"))   # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from ..errors import SqltrainError

FILE_HASH = "sha256 of the file"


class TamperedSnapshot(SqltrainError):
    """The data of a snapshot does not match its manifest (exit 1): it was changed after it was written."""

    exit_code = 1


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_hashes(directory: Path, files: list[str]) -> dict[str, str]:
    """``{file: sha256}`` for each data file (paths relative to the snapshot ``directory``)."""
    return {name: sha256_of(directory / name) for name in files}


def read_manifest(directory: Path) -> dict[str, Any]:
    path = directory / "manifest.json"
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise SqltrainError(f"{directory}: no manifest.json — not a complete snapshot",
                            "pass the directory of a snapshot (OUT/MODEL/as_of=D/)") from None
    except (OSError, ValueError) as error:
        raise TamperedSnapshot(f"{path}: unreadable ({error})", "cut the snapshot again") from None


def check_data(directory: Path, manifest: dict[str, Any] | None = None) -> None:
    """Raise ``TamperedSnapshot`` unless every data file matches the manifest's hash."""
    manifest = manifest if manifest is not None else read_manifest(directory)
    data = manifest.get("data") or {}
    expected: dict[str, str] = dict(data.get("file_sha256") or {})
    files = list(data.get("files") or [])
    if not expected and len(files) == 1 and data.get("sha256_of", FILE_HASH) == FILE_HASH and data.get("sha256"):
        expected = {files[0]: data["sha256"]}  # a single-file snapshot: its data hash is the file's
    if not expected or set(expected) != set(files):
        raise TamperedSnapshot(
            f"{directory / 'manifest.json'}: no SHA-256 per data file, so the data cannot be verified",
            "cut the snapshot again with this sqltrain, or read it with verify_hash=False",
        )
    for name, digest in expected.items():
        path = directory / name
        if not path.is_file():
            raise TamperedSnapshot(f"{path}: missing, the manifest lists it", "cut the snapshot again")
        found = sha256_of(path)
        if found != digest:
            raise TamperedSnapshot(
                f"{path}: SHA-256 {found} does not match the manifest's {digest} — the data changed after it was written",
                "do not train on it: cut the snapshot again",
            )
