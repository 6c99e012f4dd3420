"""Rich tables the commands print: results as people read them."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text


def snapshot_summary_table(result) -> Table:
    table = Table(title=f"{result.model} as of {result.as_of}", title_justify="left")
    for header in ("rows", "columns", "label rate", "gates", "time", "path"):
        table.add_column(header, justify="right" if header in ("rows", "columns", "label rate", "time") else "left")
    rate = "—" if result.label_rate is None else f"{result.label_rate:.2%}"
    gates = ", ".join(f"{g.name} {'ok' if g.passed else 'FAILED'}" for g in result.gates) or "none"
    table.add_row(f"{result.rows:,}", str(result.columns), rate, gates, f"{result.seconds:.1f} s", Text(str(result.path)))
    return table


def gate_failures_table(results) -> Table:
    table = Table(title="gate failures", title_justify="left")
    failures = [(r.name, f) for r in results for f in r.failures]
    show_where = any(f.where for _, f in failures)
    for header in ("gate", "check", "column", "expected", "observed", *(("where",) if show_where else ())):
        table.add_column(header, overflow="fold")
    for name, f in failures:
        cells = [name, f.check, f.column, f.expected, f.observed, *([f.where] if show_where else [])]
        table.add_row(*(_literal(cell) for cell in cells))
    return table


def _literal(value) -> Text:
    """A cell shown whole and as it is (no markup: an observed value may hold brackets)."""
    return Text("" if value is None else str(value))
