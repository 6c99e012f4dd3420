"""Fixtures of the macro property tests: the variants compiled once per session, one DuckDB."""

from __future__ import annotations

import pytest

from macro_harness import CASES, TIME_TRAVEL_CASES, Tables, compile_variants
from macro_variants import ALL


@pytest.fixture(scope="session")
def compiled(tmp_path_factory) -> dict[str, dict[str, str]]:
    """{variant: {'duckdb': sql, 'portable': sql}} for every variant of macro_variants."""
    workdir = tmp_path_factory.mktemp("macro_properties")
    return compile_variants(workdir, {name: (macro, args) for name, (macro, args, _) in ALL.items()})


@pytest.fixture(scope="session")
def tables() -> Tables:
    return Tables()


def pytest_terminal_summary(terminalreporter):
    if CASES or TIME_TRAVEL_CASES:
        terminalreporter.section("sqltrain macro property tests")
        for macro, count in sorted(CASES.items()):
            terminalreporter.write_line(
                f"{macro}: {count} generated cases matched the oracle, DuckDB and portable implementations alike")
        for macro, count in sorted(TIME_TRAVEL_CASES.items()):
            terminalreporter.write_line(
                f"{macro}: {count} generated cases gave the same output as of D after deleting every record after D")
