"""Every docstring example in ``src/sqltrain`` runs, as sqlglot's tests/test_docs.py runs its modules'.

Only modules whose source holds a ``>>>`` example are imported, so the test stays cheap; the
leakage package must have one in every module of its passes.
"""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SRC / "sqltrain"


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


WITH_EXAMPLES = sorted(_module_name(p) for p in PACKAGE.rglob("*.py") if ">>>" in p.read_text())


@pytest.mark.parametrize("name", WITH_EXAMPLES)
def test_examples_run(name):
    try:
        module = importlib.import_module(name)
    except ImportError as error:          # an optional extra (e.g. pyspark) not installed
        pytest.skip(f"{name}: {error}")
    failures, _tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert failures == 0, f"{failures} failing example(s) in {name}"


@pytest.mark.parametrize("name", ["sources", "predicates", "windows", "output", "label_lineage", "model", "collect"])
def test_every_pass_module_has_an_example(name):
    assert f"sqltrain.leakage.facts.{name}" in WITH_EXAMPLES
