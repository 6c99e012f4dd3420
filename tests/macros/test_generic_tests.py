"""sqltrain's generic dbt tests, used the way users use them: integration_tests/ installs the package
and declares them in YAML. On the passing fixtures `dbt build` passes; with the failing fixtures
switched on, every one of their tests fails and so does the build."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from test_macro_package_integration import _dbt, integration_project  # noqa: F401  (fixture)

pytestmark = pytest.mark.slow

GENERIC = ("spine_preserved", "cutoff_not_after_as_of", "label_mature", "label_rate_between", "no_reads_after_cutoff")


def _build(project: Path, tmp_path: Path, *, must_fail: bool, portable: bool = False):
    target = tmp_path / "target"
    assert _dbt(project, "deps", target=target).success
    variables = {"sqltrain_it_must_fail": must_fail, "sqltrain_portable": portable}
    result = _dbt(project, "build", "--select", "+tag:generic_tests", "+tag:must_fail",
                  "--vars", json.dumps(variables), target=target)
    tests = {r.node.unique_id: r for r in (result.result or []) if r.node.resource_type == "test"}
    return result, tests


def _tagged(tests: dict, tag: str) -> dict:
    return {uid: r for uid, r in tests.items() if tag in r.node.tags}


@pytest.mark.parametrize("portable", [False, True], ids=["duckdb", "portable"])
def test_the_generic_tests_pass_on_correct_training_sets(integration_project, tmp_path, monkeypatch, portable):
    monkeypatch.setenv("SQLTRAIN_IT_WAREHOUSE", str(tmp_path / "it.duckdb"))
    result, tests = _build(integration_project, tmp_path, must_fail=False, portable=portable)
    passing = _tagged(tests, "generic_tests")
    assert result.success, [f"{r.node.name}: {r.status} {r.message}" for r in tests.values() if str(r.status) != "pass"]
    assert not _tagged(tests, "must_fail"), "failing fixtures run only when asked for"
    assert {str(r.status) for r in passing.values()} == {"pass"}
    assert {name for name in GENERIC if any(name in uid for uid in passing)} == set(GENERIC)


def test_each_failing_fixture_fails_the_build(integration_project, tmp_path, monkeypatch):
    monkeypatch.setenv("SQLTRAIN_IT_WAREHOUSE", str(tmp_path / "it.duckdb"))
    result, tests = _build(integration_project, tmp_path, must_fail=True)
    assert not result.success
    failing = _tagged(tests, "must_fail")
    assert len(failing) == 7
    assert {uid: str(r.status) for uid, r in failing.items()} == {uid: "fail" for uid in failing}
    assert all(r.failures and r.failures > 0 for r in failing.values())
    assert {name for name in GENERIC if any(name in uid for uid in failing)} == set(GENERIC)
    assert {str(r.status) for r in _tagged(tests, "generic_tests").values()} == {"pass"}
