"""Load what the analyser reads: compiled SQL, raw Jinja, roles and column lists of every relation.

The inputs come from dbt's ``target/manifest.json`` (``compiled_code`` after ``dbt compile``) and,
when present, ``target/catalog.json`` (column lists for ``*`` expansion of sources). Models'
own output columns are derived by the analyser itself, in dependency order.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..project import sqltrain_meta_of
from .roles import ProjectRoles, Role


@dataclass
class ModelSource:
    """One model to analyse."""

    name: str
    unique_id: str
    path: str                     # source file, relative to the project (e.g. models/x.sql)
    raw_code: str
    compiled_code: str
    depends_on: list[str] = field(default_factory=list)


@dataclass
class RelationInfo:
    """A relation the models may read: its key in compiled SQL, its role and known columns."""

    unique_id: str
    name: str
    key: tuple[str, ...]          # lower-cased (catalog, schema, identifier) parts
    role: Role
    columns: dict[str, str] = field(default_factory=dict)


@dataclass
class ProjectInputs:
    """Everything the analyser needs, independent of where it came from (manifest or test fixture)."""

    models: list[ModelSource]
    relations: dict[str, RelationInfo]          # unique_id -> info
    roles: ProjectRoles
    config: dict[str, Any] = field(default_factory=dict)  # vars.sqltrain.check
    dialect: str = "duckdb"                                # sqlglot dialect of the compiled SQL

    def relation_by_parts(self) -> dict[tuple[str, ...], RelationInfo]:
        index: dict[tuple[str, ...], RelationInfo] = {}
        for info in self.relations.values():
            for n in range(1, len(info.key) + 1):
                index.setdefault(info.key[-n:], info)
        return index


# dbt adapter type -> sqlglot dialect, where their names differ; others are the same name
_DIALECTS = {"spark": "spark", "databricks": "databricks", "postgres": "postgres", "redshift": "redshift",
             "snowflake": "snowflake", "bigquery": "bigquery", "trino": "trino", "duckdb": "duckdb"}


def sqlglot_dialect(adapter_type: str | None) -> str:
    """The sqlglot dialect that parses SQL compiled by the dbt adapter ``adapter_type`` (default DuckDB)."""
    return _DIALECTS.get((adapter_type or "duckdb").lower(), "duckdb")


def relation_key(relation_name: str | None, fallback: str) -> tuple[str, ...]:
    """``"db"."main"."orders"`` -> ``("db", "main", "orders")``."""
    if not relation_name:
        return (fallback.lower(),)
    parts, current, quoted = [], "", False
    for ch in relation_name:
        if ch == '"':
            quoted = not quoted
        elif ch == "." and not quoted:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return tuple(p.strip().lower() for p in parts if p.strip())


def load_manifest_inputs(manifest: dict[str, Any], project_name: str, catalog: dict[str, Any] | None = None,
                         check_config: dict[str, Any] | None = None) -> ProjectInputs:
    """Build the analyser's inputs from a dbt manifest (and optional catalog)."""
    relations: dict[str, RelationInfo] = {}
    models: list[ModelSource] = []
    catalog_nodes = {**(catalog or {}).get("nodes", {}), **(catalog or {}).get("sources", {})}
    everything = {**manifest.get("nodes", {}), **manifest.get("sources", {})}
    for uid, node in everything.items():
        rtype = node.get("resource_type")
        if rtype not in ("model", "source", "snapshot", "seed"):
            continue
        name = node.get("name")
        meta = dict(node.get("source_meta") or {}).get("sqltrain", {}) if rtype == "source" else {}
        meta = {**meta, **sqltrain_meta_of(node)}
        columns = {c.lower(): (v.get("data_type") or "text") for c, v in (node.get("columns") or {}).items()}
        cat = catalog_nodes.get(uid)
        if cat:
            columns = {c.lower(): (v.get("type") or "text") for c, v in cat.get("columns", {}).items()} or columns
        relations[uid] = RelationInfo(
            unique_id=uid, name=name, key=relation_key(node.get("relation_name"), name),
            role=Role.from_meta(name, rtype, meta), columns=columns,
        )
        if rtype == "model" and node.get("package_name") == project_name and node.get("language", "sql") == "sql":
            models.append(ModelSource(
                name=name, unique_id=uid, path=node.get("original_file_path") or node.get("path") or name,
                raw_code=node.get("raw_code") or "", compiled_code=node.get("compiled_code") or "",
                depends_on=list((node.get("depends_on") or {}).get("nodes") or []),
            ))
    roles = ProjectRoles({info.name: info.role for info in relations.values()})
    return ProjectInputs(models=models, relations=relations, roles=roles, config=check_config or {},
                         dialect=sqlglot_dialect(manifest.get("metadata", {}).get("adapter_type")))


def load_project_inputs(project, target_path: Path | None = None) -> ProjectInputs:
    """Inputs of a ``sqltrain.project.Project`` from its target directory."""
    target = Path(target_path or project.target_path)
    if not (target / "manifest.json").is_file():
        from ..errors import UsageError

        raise UsageError(f"{target / 'manifest.json'}: no dbt manifest",
                         "run `sqltrain check` without --no-compile (or `dbt compile`) first")
    with open(target / "manifest.json") as fh:
        manifest = json.load(fh)
    catalog = None
    if (target / "catalog.json").is_file():
        with open(target / "catalog.json") as fh:
            catalog = json.load(fh)
    check_config = ((project.config.get("vars") or {}).get("sqltrain") or {}).get("check") or {}
    return load_manifest_inputs(manifest, project.name, catalog, check_config)
