"""A warehouse another process holds: DuckDB's file lock, reported as such, and waited for on request.

DuckDB lets one process write a database file, or many read it, never both. A second process is
refused with ``IO Error: Could not set lock on file "F": Conflicting lock is held in P (PID n)``,
whether sqltrain opens the file itself or dbt does during a build. ``locked`` turns that message
into ``WarehouseLocked`` (exit 1, one line naming the file and the PID); ``waiting_for_lock``
retries an attempt until ``--wait-lock SECONDS`` have passed.

>>> print(locked('IO Error: Could not set lock on file "/w/demo.duckdb": Conflicting lock is held in '
...              '/usr/bin/python3 (PID 4242). See also https://duckdb.org/docs/current/connect/concurrency'))
the warehouse /w/demo.duckdb is locked by another process (PID 4242) — wait until it has finished, or pass --wait-lock SECONDS
>>> locked("Catalog Error: Table with name t does not exist!") is None
True
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable
from typing import TypeVar

from .errors import WarehouseLocked

T = TypeVar("T")

_LOCK_MESSAGE = re.compile(r'Could not set lock on file "(?P<file>[^"]+)".*?\(PID (?P<pid>\d+)\)', re.S)
POLL_SECONDS = 0.1


def locked(message: str, waited: float | None = None) -> WarehouseLocked | None:
    """``WarehouseLocked`` when ``message`` is DuckDB's lock conflict, else None.

    ``waited``: the seconds already spent waiting for the lock (changes the hint).
    """
    found = _LOCK_MESSAGE.search(message)
    return None if found is None else _locked(found["file"], int(found["pid"]), waited)


def _locked(file: str, pid: int, waited: float | None = None) -> WarehouseLocked:
    hint = ("wait until it has finished, or pass --wait-lock SECONDS" if not waited else
            f"still locked after waiting {waited:g} s (--wait-lock); try again when it has finished")
    return WarehouseLocked(file, pid, hint)


def waiting_for_lock(attempt: Callable[[], T], wait: float = 0.0, on_wait: Callable[[str], None] | None = None) -> T:
    """``attempt()``, retried while it raises ``WarehouseLocked`` until ``wait`` seconds have passed.

    ``on_wait`` hears once that the wait began (default: a line on standard error, so a user
    watching a command knows why it pauses).
    """
    deadline = time.monotonic() + wait
    told = False
    while True:
        try:
            return attempt()
        except WarehouseLocked as error:
            if time.monotonic() >= deadline:
                if wait:
                    raise _locked(error.file, error.pid, waited=wait) from None
                raise
            if not told:
                (on_wait or _stderr)(f"{error.message}: waiting up to {wait:g} s for it (--wait-lock)")
                told = True
            time.sleep(POLL_SECONDS)


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
