"""Build the analyser's inputs from SQL files with Jinja, without dbt (fast corpus tests).

``ref('x')`` renders to ``main.x``, ``source('s', 't')`` to ``s.t`` and ``var('as_of')`` to the
as-of date — the same shapes dbt's compiled SQL has. Roles and columns come from a YAML file
shaped like dbt's (``relations: [{name, schema?, columns, meta: {sqltrain: …}}]``). The real
manifest path is exercised separately by ``test_dbt_compile.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
import yaml

from sqltrain.leakage.inputs import ModelSource, ProjectInputs, RelationInfo
from sqltrain.leakage.roles import ProjectRoles, Role

AS_OF = "2025-12-01"
HEADER = re.compile(r"^--\s*(expect|meta|note):\s*(.*)$", re.M)


def render(raw: str) -> tuple[str, list[str]]:
    refs: list[str] = []
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)

    def ref(name):
        refs.append(name)
        return f"main.{name}"

    def source(schema, name):
        refs.append(name)
        return f"{schema}.{name}"

    def var(name, default=None):
        return {"as_of": AS_OF}.get(name, default)

    sql = env.from_string(raw).render(ref=ref, source=source, var=var, config=lambda **kw: "")
    return sql, refs


def header(raw: str) -> dict[str, str]:
    return {m.group(1): m.group(2).strip() for m in HEADER.finditer(raw)}


def relations_from_yaml(path: Path) -> dict[str, RelationInfo]:
    spec = yaml.safe_load(path.read_text())
    infos = {}
    for item in spec["relations"]:
        schema = item.get("schema", "main")
        meta = (item.get("meta") or {}).get("sqltrain") or {}
        rtype = item.get("resource_type", "model" if schema == "main" else "source")
        uid = f"{rtype}.fixture.{item['name']}"
        infos[uid] = RelationInfo(uid, item["name"], (schema, item["name"]), Role.from_meta(item["name"], rtype, meta),
                                  {c.lower(): "text" for c in item.get("columns", [])})
    return infos


def build_inputs(models: dict[str, str], relations: dict[str, RelationInfo], config: dict | None = None,
                 paths: dict[str, str] | None = None) -> ProjectInputs:
    """``models``: name -> raw SQL (with an optional ``-- meta: {...}`` header line)."""
    relations = dict(relations)
    sources = []
    for name, raw in models.items():
        sql, refs = render(raw)
        meta = yaml.safe_load(header(raw).get("meta", "{}")) or {}
        uid = f"model.fixture.{name}"
        relations[uid] = RelationInfo(uid, name, ("main", name), Role.from_meta(name, "model", meta), {})
        deps = [f"model.fixture.{r}" for r in refs if r in models]
        sources.append(ModelSource(name, uid, (paths or {}).get(name, f"models/{name}.sql"), raw, sql, deps))
    roles = ProjectRoles({i.name: i.role for i in relations.values()})
    return ProjectInputs(models=sources, relations=relations, roles=roles, config=config or {})
