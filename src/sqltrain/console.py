"""Terminal output shared by the commands: progress on a terminal, plain lines otherwise."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


@contextmanager
def progress_display(title: str) -> Iterator[tuple]:
    """Yield ``(step, on_node)`` callbacks: a live spinner on a terminal, one line per step elsewhere."""
    if console.is_terminal:
        from rich.status import Status

        with Status(title, console=console) as status:
            yield (lambda msg: status.update(f"{title}: {msg}…"),
                   lambda node, state: status.update(f"{title}: dbt {node} {state}"))
    else:
        yield (lambda msg: console.print(f"{title}: {msg}"), lambda node, state: None)
