"""Small helpers for walking one scope of a qualified SQLGlot tree (never into nested SELECTs,
which are scopes of their own)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp


def walk_scope(node: exp.Expr) -> Iterator[exp.Expr]:
    """``node`` and its descendants, stopping at subqueries and nested SELECTs."""
    yield from node.walk(prune=lambda n: isinstance(n, (exp.Subquery, exp.Select)) and n is not node)


def columns_in(node: exp.Expr) -> list[exp.Column]:
    """The columns ``node`` reads in its own scope."""
    return [n for n in walk_scope(node) if isinstance(n, exp.Column)]


def inside_window(node: exp.Expr) -> bool:
    """Whether an aggregate is a window function's (``sum(x) over (…)``) rather than a GROUP BY's."""
    parent = node.parent
    while parent is not None and not isinstance(parent, (exp.Select, exp.Subquery)):
        if isinstance(parent, exp.Window):
            return True
        parent = parent.parent
    return False
