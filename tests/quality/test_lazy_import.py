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


DEFERRED = """
import sys
import pandas as pd
from sqltrain.quality.gx_validation import import_gx, run_suite
from sqltrain.quality.suite import ExpectationSpec as E
import_gx()
loaded_with_gx = "scipy.stats._stats_py" in sys.modules
kl = E("expect_column_kl_divergence_to_be_less_than",
       {"column": "c", "partition_object": {"values": ["a", "b"], "weights": [0.5, 0.5]}, "threshold": 0.05})
frame = pd.DataFrame({"c": ["a", "b"] * 50 + ["a"] * 60})
outcomes, _ = run_suite(frame, [kl], name="t", run_name="r")
print("DEFERRED", loaded_with_gx, outcomes[0].success, round(outcomes[0].result["observed_value"], 3),
      "scipy.stats._stats_py" in sys.modules, any("Deferred" in type(f).__name__ for f in sys.meta_path))
"""


def test_scipy_stats_loads_when_an_expectation_first_uses_it_not_with_great_expectations(tmp_path):
    # a script file, not -c: pyspark (imported by GX) exits a process whose __main__ has no file
    script = tmp_path / "probe.py"
    script.write_text(DEFERRED)
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    # 160 rows, 110 "a": KL(p || q) of (0.6875, 0.3125) against (0.5, 0.5) is 0.072 > 0.05
    assert "DEFERRED False False 0.072 True False" in run.stdout, run.stdout + run.stderr
