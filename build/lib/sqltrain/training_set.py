"""A snapshot on disk as a training set in Python: verified, self-describing, ready to fit.

``load`` finds a snapshot by model and as-of date (the latest when none is given), checks its data
against the manifest's SHA-256 and hands back a ``Snapshot`` that knows which columns are the
entity, the cutoff, the label and the features::

    >>> import sqltrain
    >>> train = sqltrain.load("churn_training", as_of="2025-06-01")   # doctest: +SKIP
    >>> X, y = train.X_y()                                              # doctest: +SKIP
    >>> train.label, train.cutoff, len(train.features)                  # doctest: +SKIP
    ('churned_30d', 'as_of_ts', 26)

Nothing here imports pandas or pyarrow until data is asked for.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .asof import AsOf, parse_as_of
from .errors import UsageError
from .snapshotting.integrity import check_data, read_manifest
from .snapshotting.layout import existing_snapshots, snapshot_dir

if TYPE_CHECKING:
    import duckdb
    import pandas
    import pyarrow

# roles that are neither features nor the label: a column carrying one is left out of X
NOT_FEATURES = ("entity", "cutoff", "label", "split", "weight", "ignore", "metadata")


class Snapshot:
    """One exported training set (``OUT/MODEL/as_of=D/``, or a backtest fold's train or test part)."""

    def __init__(self, path: Path | str, *, verify_hash: bool = True):
        self.path = Path(path)
        self.manifest: dict[str, Any] = read_manifest(self.path)
        if verify_hash:
            check_data(self.path, self.manifest)

    def __repr__(self) -> str:
        return f"Snapshot({self.model!r}, as_of={self.as_of!r}, rows={self.rows}, path='{self.path}')"

    @property
    def model(self) -> str:
        return str(self.manifest.get("model"))

    @property
    def as_of(self) -> str | None:
        """The as-of date (a backtest part: its fold date)."""
        return self.manifest.get("as_of") or (self.manifest.get("fold") or {}).get("date")

    @property
    def rows(self) -> int:
        return int(self.manifest.get("row_count") or 0)

    @property
    def label_rate(self) -> float | None:
        return self.manifest.get("label_rate")

    @cached_property
    def roles(self) -> dict[str, str]:
        """Column → role (entity, cutoff, label, feature, or a role the model's YAML declares)."""
        return {c["name"]: c.get("role") or "feature" for c in self.manifest.get("columns", [])}

    @property
    def columns(self) -> list[str]:
        return list(self.roles)

    @property
    def entity(self) -> list[str]:
        return list(self.manifest.get("entity") or [c for c, r in self.roles.items() if r == "entity"])

    @property
    def cutoff(self) -> str | None:
        return self.manifest.get("cutoff") or next((c for c, r in self.roles.items() if r == "cutoff"), None)

    @property
    def label(self) -> str | None:
        return self.manifest.get("label") or next((c for c, r in self.roles.items() if r == "label"), None)

    @property
    def features(self) -> list[str]:
        """The columns a model may learn from: every column whose role is not one of ``NOT_FEATURES``."""
        keep = {*self.entity, self.cutoff, self.label}
        return [c for c, r in self.roles.items() if c not in keep and r not in NOT_FEATURES]

    @property
    def files(self) -> list[Path]:
        return [self.path / name for name in (self.manifest.get("data") or {}).get("files", [])]

    def to_arrow(self) -> pyarrow.Table:
        """The rows as an Arrow table, in the snapshot's order (entity, cutoff)."""
        import pyarrow.parquet as pq

        tables = [pq.read_table(f) for f in self.files]
        if len(tables) == 1:
            return tables[0]
        import pyarrow as pa

        return pa.concat_tables(tables, promote_options="permissive")

    def to_pandas(self) -> pandas.DataFrame:
        return self.to_arrow().to_pandas()

    def to_duckdb(self, con: duckdb.DuckDBPyConnection | None = None) -> duckdb.DuckDBPyRelation:
        """A DuckDB relation over the Parquet files: queried lazily, never loaded whole into memory.

        ``con`` defaults to a new in-memory connection pinned to UTC.
        """
        import duckdb

        if con is None:
            con = duckdb.connect()
            con.execute("SET TimeZone = 'UTC'")
        # hive_partitioning off: the folder name as_of=D must not turn into a column
        return con.read_parquet([str(f) for f in self.files], hive_partitioning=False)

    def X_y(self) -> tuple[pandas.DataFrame, pandas.Series]:
        """(features, label) as pandas: ``X`` holds ``features`` in table order, ``y`` the label."""
        if not self.label:
            raise UsageError(f"snapshot {self.path}: its model declares no label",
                             "declare meta.sqltrain.label on the training set, or use to_pandas()")
        frame = self.to_pandas()
        return frame[self.features], frame[self.label]


@dataclass(frozen=True)
class SnapshotInfo:
    """One line of ``snapshots(model)``: what the manifest says, without reading the data."""

    model: str
    as_of: str
    path: Path
    rows: int
    label_rate: float | None
    gates: dict[str, bool]
    data_sha256: str | None


def load(model: str, as_of: str | AsOf | None = None, snapshots: Path | str = "snapshots", *,
         verify_hash: bool = True) -> Snapshot:
    """The snapshot of ``model`` as of ``as_of`` under ``snapshots`` (the latest when ``as_of`` is None).

    The data is checked against the manifest's SHA-256 (``TamperedSnapshot`` on a mismatch);
    ``verify_hash=False`` skips that, e.g. to inspect a snapshot known to be changed.
    """
    root = Path(snapshots)
    if as_of is None:
        found = existing_snapshots(root, model)
        if not found:
            raise UsageError(f"no snapshot of {model} under {root}",
                             f"cut one with `sqltrain snapshot --as-of D --model {model} --out {root}`")
        return Snapshot(found[-1][1], verify_hash=verify_hash)
    when = as_of if isinstance(as_of, AsOf) else parse_as_of(str(as_of))
    path = snapshot_dir(root, model, when)
    if not os.path.isfile(path / "manifest.json"):  # (Path.is_file raises on a name too long)
        have = ", ".join(a.label for a, _ in existing_snapshots(root, model)) or "none"
        raise UsageError(f"no snapshot of {model} as of {when.label} under {root} (have: {have})",
                         f"cut it with `sqltrain snapshot --as-of {when.label} --model {model} --out {root}`")
    return Snapshot(path, verify_hash=verify_hash)


def snapshots(model: str, snapshots: Path | str = "snapshots") -> list[SnapshotInfo]:
    """Every complete snapshot of ``model``, oldest first, read from the manifests (data not checked)."""
    found = []
    for when, path in existing_snapshots(Path(snapshots), model):
        manifest = read_manifest(path)
        found.append(SnapshotInfo(
            model=model, as_of=when.label, path=path, rows=int(manifest.get("row_count") or 0),
            label_rate=manifest.get("label_rate"),
            gates={g["name"]: bool(g.get("passed")) for g in manifest.get("gates", [])},
            data_sha256=(manifest.get("data") or {}).get("sha256"),
        ))
    return found


def backtest_folds(path: Path | str, *, verify_hash: bool = True) -> list[tuple[Snapshot, Snapshot | None]]:
    """The folds of a backtest directory (``OUT/MODEL/backtest=…/``) as (train, test) snapshots, in order.

    A fold whose test set is empty (no test cutoffs mature by the evaluation date) has test None.
    """
    root = Path(path)
    folds = sorted((p for p in root.glob("fold=*") if p.is_dir()), key=lambda p: p.name)
    if not folds:
        raise UsageError(f"{root}: no fold=… directories — not a backtest",
                         "pass OUT/MODEL/backtest=START_END_EVERY/ as written by `sqltrain backtest`")
    pairs = []
    for fold in folds:
        test = fold / "test"
        pairs.append((Snapshot(fold / "train", verify_hash=verify_hash),
                      Snapshot(test, verify_hash=verify_hash) if (test / "manifest.json").is_file() else None))
    return pairs
