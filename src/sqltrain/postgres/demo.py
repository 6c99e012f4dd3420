"""Load the demo warehouse into the PostgreSQL of the ``postgres`` target.

    python -m sqltrain.postgres.demo [--warehouse warehouse/demo.duckdb]

copies ``raw.*`` and ``snapshots.customers_snapshot`` from the DuckDB file into the same schemas
of the database (tables replaced whole, in one transaction), after which
``dbt build --target postgres`` builds the demo on Postgres (docs/postgres.md). Rows travel as
CSV through ``COPY … FROM STDIN``, one table at a time, streamed from a temporary file: the
loader never holds a table in memory.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..demo_loading import demo_loader_args
from ..sqlquote import identifier, qualified
from ..warehouse import base_tables, table_columns
from .connect import connect

DEFAULT_SCHEMAS = ("raw", "snapshots")
_CHUNK = 1 << 20

# DuckDB column type -> PostgreSQL column type (DECIMAL keeps its precision and scale)
_TYPES = {"BIGINT": "bigint", "INTEGER": "integer", "SMALLINT": "smallint", "TINYINT": "smallint",
          "DOUBLE": "double precision", "FLOAT": "real", "VARCHAR": "text", "BOOLEAN": "boolean",
          "DATE": "date", "TIMESTAMP": "timestamp", "TIMESTAMP WITH TIME ZONE": "timestamptz"}


@dataclass(frozen=True)
class LoadedTable:
    schema: str
    name: str
    rows: int

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"


def postgres_type(duckdb_type: str) -> str:
    """The PostgreSQL type of a DuckDB column type.

    >>> postgres_type("DECIMAL(10,2)"), postgres_type("TIMESTAMP"), postgres_type("VARCHAR")
    ('numeric(10,2)', 'timestamp', 'text')
    """
    decimal = re.fullmatch(r"DECIMAL\((\d+),\s*(\d+)\)", duckdb_type.upper())
    if decimal:
        return f"numeric({decimal[1]},{decimal[2]})"
    try:
        return _TYPES[duckdb_type.upper()]
    except KeyError:
        raise ValueError(f"no PostgreSQL type for the DuckDB type {duckdb_type}") from None


def load_warehouse(duckdb_path: str | os.PathLike, pg, schemas: tuple[str, ...] = DEFAULT_SCHEMAS) -> list[LoadedTable]:
    """Copy every base table of ``schemas`` from the DuckDB file into the Postgres connection ``pg``."""
    import duckdb

    src = duckdb.connect(str(duckdb_path), read_only=True)
    try:
        src.execute("SET TimeZone = 'UTC'")
        tables = base_tables(src, schemas)
        loaded = []
        with pg.transaction(), tempfile.TemporaryDirectory(prefix="sqltrain-pgload-") as tmp:
            for schema in sorted({s for s, _ in tables}):
                pg.execute(f"create schema if not exists {identifier(schema)}")
            for schema, name in tables:
                loaded.append(copy_table(src, pg, schema, name, Path(tmp) / "rows.csv"))
        return loaded
    finally:
        src.close()


def copy_table(src, pg, schema: str, name: str, csv: Path) -> LoadedTable:
    """Replace ``schema.name`` in Postgres with the DuckDB table of that name, streamed as CSV through
    the file ``csv`` (created, overwritten) and ``COPY … FROM STDIN``; analyzed afterwards."""
    columns = table_columns(src, schema, name)
    table = qualified(schema, name)
    pg.execute(f"drop table if exists {table}")
    pg.execute(f"create table {table} ({', '.join(f'{identifier(c)} {postgres_type(t)}' for c, t in columns)})")
    src.execute(f"COPY {table} TO ? (FORMAT csv, HEADER false)", [str(csv)])
    with pg.cursor().copy(f"copy {table} from stdin (format csv)") as copy, csv.open("rb") as f:
        while chunk := f.read(_CHUNK):
            copy.write(chunk)
    pg.execute(f"analyze {table}")
    rows = pg.execute(f"select count(*) from {table}").fetchone()[0]
    return LoadedTable(schema, name, rows)


def main(argv: list[str] | None = None) -> int:
    args = demo_loader_args("python -m sqltrain.postgres.demo", __doc__.splitlines()[0], "postgres", argv)
    if args is None:
        return 2
    from ..errors import SqltrainError
    from ..project import Project

    try:
        with connect(Project.open(args.project_dir, target=args.target)) as pg:
            for t in load_warehouse(args.warehouse, pg):
                print(f"{t.qualified:40s} {t.rows:>10,d} rows")
    except SqltrainError as e:
        print(str(e), file=sys.stderr)
        return e.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
