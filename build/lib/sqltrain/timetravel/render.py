"""The verify report as people read it (rich) and as machines read it (JSON)."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from . import plan as rules
from .copy import CopyStat
from .verify import VerifyReport

RULE_TEXT = {
    rules.TIMED: "rows with event_ts or known_at after D removed",
    rules.BELONGS_TO: "rows of removed parents removed",
    rules.FROM_SNAPSHOT: "rebuilt from its snapshot as of D",
    rules.SCD2: "versions after D dropped, later ends reopened",
    rules.UNTIMED: "no time declared: not cut at D",
    rules.UNVERIFIABLE: "mutable, no history: kept as it is now (unverifiable)",
}


def headline(report: VerifyReport) -> str:
    d = report.diff
    sample = f" (sample of {report.sample} entities)" if report.sample else ""
    if report.identical:
        return (f"{report.model} as of {report.as_of}: IDENTICAL on the truncated copy{sample} — "
                f"{d.rows_full:,} rows, {report.timings_s.get('total', 0):.1f} s")
    parts = []
    if d.changed_rows:
        parts.append(f"{d.changed_rows:,} rows changed in {len(d.differing_columns)} column(s)")
    if d.only_full:
        parts.append(f"{d.only_full:,} rows only on the full warehouse")
    if d.only_truncated:
        parts.append(f"{d.only_truncated:,} rows only on the truncated copy")
    if d.columns_only_full or d.columns_only_truncated:
        parts.append("column sets differ")
    where = f"; starts in {', '.join(report.culprits)}" if report.culprits else ""
    return (f"{report.model} as of {report.as_of}: DIFFERS{sample} — {'; '.join(parts)} "
            f"(of {d.rows_full:,} rows){where}")


def report_renderable(report: VerifyReport) -> Group:
    items: list[Any] = [copies_table(report)]
    if not report.identical:
        items += [columns_table(report), examples_table(report)]
        if report.upstream:
            items.append(upstream_table(report))
    for relation in report.unverifiable:
        items.append(Text(f"warning: {relation} is mutable and has no dbt snapshot: it was kept as it is now, "
                          "so what the model reads from it is not verified — snapshot it with dbt", style="yellow"))
    for relation in report.untimed:
        items.append(Text(f"note: {relation} declares no event_ts/known_at/belongs_to: not cut at D on the copy",
                          style="dim"))
    items.append(Text(headline(report), style="bold green" if report.identical else "bold red"))
    return Group(*items)


def copies_table(report: VerifyReport) -> Table:
    table = Table(title=f"truncated copy at {report.as_of}", title_justify="left")
    for header, justify in (("relation", "left"), ("rows", "right"), ("kept", "right"), ("rule", "left")):
        table.add_column(header, justify=justify)
    for c in report.copies:
        table.add_row(Text(c.relation), f"{c.rows_original:,}", f"{c.rows_kept:,}", Text(what_was_done(c)))
    return table


def what_was_done(copy: CopyStat) -> str:
    """The cut's rule (or its note) and, with ``--sample``, what the sample did to the relation."""
    done = copy.note or RULE_TEXT.get(copy.rule, copy.rule)
    return f"{done}; {copy.sampled}" if copy.sampled else done


def columns_table(report: VerifyReport) -> Table:
    d = report.diff
    table = Table(title=f"columns of {report.model} that differ", title_justify="left")
    table.add_column("column")
    table.add_column("rows differing", justify="right")
    for c in sorted(d.columns, key=lambda c: (-c.rows, c.name)):
        table.add_row(c.name, f"{c.rows:,}")
    if d.only_full:
        table.add_row("(row missing on truncated copy)", f"{d.only_full:,}")
    if d.only_truncated:
        table.add_row("(row missing on full warehouse)", f"{d.only_truncated:,}")
    for c in d.columns_only_full:
        table.add_row(f"{c} (only on full)", "—")
    for c in d.columns_only_truncated:
        table.add_row(f"{c} (only on truncated)", "—")
    return table


def examples_table(report: VerifyReport) -> Table:
    table = Table(title="examples (full warehouse | truncated copy)", title_justify="left")
    keys = report.diff.keys
    for k in keys:
        table.add_column(k)
    for header in ("column", "full", "truncated"):
        table.add_column(header)
    for example in report.diff.examples:
        key = [_show(example.key.get(k)) for k in keys]
        if example.side != "both":
            table.add_row(*key, f"(row only on {example.side})", "", "")
            continue
        for column, (a, b) in example.values.items():
            table.add_row(*key, column, _show(a), _show(b))
            key = [""] * len(keys)
    return table


def upstream_table(report: VerifyReport) -> Table:
    table = Table(title="upstream models (parents first)", title_justify="left")
    for header in ("model", "compared on", "result"):
        table.add_column(header)
    for check in report.upstream:
        if check.differs is None:
            result = "—"
        elif not check.differs:
            result = "agrees"
        elif check.name == report.model:
            result = "differs: see the columns above"
        else:
            d = check.diff
            result = f"differs ({d.only_full:,} rows only on full, {d.only_truncated:,} only on truncated)"
            if check.culprit:
                result = "FIRST DIFFERENCE: " + result
        table.add_row(check.name, check.how, result, style="bold red" if check.culprit else None)
    return table


def to_json(report: VerifyReport) -> dict[str, Any]:
    d = report.diff
    return {
        "model": report.model,
        "as_of": report.as_of.label,
        "identical": report.identical,
        "keys": report.keys,
        "sample": report.sample,
        "rows": {"full": d.rows_full, "truncated": d.rows_truncated, "only_full": d.only_full,
                 "only_truncated": d.only_truncated, "changed": d.changed_rows},
        "columns": {c.name: c.rows for c in d.columns},
        "examples": [
            {"key": {k: _json_value(v) for k, v in e.key.items()}, "side": e.side,
             "values": {c: {"full": _json_value(a), "truncated": _json_value(b)} for c, (a, b) in e.values.items()}}
            for e in d.examples
        ],
        "culprits": report.culprits,
        "upstream": [{"model": c.name, "compared_on": c.how, "differs": c.differs, "culprit": c.culprit}
                     for c in report.upstream],
        "copy": [{"relation": c.relation, "rule": c.rule, "rows": c.rows_original, "kept": c.rows_kept, "note": c.note,
                  "sample": c.sampled} for c in report.copies],
        "unverifiable": report.unverifiable,
        "timings_s": report.timings_s,
    }


def _show(value: Any) -> str:
    return "NULL" if value is None else str(value)


def _json_value(value: Any) -> Any:
    """JSON's own types as they are (NULL stays null); dates, decimals and the rest as text."""
    return value if value is None or isinstance(value, (bool, int, float, str)) else str(value)
