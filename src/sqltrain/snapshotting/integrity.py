"""Is a snapshot's data what its manifest says? Per-file SHA-256, checked wherever a snapshot is read.

The manifest records ``data.file_sha256``: the SHA-256 of every data file, relative to the
snapshot directory (one ``data.parquet`` on DuckDB, the part files on Spark). Every reader — the
Python reader, the quality gate's drift baseline, the review site — checks them before trusting
the rows: a flipped byte, a replaced, missing or added data file, a data file that is a symbolic
link or lies outside the snapshot is *tampered*. ``check_snapshot_hash`` says so (the site shows
it as a badge); ``check_data`` raises ``TamperedSnapshot`` naming the file with the expected and
the found hash.

    >>> check_data(Path("snapshots/churn_training/as_of=2025-06-01"))   # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import SqltrainError

FILE_HASH = "sha256 of the file"


class TamperedSnapshot(SqltrainError):
    """The data of a snapshot does not match its manifest (exit 1): it was changed after it was written."""

    exit_code = 1


@dataclass(frozen=True)
class HashCheck:
    """The outcome of re-checking one snapshot: ``state`` is "verified", "tampered" or "unverified"."""

    state: str
    file: str | None = None          # the data file (relative to the snapshot) at fault
    expected: str | None = None
    found: str | None = None
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.state == "verified"

    @property
    def message(self) -> str:
        if self.state == "verified":
            return "data matches the SHA-256 in manifest.json"
        if self.state == "unverified":
            return self.detail or "manifest.json records no SHA-256 per data file, so the data cannot be verified"
        return f"{self.file}: {self.detail or f'SHA-256 {self.found} does not match the manifest expected {self.expected}'}"


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


def check_snapshot_hash(directory: Path, manifest: dict[str, Any] | None = None) -> HashCheck:
    """Re-check the data of the snapshot ``directory`` against its manifest (read from disk when
    ``manifest`` is None); never raises for a mismatch — ``check_data`` does."""
    directory = Path(directory)
    if manifest is None:
        try:
            manifest = json.loads((directory / "manifest.json").read_text())
        except (OSError, ValueError) as error:
            return HashCheck("tampered", "manifest.json", detail=f"cannot be read ({error})")
    data = manifest.get("data") if isinstance(manifest, dict) else None
    if not isinstance(data, dict) or not isinstance(data.get("files"), list) or not data["files"]:
        return HashCheck("tampered", "manifest.json", detail="records no data files")
    files = [str(f) for f in data["files"]]
    expected = dict(data.get("file_sha256") or {})
    if not expected and len(files) == 1 and data.get("sha256_of", FILE_HASH) == FILE_HASH and data.get("sha256"):
        expected = {files[0]: data["sha256"]}  # a single-file snapshot: its data hash is the file's
    if not expected or set(expected) != set(files):
        return HashCheck("unverified")
    for name in files:
        path = directory / name
        if not path.resolve().is_relative_to(directory.resolve()):
            return HashCheck("tampered", name, detail="is listed in manifest.json but lies outside the snapshot")
        if path.is_symlink() or not path.is_file():
            return HashCheck("tampered", name, expected=expected[name], detail="is missing (or is not a regular file)")
        found = sha256_of(path)
        if found != expected[name]:
            return HashCheck("tampered", name, expected=expected[name], found=found)
    extra = sorted(str(p.relative_to(directory)) for p in _data_files(directory) if str(p.relative_to(directory)) not in files)
    if extra:
        return HashCheck("tampered", extra[0], detail="is a data file manifest.json does not list")
    return HashCheck("verified")


def check_data(directory: Path, manifest: dict[str, Any] | None = None) -> None:
    """Raise ``TamperedSnapshot`` (one line: the file, the found and the expected hash) unless every
    data file matches the manifest's hash."""
    check = check_snapshot_hash(directory, manifest)
    if check.state == "unverified":
        raise TamperedSnapshot(f"{Path(directory) / 'manifest.json'}: {check.message}",
                               "cut the snapshot again with this sqltrain, or read it with verify_hash=False")
    if not check.ok:
        raise TamperedSnapshot(f"snapshot {directory} changed after it was written: {check.message}",
                               "do not train on it: cut the snapshot again")


def data_files(directory: Path) -> list[Path]:
    """The Parquet files of the snapshot in ``directory`` (a file, or Spark's part files)."""
    return _data_files(Path(directory))


def _data_files(directory: Path) -> list[Path]:
    """The Parquet files a reader of the snapshot would read (``data.parquet`` and its parts)."""
    found = [directory / "data.parquet"] if (directory / "data.parquet").is_file() else []
    for folder in (directory / "data.parquet", directory / "data"):
        if folder.is_dir():
            found += sorted(folder.rglob("*.parquet"))
    return found
