"""Row-by-row comparison of one relation as built on two databases.

Equality is exact by default: NULL equals NULL, floats are compared bit for bit (both sides ran
the same SQL on the same rows, so any difference is a difference in input). ``tolerance`` lets
floating-point columns differ by at most that much, relative to their size (absolute below 1),
for two snapshots built by different engines or versions. Rows are matched on their key
(entity + cutoff for a training set) when it is unique on both sides; otherwise the two sides are
compared as multisets of whole rows.

    >>> diff = keyed_diff(con, "full_db.main.t", "cut_db.main.t", ["customer_id", "as_of_ts"])  # doctest: +SKIP
    >>> diff.identical, [(c.name, c.rows) for c in diff.columns]                                    # doctest: +SKIP
    (False, [('orders_count_30d', 12)])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb

from ..sqlquote import identifier

EXAMPLES = 5


@dataclass
class ColumnDiff:
    """A column and the number of matched rows whose value differs between the two builds."""

    name: str
    rows: int


@dataclass
class RowExample:
    """One differing row side by side: its key and, per differing column, (full, truncated)."""

    key: dict[str, Any]
    values: dict[str, tuple[Any, Any]]
    side: str = "both"  # "both", or "full"/"truncated" when the row exists on that side only


@dataclass
class TableDiff:
    relation: str
    keys: list[str]
    rows_full: int
    rows_truncated: int
    only_full: int = 0
    only_truncated: int = 0
    changed_rows: int = 0
    columns: list[ColumnDiff] = field(default_factory=list)
    examples: list[RowExample] = field(default_factory=list)
    columns_only_full: list[str] = field(default_factory=list)
    columns_only_truncated: list[str] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return not (self.only_full or self.only_truncated or self.changed_rows
                    or self.columns_only_full or self.columns_only_truncated)

    @property
    def differing_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.rows]


def columns_of(con: duckdb.DuckDBPyConnection, relation: str) -> list[str]:
    return [d[0] for d in con.execute(f"select * from {relation} limit 0").description]


def compare(con: duckdb.DuckDBPyConnection, full: str, truncated: str, keys: Sequence[str] = (), label: str = "",
            spread: Sequence[str] = (), tolerance: float = 0.0) -> TableDiff:
    """Keyed diff when ``keys`` is unique on both sides, whole-row multiset diff otherwise.

    Examples are the first differing rows in key order, one per distinct value of ``spread``
    (the entity) before any second row of the same entity.
    """
    keys = list(keys)
    if keys and _unique(con, full, keys) and _unique(con, truncated, keys):
        return keyed_diff(con, full, truncated, keys, label, list(spread), tolerance)
    return multiset_diff(con, full, truncated, label)


def keyed_diff(con, full: str, truncated: str, keys: list[str], label: str = "", spread: list[str] | None = None,
               tolerance: float = 0.0) -> TableDiff:
    f_cols, t_cols = columns_of(con, full), columns_of(con, truncated)
    floats = _float_columns(con, full) & _float_columns(con, truncated) if tolerance else set()
    shared = [c for c in f_cols if c in t_cols and c not in keys]
    diff = TableDiff(label or full, keys, _count(con, full), _count(con, truncated),
                     columns_only_full=[c for c in f_cols if c not in t_cols],
                     columns_only_truncated=[c for c in t_cols if c not in f_cols])
    on = " and ".join(f"f.{identifier(k)} is not distinct from t.{identifier(k)}" for k in keys)
    flags = [_differs(f"f.{identifier(c)}", f"t.{identifier(c)}", tolerance if c in floats else 0.0) for c in shared]
    key_select = ", ".join(f"coalesce(f.{identifier(k)}, t.{identifier(k)}) as {identifier(k)}" for k in keys)
    flag_select = "".join(f", ({flag}) as __d{i}" for i, flag in enumerate(flags))
    joined = (f"select {key_select}, f.__in as __in_full, t.__in as __in_cut{flag_select} "
              f"from (select *, true as __in from {full}) as f "
              f"full outer join (select *, true as __in from {truncated}) as t on {on}")
    con.execute(f"create or replace temp table __sqltrain_diff as {joined}")
    both = "__in_full and __in_cut"
    any_flag = " or ".join(f"__d{i}" for i in range(len(shared))) or "false"
    sums = "".join(f", count(*) filter (where {both} and __d{i})" for i in range(len(shared)))
    row = con.execute(
        f"select count(*) filter (where __in_cut is null), count(*) filter (where __in_full is null), "
        f"count(*) filter (where {both} and ({any_flag})){sums} from __sqltrain_diff"
    ).fetchone()
    diff.only_full, diff.only_truncated, diff.changed_rows = row[0], row[1], row[2]
    diff.columns = [ColumnDiff(c, n) for c, n in zip(shared, row[3:]) if n]
    if not diff.identical:
        diff.examples = _keyed_examples(con, full, truncated, keys, shared, any_flag, spread or [])
    con.execute("drop table __sqltrain_diff")
    return diff


def _keyed_examples(con, full, truncated, keys, shared, any_flag, spread) -> list[RowExample]:
    order = ", ".join(identifier(k) for k in keys)
    rank = (f"row_number() over (partition by {', '.join(identifier(c) for c in spread)} order by {order})"
            if spread else "1")
    picked = (f"(select {order}, __in_full, __in_cut from __sqltrain_diff "
              f"where __in_full is null or __in_cut is null or ({any_flag}) order by {rank}, {order} limit {EXAMPLES})")
    f_sel = ", ".join(f"f.{identifier(c)}" for c in shared) or "null"
    t_sel = ", ".join(f"t.{identifier(c)}" for c in shared) or "null"
    key_sel = ", ".join(f"p.{identifier(k)}" for k in keys)
    match_f = " and ".join(f"f.{identifier(k)} is not distinct from p.{identifier(k)}" for k in keys)
    match_t = " and ".join(f"t.{identifier(k)} is not distinct from p.{identifier(k)}" for k in keys)
    rows = con.execute(
        f"select {key_sel}, p.__in_full, p.__in_cut, {f_sel}, {t_sel} from {picked} as p "
        f"left join {full} as f on {match_f} left join {truncated} as t on {match_t} order by {key_sel}"
    ).fetchall()
    examples = []
    n, m = len(keys), len(shared)
    for row in rows:
        key = dict(zip(keys, row[:n]))
        in_full, in_cut = row[n], row[n + 1]
        f_vals, t_vals = row[n + 2:n + 2 + m], row[n + 2 + m:]
        if in_full and in_cut:
            values = {c: (a, b) for c, a, b in zip(shared, f_vals, t_vals) if not _same(a, b)}
            examples.append(RowExample(key, values))
        else:
            side = "full" if in_full else "truncated"
            vals = f_vals if in_full else t_vals
            examples.append(RowExample(key, {c: (v, None) if in_full else (None, v) for c, v in zip(shared, vals)}, side))
    return examples


def multiset_diff(con, full: str, truncated: str, label: str = "") -> TableDiff:
    """Rows (whole, with multiplicity) found on one side and not the other."""
    f_cols, t_cols = columns_of(con, full), columns_of(con, truncated)
    diff = TableDiff(label or full, [], _count(con, full), _count(con, truncated),
                     columns_only_full=[c for c in f_cols if c not in t_cols],
                     columns_only_truncated=[c for c in t_cols if c not in f_cols])
    if diff.columns_only_full or diff.columns_only_truncated:
        return diff
    cols = ", ".join(identifier(c) for c in f_cols)
    only_f = f"select {cols} from {full} except all select {cols} from {truncated}"
    only_t = f"select {cols} from {truncated} except all select {cols} from {full}"
    diff.only_full = _count(con, f"({only_f})")
    diff.only_truncated = _count(con, f"({only_t})")
    for side, sql in (("full", only_f), ("truncated", only_t)):
        for row in con.execute(f"select * from ({sql}) order by all limit {EXAMPLES}").fetchall():
            pairs = {c: (v, None) if side == "full" else (None, v) for c, v in zip(f_cols, row)}
            diff.examples.append(RowExample({}, pairs, side))
    return diff


def _differs(a: str, b: str, tolerance: float) -> str:
    """SQL: ``a`` and ``b`` differ (NULL equals NULL); floats by more than ``tolerance`` × max(1, |a|, |b|)."""
    if not tolerance:
        return f"{a} is distinct from {b}"
    return (f"({a} is distinct from {b} and not coalesce(abs({a} - {b}) <= "
            f"{float(tolerance)!r} * greatest(1.0, abs({a}), abs({b})), false))")


def _float_columns(con, relation: str) -> set[str]:
    return {name for name, type_, *_ in con.execute(f"describe select * from {relation}").fetchall()
            if type_ in ("FLOAT", "DOUBLE", "REAL")}


def _same(a: Any, b: Any) -> bool:
    return a == b or (a is None and b is None) or (a != a and b != b)  # NaN == NaN, as DuckDB orders it


def _unique(con, relation: str, keys: list[str]) -> bool:
    cols = ", ".join(identifier(k) for k in keys)
    return con.execute(f"select count(*) = count(distinct ({cols})) from {relation}").fetchone()[0]


def _count(con, relation: str) -> int:
    return con.execute(f"select count(*) from {relation}").fetchone()[0]
