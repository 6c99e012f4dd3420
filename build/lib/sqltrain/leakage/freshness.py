"""Is ``target/manifest.json`` fresh enough to check without running ``dbt compile`` again?

It is when it holds compiled SQL for every model to check and no file dbt compiles from
(models, macros, snapshots, seeds' YAML, dbt_project.yml, packages) changed since it was written.
`dbt compile` of a large project costs far more than the analysis, so `sqltrain check` only
compiles when this says no.
"""

from __future__ import annotations

import json
from pathlib import Path

WATCHED_SUFFIXES = {".sql", ".yml", ".yaml", ".md", ".csv", ".py"}


def manifest_is_fresh(project, target_path: Path | None = None, select: list[str] | None = None) -> bool:
    target = Path(target_path or project.target_path)
    manifest_path = target / "manifest.json"
    if not manifest_path.is_file():
        return False
    written = manifest_path.stat().st_mtime
    if any(path.stat().st_mtime > written for path in _inputs(project)):
        return False
    try:
        manifest = json.loads(manifest_path.read_text())
    except (OSError, ValueError):
        return False
    wanted = {t.strip("+") for s in (select or []) for t in s.replace(",", " ").split()}
    for node in manifest.get("nodes", {}).values():
        if node.get("resource_type") != "model" or node.get("package_name") != project.name:
            continue
        if (not wanted or node.get("name") in wanted) and not node.get("compiled_code"):
            return False                       # written by `dbt parse`, or compiled for other models
    return True


def _inputs(project) -> list[Path]:
    root = Path(project.project_dir)
    config = project.config
    folders = [*config.get("model-paths", ["models"]), *config.get("macro-paths", ["macros"]),
               *config.get("snapshot-paths", ["snapshots"]), *config.get("seed-paths", ["seeds"]), "dbt_packages"]
    files = [root / name for name in ("dbt_project.yml", "packages.yml", "dependencies.yml")]
    for folder in folders:
        base = root / folder
        if base.is_dir():
            files.extend(p for p in base.rglob("*") if p.suffix in WATCHED_SUFFIXES and p.is_file())
    return [f for f in files if f.is_file()]
