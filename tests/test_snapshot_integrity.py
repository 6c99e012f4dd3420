"""``check_snapshot_hash`` on the layouts ``snapshot`` writes: one DuckDB file, or Spark's part files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sqltrain.snapshotting.integrity import FILE_HASH, TamperedSnapshot, check_data, check_snapshot_hash, file_hashes, sha256_of

SPARK_HASH = "multiset: sha256 over the sums of each row's sha256 (order- and partition-independent)"


def _duckdb_snapshot(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "data.parquet").write_bytes(b"PAR1 rows PAR1")
    data = {"files": ["data.parquet"], "sha256": sha256_of(folder / "data.parquet"), "sha256_of": FILE_HASH}
    (folder / "manifest.json").write_text(json.dumps({"data": data}))
    return folder


def _spark_snapshot(folder: Path, per_file: bool = True) -> Path:
    parts = folder / "data.parquet"
    parts.mkdir(parents=True)
    files = []
    for i in range(2):
        (parts / f"part-0000{i}.zstd.parquet").write_bytes(f"PAR1 part {i} PAR1".encode())
        files.append(f"data.parquet/part-0000{i}.zstd.parquet")
    data = {"files": files, "sha256": "0" * 64, "sha256_of": SPARK_HASH}
    if per_file:
        data["file_sha256"] = file_hashes(folder, files)
    (folder / "manifest.json").write_text(json.dumps({"data": data}))
    return folder


def test_intact_snapshots_verify(tmp_path):
    assert check_snapshot_hash(_duckdb_snapshot(tmp_path / "d")).state == "verified"
    assert check_snapshot_hash(_spark_snapshot(tmp_path / "s")).state == "verified"
    check_data(_spark_snapshot(tmp_path / "s2"))
    assert check_snapshot_hash(_spark_snapshot(tmp_path / "old", per_file=False)).state == "unverified"
    with pytest.raises(TamperedSnapshot, match="cannot be verified"):
        check_data(tmp_path / "old")


@pytest.mark.parametrize("tamper, file", [
    (lambda f: (f / "data.parquet/part-00001.zstd.parquet").write_bytes(b"PAR1 other PAR1"), "part-00001"),
    (lambda f: (f / "data.parquet/part-00001.zstd.parquet").unlink(), "part-00001"),
    (lambda f: (f / "data.parquet/part-00009.zstd.parquet").write_bytes(b"PAR1 extra PAR1"), "part-00009"),
    (lambda f: (f / "manifest.json").write_text("{not json"), "manifest.json"),
], ids=["changed part", "missing part", "extra part", "broken manifest"])
def test_spark_part_files_are_checked_one_by_one(tmp_path, tamper, file):
    folder = _spark_snapshot(tmp_path / "s")
    tamper(folder)
    check = check_snapshot_hash(folder)
    assert check.state == "tampered" and file in check.message
    with pytest.raises(TamperedSnapshot, match=file):
        check_data(folder)


def test_a_data_file_replaced_by_a_link_or_listed_outside_is_tampering(tmp_path):
    folder = _duckdb_snapshot(tmp_path / "d")
    outside = tmp_path / "elsewhere.parquet"
    (folder / "data.parquet").rename(outside)
    (folder / "data.parquet").symlink_to(outside)       # same bytes, but not the snapshot's own file
    assert check_snapshot_hash(folder).state == "tampered"
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["data"]["files"] = ["../elsewhere.parquet"]
    assert "outside the snapshot" in check_snapshot_hash(folder, manifest).message
