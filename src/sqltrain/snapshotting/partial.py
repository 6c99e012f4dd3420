"""Building only the new cutoffs of an incremental snapshot, in the private as-of schema (DuckDB).

1. ``dbt build`` of everything upstream of the training set (with its tests), as a full build does;
2. the spine's table is parked and replaced by its rows that are *not* reused, and ``dbt run``
   builds the training set (without its tests) on that spine: only the new cutoffs are computed (the macros are
   per spine row, so each row comes out as it would in a full build);
3. the spine is put back, and the reused rows of the base snapshot's ``data.parquet`` (cast to the
   built column types) are appended to the training set's table of new rows, so the gates, the
   export and its sort see exactly the relation a full build would have made;
4. ``dbt test`` runs the training set's own tests on that relation.

Only the private as-of schema (``asof_target``) is written; the user's tables are never touched.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from typing import Any

from ..dbt_invoke import DbtRun, invoke
from ..project import Project
from ..sqlquote import identifier
from .incremental import Reuse, spine_node
from .upstream_reuse import forget, plan_upstream, record_built

PARKED = "__sqltrain_full_spine"


def build_new_cutoffs(asof: Project, user_manifest: dict[str, Any], node: dict[str, Any], reuse: Reuse,
                      dbt_vars: dict[str, Any], on_node: Callable[[str, str], None] | None = None,
                      ) -> tuple[DbtRun, int, list[str]]:
    """Build the training set of ``node`` as of D2 from reused and new rows; returns the dbt runs
    (as one), the number of reused rows and the upstream models kept from the last as-of build."""
    # the model's parents and their upstream, with their tests; the model's own tests wait for step 4
    # (a test that also reads the model is not among them); what the last as-of build made from the
    # same SQL and the same data is kept (upstream_reuse)
    parsed = asof.parsed   # dbt parses once: every invocation below runs on the manifest prepare_as_of parsed
    upstream = plan_upstream(asof, user_manifest, node, dbt_vars)
    runs = []
    if upstream.run:
        forget(asof, upstream)
        asof.parsed = parsed
        runs.append(invoke(asof, ["build", "--select", *upstream.selectors(), "--indirect-selection", "empty"],
                           dbt_vars, on_node))
        record_built(asof, upstream, runs[-1])
    built, reused = build_cutoffs(asof, node, reuse, dbt_vars, on_node, parsed)
    runs.extend(built)
    run = DbtRun.joined("build (incremental)", runs)
    return run, reused, upstream.reused_models()


def build_cutoffs(asof: Project, node: dict[str, Any], reuse: Reuse, dbt_vars: dict[str, Any],
                  on_node: Callable[[str, str], None] | None = None, parsed: Any = None) -> tuple[list[DbtRun], int]:
    """Steps 2-4 above, once the training set's upstream is built as of D2: the model built on the
    cutoffs ``reuse`` does not cover, the reused rows appended, the model's tests run on the union.
    Returns the dbt runs and how many rows were reused. ``parsed``: the manifest each invocation
    runs on (``Project.parsed``), if the caller holds one."""
    model, spine = node["name"], spine_node(asof.manifest(), node)
    predicate, params = reuse.predicate()
    runs = []
    with _connection(asof) as con:
        kind = _park(con, spine, predicate, params)
    try:  # dbt needs the file to itself while it runs
        asof.parsed = parsed
        runs.append(invoke(asof, ["build", "--select", model, "--exclude-resource-type", "test"], dbt_vars, on_node))
    finally:
        with _connection(asof) as con:
            _unpark(con, spine, kind)
    with _connection(asof) as con:
        reused = _union(con, node, reuse, predicate, params)
    asof.parsed = parsed
    runs.append(invoke(asof, ["test", "--select", model, "--indirect-selection", "buildable"], dbt_vars, on_node))
    return runs, reused


def set_aside(asof: Project, node: dict[str, Any], name: str) -> str:
    """Keep the rows of ``node``'s relation as the table ``name`` beside it (a table is renamed, a
    view copied), out of the way of the next build; returns the new relation, quoted."""
    schema_sql, name_sql = _parts(node)
    kept = f"{schema_sql}.{identifier(name)}"
    with _connection(asof) as con:
        con.execute(f"drop table if exists {kept}")
        if _kind(con, node) == "table":
            con.execute(f"alter table {schema_sql}.{name_sql} rename to {identifier(name)}")
        else:
            con.execute(f"create table {kept} as select * from {schema_sql}.{name_sql}")
    return kept


def drop_aside(asof: Project, relation: str) -> None:
    """Drop a table ``set_aside`` made."""
    with _connection(asof) as con:
        con.execute(f"drop table if exists {relation}")


def _parts(node: dict[str, Any], name: str | None = None) -> tuple[str, str]:
    """(``"db"."schema"``, ``"name"``) of a node's relation, quoted."""
    return (f"{identifier(node['database'])}.{identifier(node['schema'])}",
            identifier(name or node.get("alias") or node["name"]))


@contextmanager
def _connection(asof: Project):
    from ..warehouse import connect, release_dbt_connection

    release_dbt_connection()
    con = connect(asof.warehouse_path(), read_only=False, settings=asof.duckdb_settings())
    try:
        yield con
    finally:
        con.close()


def _park(con, spine: dict[str, Any], predicate: str, params: list[Any]) -> str:
    """Replace the spine's relation by a table of its rows that are not reused; returns its kind."""
    schema_sql, name_sql = _parts(spine)
    parked = identifier(PARKED)
    kind = _kind(con, spine)
    con.execute(f"drop table if exists {schema_sql}.{parked}")
    con.execute(f"alter {kind} {schema_sql}.{name_sql} rename to {parked}")
    con.execute(f"create table {schema_sql}.{name_sql} as select * from {schema_sql}.{parked} where not {predicate}", params)
    return kind


def _unpark(con, spine: dict[str, Any], kind: str) -> None:
    schema_sql, name_sql = _parts(spine)
    con.execute(f"drop table if exists {schema_sql}.{name_sql}")
    con.execute(f"alter {kind} {schema_sql}.{identifier(PARKED)} rename to {name_sql}")


def _kind(con, node: dict[str, Any]) -> str:
    found = con.execute(
        "select table_type from information_schema.tables where table_catalog = ? and table_schema = ? and table_name = ?",
        [node["database"], node["schema"], node.get("alias") or node["name"]]).fetchone()
    return "view" if found and found[0] == "VIEW" else "table"


def _union(con, node: dict[str, Any], reuse: Reuse, predicate: str, params: list[Any]) -> int:
    """The training set's table (its new rows: the spine held no reused cutoff) gets the base's
    reused rows appended, cast to the built column types; returns how many."""
    schema_sql, name_sql = _parts(node)
    columns = con.execute(f"describe select * from {schema_sql}.{name_sql}").fetchall()
    old = ", ".join(f"cast({identifier(c[0])} as {c[1]}) as {identifier(c[0])}" for c in columns)
    con.execute(f"delete from {schema_sql}.{name_sql} where {predicate}", params)  # none, if the model keeps its spine
    before = con.execute(f"select count(*) from {schema_sql}.{name_sql}").fetchone()[0]
    rows, rows_params = reuse.rows()
    con.execute(f"insert into {schema_sql}.{name_sql} select {old} from {rows} where {predicate}", [*rows_params, *params])
    return int(con.execute(f"select count(*) from {schema_sql}.{name_sql}").fetchone()[0] - before)
