"""The macros on PostgreSQL against the brute-force oracle of tests/macros (engine_macros says
how cases are batched). The variants are compiled by dbt for the postgres adapter
(dbt-postgres): sqltrain's postgres__ implementations where it has them, default__ else."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

from pg_harness import REPO

sys.path.insert(0, str(REPO / "tests" / "macros"))    # the oracle, worlds and variants of the DuckDB tests

from engine_macros import MACROS, check_variant, compile_for, variants_of  # noqa: E402,F401

PG_CASES: Counter = Counter()
"""Cases that matched the oracle on PostgreSQL, per macro, in this session (conftest prints them)."""

SCHEMA = "sqltrain_macro_props"
_TYPES = {"int": "bigint", "text": "text", "ts": "text"}


def compile_for_postgres(workdir: Path, env: dict[str, str]) -> dict[str, str]:
    """Every variant compiled against a dbt-postgres target on the session's cluster (``env``:
    its SQLTRAIN_PG_* settings)."""
    return compile_for(workdir, {"type": "postgres", "host": env["SQLTRAIN_PG_HOST"], "port": int(env["SQLTRAIN_PG_PORT"]),
                                 "user": env["SQLTRAIN_PG_USER"], "password": env["SQLTRAIN_PG_PASSWORD"],
                                 "dbname": env["SQLTRAIN_PG_DATABASE"], "schema": SCHEMA, "threads": 1})


class PgTables:
    """Generated tables in one schema of the cluster: each ``<name>__raw`` holds the rows with
    timestamps as mixed-zone text, and the view ``<name>`` casts them to timestamptz and then
    timestamp in the UTC session, as the DuckDB harness does."""

    def __init__(self, con):
        self.con = con
        self._made: set[str] = set()
        con.execute(f"create schema if not exists {SCHEMA}")
        con.execute(f"set search_path to {SCHEMA}")

    def load(self, name: str, schema: dict[str, str], rows: list[dict[str, Any]]) -> None:
        raw = f"{name}__raw"
        if name not in self._made:
            self.con.execute(f"drop table if exists {raw} cascade")
            self.con.execute(f"create table {raw} ({', '.join(f'{c} {_TYPES[k]}' for c, k in schema.items())})")
            select = ", ".join(f"cast(cast({c} as timestamptz) as timestamp) as {c}" if k == "ts" else c
                               for c, k in schema.items())
            self.con.execute(f"create view {name} as select {select} from {raw}")
            self._made.add(name)
        self.con.execute(f"truncate {raw}")
        with self.con.cursor().copy(f"copy {raw} ({', '.join(schema)}) from stdin") as copy:
            for r in rows:
                copy.write_row([_cell(r.get(c), k) for c, k in schema.items()])
        self.con.execute(f"analyze {raw}")

    def run(self, sql: str) -> tuple[list[str], list[tuple]]:
        cursor = self.con.execute(sql)
        return [d.name for d in cursor.description], cursor.fetchall()


def _cell(value: Any, kind: str) -> Any:
    return value.text() if kind == "ts" and value is not None else value
