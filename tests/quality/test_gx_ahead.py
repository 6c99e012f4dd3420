"""Great Expectations imported ahead of time by a child process (``sqltrain.quality.gx_ahead``).

The child writes the Data Docs the gate would write, so the gate's process does not import GX;
a dead or failing child leaves the work to the gate's own process, which writes the same site;
the child ends with the block, and with its parent however the parent ends.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from sqltrain.engine.duckdb import DuckDBEngine
from sqltrain.quality import gx_ahead
from sqltrain.quality.gx_validation import run_suite
from sqltrain.quality.suite import ExpectationSpec as E

TABLE = "CREATE TABLE t AS SELECT i AS id, CASE WHEN i % 4 = 0 THEN NULL ELSE i END AS n FROM range(0, 40) r(i)"
SUITE = [E("expect_column_values_to_not_be_null", {"column": "n"}, "null_fraction"),
         E("expect_column_values_to_be_between", {"column": "id", "min_value": 0, "max_value": 30}),  # a user's
         E("expect_column_values_to_be_unique", {"column": "id"}, "unique_example")]

PROBE = f"""
import sys
from pathlib import Path
import duckdb
from sqltrain.engine.duckdb import DuckDBEngine
from sqltrain.quality import gx_ahead
from sqltrain.quality.gx_validation import run_suite
from sqltrain.quality.suite import ExpectationSpec
con = duckdb.connect()
con.execute({TABLE!r})
with gx_ahead.ahead():
    child = gx_ahead._child
    outcomes, result = run_suite(DuckDBEngine.over(con).quality_frame("t"), {SUITE!r}, name="t", run_name="r",
                                 docs_dir=Path(sys.argv[1]))
print("PROBE", [o.success for o in outcomes], result["statistics"]["unsuccessful_expectations"],
      "great_expectations" in sys.modules, child.poll() is not None)
"""


def _pages(docs: Path) -> dict[str, str]:
    """The site's HTML pages by path, the run's time left out of the validation pages' paths."""
    pages = {}
    for page in docs.rglob("*.html"):
        parts = page.relative_to(docs).parts
        key = "/".join(parts[:3] + parts[4:]) if parts[0] == "validations" else "/".join(parts)
        pages[key] = page.read_text()
    return pages


def test_the_child_writes_the_data_docs_and_the_gate_never_imports_great_expectations(tmp_path):
    script = tmp_path / "probe.py"          # a file, not -c: pyspark (imported by GX) exits a -c process
    script.write_text(PROBE)
    run = subprocess.run([sys.executable, str(script), str(tmp_path / "ahead")], capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr
    # outcomes from SQL, Data Docs from the child; no GX in this process; the child gone after the block
    assert "PROBE [False, False, True] 2 False True" in run.stdout, run.stdout + run.stderr

    # the same site as the gate writes in its own process
    con = duckdb.connect()
    con.execute(TABLE)
    run_suite(DuckDBEngine.over(con).quality_frame("t"), SUITE, name="t", run_name="r", docs_dir=tmp_path / "here")
    ahead, here = _pages(tmp_path / "ahead"), _pages(tmp_path / "here")
    assert sorted(ahead) == sorted(here) and any(p.startswith("validations/") for p in ahead)
    validation = next(p for p in ahead if p.startswith("validations/"))
    for text in ("10 unexpected values found", "9 unexpected values found"):   # the nulls; ids 31..39
        assert text in ahead[validation] and text in here[validation]


def _frame():
    con = duckdb.connect()
    con.execute(TABLE)
    return con, DuckDBEngine.over(con).quality_frame("t")


def test_a_dead_child_leaves_the_data_docs_to_the_gates_own_process(tmp_path):
    con, frame = _frame()
    with gx_ahead.ahead():
        gx_ahead._child.kill()
        gx_ahead._child.wait()
        outcomes, _ = run_suite(frame, SUITE, name="t", run_name="r", docs_dir=tmp_path / "docs")
    assert [o.success for o in outcomes] == [False, False, True]
    assert (tmp_path / "docs" / "index.html").is_file()
    assert list((tmp_path / "docs").glob("validations/**/*.html"))


def test_a_job_the_child_fails_is_removed_and_the_child_is_not_asked_again(tmp_path):
    docs = tmp_path / "docs"
    unknown = [E("expect_no_such_thing", {"column": "n"})]      # GX cannot build it: render_result raises
    with gx_ahead.ahead():
        child = gx_ahead._child
        assert gx_ahead.rendered_ahead((unknown, [], "t", "r", docs)) is None
        assert gx_ahead._child is None and child.poll() is not None
        assert not docs.exists()
        assert gx_ahead.rendered_ahead((SUITE, [], "t", "r", docs)) is None   # no child: the caller renders


def test_nothing_starts_when_not_enabled_or_inside_another_block():
    with gx_ahead.ahead(enabled=False):
        assert gx_ahead._child is None
    with gx_ahead.ahead():
        outer = gx_ahead._child
        with gx_ahead.ahead():
            assert gx_ahead._child is outer
        assert gx_ahead._child is outer and outer.poll() is None
    assert gx_ahead._child is None and outer.poll() is not None


ORPHAN = """
import sys, time
from sqltrain.quality import gx_ahead
with gx_ahead.ahead():
    print(gx_ahead._child.pid, flush=True)
    time.sleep(600)
"""


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_the_child_does_not_outlive_its_parent(tmp_path, sig):
    script = tmp_path / "parent.py"
    script.write_text(ORPHAN)
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    parent.send_signal(sig)          # SIGINT: the parent unwinds and kills it; SIGKILL: its stdin closes
    parent.wait(timeout=60)
    deadline = time.monotonic() + 120    # (after SIGKILL it finishes importing GX first, then reads EOF)
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(child)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"    # a zombie has ended
    except FileNotFoundError:
        return False
