"""The DuckDB engine: the built relation read through a read-only connection to the warehouse file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from . import Engine, ExportedData


class DuckDBEngine(Engine):
    """The warehouse file ``path``; the connection opens on first use (after dbt has released it)."""

    name = "duckdb"
    dialect = "duckdb"

    def __init__(self, path: Path, settings: dict[str, str] | None = None):
        self.path = Path(path)
        self.settings = settings or {}              # the profile's DuckDB settings (memory_limit, ...)
        self._con: duckdb.DuckDBPyConnection | None = None

    def require_ready(self) -> None:
        """The file must exist: dbt-duckdb would silently create an empty one."""
        from ..warehouse import require_warehouse_file

        require_warehouse_file(self.path)

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            from ..warehouse import connect

            self.require_ready()
            self._con = connect(self.path, read_only=True, settings=self.settings)
        return self._con

    def execute(self, sql: str):
        return self.con.execute(sql)

    def describe(self, relation: str) -> list[dict[str, Any]]:
        from ..snapshotting.export import describe

        return describe(self.con, relation)

    def export(self, relation: str, columns: list[str], keys: list[str], path: Path) -> ExportedData:
        """One file, ``data.parquet``, written in a fixed row order: its bytes are the data's hash."""
        from ..snapshotting.export import export_parquet, sha256_of

        export_parquet(self.con, relation, columns, keys, path)
        return ExportedData(files=[path.name], sha256=sha256_of(path), hash_method="sha256 of the file")

    def quality_frame(self, relation: str):
        from ..quality.relation import read_relation

        return read_relation(self.con, relation)

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None
