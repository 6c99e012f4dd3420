"""Terminal output shared by the commands: rich on a terminal, whole plain lines elsewhere.

Standard output is usually not a terminal in CI: there a table cut at 80 columns hides the one
message that matters. So when it is not a terminal nothing is wrapped, cut or coloured: tables
are printed as aligned plain columns as wide as their longest cell, and messages and paths whole.
``NO_COLOR`` (read by rich) and ``sqltrain --no-color`` turn colour off on a terminal too.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

PLAIN_WIDTH = 1_000_000  # "no width limit" for rich's own layout when writing to a file or pipe


def _console(stderr: bool = False) -> Console:
    probe = Console(stderr=stderr)
    if probe.is_terminal:
        return Console(stderr=stderr, highlight=False)
    return Console(stderr=stderr, highlight=False, soft_wrap=True, width=PLAIN_WIDTH)


console = _console()
err_console = _console(stderr=True)


def no_color() -> None:
    """``--no-color``: plain text on a terminal as well."""
    for target in (console, err_console):
        target.no_color = True


def show(*items: Any, stderr: bool = False) -> None:
    """Print strings (rich markup), ``Text``, tables and groups: rich on a terminal, plain lines elsewhere."""
    target = err_console if stderr else console
    for item in items:
        if target.is_terminal:  # messages and paths are not wrapped on a terminal either: they stay copyable
            target.print(item, soft_wrap=not isinstance(item, (Table, Group)))
            continue
        for line in plain_lines(item):
            target.out(line, highlight=False)


def say(message: str, *, warning: bool = False, stderr: bool = False) -> None:
    """One message, taken literally (no markup: paths and names may hold brackets)."""
    text = Text()
    if warning:
        text.append("warning:", style="yellow")
        text.append(" ")
    text.append(message)
    show(text, stderr=stderr)


def plain_lines(item: Any) -> list[str]:
    """``item`` as whole lines of plain text: a table as aligned columns, never cut or wrapped.

    >>> table = Table(title="gate failures")
    >>> table.add_column("column"); table.add_column("observed")
    >>> table.add_row("churned_30d", "12773 rows where churned_30d is null")
    >>> print("\\n".join(plain_lines(table)))
    gate failures
    column       observed
    churned_30d  12773 rows where churned_30d is null
    <BLANKLINE>
    """
    if isinstance(item, Group):
        return [line for part in item.renderables for line in plain_lines(part)]
    if isinstance(item, Table):
        return _table_lines(item)
    return _plain(item).splitlines() or [""]


def _table_lines(table: Table) -> list[str]:
    headers = [_plain(column.header) for column in table.columns]
    columns = [[_plain(cell) for cell in column._cells] for column in table.columns]
    rows = [list(row) for row in zip(*columns)]
    widths = [max(len(text) for text in [header, *column]) for header, column in zip(headers, columns)]
    lines = [_plain(table.title)] if table.title else []
    right = [column.justify == "right" for column in table.columns]
    for cells in [headers, *rows]:
        padded = [text.rjust(width) if flush_right else text.ljust(width)
                  for text, width, flush_right in zip(cells, widths, right)]
        lines.append("  ".join(padded).rstrip())
    return [*lines, ""]


def _plain(value: Any) -> str:
    if isinstance(value, Text):
        return value.plain
    return Text.from_markup(value).plain if isinstance(value, str) else str(value)


@contextmanager
def progress_display(title: str) -> Iterator[tuple]:
    """Yield ``(step, on_node)`` callbacks: a live spinner on a terminal, one line per step elsewhere."""
    if console.is_terminal:
        from rich.status import Status

        with Status(title, console=console) as status:
            yield (lambda msg: status.update(f"{title}: {msg}…"),
                   lambda node, state: status.update(f"{title}: dbt {node} {state}"))
    else:
        yield (lambda msg: console.out(f"{title}: {msg}", highlight=False), lambda node, state: None)
