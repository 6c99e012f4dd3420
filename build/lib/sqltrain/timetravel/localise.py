"""Walk the DAG to the models where the two builds first part ways.

Upstream models are not built "as of D": a staging view over all orders has more rows on the full
warehouse than on the truncated copy, by construction. So each model is compared on what *should*
agree, chosen from what it declares:

- ``all rows`` — the model itself and models of kind ``training_set`` or ``spine``, which are
  built as of D and must be identical;
- ``rows known at D`` — models declaring ``event_ts``/``known_at``: the rows with both <= D;
- ``versions at D`` — snapshots, read as they stood at D (later versions dropped, later ends open);
- ``copy ⊆ full`` — any other model: the rows built on the copy must all exist on the full build
  (deleting later input may remove rows, never change one);
- ``not compared`` — models declaring ``mutable: true`` (current state: they differ by design) and
  ephemeral models (no table).

A *culprit* differs while none of its compared parents does: the first place later data got in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..project import sqltrain_meta_of
from ..sqlquote import identifier
from .copy import blank_later_columns, known_by, scd2_as_of, timestamp_literal
from .diff import TableDiff, columns_of, multiset_diff
from .plan import ancestors, snapshot_cut

ALL_ROWS = "all rows"
KNOWN_AT_D = "rows known at D"
VERSIONS_AT_D = "versions at D"
SUBSET = "copy ⊆ full"
NOT_COMPARED = "not compared"
AS_OF_KINDS = ("training_set", "spine")


@dataclass
class NodeCheck:
    """How one upstream node compared between the two builds."""

    unique_id: str
    name: str
    how: str
    differs: bool | None = None
    diff: TableDiff | None = None
    parents: tuple[str, ...] = ()
    culprit: bool = False


def walk(con, manifest: dict[str, Any], model_id: str, full_db: str, cut_db: str, at: datetime,
         model_diff: TableDiff | None = None) -> list[NodeCheck]:
    """Compare every model and snapshot upstream of ``model_id`` (parents first) and mark the culprits.

    ``model_diff``, the diff of the model itself when the caller already has it, is not recomputed.
    """
    parent_map = manifest["parent_map"]
    checks: dict[str, NodeCheck] = {}
    for uid in ancestors(manifest, model_id):
        node = manifest["nodes"].get(uid)
        if node is None or node["resource_type"] not in ("model", "snapshot", "seed"):
            continue
        how = _how(node, uid == model_id)
        parents = tuple(p for p in parent_map.get(uid, []) if p in checks)
        check = NodeCheck(uid, node["name"], how, parents=parents)
        if uid == model_id and model_diff is not None:
            check.diff, check.differs = model_diff, not model_diff.identical
        elif how != NOT_COMPARED:
            later = _columns_known_later(con, manifest, uid, node, full_db) if how == KNOWN_AT_D else {}
            full, cut = (_view(node, how, db, at, later) for db in (full_db, cut_db))
            check.diff = multiset_diff(con, full, cut, node["name"])
            check.differs = bool(check.diff.only_truncated) if how == SUBSET else not check.diff.identical
        checks[uid] = check
    for check in checks.values():
        check.culprit = bool(check.differs) and not any(checks[p].differs for p in check.parents)
    return list(checks.values())


def _how(node: dict[str, Any], is_target: bool) -> str:
    meta = sqltrain_meta_of(node)
    if node["resource_type"] == "snapshot":
        return VERSIONS_AT_D
    if node.get("config", {}).get("materialized") == "ephemeral":
        return NOT_COMPARED
    if is_target or meta.get("kind") in AS_OF_KINDS or node["resource_type"] == "seed":
        return ALL_ROWS
    if meta.get("mutable"):
        return NOT_COMPARED
    if meta.get("event_ts") or meta.get("known_at"):
        return KNOWN_AT_D
    return SUBSET


def _columns_known_later(con, manifest: dict[str, Any], uid: str, node: dict[str, Any], db: str) -> dict[str, str]:
    """``column_known_at`` of a model: its own, else its source parents' for the columns it kept by name.

    Those columns are blank on the truncated copy until their time (see copy.py); the comparison
    blanks them on both sides, or a staging model would differ by construction.
    """
    declared = sqltrain_meta_of(node).get("column_known_at")
    if declared is None:
        declared = {}
        for parent in manifest["parent_map"].get(uid, []):
            declared.update(sqltrain_meta_of(manifest["sources"].get(parent, {})).get("column_known_at") or {})
    if not declared:
        return {}
    present = set(columns_of(con, _relation(node, db)))
    return {c: t for c, t in declared.items() if c in present and t in present}


def _relation(node: dict[str, Any], db: str) -> str:
    return f"{identifier(db)}.{identifier(node['schema'])}.{identifier(node.get('alias') or node['name'])}"


def _view(node: dict[str, Any], how: str, db: str, at: datetime, later: dict[str, str]) -> str:
    """The SQL relation holding what ``how`` compares of ``node`` in database ``db``."""
    relation = _relation(node, db)
    d = timestamp_literal(at)
    meta = sqltrain_meta_of(node)
    if how == KNOWN_AT_D:
        where = known_by([meta.get("event_ts"), meta.get("known_at")], d)
        return f"(select {blank_later_columns(later, d)} from {relation} where {where})"
    if how == VERSIONS_AT_D:
        return f"({scd2_as_of(snapshot_cut(node), relation, d)})"
    return relation
