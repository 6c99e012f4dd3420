"""sqltrain: point-in-time-correct ML training sets from warehouse tables, in plain SQL.

The Python API (docs/python.md): ``load`` a verified snapshot, list ``snapshots``, ``diff`` two of
them, and run the commands as functions (``snapshot``, ``validate``, ``check``, ``verify``,
``backtest``). Importing sqltrain is cheap: each name loads its module on first use, and dbt,
Great Expectations and SQLGlot load inside the calls.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS = {
    "Backtest": "api", "backtest": "api", "check": "api", "open_project": "api", "snapshot": "api",
    "validate": "api", "verify": "api",
    "SnapshotDiff": "snapshot_diff", "diff": "snapshot_diff",
    "Snapshot": "training_set", "SnapshotInfo": "training_set", "backtest_folds": "training_set",
    "load": "training_set", "snapshots": "training_set",
    "TamperedSnapshot": "snapshotting.integrity",
}

__all__ = ["__version__", *sorted(_EXPORTS)]

if TYPE_CHECKING:
    from .api import Backtest, backtest, check, open_project, snapshot, validate, verify
    from .snapshot_diff import SnapshotDiff, diff
    from .snapshotting.integrity import TamperedSnapshot
    from .training_set import Snapshot, SnapshotInfo, backtest_folds, load, snapshots


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'sqltrain' has no attribute {name!r}")
