"""Quoting for the SQL (and Jinja) sqltrain writes itself.

A value a user controls — a path, a model, column or schema name, a profile setting, a date —
reaches SQL only as a bind parameter (``con.execute(sql, [value])``; DuckDB binds them in
``COPY … TO ?``, ``ATTACH ?`` and ``SET x = ?`` too) or through one of these functions. Where
neither binding nor quoting applies, the value is validated first (dates, periods).
``tests/test_sql_quoting.py`` lints ``src/`` so that no f-string SQL pastes a raw value.

>>> identifier('a"b')
'"a""b"'
>>> string_literal("it's")
"'it''s'"
>>> qualified("main", "churn_training")
'"main"."churn_training"'
"""

from __future__ import annotations

from pathlib import PurePath


def identifier(name: str) -> str:
    """``name`` as a double-quoted SQL identifier (DuckDB, Postgres, ANSI; SQLGlot transpiles it to
    Spark's backticks)."""
    return '"' + str(name).replace('"', '""') + '"'


def qualified(*parts: str) -> str:
    """A dotted name of quoted parts: ``"schema"."table"``."""
    return ".".join(identifier(p) for p in parts)


def string_literal(text: str | PurePath) -> str:
    """``text`` as a single-quoted SQL string literal, quotes doubled — for SQL that is not run
    with parameters (SQL transpiled for Spark, SQL fragments composed into a larger query)."""
    return "'" + str(text).replace("'", "''") + "'"


def spark_identifier(name: str) -> str:
    """``name`` as a Spark SQL identifier (``F.col`` takes it too): backticks, inner ones doubled.

    >>> spark_identifier("a`b.c")
    '`a``b.c`'
    """
    return "`" + str(name).replace("`", "``") + "`"


def jinja_string(text: str) -> str:
    """``text`` as a Jinja string literal (for the inline Jinja sqltrain hands to ``dbt compile``)."""
    escaped = str(text).replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\r", "\\r")
    return "'" + escaped + "'"


__all__ = ["identifier", "jinja_string", "qualified", "spark_identifier", "string_literal"]
