"""Fixtures of the leakage tests: the corpus compiled once per session by real dbt."""

from __future__ import annotations

import pytest

from corpus_project import write_project


@pytest.fixture(scope="session")
def compiled_corpus(tmp_path_factory):
    """(Project, ProjectInputs) of the corpus after a real `dbt compile`."""
    from sqltrain.dbt_invoke import invoke
    from sqltrain.leakage import load_project_inputs
    from sqltrain.project import Project

    root = write_project(tmp_path_factory.mktemp("corpus") / "project")
    project = Project.open(root, root)
    invoke(project, ["compile"])
    return project, load_project_inputs(project)
