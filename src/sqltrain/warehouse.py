"""Opening the DuckDB warehouse the project's profile points at, with sqltrain's session settings."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

from .errors import UsageError
from .lock import locked
from .project import Project
from .sqlquote import identifier


def require_warehouse(project: Project) -> Path:
    """The resolved target's warehouse file, which must exist: dbt-duckdb would silently create an empty one."""
    return require_warehouse_file(project.warehouse_path())


def require_target_warehouse(project: Project) -> None:
    """Before dbt connects: the DuckDB file of the target must exist. dbt-duckdb creates a missing
    one on connect; sqltrain never creates a user's warehouse (only ``demo-warehouse`` does)."""
    path = project.duckdb_file()
    if path is not None:
        require_warehouse_file(path)


def require_warehouse_file(path: Path) -> Path:
    """``path``, which must be an existing file (UsageError naming it otherwise)."""
    if not path.is_file():
        raise UsageError(
            f"warehouse file {path} does not exist (the path: of the dbt target in profiles.yml)",
            "point path: at your DuckDB file, or pass --profiles-dir/--target; for the demo run "
            "`make warehouse` or set SQLTRAIN_WAREHOUSE; sqltrain never creates a warehouse",
        )
    return path


def connect(path: Path, read_only: bool = False, settings: dict[str, str] | None = None) -> duckdb.DuckDBPyConnection:
    """A connection with the session pinned to UTC (docs/semantics.md §7) and ``settings`` applied (the
    profile's, see ``Project.duckdb_settings``: a memory_limit bounds sqltrain's queries too).
    ``WarehouseLocked`` when another process holds the file.

    dbt-duckdb keeps its own database instance open inside this process after a run; DuckDB
    refuses a second instance of the same file with another configuration, so release it first.
    """
    release_dbt_connection()
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:
        conflict = locked(str(exc))   # another process writes the file (or reads it, if we write)
        if conflict is not None:
            raise conflict from None
        raise UsageError(f"warehouse file {path} cannot be opened: {' '.join(str(exc).split())[:200]}",
                         "it is not a DuckDB database or it is damaged: rebuild it (`sqltrain demo-warehouse`) "
                         "or point SQLTRAIN_WAREHOUSE at a good copy") from None
    for name, value in (settings or {}).items():
        try:
            con.execute(f"SET {identifier(name)} = ?", [value])
        except duckdb.Error as exc:
            con.close()
            raise UsageError(f"DuckDB setting {name}: {value!r} from profiles.yml is refused: {str(exc).splitlines()[0]}",
                             "fix the target's `settings` in profiles.yml") from None
    con.execute("SET TimeZone = 'UTC'")
    return con


def release_dbt_connection() -> None:
    module = sys.modules.get("dbt.adapters.duckdb.connections")
    if module is None:  # dbt has not run in this process: nothing to release
        return
    DuckDBConnectionManager = module.DuckDBConnectionManager
    with DuckDBConnectionManager._LOCK:
        if DuckDBConnectionManager._ENV is not None:
            try:
                DuckDBConnectionManager._ENV.close()
            finally:
                DuckDBConnectionManager._ENV = None


def base_tables(con: duckdb.DuckDBPyConnection, schemas: tuple[str, ...]) -> list[tuple[str, str]]:
    """``(schema, table)`` of every base table of ``schemas`` in the DuckDB connection, in name order."""
    return con.execute(
        "SELECT table_schema, table_name FROM information_schema.tables "
        "WHERE table_type = 'BASE TABLE' AND table_schema IN (SELECT unnest(?)) ORDER BY 1, 2",
        [list(schemas)],
    ).fetchall()


def table_columns(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> list[tuple[str, str]]:
    """``(column, DuckDB type)`` of a table, in table order."""
    return con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position",
        [schema, name],
    ).fetchall()
