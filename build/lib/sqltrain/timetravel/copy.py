"""Write the relations of a copy plan into a fresh DuckDB file, truncated at D or whole.

Both databases ``verify`` builds on are written here, through one function, so that they differ
in nothing but the cut: the *full* copy keeps every row, the *truncated* copy keeps what was known
at D. Only the sources and snapshots the model reads are copied; a relation the model reads
without declaring it in dbt is missing on both copies and the build fails loudly rather than
reading untruncated data.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from ..errors import UsageError
from ..sqlquote import identifier
from ..lock import locked
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
    sampled: str | None = None  # with --sample: how the entity sample applied to this relation

    @property
    def rows_removed(self) -> int:
        return self.rows_original - self.rows_kept


def timestamp_literal(moment: datetime) -> str:
    return f"TIMESTAMP '{moment:%Y-%m-%d %H:%M:%S.%f}'"


def write_copy(
    original: Path,
    destination: Path,
    cuts: Sequence[RelationCut],
    cut_at: datetime | None,
    sample: int | None = None,
    sample_entity: Sequence[str] = (),
    sample_from: Collection[str] = (),
) -> list[CopyStat]:
    """Create ``destination`` holding ``cuts``' relations read from ``original``.

    ``cut_at`` None copies whole; otherwise each relation is truncated by its rule. ``sample``
    keeps the same ``sample`` entities in every relation that declares entity keys: the training
    set's keys ``sample_entity`` matched to each relation's ``meta.sqltrain.entity`` by position,
    whatever the relation calls them. The entities are drawn by hash (so both copies keep the
    same ones) from the relations named in ``sample_from`` (the spine's sources), or from every
    keyed relation when none of those declares keys.
    """
    con = duckdb.connect(str(destination))
    try:
        con.execute("SET TimeZone = 'UTC'")
        try:
            con.execute(f"ATTACH ? AS {SOURCE} (READ_ONLY)", [str(original)])
        except duckdb.Error as error:
            conflict = locked(str(error))   # another process writes it: say so, the caller may wait
            if conflict is not None:
                raise conflict from None
            raise UsageError(
                f"warehouse {original}: cannot open it for reading ({' '.join(str(error).split())[:160]})",
                "wait until the process writing to it (dbt, another sqltrain) has finished",
            ) from None
        entity = list(sample_entity)
        if sample is not None:
            _choose_sample(con, cuts, sample, entity, set(sample_from))
        by_id = {c.unique_id: c for c in cuts}
        stats = []
        for cut in cuts:
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {identifier(cut.schema)}")
            _require_table(con, cut, original)
            select, rule, note = _select(con, cut, cut_at, by_id)
            keys = sample_keys(cut, entity) if sample is not None else None
            if keys:
                select = f"select * from ({select}) where {_sample_filter(keys, entity)}"
            con.execute(f"CREATE TABLE {_dst(cut)} AS {select}")
            rows_original = con.execute(f"select count(*) from {_src(cut)}").fetchone()[0]
            rows_kept = con.execute(f"select count(*) from {_dst(cut)}").fetchone()[0]
            sampled = sample_note(cut, entity) if sample is not None else None
            stats.append(CopyStat(cut.relation, rule, rows_original, rows_kept, note, sampled))
        con.execute(f"DETACH {SOURCE}")
        con.execute("CHECKPOINT")
        return stats
    finally:
        con.close()


def _require_table(con, cut: RelationCut, original: Path) -> None:
    found = con.execute(
        "select count(*) from duckdb_tables() where database_name = ? and schema_name = ? and table_name = ?",
        [SOURCE, cut.schema, cut.identifier],
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
        key, pk = identifier(cut.key), identifier(cut.parent_key)
        return (f"select * from {src} as t "
                f"where not exists (select 1 from {_src(by_id[cut.parent])} as p where p.{pk} = t.{key}) "
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
        listed = ", ".join(identifier(c) for c in columns)
        # the snapshot is already cut at D: its open versions are the rows as they stood at D
        open_versions = f"select {listed} from {snapshot} where {identifier(cut.valid_to)} is not distinct from {_open_end(cut)}"
        return open_versions, cut.rule, None
    if cut.rule == rules.UNVERIFIABLE:
        return f"select * from {src}", cut.rule, "mutable (meta.sqltrain.mutable) and no dbt snapshot records its history"
    return f"select * from {src}", cut.rule, None


def known_by(times: Sequence[str | None], d: str) -> str:
    """Rows none of whose ``times`` is after D (a NULL time is not after anything)."""
    return " and ".join(f"not coalesce({identifier(c)} > {d}, false)" for c in times if c) or "true"


def scd2_as_of(cut: RelationCut, relation: str, d: str) -> str:
    """The snapshot as it stood at D: versions started after D dropped, ends after D reopened."""
    vf, vt = identifier(cut.valid_from), identifier(cut.valid_to)
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
        f"case when coalesce({identifier(known)} > {d}, false) then null else {identifier(column)} end as {identifier(column)}"
        for column, known in later.items()
    )
    return f"* replace ({blanks})"


def sample_keys(cut: RelationCut, entity: list[str]) -> list[str] | None:
    """``cut``'s own columns for the training set's ``entity`` keys, matched by position.

    None when the relation declares no entity or one of another arity: it cannot be sampled.
    """
    return list(cut.entity) if cut.entity and len(cut.entity) == len(entity) else None


def sample_note(cut: RelationCut, entity: list[str]) -> str:
    """What the entity sample did to ``cut``, in the words of the printed plan."""
    keys = sample_keys(cut, entity)
    if keys:
        return f"sampled on {', '.join(keys)}"
    if cut.rule == rules.BELONGS_TO:
        return "follows its parent's sample"
    if not cut.entity:
        return "not sampled: declares no meta.sqltrain.entity"
    return (f"not sampled: entity [{', '.join(cut.entity)}] does not match the training set's "
            f"[{', '.join(entity)}]")


def _choose_sample(con, cuts: Sequence[RelationCut], n: int, entity: list[str], sample_from: set[str]) -> None:
    """The ``n`` entities with the smallest hash among the spine's keyed relations (else all keyed ones).

    The sample table's columns carry the training set's key names; each relation's keys are
    renamed to them by position.
    """
    keyed = [(c, keys) for c in cuts if (keys := sample_keys(c, entity))]
    from_spine = [(c, keys) for c, keys in keyed if c.unique_id in sample_from]
    names = ", ".join(identifier(e) for e in entity)
    union = " union ".join(
        f"select distinct {', '.join(f'{identifier(k)} as {identifier(e)}' for k, e in zip(keys, entity))} from {_src(c)}"
        for c, keys in (from_spine or keyed)
    ) or f"select {', '.join(f'null as {identifier(e)}' for e in entity)} limit 0"
    con.execute(
        f"create temp table __sqltrain_sample as select {names} from ({union}) "
        f"where {' and '.join(f'{identifier(e)} is not null' for e in entity)} "
        f"order by hash({names}), {names} limit {int(n)}"
    )


def _sample_filter(keys: list[str], entity: list[str]) -> str:
    """Rows whose ``keys`` are in the sample (rows with a NULL key belong to no entity: kept)."""
    cols, names = ", ".join(identifier(k) for k in keys), ", ".join(identifier(e) for e in entity)
    nulls = " or ".join(f"{identifier(k)} is null" for k in keys)
    if len(keys) == 1:
        return f"({nulls} or {cols} in (select {names} from __sqltrain_sample))"
    return f"({nulls} or ({cols}) in (select ({names}) from __sqltrain_sample))"


def _src(cut: RelationCut) -> str:
    return f"{SOURCE}.{identifier(cut.schema)}.{identifier(cut.identifier)}"


def _dst(cut: RelationCut) -> str:
    return f"{identifier(cut.schema)}.{identifier(cut.identifier)}"
