"""No f-string SQL in src/ pastes a raw value: user-controlled values go through bind parameters or
``sqltrain.sqlquote`` (docs/reliability.md, "Hostile input and tampering").

The lint reads every f-string that is SQL (it starts like a statement or clause, or is passed to
``execute``/``sql``) and refuses two patterns:

* an interpolation inside a quoted region (``'{path}'``, ``"{column}"``): hand-made quoting;
* an interpolation whose name says it holds a user value (a path, model, column, schema, date…)
  that is not the result of a ``sqlquote`` function (``identifier``, ``qualified``,
  ``string_literal``, ``jinja_string``) or ``int()``.

``relation`` is the exception by name: it is dbt's ``relation_name``, which the adapter quotes. A
line marked ``# sql: trusted`` interpolates only sqltrain's own constants (demo and benchmark tables).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "sqltrain"

_STATEMENT = re.compile(
    r"^\s*\(?\s*(select|with|copy|attach|detach|create|insert|describe|pragma|drop|delete|update|"
    r"from|where|order by|union|case|cast|count|coalesce)\b", re.I)
_SQL_CALLS = {"execute", "executemany", "sql"}
_USER_VALUE = re.compile(
    r"(^|_)(path|paths|file|dir|directory|out|location|model|column|col|label|cutoff|entity|event_ts|known_at|"
    r"value|var|as_of|date|schema|table|identifier|key|name|text|target|warehouse|setting)$", re.I)
_SAFE_CALLS = {"identifier", "qualified", "string_literal", "spark_identifier", "jinja_string", "int", "len"}
TRUSTED = "# sql: trusted"
"""A line holding this comment interpolates only constants of sqltrain's own (demo and benchmark tables)."""


def _sql_fstrings(tree: ast.AST):
    """(f-string node) of every f-string that reads as SQL."""
    passed = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _SQL_CALLS:
            for arg in node.args[:1]:
                if isinstance(arg, ast.JoinedStr):
                    passed.add(id(arg))
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            head = node.values[0].value if node.values and isinstance(node.values[0], ast.Constant) else ""
            if id(node) in passed or _STATEMENT.search(head):
                yield node


def _name_of(expr: ast.expr) -> str | None:
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        return expr.attr
    if isinstance(expr, ast.Subscript) and isinstance(expr.slice, ast.Constant):
        return str(expr.slice.value)
    if isinstance(expr, ast.BinOp):  # location / "data.parquet"
        return _name_of(expr.left)
    return None


def _is_safe_call(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Call) and (
        (isinstance(expr.func, ast.Name) and expr.func.id in _SAFE_CALLS)
        or (isinstance(expr.func, ast.Attribute) and expr.func.attr in _SAFE_CALLS))


def _is_safe(expr: ast.expr, safe_names: set[str]) -> bool:
    """A call of a quoting function, ``int()``, a name assigned from one, or a join of such."""
    if isinstance(expr, ast.Name) and expr.id in safe_names:
        return True
    if _is_safe_call(expr):
        return True
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "join" and expr.args:
        arg = expr.args[0]
        if isinstance(arg, (ast.GeneratorExp, ast.ListComp)):
            return _is_safe(arg.elt, safe_names)
    return False


def _safe_names(tree: ast.AST) -> set[str]:
    """Names only ever assigned a quoted value (``key, pk = identifier(a), identifier(b)``)."""
    safe, unsafe = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            pairs = []
            for target in node.targets:
                if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                    pairs += zip(target.elts, node.value.elts)
                else:
                    pairs.append((target, node.value))
            for target, value in pairs:
                if isinstance(target, ast.Name):
                    (safe if _is_safe(value, set()) else unsafe).add(target.id)
    return safe - unsafe


def violations_in(source: str, filename: str = "<src>") -> list[str]:
    found = []
    tree = ast.parse(source)
    lines = source.splitlines()
    safe_names = _safe_names(tree)
    for node in _sql_fstrings(tree):
        if any(TRUSTED in line for line in lines[node.lineno - 1:node.end_lineno]):
            continue
        before = ""
        for part in node.values:
            if isinstance(part, ast.Constant):
                before += str(part.value)
                continue
            expr = part.value
            text = f"{filename}:{node.lineno}: {{{ast.unparse(expr)}}}"
            if _is_safe(expr, safe_names):
                before += "x"
                continue
            if before.count("'") % 2 or before.count('"') % 2:
                found.append(f"{text} pasted inside quotes: bind it as a parameter or use sqlquote")
            else:
                name = _name_of(expr)
                if name and name != "relation" and _USER_VALUE.search(name):
                    found.append(f"{text} pasted raw: use sqlquote.identifier/string_literal or a bind parameter")
            before += "x"
    return found


def test_no_raw_values_in_sql_fstrings():
    found = []
    for path in sorted(SRC.rglob("*.py")):
        found += violations_in(path.read_text(), str(path.relative_to(SRC.parent)))
    assert not found, "\n".join(found)


@pytest.mark.parametrize("bad", [
    "con.execute(f\"copy (select 1) to '{path}' (format parquet)\")",
    "con.execute(f'select {column} from t')",
    "sql = f'select \"{c}\" from t'",
    "con.execute(f\"SET {name} = '{value}'\")",
    "sql = f'select min({cutoff}) from {relation}'",
])
def test_the_lint_catches_pasted_values(bad):
    assert violations_in(bad)


@pytest.mark.parametrize("good", [
    "con.execute('copy (select 1) to ? (format parquet)', [str(path)])",
    "con.execute(f'select {identifier(column)} from {relation}')",
    "sql = f'select min({identifier(cutoff)}) from {relation} limit {int(n)}'",
    "message = f'model {model} has no column {column}'",
])
def test_the_lint_accepts_quoted_values(good):
    assert not violations_in(good)
