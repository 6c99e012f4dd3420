"""The linters hold the line in `make test`: ruff over src/ and bench/, sqlfluff over models/ and macros/.

Their configuration is the repository's (pyproject.toml's [tool.ruff], .sqlfluff, macros/.sqlfluff),
and their versions are pinned in the `test` extra, so a new release's new rule never fails the
suite on its own. Each linter is also shown a planted violation, so a configuration that silently
checks nothing (a wrong path, a templater that renders nothing) fails here too.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def _ruff(*args: str) -> subprocess.CompletedProcess:
    return _run("ruff", "check", "--no-cache", "--output-format", "concise", "--config", str(REPO / "pyproject.toml"), *args)


def _sqlfluff(*paths: str) -> list[str]:
    """sqlfluff's violations as `path:line:col: CODE message` lines (templating failures included)."""
    done = _run("sqlfluff", "lint", *paths, "--format", "json", "--nocolor", "--disable-progress-bar")
    assert done.returncode in (0, 1), done.stderr
    return [f"{f['filepath']}:{v.get('start_line_no')}:{v.get('start_line_pos')}: {v['code']} {v['description']}"
            for f in json.loads(done.stdout) for v in f["violations"]]


def test_ruff_finds_nothing_in_src():
    done = _ruff("src", "bench")
    assert done.returncode == 0, f"ruff check src bench:\n{done.stdout}{done.stderr}"


def test_sqlfluff_finds_nothing_in_models_and_macros():
    found = _sqlfluff("models", "macros")
    assert not found, "sqlfluff lint models macros:\n" + "\n".join(found)


def test_ruff_enforces_the_complexity_limit(tmp_path):
    branches = "\n".join(f"    if x == {i}:\n        return {i}" for i in range(13))
    planted = tmp_path / "too_complex.py"
    planted.write_text(f"def pick(x):\n{branches}\n    return None\n")
    done = _ruff(str(planted))
    assert done.returncode == 1 and "C901" in done.stdout, done.stdout + done.stderr


def test_sqlfluff_lints_a_model_through_the_jinja_templater(tmp_path):
    """A model calling a sqltrain macro renders (the stand-ins of tests/lint/) and its own SQL is
    linted, with the repository's configuration (copied: the repository is never written)."""
    shutil.copy(REPO / ".sqlfluff", tmp_path / ".sqlfluff")
    shutil.copytree(REPO / "tests" / "lint", tmp_path / "tests" / "lint")
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "probe.sql").write_text(
        "{{ config(materialized='table') }}\n"
        "with s as ({{ sqltrain.label_window(spine=ref('x'), horizon='30 days') }})\n"
        "SELECT a,b FROM s\n")
    found = _run("sqlfluff", "lint", "models", "--format", "json", "--nocolor", "--disable-progress-bar", cwd=tmp_path)
    codes = {v["code"] for f in json.loads(found.stdout) for v in f["violations"]}
    assert "TMP" not in codes and {"CP01", "LT01"} <= codes, found.stdout


def test_the_linters_are_pinned_alike_in_the_test_extra_and_constraints():
    import tomllib
    from importlib.metadata import version

    extra = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["optional-dependencies"]["test"]
    constraints = (REPO / "constraints.txt").read_text().splitlines()
    for tool in ("ruff", "sqlfluff"):
        pinned = [req for req in extra if req.startswith(f"{tool}==")]
        assert pinned and pinned[0] in constraints, f"{tool}: pin it exactly, the same in pyproject.toml and constraints.txt"
        assert pinned[0] == f"{tool}=={version(tool)}", f"{tool} {version(tool)} is installed, {pinned[0]} pinned: make install"
