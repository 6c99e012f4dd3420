"""Great Expectations imported ahead of time, in a child process that writes the Data Docs.

Importing GX costs ~3.5 s of CPU, and a gate that evaluates its expectations as SQL (DuckDB,
PostgreSQL) needs GX for one thing only: writing the Data Docs of a result sqltrain computed
itself. ``ahead()`` starts a child process that imports GX while dbt builds the training set, on
the other core; the gate then hands it the outcomes (``rendered_ahead``), the child writes the
Data Docs and returns the validation result, and the gate's own process never imports GX::

    with ahead_of_gates(project):        # ahead(engine_class(...).validates_in_sql)
        ...build...                      # the child imports GX meanwhile
        run_gates(ctx)                   # rendered_ahead(job) inside the quality gate

The child only ever saves time: when it is missing, has died, or fails on a job,
``rendered_ahead`` returns None (removing anything the child wrote) and the gate writes the Data
Docs in its own process, exactly as without it. The child ignores SIGINT (its parent's interrupt
handling stops it), is killed when the block ends, and exits when its input closes, so it does
not outlive its parent however the parent ends.

Messages are pickles with a length prefix, over the child's stdin and a private copy of its
stdout (the real stdout goes to /dev/null: nothing GX prints can break a message).
"""

from __future__ import annotations

import os
import pickle
import select
import shutil
import signal
import struct
import subprocess
import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import IO, Any

_LENGTH = struct.Struct("!Q")
REPLY_TIMEOUT_S = 300.0
"""How long ``rendered_ahead`` waits for the child (importing GX, then writing the Data Docs)."""

_child: subprocess.Popen | None = None


@contextmanager
def ahead(enabled: bool = True) -> Iterator[None]:
    """While the block runs, a child process imports GX and serves ``rendered_ahead``.

    Not ``enabled`` (an engine whose gate runs GX itself), or inside another ``ahead`` block: nothing
    starts, the block runs as it is."""
    global _child
    if not enabled or _child is not None:
        yield
        return
    _child = _start()
    try:
        yield
    finally:
        child, _child = _child, None
        _stop(child)


def ahead_of_gates(project) -> AbstractContextManager[None]:
    """``ahead()`` for the gates of ``project``'s target: started where its engine validates in SQL."""
    from ..engine import adapter_type, engine_class

    return ahead(engine_class(adapter_type(project)).validates_in_sql)


def rendered_ahead(job: tuple[Any, ...]) -> dict[str, Any] | None:
    """``gx_validation.render_result(*job)``, run by the child; None when there is no child able to
    (the caller then renders in its own process). ``job[-1]`` is the Data Docs directory."""
    global _child
    child = _child
    if child is None or child.poll() is not None:
        return None
    try:
        _send(child.stdin, job)
        status, value = _receive(child.stdout, REPLY_TIMEOUT_S)
    except (OSError, EOFError, TimeoutError, pickle.PickleError, TypeError, AttributeError):
        status, value = "error", None
    if status == "ok":
        return value
    if child is _child:      # a child that failed once is not asked again
        _child = None
        _stop(child)
    shutil.rmtree(Path(job[-1]), ignore_errors=True)   # whatever it wrote before failing
    return None


def _start() -> subprocess.Popen | None:
    try:
        return subprocess.Popen([sys.executable, "-m", __name__], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, close_fds=True)
    except OSError:
        return None


def _stop(child: subprocess.Popen | None) -> None:
    if child is None:
        return
    child.kill()             # it holds nothing: its replies were read, its Data Docs are written
    child.wait()
    for stream in (child.stdin, child.stdout):
        try:
            stream.close()
        except OSError:
            pass


def _send(stream: IO[bytes], value: Any) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(data)) + data)
    stream.flush()


def _receive(stream: IO[bytes], timeout_s: float | None = None) -> Any:
    """The next message; EOFError when the stream ends, TimeoutError when none starts in time."""
    if timeout_s is not None and not select.select([stream], [], [], timeout_s)[0]:
        raise TimeoutError
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        raise EOFError
    (size,) = _LENGTH.unpack(head)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)


def _serve() -> None:
    """The child: import GX, then render each job read from stdin until stdin closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, sys.stdout.fileno())
    from .gx_validation import import_gx, render_result

    import_gx()
    jobs = sys.stdin.buffer
    while True:
        try:
            job = _receive(jobs)
        except EOFError:
            return
        try:
            reply = ("ok", render_result(*job))
        except Exception as error:  # the parent renders again in its own process, and reports it there
            reply = ("error", f"{type(error).__name__}: {error}")
        _send(replies, reply)


if __name__ == "__main__":
    _serve()
