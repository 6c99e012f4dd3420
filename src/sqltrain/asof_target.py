"""Where an as-of build goes: a private schema beside the user's, never the user's own tables.

``sqltrain snapshot``, ``validate`` and ``backtest`` rebuild a training set and its upstream as of a
past date D. Built in the target's own schema, that run would leave the as-of-D rows in the tables
the user's ``dbt build`` made (their ``churn_training`` would hold D's rows until the next build).
So the as-of run goes through a private copy of the resolved target whose only change is its
schema, ``<schema>_sqltrain_asof`` (docs/own-warehouse.md#where-the-as-of-build-goes)::

    asof = as_of_project(project)     # same profile and target name, schema suffixed, own target/
    invoke(asof, asof_build_command(asof, "churn_training"), {"as_of": "2025-06-01"})

dbt's ``generate_schema_name`` puts a model's custom schema after the target's, so every model and
seed lands under the suffixed schema. A project whose ``generate_schema_name`` ignores the target
schema would build into its own tables: ``require_private_relations`` refuses that before anything
is built. Snapshots are not re-run (a dbt snapshot records *now*, not D); refs to them resolve,
through dbt's ``--defer`` to the user's parsed manifest, to the tables the user's own runs keep.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from typing import Any

import yaml

from .errors import UsageError
from .project import Project

SCHEMA_SUFFIX = "_sqltrain_asof"
BUILT_TYPES = ("model", "seed")


def parsed_for_sqltrain(project: Project) -> Project:
    """``project`` parsed by dbt into sqltrain's own ``target/sqltrain/parse/`` (reports stay where
    they are): the user's manifest, which the as-of build defers to and is checked against.

    Its own target keeps dbt's partial parse (``partial_parse.msgpack``) apart from the user's:
    a ``dbt build --vars ...`` of the user's and this parse do not force each other to parse the
    whole project again. dbt still re-parses whatever changed (files, vars, profile, dbt_project.yml).
    """
    from .dbt_invoke import invoke

    own = dataclasses.replace(project, target_path=project.reports_dir / "parse" / "target",
                              reports_path=project.reports_dir.parent, _manifest=None, parsed=None)
    invoke(own, ["parse"])
    own.manifest(reload=True)
    return own


def as_of_project(project: Project) -> Project:
    """``project`` seen through a private target: the resolved target with ``schema`` suffixed (and a
    DuckDB ``path`` made absolute), in a throwaway profiles.yml under ``target/sqltrain/asof/``.
    Other values are copied as written (``env_var`` calls stay calls: no secret is written out)."""
    target, output = project.target_output()
    home = project.reports_dir / "asof"
    schema = project.target_value("schema") or ("main" if project.adapter() == "duckdb" else None)
    if not schema:
        raise UsageError(f"{project.profiles_dir / 'profiles.yml'}: target '{target}' has no schema",
                         "set schema: in the target; sqltrain builds as-of runs beside it")
    private = {**output, "schema": f"{schema}{SCHEMA_SUFFIX}"}
    if project.adapter() == "duckdb":
        private["path"] = str(project.warehouse_path())
    profile_name = project.config.get("profile") or project.name
    (home / "profiles").mkdir(parents=True, exist_ok=True)
    (home / "profiles" / "profiles.yml").write_text(
        yaml.safe_dump({profile_name: {"target": target, "outputs": {target: private}}}, sort_keys=False))
    state = home / "state"
    return Project(project.project_dir, home / "profiles", target=target, target_path=home / "target",
                   reports_path=project.reports_dir.parent,
                   build_args=("--exclude-resource-type", "snapshot", "--defer", "--state", str(state)),
                   wait_lock=project.wait_lock)  # the same warehouse file: --wait-lock holds for it too


def prepare_as_of(project: Project, dbt_vars: dict[str, Any] | None = None) -> Project:
    """The private as-of project of ``project`` (whose manifest was just parsed), parsed with
    ``dbt_vars`` and checked: none of its models or seeds is a table of the user's."""
    from .dbt_invoke import invoke

    asof = as_of_project(project)
    keep_state(project, asof)
    invoke(asof, ["parse"], dbt_vars)
    require_private_relations(project.manifest(), asof.manifest(reload=True))
    return asof


def keep_state(project: Project, asof: Project) -> Path:
    """Copy ``project``'s freshly parsed manifest (the user's relations) as the as-of build's
    ``--state``: refs to nodes the as-of run does not build (snapshots) resolve to them."""
    state = Path(asof.build_args[asof.build_args.index("--state") + 1])
    state.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(project.target_path / "manifest.json", state / "manifest.json")
    return state


def require_private_relations(user: dict[str, Any], asof: dict[str, Any]) -> None:
    """Refuse when a model or seed of the as-of manifest has the relation it has in the user's
    (the project's ``generate_schema_name`` ignores ``target.schema``): the build would overwrite it."""
    mine = user.get("nodes", {})
    for unique_id, node in asof.get("nodes", {}).items():
        if node.get("resource_type") not in BUILT_TYPES or not node.get("relation_name"):
            continue
        if (mine.get(unique_id) or {}).get("relation_name") == node["relation_name"]:
            raise UsageError(
                f"{node.get('original_file_path') or unique_id}: an as-of build would write {node['relation_name']}, "
                "the table your own dbt build makes (generate_schema_name ignores target.schema)",
                "make generate_schema_name build on target.schema (dbt's default does) so sqltrain can build "
                f"as-of runs in <schema>{SCHEMA_SUFFIX} (docs/own-warehouse.md#where-the-as-of-build-goes)",
            )
