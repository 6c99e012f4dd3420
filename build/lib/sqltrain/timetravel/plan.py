"""Which warehouse relations a model reads, and how each is cut back to what was known at D.

The plan is read from the dbt manifest only: a source's ``meta.sqltrain`` says when its rows
happened (``event_ts``) and landed (``known_at``), whether it is updated in place
(``mutable: true``), whether it belongs to another source (``belongs_to``), and which of its
columns are filled in later than the row itself (``column_known_at``). Snapshots (SCD2) carry
their own validity columns. Nothing here touches a database.

    >>> plan = copy_plan(manifest, "model.sqltrain.churn_training")   # doctest: +SKIP
    >>> [(cut.relation, cut.rule) for cut in plan]                     # doctest: +SKIP
    [('snapshots.customers_snapshot', 'scd2'), ('raw.customers', 'from_snapshot'), ...]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import UsageError
from ..project import sqltrain_meta_of

# How a relation is cut at D (see docs/verify.md, "How the copy is truncated").
TIMED = "timed"                  # rows with event_ts > D or known_at > D are deleted
BELONGS_TO = "belongs_to"        # rows whose parent row was deleted go too
FROM_SNAPSHOT = "from_snapshot"  # an SCD1 table rebuilt from its dbt snapshot as it stood at D
SCD2 = "scd2"                    # versions that start after D are dropped, later ends reopened
UNTIMED = "untimed"              # no time declared: copied whole (reported)
UNVERIFIABLE = "unverifiable"    # mutable without history: copied whole, cannot be proven


@dataclass
class RelationCut:
    """One relation of the warehouse and the rule that truncates it at D."""

    unique_id: str
    schema: str
    identifier: str
    rule: str
    event_ts: str | None = None
    known_at: str | None = None
    column_known_at: dict[str, str] = field(default_factory=dict)
    parent: str | None = None            # BELONGS_TO: unique_id of the parent relation
    key: str | None = None               # BELONGS_TO: this relation's column ...
    parent_key: str | None = None        # ... matching this column of the parent
    snapshot: str | None = None          # FROM_SNAPSHOT: unique_id of the snapshot
    valid_from: str = "dbt_valid_from"   # SCD2 and FROM_SNAPSHOT: the snapshot's validity
    valid_to: str = "dbt_valid_to"
    valid_to_current: str | None = None  # dbt's dbt_valid_to_current: the open end, when not NULL
    entity: list[str] = field(default_factory=list)

    @property
    def relation(self) -> str:
        return f"{self.schema}.{self.identifier}"


def ancestors(manifest: dict[str, Any], unique_id: str) -> list[str]:
    """Every node upstream of ``unique_id`` (itself included), parents before children."""
    parents = manifest["parent_map"]
    order: list[str] = []
    seen: set[str] = set()

    def visit(node: str) -> None:
        if node in seen:
            return
        seen.add(node)
        for parent in sorted(parents.get(node, [])):
            visit(parent)
        order.append(node)

    visit(unique_id)
    return order


def spine_upstream(manifest: dict[str, Any], model_id: str) -> set[str]:
    """The spine of training set ``model_id`` and everything upstream of it (empty: no spine found).

    The spine is the model or source ``meta.sqltrain.spine`` names (a source as ``name`` or
    ``source_name.name``), else the one parent whose own meta says ``kind: spine``.
    """
    node = manifest["nodes"][model_id]
    named = sqltrain_meta_of(node).get("spine")
    candidates = {**manifest["nodes"], **manifest["sources"]}
    if named:
        found = [uid for uid, other in candidates.items() if str(named) in _names(other)]
    else:
        found = [uid for uid in manifest["parent_map"].get(model_id, [])
                 if uid in candidates and sqltrain_meta_of(candidates[uid]).get("kind") == "spine"]
    return set(ancestors(manifest, found[0])) if len(found) == 1 else set()


def _names(node: dict) -> set[str]:
    """What a training set's ``spine:`` may call ``node``: a model's name, a source's table or source.table."""
    if node.get("resource_type") == "source":
        return {node["name"], f"{node['source_name']}.{node['name']}"}
    return {node["name"]} if node.get("resource_type") == "model" else set()


def copy_plan(manifest: dict[str, Any], model_id: str) -> list[RelationCut]:
    """The sources and snapshots upstream of ``model_id``, each with its cut, in the order to copy them.

    Snapshots come first (an SCD1 source is rebuilt from one), then sources in an order where
    every ``belongs_to`` parent precedes its children.
    """
    upstream = ancestors(manifest, model_id)
    snapshots = {n: snapshot_cut(manifest["nodes"][n]) for n in upstream if n.startswith("snapshot.")}
    sources = {n: manifest["sources"][n] for n in upstream if n in manifest["sources"]}
    by_table = {(s["source_name"], s["name"]): uid for uid, s in manifest["sources"].items()}
    history = _snapshot_of_each_source(manifest)

    cuts = {uid: _source_cut(uid, node, by_table, history) for uid, node in sources.items()}
    for cut in list(cuts.values()):  # a parent outside the model's ancestry must be copied too
        while cut.parent and cut.parent not in cuts:
            cuts[cut.parent] = _source_cut(cut.parent, manifest["sources"][cut.parent], by_table, history)
            cut = cuts[cut.parent]
    for cut in cuts.values():  # so must the snapshot an SCD1 table is rebuilt from
        if cut.snapshot and cut.snapshot not in snapshots:
            snapshots[cut.snapshot] = history[cut.unique_id]
    return [snapshots[uid] for uid in sorted(snapshots)] + _parents_first(cuts)


def _source_cut(uid: str, node: dict, by_table: dict, history: dict) -> RelationCut:
    meta = sqltrain_meta_of(node)
    cut = RelationCut(uid, node["schema"], node.get("identifier") or node["name"], UNTIMED,
                      entity=list(meta.get("entity") or []))
    where = f"source {node['source_name']}.{node['name']}"
    if meta.get("event_ts") or meta.get("known_at"):
        cut.rule, cut.event_ts, cut.known_at = TIMED, meta.get("event_ts"), meta.get("known_at")
        cut.column_known_at = dict(meta.get("column_known_at") or {})
    elif meta.get("belongs_to"):
        cut.rule = BELONGS_TO
        cut.parent, cut.key, cut.parent_key = _belongs_to(meta["belongs_to"], node, by_table, where)
    elif meta.get("mutable"):
        snapshot = history.get(uid)
        if snapshot is not None:
            cut.rule, cut.snapshot = FROM_SNAPSHOT, snapshot.unique_id
            cut.valid_from, cut.valid_to = snapshot.valid_from, snapshot.valid_to
            cut.valid_to_current = snapshot.valid_to_current
        else:
            cut.rule = UNVERIFIABLE
    return cut


def _belongs_to(spec: Any, node: dict, by_table: dict, where: str) -> tuple[str, str, str]:
    """``belongs_to: {source: orders, key: order_id[, parent_key: id]}`` → (parent id, key, parent key)."""
    if not isinstance(spec, dict) or not spec.get("source") or not spec.get("key"):
        raise UsageError(
            f"{where}: meta.sqltrain.belongs_to must be a mapping with `source` and `key`",
            "write e.g. belongs_to: {source: orders, key: order_id}",
        )
    name = str(spec["source"])
    source_name, table = name.split(".", 1) if "." in name else (node["source_name"], name)
    parent = by_table.get((source_name, table))
    if parent is None:
        raise UsageError(
            f"{where}: belongs_to names source '{name}', which is not declared",
            "name a table of the same source (or source_name.table)",
        )
    return parent, str(spec["key"]), str(spec.get("parent_key") or spec["key"])


def snapshot_cut(node: dict) -> RelationCut:
    """A snapshot's validity columns: sqltrain meta, else dbt's ``snapshot_meta_column_names``, else dbt's names."""
    meta = sqltrain_meta_of(node)
    config = node.get("config", {})
    renamed = config.get("snapshot_meta_column_names") or {}
    return RelationCut(
        node["unique_id"], node["schema"], node.get("alias") or node["name"], SCD2,
        valid_from=meta.get("valid_from") or renamed.get("dbt_valid_from") or "dbt_valid_from",
        valid_to=meta.get("valid_to") or renamed.get("dbt_valid_to") or "dbt_valid_to",
        valid_to_current=config.get("dbt_valid_to_current"),
        entity=list(meta.get("entity") or []),
    )


def _snapshot_of_each_source(manifest: dict) -> dict[str, RelationCut]:
    """source id → the snapshot that records its history (a snapshot that reads that source alone)."""
    found: dict[str, RelationCut] = {}
    snapshots = {n["unique_id"]: n for n in manifest["nodes"].values() if n["resource_type"] == "snapshot"}
    for uid, node in sorted(snapshots.items()):
        reads = node.get("depends_on", {}).get("nodes", [])
        if len(reads) == 1 and reads[0].startswith("source."):
            found.setdefault(reads[0], snapshot_cut(node))
    return found


def _parents_first(cuts: dict[str, RelationCut]) -> list[RelationCut]:
    ordered: list[RelationCut] = []
    placed: set[str] = set()

    def place(uid: str, chain: tuple[str, ...] = ()) -> None:
        if uid in placed:
            return
        if uid in chain:
            raise UsageError(
                f"source {cuts[uid].relation}: belongs_to forms a cycle ({' -> '.join(cuts[c].relation for c in chain)})",
                "a belongs_to chain must end at a source with event_ts/known_at",
            )
        parent = cuts[uid].parent
        if parent:
            place(parent, (*chain, uid))
        placed.add(uid)
        ordered.append(cuts[uid])

    for uid in sorted(cuts):
        place(uid)
    return ordered
