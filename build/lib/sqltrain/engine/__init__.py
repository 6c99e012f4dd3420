"""The engine a command reads the built training set through (see ``base`` for the contract and
``registry`` for which adapter type gets which engine)."""

from .base import Cursor, Engine, ExportedData
from .registry import ENGINES, adapter_type, build_command, engine_class, engine_for, export_parquet

__all__ = ["ENGINES", "Cursor", "Engine", "ExportedData", "adapter_type", "build_command", "engine_class",
           "engine_for", "export_parquet"]
