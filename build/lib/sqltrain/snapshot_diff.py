"""Two snapshots compared row by row on (entity, cutoff): ``sqltrain diff A B`` and ``sqltrain.diff``.

Both snapshots' data are checked against their manifests first, then read in place by DuckDB
(never loaded into memory) and compared with the engine ``verify`` uses: rows only in A, rows
only in B, and per column the number of matched rows whose value changed, with examples.
Floating-point columns may differ by ``tolerance`` (relative, absolute below 1)::

    >>> result = diff("snapshots/churn_training/as_of=2025-05-01",
    ...               "snapshots/churn_training/as_of=2025-06-01")          # doctest: +SKIP
    >>> result.identical, result.only_a, result.changed_columns              # doctest: +SKIP
    (False, 0, {'orders_count_30d': 12})
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .timetravel.diff import TableDiff
from .training_set import Snapshot

DEFAULT_TOLERANCE = 1e-9


@dataclass
class SnapshotDiff:
    """The comparison of snapshot ``a`` with snapshot ``b`` (``diff.rows_full`` is A's, ``rows_truncated`` B's)."""

    a: Snapshot
    b: Snapshot
    keys: list[str]
    diff: TableDiff
    tolerance: float

    @property
    def identical(self) -> bool:
        return self.diff.identical

    @property
    def exit_code(self) -> int:
        return 0 if self.identical else 1

    @property
    def only_a(self) -> int:
        return self.diff.only_full

    @property
    def only_b(self) -> int:
        return self.diff.only_truncated

    @property
    def changed_rows(self) -> int:
        return self.diff.changed_rows

    @property
    def changed_columns(self) -> dict[str, int]:
        """Column → number of matched rows whose value differs."""
        return {c.name: c.rows for c in self.diff.columns if c.rows}


def diff(a: Snapshot | str | os.PathLike, b: Snapshot | str | os.PathLike, *, tolerance: float = DEFAULT_TOLERANCE,
         verify_hash: bool = True) -> SnapshotDiff:
    """Compare snapshots ``a`` and ``b`` (``Snapshot`` objects or snapshot directories) on A's (entity, cutoff)."""
    import duckdb

    from .timetravel.diff import compare

    left = a if isinstance(a, Snapshot) else Snapshot(Path(a), verify_hash=verify_hash)
    right = b if isinstance(b, Snapshot) else Snapshot(Path(b), verify_hash=verify_hash)
    keys = [*left.entity, *([left.cutoff] if left.cutoff else [])]
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        for name, snap in (("snapshot_a", left), ("snapshot_b", right)):
            snap.to_duckdb(con).create_view(name)
        result = compare(con, "snapshot_a", "snapshot_b", keys, left.model, spread=left.entity, tolerance=tolerance)
    finally:
        con.close()
    return SnapshotDiff(left, right, keys, result, tolerance)
