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


def snapshot_diff_renderables(result) -> list:
    """``sqltrain diff``: what changed per column, example rows side by side, and the verdict line."""
    d = result.diff
    items: list = [t for t in (_diff_columns_table(result), _diff_examples_table(d)) if t is not None]
    items += [Text(f"column {name} only in A") for name in d.columns_only_full]
    items += [Text(f"column {name} only in B") for name in d.columns_only_truncated]
    items.append(Text(_diff_verdict(result)))
    return items


def _diff_columns_table(result) -> Table | None:
    d = result.diff
    if not (d.columns or d.only_full or d.only_truncated):
        return None
    table = Table(title=f"columns that differ (A = {result.a.path}, B = {result.b.path})", title_justify="left")
    table.add_column("column")
    table.add_column("rows differing", justify="right")
    for c in sorted(d.columns, key=lambda c: (-c.rows, c.name)):
        table.add_row(Text(c.name), f"{c.rows:,}")
    for count, what in ((d.only_full, "(rows only in A)"), (d.only_truncated, "(rows only in B)")):
        if count:
            table.add_row(what, f"{count:,}")
    return table


def _diff_examples_table(d) -> Table | None:
    if not d.examples:
        return None
    table = Table(title="examples", title_justify="left")
    for header in (*d.keys, "column", "A", "B"):
        table.add_column(header)
    for example in d.examples:
        key = [_literal(example.key.get(k)) for k in d.keys]
        if example.side != "both":
            table.add_row(*key, f"(row only in {'A' if example.side == 'full' else 'B'})", "", "")
            continue
        for column, (x, y) in example.values.items():
            table.add_row(*key, Text(column), _literal(x), _literal(y))
            key = [Text("")] * len(d.keys)
    return table


def _diff_verdict(result) -> str:
    d = result.diff
    on = ", ".join(result.keys) or "whole rows"
    if result.identical:
        return f"SAME: {d.rows_full:,} rows, compared on ({on})"
    return (f"DIFFERENT: {d.only_full:,} rows only in A, {d.only_truncated:,} only in B, "
            f"{d.changed_rows:,} changed in {len(result.changed_columns)} column(s) "
            f"(A {d.rows_full:,} rows, B {d.rows_truncated:,}), compared on ({on})")


def snapshot_diff_json(result) -> dict:
    d = result.diff

    def value(v):
        return v if v is None or isinstance(v, (bool, int, float, str)) else str(v)

    return {
        "a": str(result.a.path), "b": str(result.b.path), "keys": result.keys, "identical": result.identical,
        "tolerance": result.tolerance,
        "rows": {"a": d.rows_full, "b": d.rows_truncated, "only_a": d.only_full, "only_b": d.only_truncated,
                 "changed": d.changed_rows},
        "columns": result.changed_columns,
        "columns_only_a": d.columns_only_full, "columns_only_b": d.columns_only_truncated,
        "examples": [{"key": {k: value(v) for k, v in e.key.items()},
                      "side": {"full": "a", "truncated": "b"}.get(e.side, e.side),
                      "values": {c: {"a": value(x), "b": value(y)} for c, (x, y) in e.values.items()}}
                     for e in d.examples],
    }
