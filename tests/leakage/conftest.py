"""Fixtures of the leakage tests: each corpus project compiled once per session by real dbt."""

from __future__ import annotations

import pytest

from corpus_project import write_project


def _compile(tmp_path_factory, name: str):
    from sqltrain.dbt_invoke import invoke
    from sqltrain.leakage import load_project_inputs
    from sqltrain.project import Project

    root = write_project(tmp_path_factory.mktemp(f"corpus_{name}") / "project", name)
    project = Project.open(root, root)
    invoke(project, ["compile"])
    return project, load_project_inputs(project)


@pytest.fixture(scope="session")
def compiled_corpus(tmp_path_factory):
    """(Project, ProjectInputs) of the main corpus (columns declared) after a real `dbt compile`."""
    return _compile(tmp_path_factory, "main")


@pytest.fixture(scope="session")
def compiled_nocatalog_corpus(tmp_path_factory):
    """(Project, ProjectInputs) of the corpus whose sources declare no columns (and no catalog.json)."""
    return _compile(tmp_path_factory, "nocatalog")
