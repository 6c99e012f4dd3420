"""Static label-leakage analysis of dbt models (``sqltrain check``).

Python API::

    from sqltrain.leakage import check_project
    report = check_project(project)            # a sqltrain.project.Project, after `dbt compile`
    for finding in report.active:
        print(finding.where, finding.code, finding.message)

The analyser is a sequence of passes over each model's qualified SQLGlot tree — load the
manifest, roles and columns (``inputs``), qualify (``analyse``), resolve roles and collect time
bounds, windows and label lineage scope by scope (``facts``, ``bounds``) — followed by the rules
in ``rules/`` that read those facts. See docs/leakage.md.
"""

from __future__ import annotations

from pathlib import Path

from .analyse import analyse, model_facts, resolve_selection
from .findings import Finding, Report
from .inputs import ProjectInputs, load_manifest_inputs, load_project_inputs


def check_project(project, select=None, target_path: Path | None = None) -> Report:
    """Check the models of a compiled dbt project (reads ``target/manifest.json``)."""
    return analyse(load_project_inputs(project, target_path), select)


__all__ = ["Finding", "ProjectInputs", "Report", "analyse", "check_project", "load_manifest_inputs",
           "load_project_inputs", "model_facts", "resolve_selection"]
