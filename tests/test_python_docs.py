"""Every ```python block of docs/python.md runs, in order, in one namespace, in a copy of the demo project."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

DOC = Path(__file__).resolve().parents[1] / "docs" / "python.md"


def python_blocks(text: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_the_page_has_code_to_run():
    assert len(python_blocks(DOC.read_text())) >= 5


def test_every_python_block_of_the_page_runs(project_copy, monkeypatch, capsys):
    monkeypatch.chdir(project_copy.project_dir)
    namespace: dict = {}
    for number, block in enumerate(python_blocks(DOC.read_text()), 1):
        try:
            exec(compile(block, f"docs/python.md block {number}", "exec"), namespace)
        except Exception as error:  # name the block that broke
            raise AssertionError(f"docs/python.md python block {number} failed: {error!r}\n{block}") from error
    out = capsys.readouterr().out
    assert "refused:" in out and "train AUC" in out and "test AUC" in out
    assert namespace["change"].changed_columns == {} and namespace["change"].only_b > 0
