"""Cutting a training-set snapshot: build as of D, gate, export atomically (docs/architecture.md)."""

from .pipeline import SnapshotResult, cut_snapshot, land_snapshot

__all__ = ["SnapshotResult", "cut_snapshot", "land_snapshot"]
