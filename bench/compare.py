"""Row-by-row comparison of two result tables keyed by the spine's ``row_id``.

A result must have exactly one row per spine row (docs/semantics.md §3). The diff counts rows of the
spine missing from a result (dropped), rows a result has beyond one per spine row (extra:
duplicates or unknown ids), and spine rows present in both whose values differ (mismatched;
NULL equals NULL, and pandas' NaN counts as NULL).

    >>> import duckdb
    >>> con = duckdb.connect()
    >>> _ = con.execute("create table a as select * from (values (0, 1.0), (1, null), (2, 3.0)) t(row_id, v)")
    >>> _ = con.execute("create table b as select * from (values (0, 1.0), (1, 'NaN'::double), (1, 2.0), (3, 9.0)) t(row_id, v)")
    >>> diff_results(con, "a", "b", ["v"])
    Diff(expected=3, rows=4, dropped=1, extra=2, mismatched=1, examples=[1, 2])
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Diff:
    expected: int          # rows of the reference (one per spine row)
    rows: int              # rows of the candidate
    dropped: int           # reference row_ids absent from the candidate
    extra: int             # candidate rows beyond one per reference row_id
    mismatched: int        # row_ids in both whose values differ
    examples: list[int] = field(default_factory=list)   # a few mismatched or dropped row_ids

    @property
    def identical(self) -> bool:
        return self.dropped == self.extra == self.mismatched == 0 and self.rows == self.expected


def _normalised(table: str, columns: list[str]) -> str:
    cols = ", ".join(f"case when isnan(cast({c} as double)) then null else cast({c} as double) end as {c}" for c in columns)
    return f"select row_id, {cols} from {table}"  # sql: trusted (the benchmark's result tables)


def diff_results(con, reference: str, candidate: str, columns: list[str], examples: int = 3) -> Diff:
    """Compare ``candidate`` with ``reference`` (both with ``row_id`` and ``columns``)."""
    differs = " or ".join(f"r.{c} is distinct from c.{c}" for c in columns)
    row = con.execute(f"""
        with r as ({_normalised(reference, columns)}),
             c as ({_normalised(candidate, columns)}),
             c_first as (select * from c qualify row_number() over (partition by row_id order by {", ".join(columns)}) = 1)
        select
            (select count(*) from r),
            (select count(*) from c),
            (select count(*) from r anti join c using (row_id)),
            (select count(*) from c) - (select count(*) from c semi join r using (row_id))
                + (select count(*) - count(distinct row_id) from c semi join r using (row_id)),
            (select count(*) from r join c_first as c using (row_id) where {differs})
    """).fetchone()
    bad = con.execute(f"""
        with r as ({_normalised(reference, columns)}),
             c as ({_normalised(candidate, columns)})
        select row_id from (
            select r.row_id from r left join c using (row_id)
            where c.row_id is null or {differs}
        ) order by row_id limit {int(examples)}
    """).fetchall()
    return Diff(*[int(v) for v in row], examples=[int(b[0]) for b in bad])
