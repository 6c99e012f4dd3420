"""A throw-away dbt project that installs this repository by local path and compiles macro calls.

The macro property tests (tests/macros, tests/spark) and the macro benchmark (``python -m bench.macros``)
compile their model variants with :func:`compile_models`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
PROJECT_NAME = "sqltrain_macro_models"


def compile_models(workdir: Path, models: dict[str, str], flavours: dict[str, dict[str, Any]],
                   project_vars: dict[str, Any] | None = None) -> dict[str, dict[str, str]]:
    """Compile model bodies in a tmp dbt project that installs this repository by local path.

    ``flavours`` maps a name to the --vars of one compile run (e.g. ``{'portable':
    {'sqltrain_portable': True}}``); returns ``{model: {flavour: compiled_sql}}``.
    """
    from dbt.cli.main import dbtRunner

    project = workdir / "macro_project"
    (project / "models").mkdir(parents=True)
    (project / "dbt_project.yml").write_text(yaml.safe_dump({
        "name": PROJECT_NAME, "version": "0.1.0", "config-version": 2, "profile": PROJECT_NAME,
        "vars": project_vars or {},
        # The package is also the demo project: its models and snapshots are not ours to build.
        "models": {"sqltrain": {"+enabled": False}},
        "snapshots": {"sqltrain": {"+enabled": False}},
    }))
    (project / "profiles.yml").write_text(yaml.safe_dump({PROJECT_NAME: {
        "target": "dev",
        "outputs": {"dev": {"type": "duckdb", "path": str(workdir / "compile.duckdb"), "threads": 1,
                            "settings": {"TimeZone": "UTC"}}},
    }}))
    (project / "packages.yml").write_text(yaml.safe_dump({"packages": [{"local": str(REPO)}]}))
    for name, body in models.items():
        (project / "models" / f"{name}.sql").write_text(body)

    common = ["--project-dir", str(project), "--profiles-dir", str(project),
              "--log-path", str(workdir / "logs"), "--quiet"]
    runner = dbtRunner()
    _must(runner.invoke(["deps", *common]), "deps")
    out: dict[str, dict[str, str]] = {name: {} for name in models}
    for flavour, dbt_vars in flavours.items():
        target = workdir / f"target_{flavour}"
        args = ["compile", *common, "--target-path", str(target), "--select", PROJECT_NAME]
        if dbt_vars:
            args += ["--vars", json.dumps(dbt_vars)]
        _must(runner.invoke(args), "compile")
        for name in models:
            out[name][flavour] = (target / "compiled" / PROJECT_NAME / "models" / f"{name}.sql").read_text()
    return out


def _must(result, what: str) -> None:
    if not result.success:
        raise RuntimeError(f"dbt {what} of the macro project failed: {result.exception}")
