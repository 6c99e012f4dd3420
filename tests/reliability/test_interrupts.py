"""The one interrupt handler every command runs under (sqltrain.interrupts) and the CLI's one --debug."""

from __future__ import annotations

import os
import signal
import pytest

from sqltrain.cli import main
from sqltrain.errors import UsageError
from sqltrain.interrupts import Interrupted, cleanup_on_failure, entering, guarded, held, temporary_directory


def _query_interrupted_by(signum: int) -> None:
    """What DuckDB (or dbt) does with a Ctrl-C inside a call: catches it and raises its own error."""
    try:
        os.kill(os.getpid(), signum)
        for _ in range(10_000):
            pass
    except KeyboardInterrupt:
        raise RuntimeError("Query interrupted") from None


@pytest.mark.parametrize("signum, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_turned_into_a_library_error_still_ends_the_run_as_interrupted(signum, code, tmp_path):
    removed = []
    with pytest.raises(Interrupted) as stop:
        with guarded(), temporary_directory("sqltrain-test-", tmp_path) as work:
            with cleanup_on_failure(lambda: removed.append("stage")):
                (work / "copy.duckdb").write_text("x")
                _query_interrupted_by(signum)
    assert stop.value.exit_code == code and removed == ["stage"] and list(tmp_path.iterdir()) == []
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # the handlers are put back


def test_a_swallowed_signal_stops_the_run_at_the_next_step():
    seen = []
    with pytest.raises(Interrupted):
        with guarded():
            try:
                os.kill(os.getpid(), signal.SIGTERM)
                for _ in range(1000):
                    pass
            except KeyboardInterrupt:
                seen.append("swallowed")  # a library that catches everything
            entering("export")
            seen.append("went on")
    assert seen == ["swallowed"]


def test_a_held_section_finishes_before_the_signal_is_acted_on():
    done = []
    with pytest.raises(Interrupted) as stop:
        with guarded():
            with held():
                os.kill(os.getpid(), signal.SIGINT)
                for _ in range(1000):
                    pass
                done.append("swap")
            done.append("after")
    assert done == ["swap"] and stop.value.exit_code == 130


def test_the_fault_hook_signals_at_the_named_step(monkeypatch):
    monkeypatch.setenv("SQLTRAIN_FAULT", "parse:INT,gate:quality:TERM")
    entering("build")  # not named: nothing happens
    with pytest.raises(Interrupted) as stop:
        with guarded():
            entering("gate:quality")
    assert stop.value.exit_code == 143


def test_debug_is_read_once_from_the_flag_or_the_environment(monkeypatch, capsys):
    assert main(["snapshot", "--as-of", "2025-02-30"]) == 2
    assert "is not a date" in capsys.readouterr().err
    with pytest.raises(UsageError):
        main(["--debug", "snapshot", "--as-of", "2025-02-30"])
    monkeypatch.setenv("SQLTRAIN_DEBUG", "1")
    with pytest.raises(UsageError):
        main(["snapshot", "--as-of", "2025-02-30"])
    # "--debug" as the value of another option is not the flag
    monkeypatch.delenv("SQLTRAIN_DEBUG")
    assert main(["snapshot", "--as-of", "2025-02-30", "--model", "--debug"]) == 2


def test_a_killed_runs_temporary_directory_is_removed_by_the_next_run(tmp_path):
    import subprocess
    import sys

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(gone.stdout)
    orphan = tmp_path / f"sqltrain-test-{dead_pid}-x1"             # what a SIGKILLed run leaves
    live = tmp_path / f"sqltrain-test-{os.getppid()}-x2"           # a running process's: kept
    other = tmp_path / "sqltrain-other-1-x3"                         # another prefix: kept
    for folder in (orphan, live, other):
        (folder / "copy.duckdb").parent.mkdir()
        (folder / "copy.duckdb").write_text("x")
    with temporary_directory("sqltrain-test-", tmp_path) as work:
        assert work.name.startswith(f"sqltrain-test-{os.getpid()}-")
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, other.name, work.name])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, other.name])
