"""What ``verify`` leaves behind: the outcome of each time-travel test, for ``snapshot --incremental``.

``verify`` writes ``target/sqltrain/verify/<model>/as_of=<D>.json`` after every run: whether the two
builds were identical, the entity sample (if any) and the hash of the project inputs the test ran
with (:mod:`sqltrain.snapshotting.inputs`). An incremental snapshot reuses rows of the snapshot as
of D only when such a record says a test as of D passed with the inputs the snapshot was cut with
(docs/incremental.md).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..asof import AsOf
from ..project import Project


def record_path(project: Project, model: str, as_of: AsOf) -> Path:
    return project.reports_dir / "verify" / model / f"as_of={as_of.label}.json"


def write_record(project: Project, model: str, as_of: AsOf, identical: bool, sample: int | None,
                 inputs_sha256: str) -> Path:
    path = record_path(project, model, as_of)
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {"model": model, "as_of": as_of.label, "identical": identical, "sample": sample,
              "inputs_sha256": inputs_sha256,
              "verified_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(record, indent=2) + "\n")
    tmp.replace(path)
    return path


def read_record(project: Project, model: str, as_of: AsOf) -> dict[str, Any] | None:
    """The last verify record of ``model`` as of ``as_of``; None when there is none (or it is unreadable)."""
    try:
        record = json.loads(record_path(project, model, as_of).read_text())
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None
