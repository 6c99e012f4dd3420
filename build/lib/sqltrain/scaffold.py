"""``sqltrain init``: a starter sources YAML and training-set skeleton for the user's own warehouse.

The warehouse is read, never written: its tables with their column types and row counts, from
which roles are *suggested* by type and by name (docs/own-warehouse.md):

- the **entity key** is the key-like column (``*_id``, ``*_no``, ``*_key``, ``*_code``, ``id``) that
  most tables share; a table where it is unique is the entity table, whose rows the spine is cut from;
- a table's **event time** is its first timestamp or date column that is not a load time, its
  **knowledge time** (``known_at``) a column named like a load time (``_loaded_at``, ``ingested_at``,
  ``recorded_at``...);
- a table with an event time is a ``feature_source``; one without is a ``dimension``.

Three files are written, each refused (exit 2, nothing written) if it already exists::

    models/sources.yml                    every table, roles marked "suggested by sqltrain init"
    models/training/<name>.sql            a monthly spine, the features of each source as of each cutoff
    models/training/_<name>.yml           the training set's meta.sqltrain

    >>> plan = plan_starter(inspect_warehouse(Path("shop.duckdb")), name="shop_training")  # doctest: +SKIP
    >>> write_starter(Path("."), plan)                                                       # doctest: +SKIP
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import yaml

from .errors import UsageError
from .sqlquote import identifier

SKIPPED_SCHEMAS = ("information_schema", "pg_catalog")
KEY_NAME = re.compile(r"(^id$|_(id|no|nr|num|key|code|uuid)$)", re.IGNORECASE)
LOAD_TIME = re.compile(r"(load|ingest|insert|record|land|arriv|known|synced|updated)", re.IGNORECASE)
TIME_TYPES = ("TIMESTAMP", "DATE", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S")
KEY_TYPES = ("BIGINT", "INTEGER", "SMALLINT", "HUGEINT", "UBIGINT", "UINTEGER", "VARCHAR", "UUID")
NUMERIC = re.compile(r"^(BIGINT|INTEGER|SMALLINT|TINYINT|HUGEINT|DOUBLE|FLOAT|REAL|DECIMAL.*|U?BIGINT|U?INTEGER|BOOLEAN)$")
MAX_FEATURES = 4
PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
MARK = "suggested by sqltrain init: confirm"


@dataclass
class Column:
    name: str
    type: str


@dataclass
class Table:
    schema: str
    name: str
    rows: int
    columns: list[Column]
    unique: set[str] = field(default_factory=set)      # key candidates that are unique here
    first_time: datetime | None = None                  # earliest event time (the suggested one)

    @property
    def keys(self) -> list[str]:
        return [c.name for c in self.columns if KEY_NAME.search(c.name) and c.type.upper() in KEY_TYPES]

    @property
    def times(self) -> list[str]:
        return [c.name for c in self.columns if c.type.upper() in TIME_TYPES]

    @property
    def known_at(self) -> str | None:
        return next((t for t in self.times if LOAD_TIME.search(t)), None)

    @property
    def event_ts(self) -> str | None:
        return next((t for t in self.times if t != self.known_at), None)

    @property
    def is_event_log(self) -> bool:
        """Only keys and times: events that happened, a label candidate rather than features."""
        return bool(self.event_ts) and all(c.name in (*self.keys, *self.times) for c in self.columns)


def inspect_warehouse(path: Path) -> list[Table]:
    """Every table and view of the DuckDB file ``path`` (read only): columns, types, row counts, and
    which key candidates are unique. sqltrain's own as-of schemas are left out."""
    from .asof_target import SCHEMA_SUFFIX
    from .warehouse import connect, require_warehouse_file

    con = connect(require_warehouse_file(Path(path)), read_only=True)
    try:
        listed = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = current_database() order by table_schema, table_name").fetchall()
        tables = []
        for schema, name in listed:
            if schema in SKIPPED_SCHEMAS or schema.endswith(SCHEMA_SUFFIX):
                continue
            columns = [Column(n, t) for n, t in con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_catalog = current_database() and table_schema = ? and table_name = ? "
                "order by ordinal_position", [schema, name]).fetchall()]
            relation = f"{identifier(schema)}.{identifier(name)}"
            table = Table(schema, name, int(con.execute(f"select count(*) from {relation}").fetchone()[0]), columns)
            for key in table.keys:
                distinct = con.execute(f"select count(distinct {identifier(key)}) from {relation}").fetchone()[0]
                if table.rows and distinct == table.rows:
                    table.unique.add(key)
            if table.event_ts:
                first = con.execute(f"select min({identifier(table.event_ts)}) from {relation}").fetchone()[0]
                table.first_time = _as_datetime(first)
            tables.append(table)
        return tables
    finally:
        con.close()


@dataclass
class Starter:
    """What ``init`` writes: file path (relative to the project) -> text."""

    files: dict[str, str]
    entity: str | None
    tables: list[Table]


def plan_starter(tables: list[Table], name: str = "training_set") -> Starter:
    """The three files for ``tables`` (see the module doc). UsageError when there is nothing to use."""
    if not tables:
        raise UsageError("the warehouse has no tables", "load your tables first, or pass --warehouse with another file")
    counts = Counter(key for t in tables for key in t.keys)
    if not counts:
        raise UsageError("no table has a key-like column (*_id, *_no, *_key, *_code, id)",
                         "write models/sources.yml by hand (docs/own-warehouse.md)")
    plain = [k for k in counts if PLAIN.fullmatch(k)] or list(counts)
    entity = max(plain, key=lambda k: (counts[k], -min(i for i, t in enumerate(tables) if k in t.keys)))
    if not PLAIN.fullmatch(name):
        raise UsageError(f"--name {name!r} is not a model name", "use letters, digits and underscores")
    files = {
        "models/sources.yml": _sources_yaml(tables, entity),
        f"models/training/{name}.sql": _training_sql(tables, entity, name),
        f"models/training/_{name}.yml": _training_yaml(name, entity),
    }
    return Starter(files, entity, tables)


def write_starter(project_dir: Path, starter: Starter) -> list[Path]:
    """Write the starter files; refuse (UsageError naming the file, nothing written) if one exists."""
    paths = [project_dir / relative for relative in starter.files]
    for path in paths:
        if path.exists():
            raise UsageError(f"{path} already exists; sqltrain init never overwrites a file",
                             "move it away (or rename it) and run sqltrain init again")
    for path, text in zip(paths, starter.files.values()):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return paths


# -- the files ------------------------------------------------------------------------------

def label_table(tables: list[Table], entity: str) -> Table | None:
    """The suggested label's events: the smallest event log (keys and times only) holding the entity key."""
    logs = [t for t in tables if t.is_event_log and entity in t.keys]
    return min(logs, key=lambda t: t.rows) if logs else None


def suggested_kind(table: Table, label: Table | None) -> str:
    return "label_source" if table is label else "feature_source" if table.event_ts else "dimension"


def _sources_yaml(tables: list[Table], entity: str) -> str:
    by_schema: dict[str, list[dict]] = {}
    label = label_table(tables, entity)
    for table in tables:
        role: dict = {"kind": suggested_kind(table, label)}
        if entity in table.keys:
            role["entity"] = [entity]
        if table.event_ts:
            role["event_ts"] = table.event_ts
        if table.known_at:
            role["known_at"] = table.known_at
        columns = [{"name": c.name, "data_type": c.type} for c in table.columns]
        by_schema.setdefault(table.schema, []).append({
            "name": table.name,
            "description": f"{table.rows:,} rows. Roles {MARK}.",
            "config": {"meta": {"sqltrain": role}},
            "columns": columns,
        })
    document = {"version": 2, "sources": [{"name": schema, "schema": schema, "tables": entries}
                                          for schema, entries in by_schema.items()]}
    header = (f"# Written by `sqltrain init` from the warehouse's tables. The meta.sqltrain roles are\n"
              f"# {MARK} each one (kind, entity, event_ts, known_at) before you snapshot:\n"
              "# docs/own-warehouse.md says what each role means. Entity key suggested: "
              f"{entity} (the key most tables share).\n")
    return header + yaml.safe_dump(document, sort_keys=False, width=110)


def _training_sql(tables: list[Table], entity: str, name: str) -> str:
    home = _entity_table(tables, entity)
    # only plain identifiers reach the generated SQL (anything else stays in sources.yml alone)
    label = label_table(tables, entity)
    sources = [t for t in tables if t.event_ts and entity in t.keys and t is not label
               and all(PLAIN.fullmatch(x) for x in (t.schema, t.name, t.event_ts, t.known_at or "x"))]
    start = min((t.first_time for t in sources if t.first_time), default=None)
    start_month = _next_month(start) if start else date(2020, 1, 1)
    valid_from = f", valid_from='{home.event_ts}'" if home.event_ts else ""
    entries = []
    for table in sources:
        features = [c.name for c in table.columns
                    if c.name not in (entity, table.event_ts, table.known_at) and NUMERIC.match(c.type.upper())
                    and not KEY_NAME.search(c.name) and PLAIN.fullmatch(c.name)][:MAX_FEATURES]
        if not features:
            features = [c.name for c in table.columns
                        if c.name not in (entity, *table.times, *table.keys) and PLAIN.fullmatch(c.name)][:1]
        if not features:
            continue
        entry = (f"{{'relation': source('{table.schema}', '{table.name}'), 'keys': ['{entity}'], "
                 f"'columns': {features!r}, 'event_ts': '{table.event_ts}'")
        if table.known_at:
            entry += f", 'known_at': '{table.known_at}'"
        tie = [k for k in table.keys if k != entity and k in table.unique]
        if tie:
            entry += f", 'tie_break': {tie[:1]!r}"
        entries.append(entry + f", 'prefix': '{table.name}_'}}")
    label_source = f"source('{label.schema}', '{label.name}')" if label else "source('SCHEMA', 'EVENTS')"
    features_cte = ("features as (\n    {{ sqltrain.point_in_time_join(spine='spine', entity_keys=['" + entity
                    + "'], cutoff='as_of_ts', sources=[\n        " + ",\n        ".join(entries) + "\n    ]) }}\n)"
                    if entries else "features as (select * from spine)")
    return (
        f"{{#- {name}: a starter training set written by `sqltrain init` ({MARK} the roles in\n"
        "    models/sources.yml). One row per entity and month-start cutoff up to var('as_of'); every\n"
        "    feature is the latest value known at the cutoff (docs/macros.md).\n"
        "    The label: set with_label to true, check that source= holds the events it counts (1 when the\n"
        "    entity has one in the horizon after the cutoff; its kind in sources.yml is label_source) and\n"
        f"    uncomment label/horizon in _{name}.yml. -#}}\n"
        "{%- set with_label = false %}\n"
        "with spine as (\n"
        f"    {{{{ sqltrain.cutoff_spine(entities=source('{home.schema}', '{home.name}'), entity_keys=['{entity}'],\n"
        f"        start='{start_month.isoformat()}', every='month'{valid_from}) }}}}\n"
        "),\n\n"
        + features_cte +
        "\n{%- if with_label %},\n\n"
        "labelled as (\n"
        "    {{ sqltrain.label_window(spine='features', entity_keys=['" + entity + "'], cutoff='as_of_ts',\n"
        f"        source={label_source}, event_ts='{label.event_ts if label else 'event_ts'}',\n"
        "        horizon='30 days', label='label') }}\n"
        ")\n"
        "{%- endif %}\n\n"
        "select * from {{ 'labelled' if with_label else 'features' }}\n"
    )


def _training_yaml(name: str, entity: str) -> str:
    return (
        "version: 2\n"
        "models:\n"
        f"  - name: {name}\n"
        f"    description: \"Starter training set written by sqltrain init; roles {MARK}.\"\n"
        "    config:\n"
        "      materialized: table\n"
        "      meta:\n"
        "        sqltrain:\n"
        "          kind: training_set\n"
        f"          entity: [{entity}]\n"
        "          cutoff: as_of_ts\n"
        "          # label: label              # with the label written (with_label = true)\n"
        "          # horizon: 30 days\n"
        "    # sqltrain's generic tests run in every dbt build (docs/macros.md#generic-tests); with the\n"
        "    # label written, add: - sqltrain.label_mature: {arguments: {cutoff: as_of_ts, horizon: 30 days}}\n"
        "    columns:\n"
        "      - name: as_of_ts\n"
        "        description: The cutoff (UTC) at which the features are observed.\n"
        "        data_tests: [not_null, sqltrain.cutoff_not_after_as_of]\n"
    )


def _entity_table(tables: list[Table], entity: str) -> Table:
    """Where the spine's entities come from: the table where the key is unique with the most rows
    (every entity once: the entity table), else the first table holding the key."""
    unique = sorted((t for t in tables if entity in t.unique), key=lambda t: -t.rows)
    return unique[0] if unique else next(t for t in tables if entity in t.keys)


def _next_month(moment: datetime) -> date:
    return date(moment.year + (moment.month == 12), moment.month % 12 + 1, 1)


def _as_datetime(value) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return None
