"""Turn the labelled corpus into real dbt projects and compile each with dbt.

Every corpus model goes through the same path as a user's project: dbt renders the Jinja
(``ref``, ``source``, ``var``, the sqltrain macros' own output), writes ``target/manifest.json``,
and the analyser reads ``compiled_code`` and the ``meta.sqltrain`` roles from it.

There are two corpus projects, each compiled once per test session:

- ``main`` (``corpus/``): the relations the cases read (``corpus/relations.yml``) become stub
  models carrying their roles and columns; entries with a ``schema`` other than ``main`` become
  dbt sources of that name, with the columns they list.
- ``nocatalog`` (``corpus/nocatalog/``): every relation is a dbt source that declares its roles
  but *no columns*, and there is no ``catalog.json``: the analyser sees column names only where
  the SQL spells them. This is how a new user's project looks before ``dbt docs generate``.

A case is one ``.sql`` file in ``clean/``, ``leaky/`` or ``upstream/`` (read by other cases, not
scored). Its header comments say what it is: ``-- expect: LK001,LK010`` (the rules a correct
analyser reports on it) or ``-- expect: clean``; ``-- meta: {...}`` the model's ``meta.sqltrain``
roles; ``-- why: ...`` on leaky cases, the leak in one line.

The projects are named ``sqltrain`` so that ``sqltrain.point_in_time_join`` resolves to a copy of
the repository's macro library, exactly as the demo uses it.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import yaml

HERE = Path(__file__).parent
CORPUS = HERE / "corpus"
REPO = HERE.parent.parent
EXPECT = re.compile(r"^--\s*expect:\s*(.+)$", re.M)
META = re.compile(r"^--\s*meta:\s*(.+)$", re.M)


PROJECTS = {"main": CORPUS, "nocatalog": CORPUS / "nocatalog"}


@dataclass
class Case:
    name: str
    group: str             # "leaky" | "clean" | "upstream"
    expected: frozenset    # rule codes; empty for clean cases
    path: Path
    project: str = "main"  # which corpus project (PROJECTS) the case belongs to


def corpus_cases(project: str | None = "main") -> list[Case]:
    """The cases of one corpus project, or of every project with ``project=None``."""
    cases = []
    for name in PROJECTS if project is None else (project,):
        for group in ("leaky", "clean", "upstream"):
            for path in sorted((PROJECTS[name] / group).glob("*.sql")):
                text = path.read_text()
                match = EXPECT.search(text)
                codes = frozenset() if not match or match.group(1).strip() == "clean" else frozenset(
                    c.strip() for c in match.group(1).split(","))
                cases.append(Case(path.stem, group, codes, path, name))
    return cases


def write_project(dest: Path, project: str = "main") -> Path:
    """Write one corpus project (``PROJECTS``) as a dbt project at ``dest``; returns ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "dbt_project.yml").write_text(yaml.safe_dump({
        "name": "sqltrain", "version": "0.1.0", "config-version": 2, "profile": "corpus",
        "model-paths": ["models"], "macro-paths": ["macros"],
        "vars": {"as_of": "2025-12-01"},
        "models": {"sqltrain": {"+materialized": "view"}},
    }, sort_keys=False))
    (dest / "profiles.yml").write_text(yaml.safe_dump({"corpus": {"target": "dev", "outputs": {"dev": {
        "type": "duckdb", "path": str(dest / "corpus.duckdb"), "threads": 1, "settings": {"TimeZone": "UTC"}}}}}))
    duckdb.connect(str(dest / "corpus.duckdb")).close()  # the (empty) warehouse: sqltrain never creates one
    if (dest / "macros").exists():
        shutil.rmtree(dest / "macros")
    shutil.copytree(REPO / "macros", dest / "macros")
    _write_relations(dest / "models" / "base", yaml.safe_load((PROJECTS[project] / "relations.yml").read_text()))
    cases_dir = dest / "models" / "cases"
    cases_dir.mkdir(parents=True, exist_ok=True)
    case_entries = []
    for case in corpus_cases(project):
        text = case.path.read_text()
        (cases_dir / f"{case.name}.sql").write_text(text)
        meta = META.search(text)
        if meta:
            case_entries.append({"name": case.name, "config": {"meta": {"sqltrain": yaml.safe_load(meta.group(1))}}})
    (cases_dir / "_cases.yml").write_text(yaml.safe_dump({"version": 2, "models": case_entries}, sort_keys=False))
    return dest


def _write_relations(base: Path, spec: dict) -> None:
    """Stub models (schema ``main``) and dbt sources (any other schema) for ``relations.yml``.

    A stub model selects NULL as each listed column, so its columns are known from its SQL; a
    source lists its columns in YAML only when the entry has ``columns`` (none: no column list).
    """
    base.mkdir(parents=True, exist_ok=True)
    models, sources = [], {}
    for rel in spec["relations"]:
        entry: dict = {"name": rel["name"]}
        if rel.get("columns"):
            entry["columns"] = [{"name": c} for c in rel["columns"]]
        if rel.get("meta"):
            entry["config"] = {"meta": rel["meta"]}
        schema = rel.get("schema", "main")
        if schema == "main":
            columns = ", ".join(f"null as {c}" for c in rel["columns"])
            (base / f"{rel['name']}.sql").write_text(f"select {columns}\n")
            models.append(entry)
        else:
            sources.setdefault(schema, []).append(entry)
    doc: dict = {"version": 2, "models": models}
    if sources:
        doc["sources"] = [{"name": schema, "schema": schema, "tables": tables} for schema, tables in sources.items()]
    (base / "_base.yml").write_text(yaml.safe_dump(doc, sort_keys=False))
