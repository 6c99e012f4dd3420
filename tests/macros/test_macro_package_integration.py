"""The package used the way users use it: integration_tests/ installs this repository through
packages.yml (local path) and `dbt build` runs its unit tests and equality tests, once with the
DuckDB implementations and once with the portable ones (var sqltrain_portable)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def integration_project(tmp_path_factory) -> Path:
    """A copy of integration_tests/ whose packages.yml points at this repository by absolute path
    (the copy no longer sits beside the repository, so `../` would not reach it)."""
    root = tmp_path_factory.mktemp("integration") / "integration_tests"
    shutil.copytree(REPO / "integration_tests", root,
                    ignore=shutil.ignore_patterns("target", "dbt_packages", "logs", "*.duckdb*", "package-lock.yml"))
    packages = yaml.safe_load((root / "packages.yml").read_text())
    assert packages["packages"] == [{"local": "../"}], "integration_tests must install sqltrain by local path"
    (root / "packages.yml").write_text(yaml.safe_dump({"packages": [{"local": str(REPO)}]}))
    return root


def _dbt(project: Path, command: str, *args: str, target: Path):
    from dbt.cli.main import dbtRunner

    paths = ["--target-path", str(target)] if command != "deps" else []
    return dbtRunner().invoke([command, *args, "--project-dir", str(project), "--profiles-dir", str(project),
                               *paths, "--log-path", str(target), "--quiet"])


def test_the_integration_project_needs_no_switch_for_the_demo():
    """No `+enabled` in the installing project: the demo turns itself off when sqltrain is a package."""
    config = (REPO / "integration_tests" / "dbt_project.yml").read_text()
    assert "enabled" not in config
    assert "sqltrain" not in (yaml.safe_load(config).get("models") or {})


@pytest.mark.slow
@pytest.mark.parametrize("portable", [False, True], ids=["duckdb", "portable"])
def test_integration_project_builds_and_passes(integration_project, tmp_path, monkeypatch, portable):
    monkeypatch.setenv("SQLTRAIN_IT_WAREHOUSE", str(tmp_path / "it.duckdb"))
    target = tmp_path / "target"
    deps = _dbt(integration_project, "deps", target=target)
    assert deps.success, deps.exception
    extra = ["--vars", json.dumps({"sqltrain_portable": True})] if portable else []
    result = _dbt(integration_project, "build", *extra, target=target)
    failed = [f"{r.node.name}: {r.status} {r.message}" for r in (result.result or []) if str(r.status) not in ("success", "pass")]
    assert result.success and not failed, failed or result.exception

    # installed as a package, sqltrain brings macros and generic tests only: none of its demo ran
    assert not [r.node.unique_id for r in result.result if r.node.package_name == "sqltrain"]

    statuses = {r.node.resource_type: 0 for r in result.result}
    for r in result.result:
        statuses[r.node.resource_type] += 1
    assert statuses.get("unit_test", 0) >= 15 and statuses.get("test", 0) >= 7, statuses

    compiled = (target / "compiled" / "sqltrain_integration_tests" / "models" / "pit" / "test_point_in_time_join__latest.sql").read_text().lower()
    assert ("asof" in compiled) is (not portable), "the var sqltrain_portable did not pick the implementation"
