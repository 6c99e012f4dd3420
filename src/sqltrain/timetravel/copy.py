"""Write the relations of a copy plan into a fresh DuckDB file, truncated at D or whole.

Both databases ``verify`` builds on are written here, through one function, so that they differ
in nothing but the cut: the *full* copy keeps every row, the *truncated* copy keeps what was known
at D. Only the sources and snapshots the model reads are copied; a relation the model reads
without declaring it in dbt is missing on both copies and the build fails loudly rather than
reading untruncated data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from ..errors import UsageError
from . import plan as rules
from .plan import RelationCut

SOURCE = "__sqltrain_original"


@dataclass
class CopyStat:
    """What the cut did to one relation."""

    relation: str
    rule: str
    rows_original: int
    rows_kept: int
    note: str | None = None

    @property
    def rows_removed(self) -> int:
        return self.rows_original - self.rows_kept


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def timestamp_literal(moment: datetime) -> str:
    return f"TIMESTAMP '{moment:%Y-%m-%d %H:%M:%S.%f}'"


def write_copy(
    original: Path,
    destination: Path,
    cuts: Sequence[RelationCut],
    cut_at: datetime | None,
    sample: int | None = None,
    sample_entity: Sequence[str] = (),
) -> list[CopyStat]:
    """Create ``destination`` holding ``cuts``' relations read from ``original``.

    ``cut_at`` None copies whole; otherwise each relation is truncated by its rule. ``sample``
    keeps the same ``sample`` entities (by ``sample_entity`` columns) in every relation keyed by
    them, chosen by hash so both copies keep the same ones.
    """
    con = duckdb.connect(str(destination))
    try:
        con.execute("SET TimeZone = 'UTC'")
        try:
            con.execute(f"ATTACH {string_literal(str(original))} AS {SOURCE} (READ_ONLY)")
        except duckdb.Error as error:
            raise UsageError(
                f"warehouse {original}: cannot open it for reading ({' '.join(str(error).split())[:160]})",
                "wait until the process writing to it (dbt, another sqltrain) has finished",
            ) from None
        if sample is not None:
            _choose_sample(con, cuts, sample, list(sample_entity))
        by_id = {c.unique_id: c for c in cuts}
        stats = []
        for cut in cuts:
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {quote(cut.schema)}")
            _require_table(con, cut, original)
            select, rule, note = _select(con, cut, cut_at, by_id)
            sampled = _sample_filter(cut, list(sample_entity)) if sample is not None else None
            if sampled:
                select = f"select * from ({select}) where {sampled}"
            con.execute(f"CREATE TABLE {_dst(cut)} AS {select}")
            rows_original = con.execute(f"select count(*) from {_src(cut)}").fetchone()[0]
            rows_kept = con.execute(f"select count(*) from {_dst(cut)}").fetchone()[0]
            stats.append(CopyStat(cut.relation, rule, rows_original, rows_kept, note))
        con.execute(f"DETACH {SOURCE}")
        con.execute("CHECKPOINT")
        return stats
    finally:
        con.close()


def _require_table(con, cut: RelationCut, original: Path) -> None:
    found = con.execute(
        f"select count(*) from duckdb_tables() where database_name = '{SOURCE}' "
        f"and schema_name = {string_literal(cut.schema)} and table_name = {string_literal(cut.identifier)}"
    ).fetchone()[0]
    if not found:
        raise UsageError(
            f"{cut.relation}: the model reads it, but warehouse {original} has no such table",
            "load it, or point SQLTRAIN_WAREHOUSE at the warehouse that has it",
        )


def _select(con, cut: RelationCut, at: datetime | None, by_id: dict[str, RelationCut]) -> tuple[str, str, str | None]:
    """(SELECT producing the relation's rows at ``at``, rule applied, note for the report)."""
    src = _src(cut)
    if cut.rule == rules.BELONGS_TO:  # also on the full copy: a sampled-out parent takes its rows along
        parent = _dst(by_id[cut.parent])
        key, pk = quote(cut.key), quote(cut.parent_key)
        return (f"select * from {src} as t where not exists (select 1 from {_src(by_id[cut.parent])} as p where p.{pk} = t.{key}) "
                f"or exists (select 1 from {parent} as p where p.{pk} = t.{key})"), cut.rule, None
    if at is None:
        return f"select * from {src}", cut.rule, None
    d = timestamp_literal(at)
    if cut.rule == rules.TIMED:
        where = known_by([cut.event_ts, cut.known_at], d)
        return f"select {blank_later_columns(cut.column_known_at, d)} from {src} where {where}", cut.rule, None
    if cut.rule == rules.SCD2:
        return scd2_as_of(cut, src, d), cut.rule, None
    if cut.rule == rules.FROM_SNAPSHOT:
        snapshot = _dst(by_id[cut.snapshot])
        columns = [r[0] for r in con.execute(f"select * from {src} limit 0").description]
        history = {r[0] for r in con.execute(f"select * from {snapshot} limit 0").description}
        missing = [c for c in columns if c not in history]
        if missing:
            note = f"its snapshot lacks column(s) {', '.join(missing)}: copied as it is now"
            return f"select * from {src}", rules.UNVERIFIABLE, note
        listed = ", ".join(quote(c) for c in columns)
        # the snapshot is already cut at D: its open versions are the rows as they stood at D
        return f"select {listed} from {snapshot} where {quote(cut.valid_to)} is not distinct from {_open_end(cut)}", cut.rule, None
    if cut.rule == rules.UNVERIFIABLE:
        return f"select * from {src}", cut.rule, "mutable (meta.sqltrain.mutable) and no dbt snapshot records its history"
    return f"select * from {src}", cut.rule, None


def known_by(times: Sequence[str | None], d: str) -> str:
    """Rows none of whose ``times`` is after D (a NULL time is not after anything)."""
    return " and ".join(f"not coalesce({quote(c)} > {d}, false)" for c in times if c) or "true"


def scd2_as_of(cut: RelationCut, relation: str, d: str) -> str:
    """The snapshot as it stood at D: versions started after D dropped, ends after D reopened."""
    vf, vt = quote(cut.valid_from), quote(cut.valid_to)
    return (f"select * replace (case when {vt} > {d} then {_open_end(cut)} else {vt} end as {vt}) "
            f"from {relation} where not coalesce({vf} > {d}, false)")


def _open_end(cut: RelationCut) -> str:
    """How the snapshot marks a version still valid: NULL, or dbt's ``dbt_valid_to_current`` expression."""
    return f"cast({cut.valid_to_current} as timestamp)" if cut.valid_to_current else "null"


def blank_later_columns(later: dict[str, str], d: str) -> str:
    """A select list where each column of ``later`` (column → its time) is NULL while its time is after D."""
    if not later:
        return "*"
    blanks = ", ".join(
        f"case when coalesce({quote(known)} > {d}, false) then null else {quote(column)} end as {quote(column)}"
        for column, known in later.items()
    )
    return f"* replace ({blanks})"


def _choose_sample(con, cuts: Sequence[RelationCut], n: int, entity: list[str]) -> None:
    """The ``n`` entities with the smallest hash among all relations keyed by ``entity``."""
    keyed = [c for c in cuts if c.entity == entity and c.rule in (rules.TIMED, rules.SCD2)]
    cols = ", ".join(quote(c) for c in entity)
    union = " union ".join(f"select distinct {cols} from {_src(c)}" for c in keyed) or f"select null as {quote(entity[0])} limit 0"
    con.execute(
        f"create temp table __sqltrain_sample as select {cols} from ({union}) "
        f"where {' and '.join(f'{quote(c)} is not null' for c in entity)} "
        f"order by hash({cols}), {cols} limit {int(n)}"
    )


def _sample_filter(cut: RelationCut, entity: list[str]) -> str | None:
    if not entity or cut.entity != entity:
        return None
    cols = ", ".join(quote(c) for c in entity)
    nulls = " or ".join(f"{quote(c)} is null" for c in entity)
    return f"({nulls} or ({cols}) in (select ({cols}) from __sqltrain_sample))" if len(entity) > 1 else \
        f"({nulls} or {cols} in (select {cols} from __sqltrain_sample))"


def _src(cut: RelationCut) -> str:
    return f"{SOURCE}.{quote(cut.schema)}.{quote(cut.identifier)}"


def _dst(cut: RelationCut) -> str:
    return f"{quote(cut.schema)}.{quote(cut.identifier)}"


def string_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
