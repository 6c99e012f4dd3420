"""Interrupts, for every command at once: SIGINT and SIGTERM end a run with one line, ``interrupted``,
exit 130 / 143, after everything the run created is removed (docs/reliability.md).

The CLI runs each command inside :func:`guarded`. While it runs:

- The first SIGINT or SIGTERM raises ``KeyboardInterrupt`` in the main thread: dbt cancels its
  queries, DuckDB stops its query, and ``with`` blocks and ``finally`` clauses unwind as for Ctrl-C.
  Later signals are only recorded, so the cleanups that run while unwinding are not cut short.
- Code that made something to remove on failure (a staging directory, a temporary copy) registers
  the removal with :func:`cleanup_on_failure`; it runs when the block fails, with signals held, and
  again at the top if an interrupt cut it short.
- Whatever the interrupt turned into on its way up (DuckDB's "Query interrupted", dbt's failed
  run, an error of a library that caught it), the run ends as :class:`Interrupted`: the CLI prints
  ``interrupted`` and exits 128 + the signal number.
- :func:`held` makes a short critical section (the atomic swap of a snapshot) finish before a
  signal that arrives inside it is acted on.
- :func:`entering` marks the start of a step: a signal that something swallowed is raised there,
  and the test-only fault hook fires there (``SQLTRAIN_FAULT``, below).

``SQLTRAIN_FAULT=STEP:SIGNAL[,STEP:SIGNAL...]`` is for tests only (tests/reliability): a run sends
itself SIGNAL (``KILL``, ``INT``, ``TERM``) on entering STEP, so a test can stop the process at an
exact step without timing guesses. The steps of ``snapshot`` are listed in docs/reliability.md.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

SIGNALS = (signal.SIGINT, signal.SIGTERM)
FAULT_ENV = "SQLTRAIN_FAULT"


class Interrupted(BaseException):
    """A run stopped by SIGINT or SIGTERM, after its cleanups ran (not an ``Exception``: nothing swallows it)."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.exit_code = 128 + signum


class _Run:
    """The signals and pending cleanups of the command running in this process."""

    def __init__(self) -> None:
        self.received: list[int] = []
        self.raised = False     # the first signal has been raised as KeyboardInterrupt
        self.holding = 0        # depth of held() sections
        self.cleanups: dict[int, Callable[[], None]] = {}

    def handle(self, signum: int, _frame) -> None:
        self.received.append(signum)
        if not self.raised and not self.holding:
            self.raised = True
            raise KeyboardInterrupt

    def run_cleanups(self) -> None:
        with held(raise_after=False):
            for key in list(self.cleanups):
                fn = self.cleanups.pop(key, None)
                if fn is not None:
                    try:
                        fn()
                    except Exception:  # a cleanup must not hide the run's own outcome
                        pass


_run = _Run()


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextmanager
def guarded() -> Iterator[None]:
    """Run one command: install the handlers, and turn any way the run ends after a signal into
    :class:`Interrupted` once every registered cleanup has run."""
    global _run
    if not _main_thread():
        yield
        return
    _run = _Run()
    previous = {sig: signal.signal(sig, _run.handle) for sig in SIGNALS}
    try:
        yield
        if _run.received:           # a signal that something swallowed still ends the run
            raise KeyboardInterrupt
    except BaseException as error:
        _run.run_cleanups()
        if _run.received:
            raise Interrupted(_run.received[0]) from None
        if isinstance(error, KeyboardInterrupt):  # raised by code, not by a signal: a Ctrl-C
            raise Interrupted(signal.SIGINT) from None
        raise
    finally:
        _run.run_cleanups()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        _run = _Run()  # what this run received is not the next one's


@contextmanager
def cleanup_on_failure(fn: Callable[[], None]) -> Iterator[None]:
    """Run ``fn`` if the block fails or is interrupted (signals held while it runs). Should an
    interrupt cut ``fn`` short, :func:`guarded` runs it again before the command exits."""
    key = id(fn)
    _run.cleanups[key] = fn
    try:
        yield
    except BaseException:
        with held(raise_after=False):
            fn()
        raise
    finally:
        _run.cleanups.pop(key, None)


@contextmanager
def held(raise_after: bool = True) -> Iterator[None]:
    """Let the block finish before a signal that arrives inside it is acted on (then it is raised)."""
    run = _run
    run.holding += 1
    try:
        yield
    finally:
        run.holding -= 1
    if raise_after and run.received and not run.holding:
        run.raised = True
        raise KeyboardInterrupt


@contextmanager
def stop_quietly() -> Iterator[None]:
    """For a block meant to run until interrupted (``docs --serve``): a signal ends the block, not the run."""
    try:
        yield
    except KeyboardInterrupt:
        _run.received.clear()
        _run.raised = False


def entering(step: str) -> None:
    """Mark the start of ``step``: fire a test-only fault; raise a signal that something swallowed."""
    inject_fault(step)
    if _run.received and not _run.holding and _main_thread():
        _run.raised = True
        raise KeyboardInterrupt


@contextmanager
def temporary_directory(prefix: str, dir: Path | None = None) -> Iterator[Path]:
    """A private temporary directory, removed when the block ends however it ends (signals held
    meanwhile). Its name carries this process's id, so the next run removes what a killed run
    (SIGKILL, power loss) left with the same prefix (``remove_orphans``)."""
    parent = Path(dir or tempfile.gettempdir())
    remove_orphans(parent, prefix)
    path = Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=parent))

    def remove() -> None:
        shutil.rmtree(path, ignore_errors=True)

    try:
        with cleanup_on_failure(remove):
            yield path
    finally:
        with held(raise_after=False):
            remove()


def remove_orphans(parent: Path, prefix: str) -> list[Path]:
    """Remove the directories ``<prefix><pid>-*`` under ``parent`` that this user owns and whose
    process is gone; a live process's directory, or one whose name carries no pid, is left alone."""
    removed = []
    for path in parent.glob(f"{prefix}*-*"):
        pid = path.name[len(prefix):].split("-", 1)[0]
        try:
            if not pid.isdigit() or not path.is_dir() or path.stat().st_uid != os.getuid() or _alive(int(pid)):
                continue
        except OSError:
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:         # someone else's process
        return True
    return True


def inject_fault(step: str) -> None:
    """Test-only: send this process the signal ``SQLTRAIN_FAULT`` names for ``step`` (any thread)."""
    spec = os.environ.get(FAULT_ENV)
    for item in (spec.split(",") if spec else []):
        name, _, sig = item.strip().rpartition(":")
        if name == step:
            os.kill(os.getpid(), signal.Signals["SIG" + sig.upper().removeprefix("SIG")])
