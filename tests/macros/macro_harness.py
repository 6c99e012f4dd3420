"""Compile sqltrain's macros once, then run the compiled SQL on thousands of generated tables.

Running dbt per hypothesis example would take hours. Instead a throw-away dbt project (in a tmp
dir) installs this repository by local path, holds one model per *variant* (a macro call with one
combination of options, on tables named spine/src/src2/snap/ent/rel), and is compiled twice: as
is (the duckdb__ implementations) and with ``sqltrain_portable: true`` (the default__ ones). Each
example then loads its generated rows into an in-memory DuckDB under those names and runs both
SQL texts.

Mixed time zones: every timestamp column is stored as ISO text, some naive (taken as UTC), some
with an offset (+05:30, -05:00...), and exposed through a view that casts it to TIMESTAMPTZ and then
TIMESTAMP under ``TimeZone='UTC'``, as the demo's staging models do. The oracle gets the UTC
instants.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

# The tmp project's var('as_of'): an offset timestamp, to exercise the normalisation to UTC.
AS_OF_VAR_TEXT = "2025-01-06T14:00:00+02:00"
AS_OF_VAR = datetime(2025, 1, 6, 12, 0)

CASES: Counter = Counter()
"""Cases that matched the oracle, per macro, in this session (printed by conftest's terminal summary;
a mismatch fails its test, so with all tests passed these are the cases run)."""
TIME_TRAVEL_CASES: Counter = Counter()
"""Cases whose output as of D did not change when every record after D was deleted, per macro."""


@dataclass(frozen=True)
class Stamp:
    """A generated instant: UTC wall time plus the offset (minutes) it is written in, None = naive."""

    utc: datetime
    offset: int | None = None

    def text(self) -> str:
        if self.offset is None:
            return self.utc.isoformat(sep=" ")
        local = self.utc + timedelta(minutes=self.offset)
        sign = "+" if self.offset >= 0 else "-"
        hours, minutes = divmod(abs(self.offset), 60)
        return f"{local.isoformat(sep=' ')}{sign}{hours:02d}:{minutes:02d}"


def jinja_literal(value: Any) -> str:
    """A Python value as a Jinja literal (for writing macro calls)."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{jinja_literal(k)}: {jinja_literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(jinja_literal(v) for v in value) + "]"
    raise TypeError(f"no Jinja literal for {value!r}")


def macro_call(macro: str, args: dict[str, Any]) -> str:
    rendered = ", ".join(f"{k}={jinja_literal(v)}" for k, v in args.items())
    return f"sqltrain.{macro}({rendered})"


class CompiledVariants(dict):
    """{variant: {'duckdb': sql, 'portable': sql}}, with a short repr for hypothesis' reports."""

    def __repr__(self) -> str:
        return f"<{len(self)} compiled variants>"


def compile_variants(workdir: Path, variants: dict[str, tuple[str, dict]]) -> CompiledVariants:
    """Compile ``{model_name: (macro, args)}``; returns ``{model_name: {'duckdb': sql, 'portable': sql}}``."""
    from bench.macro_project import compile_models

    models = {name: f"select * from ({{{{ {macro_call(macro, args)} }}}}) as q\n" for name, (macro, args) in variants.items()}
    compiled = compile_models(workdir, models, {"duckdb": {}, "portable": {"sqltrain_portable": True}},
                              project_vars={"as_of": AS_OF_VAR_TEXT})
    return CompiledVariants(compiled)


class Tables:
    """Loads generated tables into one in-memory DuckDB, timestamps as mixed-zone text behind views."""

    def __init__(self):
        import duckdb

        self.con = duckdb.connect()
        self.con.execute("SET TimeZone='UTC'")
        self._views: set[str] = set()

    def load(self, name: str, schema: dict[str, str], rows: list[dict[str, Any]]) -> None:
        """schema: column -> 'int' | 'text' | 'ts'."""
        import pyarrow as pa

        arrow_types = {"int": pa.int64(), "text": pa.string(), "ts": pa.string()}
        columns = {
            col: pa.array([_cell(r.get(col), kind) for r in rows], type=arrow_types[kind])
            for col, kind in schema.items()
        }
        self.con.register(f"{name}__raw", pa.table(columns))
        if name not in self._views:  # the view reads whatever is registered under the raw name
            select = ", ".join(
                f"cast(cast({c} as timestamptz) as timestamp) as {c}" if kind == "ts" else c
                for c, kind in schema.items()
            )
            self.con.execute(f"create or replace view {name} as select {select} from {name}__raw")
            self._views.add(name)

    def run(self, sql: str) -> tuple[list[str], list[tuple]]:
        result = self.con.execute(sql)
        self.last_types = [str(d[1]) for d in result.description]
        return [d[0] for d in result.description], result.fetchall()


def _cell(value: Any, kind: str) -> Any:
    if kind == "ts" and value is not None:
        return value.text()
    return value


def utc_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The oracle's view of generated rows: every Stamp as its naive UTC instant."""
    return [{k: (v.utc if isinstance(v, Stamp) else v) for k, v in r.items()} for r in rows]


def _normal(value: Any) -> Any:
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 9)
    return value


def canonical(columns: list[str], rows: list[tuple]) -> list[tuple]:
    """Rows in a stable order with numbers normalised (ints stay exact, floats to 9 decimals)."""
    normal = [tuple(_normal(v) for v in row) for row in rows]
    return sorted(normal, key=repr)


def oracle_rows(columns: list[str], rows: list[dict[str, Any]]) -> list[tuple]:
    return canonical(columns, [tuple(r[c] for c in columns) for r in rows])


def merge_worlds(worlds: list[tuple[list[dict], ...]], key_columns=("k1", "j1")) -> list[list[dict]]:
    """Several independent generated cases in one set of tables: world i's integer keys are shifted
    by 10 * i (NULL stays NULL), so no entity is shared and each world's result is its own."""
    merged: list[list[dict]] = [[] for _ in worlds[0]] if worlds else []
    for i, world in enumerate(worlds):
        for table, rows in zip(merged, world):
            for row in rows:
                table.append({c: (v + 10 * i if c in key_columns and v is not None else v) for c, v in row.items()})
    return merged


def check_against_oracle(macro: str, compiled: dict[str, str], tables: Tables, expected: list[dict[str, Any]],
                         cases: int = 1) -> None:
    """Run both implementations and assert each equals the oracle, row for row (and each other, exactly)."""
    outputs = {}
    for flavour, sql in compiled.items():
        columns, rows = tables.run(sql)
        outputs[flavour] = (columns, rows, tables.last_types)
        want_columns = list(expected[0]) if expected else columns
        assert columns == want_columns, f"{macro} ({flavour}): columns {columns} != oracle's {want_columns}"
        got, want = canonical(columns, rows), oracle_rows(columns, expected)
        assert got == want, _diff(macro, flavour, columns, got, want)
    duck, portable = outputs["duckdb"], outputs["portable"]
    assert duck[2] == portable[2], f"{macro}: column types differ: duckdb {duck[2]}, portable {portable[2]}"
    assert sorted(map(repr, duck[1])) == sorted(map(repr, portable[1])), f"{macro}: duckdb and portable outputs differ"
    CASES[macro] += cases


def _diff(macro: str, flavour: str, columns: list[str], got: list[tuple], want: list[tuple]) -> str:
    extra = [r for r in got if r not in want]
    missing = [r for r in want if r not in got]
    return (f"{macro} ({flavour}) differs from the oracle; columns {columns}\n"
            f"  only in SQL ({len(extra)}): {extra[:5]}\n  only in oracle ({len(missing)}): {missing[:5]}")
