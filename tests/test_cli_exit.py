"""The console script ends the process at once when the command has returned (``sqltrain.cli.run``):
its exit code, everything it printed and what the exit handlers do still get out."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqltrain import __version__

SCRIPT = """
import atexit, sys, tempfile
from pathlib import Path
marker = Path(sys.argv.pop(1))
left = tempfile.TemporaryDirectory()                 # removed by its finalizer at exit
marker.write_text(left.name)
atexit.register(lambda: print("exit handler ran"))
from sqltrain.cli import run
run()
"""


def _run(tmp_path, *args: str) -> subprocess.CompletedProcess:
    script = tmp_path / "script.py"
    script.write_text(SCRIPT)
    return subprocess.run([sys.executable, str(script), str(tmp_path / "marker"), *args],
                          capture_output=True, text=True, timeout=120)


def test_a_command_that_succeeds_exits_0_with_its_output_and_the_exit_handlers_run(tmp_path):
    done = _run(tmp_path, "--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [f"sqltrain, version {__version__}", "exit handler ran"]
    assert not Path((tmp_path / "marker").read_text()).exists()     # a temporary directory's finalizer ran


def test_a_command_that_fails_keeps_its_exit_code_and_its_one_line(tmp_path):
    done = _run(tmp_path, "snapshot", "--as-of", "not-a-date")
    assert done.returncode == 2
    errors = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(errors) == 1 and "not-a-date" in errors[0], done.stderr
    assert done.stdout.splitlines()[-1:] == ["exit handler ran"]
