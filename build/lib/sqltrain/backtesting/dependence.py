"""Which models must be rebuilt for each fold, and which one build serves them all.

A dbt node's table is a function of its compiled SQL and its inputs. A node whose compiled SQL is
the same at two as-of dates, and whose upstream nodes are all in that case too, builds the same
table at every as-of (wall-clock functions are ruled out by the leakage check, LK006). Those nodes
are built once; the nodes whose SQL reads ``var('as_of')`` — directly or through a macro's default
argument, which is why the compiled SQL is compared rather than the model's text — and everything
downstream of them up to the training set are rebuilt per fold.
"""

from __future__ import annotations

import json
from pathlib import Path

REBUILDABLE = ("model", "snapshot", "seed")


def compiled_code_by_node(target_path: Path) -> dict[str, str]:
    """``{unique_id: compiled SQL}`` of the last dbt invocation (its ``run_results.json``)."""
    with open(Path(target_path) / "run_results.json") as fh:
        results = json.load(fh)["results"]
    return {r["unique_id"]: r.get("compiled_code") or "" for r in results}


def upstream_of(manifest: dict, unique_id: str) -> set[str]:
    """``unique_id`` and every node it reads from, transitively."""
    parents = manifest["parent_map"]
    seen, todo = set(), [unique_id]
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(parents.get(node, []))
    return seen


def as_of_dependent(manifest: dict, model_id: str, at_one: dict[str, str], at_other: dict[str, str]) -> list[str]:
    """The nodes feeding ``model_id`` (itself included) whose table can change with the as-of date.

    ``at_one`` and ``at_other`` are the compiled SQL of the nodes at two different as-of dates.
    The training set itself is always included: it is what each fold exports.
    """
    scope = {n for n in upstream_of(manifest, model_id) if n.split(".")[0] in REBUILDABLE}
    # a node only one side compiled is not evidence of change: as-of builds never re-run snapshots
    # (sqltrain.asof_target), so they are compiled by `dbt compile` but absent from a build's results
    changed = {n for n in scope if n in at_one and n in at_other and at_one[n] != at_other[n]} | {model_id}
    children = manifest["child_map"]
    dependent, todo = set(), list(changed)
    while todo:
        node = todo.pop()
        if node in scope and node not in dependent:
            dependent.add(node)
            todo.extend(children.get(node, []))
    return sorted(dependent)


def selection(manifest: dict, unique_ids: list[str]) -> list[str]:
    """dbt ``--select`` arguments naming exactly these nodes (their names)."""
    names = []
    for unique_id in unique_ids:
        node = manifest["nodes"].get(unique_id) or manifest.get("sources", {}).get(unique_id) or {}
        names.append(node.get("name") or unique_id.split(".")[-1])
    return names
