"""A user's dbt project, as `sqltrain check` meets it: written from Python, compiled by real dbt.

``write_user_project(dest, relations, models)`` writes a project named ``sqltrain`` (so
``sqltrain.<macro>`` resolves to a copy of the repository's macro library, as in the corpus) whose
relations are dbt sources in schemas of their own, declared with or without roles and column
lists, and whose models are given as raw Jinja SQL. There is never a ``catalog.json``.

A model body names the relations it reads as ``ref('<name>')`` of the *logical* relation (the
``it_events`` of docs/macros.md); ``bind`` turns those into the concrete ``source()`` (or staging
``ref()``) of one declaration variant, so the same documented text is checked under each.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import yaml

REPO = Path(__file__).resolve().parents[2]
REF = re.compile(r"""ref\(\s*['"](\w+)['"]\s*\)""")


@dataclass(frozen=True)
class Relation:
    """A logical relation the models read: its roles and its columns."""

    name: str
    roles: dict | None
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Variant:
    """How a project declares its relations.

    ``roles``: roles in meta; ``columns``: names of the relations whose column list is declared;
    ``staging``: models read ``ref('<variant>__<name>')``, a ``select *`` staging model over the
    source, which carries the roles (the source then declares nothing).
    """

    name: str
    roles: bool = True
    columns: frozenset = frozenset()
    staging: bool = False

    def table(self, relation: str) -> str:
        """The source table's name: unique across variants, so a message naming it is unambiguous."""
        return f"{self.name}_{relation}"

    def bind(self, sql: str, relations: dict[str, Relation], models: set[str] = frozenset()) -> str:
        """``ref('it_events')`` -> this variant's relation; ``ref('m')`` of a model of the variant -> its name."""

        def repl(match: re.Match) -> str:
            name = match.group(1)
            if name in relations:
                if self.staging:
                    return f"ref('{self.name}__{name}')"
                return f"source('{self.name}', '{self.table(name)}')"
            if name in models:
                return f"ref('{self.name}__{name}')"
            return match.group(0)

        return REF.sub(repl, sql)


@dataclass
class UserProject:
    root: Path
    variants: list[Variant]
    relations: dict[str, Relation]
    models: dict[str, str] = field(default_factory=dict)     # model name -> raw SQL as written


def write_user_project(dest: Path, relations: list[Relation], variants: list[Variant],
                       models: dict[str, tuple[str, dict | None]], as_of: str = "2025-03-01") -> UserProject:
    """``models``: logical name -> (Jinja SQL reading logical relations, meta.sqltrain or None).
    Each variant gets its own copy of every model, named ``<variant>__<name>``."""
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "dbt_project.yml").write_text(yaml.safe_dump({
        "name": "sqltrain", "version": "0.1.0", "config-version": 2, "profile": "user",
        "model-paths": ["models"], "macro-paths": ["macros"], "vars": {"as_of": as_of},
        "models": {"sqltrain": {"+materialized": "view"}},
    }, sort_keys=False))
    (dest / "profiles.yml").write_text(yaml.safe_dump({"user": {"target": "dev", "outputs": {"dev": {
        "type": "duckdb", "path": str(dest / "user.duckdb"), "threads": 1, "settings": {"TimeZone": "UTC"}}}}}))
    duckdb.connect(str(dest / "user.duckdb")).close()  # the (empty) warehouse: sqltrain never creates one
    shutil.copytree(REPO / "macros", dest / "macros", dirs_exist_ok=True)
    by_name = {r.name: r for r in relations}
    project = UserProject(dest, variants, by_name)
    for variant in variants:
        folder = dest / "models" / variant.name
        folder.mkdir(parents=True, exist_ok=True)
        tables, entries = [], []
        for rel in relations:
            table: dict = {"name": variant.table(rel.name)}
            if rel.name in variant.columns:
                table["columns"] = [{"name": c} for c in rel.columns]
            if variant.roles and rel.roles and not variant.staging:
                table["config"] = {"meta": {"sqltrain": rel.roles}}
            tables.append(table)
            if variant.staging:
                name = f"{variant.name}__{rel.name}"
                (folder / f"{name}.sql").write_text(f"select * from {{{{ source('{variant.name}', '{variant.table(rel.name)}') }}}}\n")
                entry: dict = {"name": name}
                if variant.roles and rel.roles:
                    entry["config"] = {"meta": {"sqltrain": rel.roles}}
                entries.append(entry)
        for name, (sql, meta) in models.items():
            full = f"{variant.name}__{name}"
            text = variant.bind(sql, by_name, set(models))
            (folder / f"{full}.sql").write_text(text)
            project.models[full] = text
            if meta:
                entries.append({"name": full, "config": {"meta": {"sqltrain": meta}}})
        (folder / "_schema.yml").write_text(yaml.safe_dump({
            "version": 2, "sources": [{"name": variant.name, "schema": variant.name, "tables": tables}],
            "models": entries}, sort_keys=False))
    return project
