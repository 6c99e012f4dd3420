"""Where sqltrain writes: every output is checked before any work, and a full disk is one line.

``require_writable`` is called on each output path (``--out``, ``--output``, ``--json``,
``--path``, the defaults too) before a command parses, builds or copies anything: a path under
a file, on a read-only filesystem, under ``/proc`` or with a name the filesystem cannot hold is
a ``UsageError`` (exit 2) naming the path. The check creates and removes one empty file in the
nearest existing folder: permission bits say nothing for root, a real write says everything.

``full_disk_reported`` turns "No space left on device" — Python's ``OSError`` (errno 28), DuckDB's
``IOException``, dbt's failure text — into ``DiskFull`` (exit 1) naming the path and the space
left there. The callers write through staging folders, so nothing partial remains.

    >>> require_writable("/proc/x", "--out", directory=True)  # doctest: +SKIP
    UsageError: --out /proc/x: cannot write in /proc (No such file or directory) — ...
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import DiskFull, UsageError

_FULL = (errno.ENOSPC, errno.EDQUOT)
_FULL_TEXT = re.compile(r"no space left on device|disk quota exceeded|disk is full", re.IGNORECASE)
_QUOTED_PATH = re.compile(r"""["'](/[^"']+)["']""")


def require_writable(path: str | os.PathLike, option: str, *, directory: bool) -> Path:
    """``path`` resolved, once it is sure sqltrain can create it (or write into it); ``UsageError`` otherwise.

    ``directory`` says what ``path`` must be when it exists: a folder (``--out``) or a file (``--json``).
    """
    target = _resolved(path, option)
    hint = "pass a path on a writable filesystem"
    existing = target
    while not os.path.lexists(existing):
        existing = existing.parent
    if existing == target:
        if directory and not os.path.isdir(target):
            raise UsageError(f"{option} {target} is a file, not a directory", "pass a directory (it may not exist yet)")
        if not directory and os.path.isdir(target):
            raise UsageError(f"{option} {target} is a directory, not a file", "pass a file name")
    elif not os.path.isdir(existing):
        raise UsageError(f"{option} {target}: {existing} is a file, so nothing can be created under it", hint)
    _check_names(target, existing, option, hint)
    folder = existing if os.path.isdir(existing) else existing.parent
    _probe(folder, target, option, hint)
    if existing == target and not directory and not os.access(target, os.W_OK):
        raise UsageError(f"{option} {target}: the file is not writable", hint)
    return target


def _resolved(path: str | os.PathLike, option: str) -> Path:
    text = os.fspath(path)
    if not text or "\0" in text:
        raise UsageError(f"{option} {text!r} is not a path", "pass a file or directory name")
    if "\\" in text and os.sep == "/":
        # DuckDB (exports, warehouse files) reads a backslash as a path separator, even on POSIX
        raise UsageError(f"{option} {text}: a backslash in a path", "pass a path without backslashes")
    try:
        return Path(text).resolve()
    except (OSError, RuntimeError, ValueError) as error:
        raise UsageError(f"{option} {text}: cannot resolve it ({error})", "pass a plain path") from None


def _check_names(target: Path, existing: Path, option: str, hint: str) -> None:
    """The parts still to be created must fit the filesystem's name and path limits."""
    folder = existing if os.path.isdir(existing) else existing.parent
    longest_name = os.pathconf(folder, "PC_NAME_MAX")
    longest_path = os.pathconf(folder, "PC_PATH_MAX")
    # the command adds its own parts below a directory (MODEL/as_of=D/...): keep room for them
    if len(os.fsencode(target)) > longest_path - 256:
        raise UsageError(f"{option} {str(target)[:80]}…: the path is too long for the filesystem", "pass a shorter path")
    for part in target.relative_to(existing).parts:
        if len(os.fsencode(part)) > longest_name:
            raise UsageError(f"{option} …{part[:40]}…: a name longer than {longest_name} bytes", "pass shorter names")


def _probe(folder: Path, target: Path, option: str, hint: str) -> None:
    """Create and remove one empty file in ``folder``: the only test of writability that holds for root."""
    try:
        fd, name = tempfile.mkstemp(prefix=".sqltrain-write-check-", dir=folder)
    except OSError as error:
        if error.errno in _FULL:
            raise _disk_full(folder, error) from None
        why = "a read-only filesystem" if error.errno == errno.EROFS else error.strerror or str(error)
        where = f"in {folder}" if folder != target else "there"
        raise UsageError(f"{option} {target}: cannot write {where} ({why})", hint) from None
    os.close(fd)
    os.unlink(name)


@contextmanager
def full_disk_reported(path: str | os.PathLike, what: str = "the output") -> Iterator[None]:
    """Re-raise a "no space left" failure of the block as ``DiskFull`` naming where it happened.

    ``path`` is named when the error itself names no file. Any other error passes unchanged.
    """
    try:
        yield
    except Exception as error:
        cause = _full_disk_cause(error)
        if cause is None:
            raise
        raise _disk_full(_where(cause, Path(path)), cause, what) from None


def _full_disk_cause(error: BaseException) -> BaseException | None:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in _FULL:
            return current
        if _FULL_TEXT.search(str(current)):
            return current
        current = current.__cause__ or current.__context__
    return None


def _where(cause: BaseException, fallback: Path) -> Path:
    # a copy's error carries the source as filename and the destination (where the disk filled) as filename2
    filename = getattr(cause, "filename2", None) or getattr(cause, "filename", None)
    if filename:
        return Path(os.fsdecode(filename))
    quoted = _QUOTED_PATH.search(str(cause))
    return Path(quoted.group(1)) if quoted else fallback


def _disk_full(where: Path, cause: BaseException, what: str = "the output") -> DiskFull:
    existing = where
    while not os.path.isdir(existing) and existing != existing.parent:
        existing = existing.parent
    try:
        usage = shutil.disk_usage(existing)
        space = f"a {_size(usage.total)} filesystem, {_size(usage.free)} free once this run's files were removed"
    except OSError:
        space = "free space unknown"
    return DiskFull(
        f"no space left on the device holding {where} ({space}) while writing {what}; nothing was kept",
        "free some space there, or point the output (or TMPDIR, for temporary copies) at a larger disk",
    )


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"
