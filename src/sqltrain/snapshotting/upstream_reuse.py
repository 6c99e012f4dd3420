"""Upstream models an incremental snapshot need not build again (docs/incremental.md).

The private as-of schema keeps the tables of the last as-of build. A model upstream of the
training set is a function of its compiled SQL and the data of its inputs; when both are what they
were the last time sqltrain built that table (and its tests passed on it), building it again
would write the same rows, and its tests would pass again. ``plan_upstream`` finds those nodes:

- each node gets a **key**: the SHA-256 of its compiled SQL (compiled for this run's vars, so a
  model that reads the as-of date changes key with it), its config, the dbt and adapter versions
  and the keys of its inputs; a source's (or a dbt snapshot's) key is a fingerprint of its rows
  (row count and the sum of a hash of every row);
- a node whose key equals the one recorded after its last successful build (in the table
  ``__sqltrain_build_keys`` of the private schema), whose relation still holds the rows it held then,
  is reused: dbt does not build it, and a test whose key matches a recorded pass does not run;
- a node that is not provably a function of those inputs always runs, and so does everything
  below it: SQL sqltrain cannot parse, a read of a relation dbt does not know as an input (a file,
  a table function, a hard-coded table), a non-deterministic function (``random()``, the wall
  clock), hooks, or a materialization other than table, view, incremental or ephemeral.

Only DuckDB targets (the incremental path runs there). ``record_built`` writes the keys of what a
build just made, after it succeeded; ``forget`` drops the keys of what is about to be rebuilt, so
an interrupted build never leaves a key beside a table it did not finish.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from ..backtesting.dependence import compiled_code_by_node
from ..dbt_invoke import DbtRun, invoke
from ..project import Project
from ..provenance import adapter_version, dbt_version
from ..sqlquote import identifier

KEYS_TABLE = "__sqltrain_build_keys"
BUILT = ("model", "seed")
REUSABLE_MATERIALIZATIONS = ("table", "view", "incremental", "ephemeral")
# functions whose value is not a function of the inputs (DuckDB names, lower case)
NONDETERMINISTIC = {
    "random", "uuid", "gen_random_uuid", "uuidv4", "uuidv7", "setseed", "now", "today", "current_date",
    "current_time", "current_timestamp", "current_localtime", "current_localtimestamp", "get_current_time",
    "get_current_timestamp", "transaction_timestamp", "getenv", "current_setting",
}


@dataclass
class UpstreamPlan:
    """What the build runs, and what it takes from the last as-of build."""

    run: list[dict[str, Any]]                    # models, seeds, tests and unit tests to build or run
    reused: list[dict[str, Any]]                 # kept from the last as-of build
    keys_relation: str = ""                      # where the keys are recorded (quoted)
    keys: dict[str, str | None] = field(default_factory=dict)  # unique_id -> key (None: never reused)
    input_rows: dict[str, int] = field(default_factory=dict)    # input relation -> rows when planned

    def selectors(self) -> list[str]:
        """dbt ``--select`` arguments naming exactly the nodes to run."""
        return [_selector(node) for node in self.run]

    def reused_models(self) -> list[str]:
        return sorted(n["name"] for n in self.reused if n.get("resource_type") in BUILT)


def upstream_nodes(manifest: dict[str, Any], parents: list[str]) -> list[dict[str, Any]]:
    """The models and seeds ``parents`` (unique ids) depend on, themselves included, with the data
    tests whose every model/seed input is among them, and the unit tests of those models."""
    nodes = manifest["nodes"]
    built, stack = set(), list(parents)
    while stack:
        uid = stack.pop()
        if uid in built or nodes.get(uid, {}).get("resource_type") not in BUILT:
            continue
        built.add(uid)
        stack.extend(manifest["parent_map"].get(uid, []))
    tests = [uid for uid, node in nodes.items() if node.get("resource_type") == "test"
             and (inputs := [p for p in node["depends_on"]["nodes"] if nodes.get(p, {}).get("resource_type") in BUILT])
             and set(inputs) <= built]
    units = [uid for uid, node in (manifest.get("unit_tests") or {}).items()
             if set(node["depends_on"]["nodes"]) & built]
    return [*(nodes[u] for u in sorted(built)), *(nodes[u] for u in sorted(tests)),
            *(manifest["unit_tests"][u] for u in sorted(units))]


def plan_upstream(asof: Project, user_manifest: dict[str, Any], node: dict[str, Any],
                  dbt_vars: dict[str, Any]) -> UpstreamPlan:
    """Compile the upstream of the training set ``node`` (an as-of manifest node) for ``dbt_vars``
    and decide what to reuse (module doc). ``user_manifest``: where dbt snapshots are read from."""
    wanted = _wanted(asof, node)
    compiled = _compile(asof, [n for n in wanted if n["resource_type"] != "unit_test"], dbt_vars) if wanted else {}
    return _plan(asof, user_manifest, node, wanted, compiled, reuse=True)


def input_rows(asof: Project, user_manifest: dict[str, Any], node: dict[str, Any]) -> dict[str, int]:
    """The row count of every input relation of the upstream of ``node``, taken before a full build
    so that ``record_built`` can tell whether one changed while dbt built."""
    relations = _input_relations(asof.manifest(), user_manifest, _wanted(asof, node))
    con = _open(asof, read_only=True)
    try:
        return {relation: rows for relation in set(filter(None, relations.values()))
                if (rows := _row_count(con, relation)) is not None}
    finally:
        con.close()


def plan_recording(asof: Project, user_manifest: dict[str, Any], node: dict[str, Any],
                   rows_before: dict[str, int]) -> UpstreamPlan:
    """The keys of the upstream of ``node`` as a full build has just built it (its compiled SQL
    from the run results dbt wrote), to ``record_built`` after that build; nothing is reused.
    ``rows_before``: ``input_rows`` before the build, what ``record_built`` checks the inputs against."""
    wanted = _wanted(asof, node)
    plan = _plan(asof, user_manifest, node, wanted, compiled_code_by_node(asof.target_path), reuse=False)
    return dataclasses.replace(plan, input_rows=rows_before)


def forget_all(asof: Project, node: dict[str, Any]) -> None:
    """Drop every recorded key (before a build that rebuilds the private schema without keys)."""
    con = _open(asof, read_only=False)
    try:
        con.execute(f"drop table if exists {_keys_table(node)}")
    finally:
        con.close()


def _open(asof: Project, read_only: bool):
    """A connection to the warehouse once dbt has let go of it, waiting ``--wait-lock`` seconds for
    another process that holds it."""
    from ..lock import waiting_for_lock
    from ..warehouse import connect, release_dbt_connection

    release_dbt_connection()
    return waiting_for_lock(lambda: connect(asof.warehouse_path(), read_only=read_only, settings=asof.duckdb_settings()),
                            asof.wait_lock)


def _keys_table(node: dict[str, Any]) -> str:
    return f"{identifier(node['database'])}.{identifier(node['schema'])}.{identifier(KEYS_TABLE)}"


def _wanted(asof: Project, node: dict[str, Any]) -> list[dict[str, Any]]:
    manifest = asof.manifest()
    parents = [uid for uid in manifest["parent_map"].get(node["unique_id"], [])
               if manifest["nodes"].get(uid, {}).get("resource_type") in BUILT]
    return upstream_nodes(manifest, parents)


def _plan(asof, user_manifest, node, wanted, compiled, reuse: bool) -> UpstreamPlan:
    relation = _keys_table(node)
    if not wanted:
        return UpstreamPlan([], [], relation)
    con = _open(asof, read_only=True)
    try:
        keys, counts = _keys(con, asof.manifest(), user_manifest, wanted, compiled)
        recorded = _recorded(con, relation) if reuse else {}
        reused = [n for n in wanted if _still_valid(con, n, keys.get(n["unique_id"]), recorded.get(n["unique_id"]))]
    finally:
        con.close()
    reused_ids = {n["unique_id"] for n in reused}
    run = [n for n in wanted if n["unique_id"] not in reused_ids]
    return UpstreamPlan(run, reused, relation, keys, counts)


def forget(asof: Project, plan: UpstreamPlan) -> None:
    """Drop the recorded keys of the nodes about to run (before the build writes their tables)."""
    _write(asof, plan.keys_relation, delete=[n["unique_id"] for n in plan.run], insert=[])


def record_built(asof: Project, plan: UpstreamPlan, run: DbtRun) -> None:
    """Record the keys of the nodes ``run`` built or passed (models: with their row counts)."""
    done = {n["unique_id"] for n in run.nodes if n.get("status") in ("success", "pass")}
    if not _inputs_unchanged(asof, plan):   # written to while dbt built: the keys would not describe the tables
        forget(asof, plan)
        return
    rows = [(n["unique_id"], plan.keys[n["unique_id"]], n) for n in plan.run
            if n["unique_id"] in done and plan.keys.get(n["unique_id"])]
    _write(asof, plan.keys_relation, delete=[uid for uid, _, _ in rows], insert=rows)


def _inputs_unchanged(asof: Project, plan: UpstreamPlan) -> bool:
    con = _open(asof, read_only=True)
    try:
        return all(_row_count(con, relation) == rows for relation, rows in plan.input_rows.items())
    finally:
        con.close()


def _selector(node: dict[str, Any]) -> str:
    if node["resource_type"] == "unit_test":
        return "unit_test:" + node["name"]
    return "fqn:" + ".".join(node["fqn"])


def _compile(asof: Project, nodes: list[dict[str, Any]], dbt_vars: dict[str, Any]) -> dict[str, str]:
    """Compiled SQL of ``nodes`` for this run's vars, as dbt compiles them for the build."""
    parsed = asof.parsed
    invoke(asof, ["compile", "--select", *(_selector(n) for n in nodes), "--indirect-selection", "empty"], dbt_vars)
    asof.parsed = parsed   # the build that follows runs on the same parse
    return compiled_code_by_node(asof.target_path)


def _keys(con, manifest, user_manifest, wanted, compiled):
    """The key of every node of ``wanted`` and of its inputs (None: never reused), and each input
    relation's row count."""
    keys: dict[str, str | None] = {}
    counts: dict[str, int] = {}
    base = {"dbt": dbt_version(), "adapter": adapter_version("duckdb")}
    relations = _input_relations(manifest, user_manifest, wanted)
    for uid, relation in relations.items():
        found = _fingerprint(con, relation) if relation else None
        keys[uid] = f"{found[0]}:{found[1]}" if found else None
        if found:
            counts[relation] = found[0]
    by_id = {n["unique_id"]: n for n in wanted}

    def key_of(uid: str) -> str | None:
        if uid not in keys:
            node = by_id[uid]
            parents = sorted(node["depends_on"]["nodes"])
            for parent in parents:
                key_of(parent)
            if _not_reusable(node, compiled.get(uid), manifest, relations, parents, keys):
                keys[uid] = None
            else:
                payload = {**base, "type": node["resource_type"], "sql": compiled.get(uid), "config": node.get("config"),
                           "checksum": node.get("checksum"), "given": node.get("given"), "expect": node.get("expect"),
                           "overrides": node.get("overrides"), "inputs": [keys[p] for p in parents]}
                keys[uid] = hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()
        return keys[uid]

    for uid in by_id:
        key_of(uid)
    return keys, counts


def _input_relations(manifest, user_manifest, wanted) -> dict[str, str | None]:
    """The relation of every input outside the built set: sources, and dbt snapshots as the as-of
    build reads them (deferred to the user's tables)."""
    built = {n["unique_id"] for n in wanted}
    out: dict[str, str | None] = {}
    for node in wanted:
        for uid in node["depends_on"]["nodes"]:
            if uid in built or uid in out:
                continue
            source = manifest["sources"].get(uid)
            if source is not None:
                out[uid] = source.get("relation_name")
            else:
                out[uid] = (user_manifest["nodes"].get(uid) or {}).get("relation_name")
    return out


def _row_count(con, relation: str) -> int | None:
    """The rows of ``relation``; None if it cannot be read."""
    found = _fingerprint(con, relation, rows_only=True)
    return found[0] if found else None


def _fingerprint(con, relation: str, rows_only: bool = False) -> tuple[int, str] | None:
    """(rows, the sum of a hash of every row) of ``relation``: equal for equal multisets of rows;
    ``rows_only``: the count alone (the hash as "")."""
    total_sql = "''" if rows_only else "sum(hash(fingerprinted))"
    try:
        count, total = con.execute(f"select count(*), {total_sql} from {relation} as fingerprinted").fetchone()
    except Exception:   # noqa: BLE001 — a relation that cannot be read is an input that is never reused
        return None
    return int(count), str(total)


def _not_reusable(node, sql, manifest, relations, parents, keys) -> str | None:
    if any(keys.get(p) is None for p in parents):
        return "an input is not reusable"
    kind = node["resource_type"]
    if kind == "unit_test":
        return None
    config = node.get("config") or {}
    if kind == "model" and config.get("materialized") not in REUSABLE_MATERIALIZATIONS:
        return f"materialized as {config.get('materialized')}"
    if config.get("pre-hook") or config.get("post-hook"):
        return "it has hooks"
    if kind == "seed":
        return None
    if not sql:
        return "dbt did not compile it"
    known = {_last_part(r) for p in parents if (r := relations.get(p) or _relation_of(manifest, p))}
    return _unsafe_sql(sql, known)


def _relation_of(manifest, uid) -> str | None:
    return (manifest["nodes"].get(uid) or {}).get("relation_name")


def _last_part(relation: str) -> str:
    import sqlglot
    from sqlglot import exp

    table = sqlglot.parse_one(relation, read="duckdb", into=exp.Table)
    return table.name.lower()


def _unsafe_sql(sql: str, known: set[str]) -> str | None:
    """Why ``sql`` is not a function of the relations named ``known`` alone, or None."""
    import sqlglot
    from sqlglot import exp

    try:
        statements = [s for s in sqlglot.parse(sql, read="duckdb") if s is not None]
    except Exception:   # noqa: BLE001 — unreadable SQL is never reused
        return "sqltrain cannot parse its SQL"
    for tree in statements:
        ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
        for table in tree.find_all(exp.Table):
            if not isinstance(table.this, exp.Identifier):
                return f"it reads {table.this.sql('duckdb')[:60]}"
            if table.name.lower() not in known and table.name.lower() not in ctes:
                return f"it reads {table.sql('duckdb')}, not an input dbt knows"
        for function in tree.find_all(exp.Func):
            name = (function.name if isinstance(function, exp.Anonymous) else function.sql_name()).lower()
            if name in NONDETERMINISTIC or isinstance(function, (exp.Rand, exp.CurrentDate, exp.CurrentTime,
                                                                 exp.CurrentTimestamp)):
                return f"it calls {function.sql('duckdb').split('(')[0].lower()}()"
    return None


def _recorded(con, relation: str) -> dict[str, tuple[str, str, int | None]]:
    try:
        rows = con.execute(f"select unique_id, key, relation, row_count from {relation}").fetchall()
    except Exception:   # noqa: BLE001 — no table yet: nothing recorded
        return {}
    return {uid: (key, rel, count) for uid, key, rel, count in rows}


def _still_valid(con, node, key, recorded) -> bool:
    """The node's key matches its record, and a table still holds the rows it held when recorded."""
    if key is None or recorded is None or recorded[0] != key:
        return False
    if node["resource_type"] not in BUILT or (node.get("config") or {}).get("materialized") == "ephemeral":
        return True
    relation, count = recorded[1], recorded[2]
    if relation != node.get("relation_name"):
        return False
    try:
        now = con.execute(f"select count(*) from {relation}").fetchone()[0]
    except Exception:   # noqa: BLE001 — dropped since: rebuild it
        return False
    return count is None or int(now) == int(count)


def _write(asof: Project, relation: str, delete: list[str], insert: list[tuple[str, str, dict[str, Any]]]) -> None:
    if not delete and not insert:
        return
    con = _open(asof, read_only=False)
    try:
        con.execute(f"create table if not exists {relation} "
                    "(unique_id varchar primary key, key varchar, relation varchar, row_count bigint)")
        con.execute("begin")
        if delete:
            con.execute(f"delete from {relation} where unique_id in (select unnest(?::varchar[]))", [delete])
        for uid, key, node in insert:
            rel = node.get("relation_name") if node["resource_type"] in BUILT else None
            count = None
            if rel and (node.get("config") or {}).get("materialized") in ("table", "incremental", "seed", None):
                count = con.execute(f"select count(*) from {rel}").fetchone()[0]
            con.execute(f"insert into {relation} values (?, ?, ?, ?)", [uid, key, rel, count])
        con.execute("commit")
    finally:
        con.close()
