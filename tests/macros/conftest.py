"""Fixtures of the macro property tests: the variants compiled once per session, one DuckDB."""

from __future__ import annotations

import pytest

from macro_harness import Tables, compile_variants
from macro_variants import ALL


@pytest.fixture(scope="session")
def compiled(tmp_path_factory) -> dict[str, dict[str, str]]:
    """{variant: {'duckdb': sql, 'portable': sql}} for every variant of macro_variants."""
    workdir = tmp_path_factory.mktemp("macro_properties")
    return compile_variants(workdir, {name: (macro, args) for name, (macro, args, _) in ALL.items()})


@pytest.fixture(scope="session")
def tables() -> Tables:
    return Tables()
