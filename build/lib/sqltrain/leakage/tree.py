"""Walking one scope of a qualified SQLGlot tree: sqlglot's ``walk_in_scope``, which never enters
the nested SELECTs, CTEs and derived tables that are scopes of their own.

>>> import sqlglot
>>> select = sqlglot.parse_one("select a.x, (select max(y) from b) as m from a where a.z > 1")
>>> sorted(c.sql() for c in columns_in(select))
['a.x', 'a.z']
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp
from sqlglot.optimizer.scope import walk_in_scope


def walk_scope(node: exp.Expr) -> Iterator[exp.Expr]:
    """``node`` and its descendants in the same scope."""
    yield from walk_in_scope(node)


def columns_in(node: exp.Expr) -> list[exp.Column]:
    """The columns ``node`` reads in its own scope, in the order they are written."""
    return [n for n in walk_scope(node) if isinstance(n, exp.Column)]


def inside_window(node: exp.Expr) -> bool:
    """Whether an aggregate is a window function's (``sum(x) over (…)``) rather than a GROUP BY's."""
    parent = node.parent
    while parent is not None and not isinstance(parent, (exp.Select, exp.Subquery)):
        if isinstance(parent, exp.Window):
            return True
        parent = parent.parent
    return False

