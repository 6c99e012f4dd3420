"""Great Expectations is imported only when a validation runs (the CLI stays quick)."""

from __future__ import annotations

import subprocess
import sys

import pytest

PROBE = """
import sys
from sqltrain.cli import main
code = main({argv!r})
import sqltrain.quality, sqltrain.quality.gate, sqltrain.quality.standalone  # the gate's own imports
heavy = sorted(m for m in ("great_expectations", "dbt.cli.main") if m in sys.modules)
print("HEAVY", heavy, code)
"""


@pytest.mark.parametrize("argv", [["--help"], ["validate", "--help"], ["snapshot", "--help"]])
def test_help_and_the_quality_modules_do_not_import_great_expectations(argv):
    run = subprocess.run([sys.executable, "-c", PROBE.format(argv=argv)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "HEAVY [] 0" in run.stdout, run.stdout + run.stderr
