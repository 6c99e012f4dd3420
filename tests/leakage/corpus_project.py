"""Turn the labelled corpus into a real dbt project and compile it with dbt.

Every corpus model goes through the same path as a user's project: dbt renders the Jinja
(``ref``, ``var``, the sqltrain macros' own output), writes ``target/manifest.json``, and the
analyser reads ``compiled_code`` and the ``meta.sqltrain`` roles from it. The relations the
cases read (``corpus/relations.yml``) become stub models carrying their roles.

The project is named ``sqltrain`` so that ``sqltrain.point_in_time_join`` resolves to a copy of
the repository's macro library, exactly as the demo uses it.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).parent
CORPUS = HERE / "corpus"
REPO = HERE.parent.parent
EXPECT = re.compile(r"^--\s*expect:\s*(.+)$", re.M)
META = re.compile(r"^--\s*meta:\s*(.+)$", re.M)


@dataclass
class Case:
    name: str
    group: str             # "leaky" | "clean" | "upstream"
    expected: frozenset    # rule codes; empty for clean cases
    path: Path


def corpus_cases() -> list[Case]:
    cases = []
    for group in ("leaky", "clean", "upstream"):
        for path in sorted((CORPUS / group).glob("*.sql")):
            text = path.read_text()
            match = EXPECT.search(text)
            codes = frozenset() if not match or match.group(1).strip() == "clean" else frozenset(
                c.strip() for c in match.group(1).split(","))
            cases.append(Case(path.stem, group, codes, path))
    return cases


def write_project(dest: Path) -> Path:
    """Write the corpus as a dbt project at ``dest``; returns ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "dbt_project.yml").write_text(yaml.safe_dump({
        "name": "sqltrain", "version": "0.1.0", "config-version": 2, "profile": "corpus",
        "model-paths": ["models"], "macro-paths": ["macros"],
        "vars": {"as_of": "2025-12-01"},
        "models": {"sqltrain": {"+materialized": "view"}},
    }, sort_keys=False))
    (dest / "profiles.yml").write_text(yaml.safe_dump({"corpus": {"target": "dev", "outputs": {"dev": {
        "type": "duckdb", "path": str(dest / "corpus.duckdb"), "threads": 1, "settings": {"TimeZone": "UTC"}}}}}))
    if (dest / "macros").exists():
        shutil.rmtree(dest / "macros")
    shutil.copytree(REPO / "macros", dest / "macros")
    base = dest / "models" / "base"
    base.mkdir(parents=True, exist_ok=True)
    spec = yaml.safe_load((CORPUS / "relations.yml").read_text())
    entries = []
    for rel in spec["relations"]:
        columns = ", ".join(f"null as {c}" for c in rel["columns"])
        (base / f"{rel['name']}.sql").write_text(f"select {columns}\n")
        entry = {"name": rel["name"], "columns": [{"name": c} for c in rel["columns"]]}
        if rel.get("meta"):
            entry["config"] = {"meta": rel["meta"]}
        entries.append(entry)
    (base / "_base.yml").write_text(yaml.safe_dump({"version": 2, "models": entries}, sort_keys=False))
    cases_dir = dest / "models" / "cases"
    cases_dir.mkdir(parents=True, exist_ok=True)
    case_entries = []
    for case in corpus_cases():
        text = case.path.read_text()
        (cases_dir / f"{case.name}.sql").write_text(text)
        meta = META.search(text)
        if meta:
            case_entries.append({"name": case.name, "config": {"meta": {"sqltrain": yaml.safe_load(meta.group(1))}}})
    (cases_dir / "_cases.yml").write_text(yaml.safe_dump({"version": 2, "models": case_entries}, sort_keys=False))
    return dest
