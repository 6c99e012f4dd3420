"""What the review site shows, read from disk: the training sets and their snapshots' reports.

Everything here is read-only and tolerant of reports that are absent (a gate that did not run, a
snapshot never verified): the site says "not run" rather than failing, because a reviewer wants
to see what exists. A report that exists but is not JSON is a user-fixable error, named.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..asof import AsOf
from ..errors import UsageError
from ..project import Project, sqltrain_meta_of
from ..snapshotting.integrity import HashCheck, check_snapshot_hash
from ..snapshotting.layout import existing_snapshots

# report files a snapshot directory may hold, beside manifest.json (docs/architecture.md)
LEAKAGE_FILE = "leakage.json"
VALIDATION_FILE = "validation.json"
VERIFY_FILE = "verify.json"


@dataclass
class Status:
    """One gate's verdict on one snapshot, as the index shows it."""

    state: str            # "passed", "failed", "warning" or "not run"
    summary: str = ""

    @property
    def css(self) -> str:
        return self.state.replace(" ", "-")


@dataclass
class SnapshotInfo:
    """One snapshot directory ``OUT/M/as_of=D/`` and the reports that landed with it."""

    model: str
    as_of: AsOf
    path: Path
    manifest: dict[str, Any]
    leakage: dict[str, Any] | None = None
    validation: dict[str, Any] | None = None
    verify: dict[str, Any] | None = None
    integrity: HashCheck | None = None     # the data re-checked against the manifest's sha256

    @property
    def slug(self) -> str:
        return self.path.name  # "as_of=2025-06-01"

    @property
    def rows(self) -> int:
        return int(self.manifest.get("row_count") or 0)

    @property
    def label_rate(self) -> float | None:
        return self.manifest.get("label_rate")

    def gate(self, name: str) -> dict[str, Any] | None:
        for gate in self.manifest.get("gates") or []:
            if gate.get("name") == name:
                return gate
        return None

    @property
    def leakage_status(self) -> Status:
        findings = active_findings(self.leakage)
        gate = self.gate("leakage")
        if self.leakage is None and gate is None:
            return Status("not run", "no leakage check ran for this snapshot")
        errors = [f for f in findings if f.get("severity") == "error"]
        if errors or (gate is not None and not gate.get("passed", True)):
            return Status("failed", gate.get("summary", "") if gate else f"{len(errors)} error(s)")
        if findings:
            return Status("warning", f"{len(findings)} finding(s), none at error level")
        return Status("passed", gate.get("summary", "no findings") if gate else "no findings")

    @property
    def quality_status(self) -> Status:
        gate = self.gate("quality")
        source = gate or self.validation
        if source is None:
            return Status("not run", "no quality gate ran for this snapshot")
        if not source.get("passed", False):
            return Status("failed", source.get("summary", ""))
        warnings = (self.validation or {}).get("warnings") or []
        return Status("warning" if warnings else "passed", source.get("summary", ""))

    @property
    def tampered(self) -> bool:
        return self.integrity is not None and not self.integrity.ok

    @property
    def integrity_status(self) -> Status:
        check = self.integrity or HashCheck("unverified")
        return Status(check.state, check.message)

    @property
    def verify_status(self) -> Status:
        if self.verify is None:
            return Status("not run", f"sqltrain verify --as-of {self.as_of} --json <this snapshot>/{VERIFY_FILE} records it here")
        rows = self.verify.get("rows") or {}
        if self.verify.get("identical"):
            return Status("passed", f"identical on {rows.get('full', '?')} rows after truncating the warehouse at {self.as_of}")
        return Status("failed", f"{rows.get('changed', '?')} changed, {rows.get('only_full', '?')} rows only in the full build")


@dataclass
class BacktestInfo:
    """One backtest directory ``OUT/M/backtest=…/``: its ``backtest.json``, each fold's dates filled in."""

    model: str
    path: Path
    summary: dict[str, Any]

    @property
    def slug(self) -> str:
        return self.path.name  # "backtest=2025-04-01_2025-06-01_P1M"

    @property
    def spec(self) -> dict[str, Any]:
        return self.summary.get("backtest") or {}

    @property
    def folds(self) -> list[dict[str, Any]]:
        return self.summary.get("folds") or []


@dataclass
class TrainingSet:
    """A training-set model: its dbt node (when the project declares it) and its snapshots, oldest first."""

    name: str
    node: dict[str, Any] | None
    snapshots: list[SnapshotInfo] = field(default_factory=list)
    backtests: list[BacktestInfo] = field(default_factory=list)

    @property
    def meta(self) -> dict[str, Any]:
        return sqltrain_meta_of(self.node) if self.node else {}

    @property
    def description(self) -> str:
        return (self.node or {}).get("description", "")

    @property
    def unique_id(self) -> str | None:
        return (self.node or {}).get("unique_id")

    @property
    def latest(self) -> SnapshotInfo | None:
        return self.snapshots[-1] if self.snapshots else None

    def previous_of(self, snapshot: SnapshotInfo) -> SnapshotInfo | None:
        """The snapshot just before ``snapshot`` (the baseline drift is shown against)."""
        index = self.snapshots.index(snapshot)
        return self.snapshots[index - 1] if index > 0 else None


def active_findings(leakage: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The findings of ``leakage.json`` that count: not suppressed, not switched off."""
    if not leakage:
        return []
    return [f for f in leakage.get("findings") or [] if not f.get("suppressed") and f.get("severity") != "off"]


def collect(project: Project, snapshots_dir: Path) -> list[TrainingSet]:
    """Every training set the project declares, plus any model with snapshots under ``snapshots_dir``."""
    nodes = {name: project.model_node(name) for name in project.training_sets()}
    names = set(nodes)
    if snapshots_dir.is_dir():
        names |= {child.name for child in snapshots_dir.iterdir()
                  if child.is_dir() and (existing_snapshots(snapshots_dir, child.name) or existing_backtests(child))}
    sets = []
    for name in sorted(names):
        snapshots = [read_snapshot(name, as_of, path) for as_of, path in existing_snapshots(snapshots_dir, name)]
        backtests = [read_backtest(name, path) for path in existing_backtests(snapshots_dir / name)]
        sets.append(TrainingSet(name=name, node=nodes.get(name), snapshots=snapshots, backtests=backtests))
    return sets


def existing_backtests(model_dir: Path) -> list[Path]:
    """The complete backtests under ``OUT/M/`` (a ``backtest.json`` lands last), by name."""
    if not model_dir.is_dir():
        return []
    return sorted(p for p in model_dir.glob("backtest=*")
                  if p.is_dir() and not p.is_symlink() and (p / "backtest.json").is_file()
                  and not (p / "backtest.json").is_symlink())


def read_backtest(model: str, path: Path) -> BacktestInfo:
    """The backtest at ``path``; a fold whose summary lacks its dates (an older run) gets them from
    its train manifest."""
    summary = _read_json(path / "backtest.json")
    for fold in summary.get("folds") or []:
        name = str(fold.get("path") or "")
        if not fold.get("dates") and name.startswith("fold=") and "/" not in name and "\\" not in name:
            fold["dates"] = (_read_json(path / name / "train" / "manifest.json", optional=True) or {}).get("fold") or {}
    return BacktestInfo(model=model, path=path, summary=summary)


def read_snapshot(model: str, as_of: AsOf, path: Path) -> SnapshotInfo:
    """The snapshot at ``path``, its data re-checked against the manifest (a tampered one is shown
    as such, its data never read). Reports that are symbolic links are not followed."""
    if (path / "manifest.json").is_symlink():
        return SnapshotInfo(model, as_of, path, {}, integrity=HashCheck(
            "tampered", "manifest.json", detail="is a symbolic link, not the manifest the snapshot was written with"))
    manifest = _read_json(path / "manifest.json")
    return SnapshotInfo(
        model=model,
        as_of=as_of,
        path=path,
        manifest=manifest,
        leakage=_read_json(path / LEAKAGE_FILE, optional=True),
        validation=_read_json(path / VALIDATION_FILE, optional=True),
        verify=_read_json(path / VERIFY_FILE, optional=True),
        integrity=check_snapshot_hash(path, manifest),
    )


def _read_json(path: Path, optional: bool = False) -> dict[str, Any] | None:
    if optional and (path.is_symlink() or not path.is_file()):
        return None
    try:
        return json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as error:
        raise UsageError(f"{path}: cannot read ({error})", "re-cut this snapshot or remove the file") from None
