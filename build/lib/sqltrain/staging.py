"""Directories that appear whole or not at all: a run writes into a staging folder beside the
destination and publishes it in one atomic step (docs/reliability.md).

    with staged(out / "churn_training" / "as_of=2025-06-01") as stage:
        (stage / "data.parquet").write_bytes(...)
    # here the destination is the new folder; an error or interrupt leaves the old one untouched

**The switch is one system call.** The first publication is ``renameat2(RENAME_NOREPLACE)``: it
fails, rather than replaces, should another run have published meanwhile, and then the run goes on
as a replacement. A replacement is ``renameat2(RENAME_EXCHANGE)``: the staged folder and the
published one trade names atomically, so the destination always holds a complete snapshot (the
old one, then the new one); the old one, now under the staging name, is removed afterwards.

**Fallback** where the kernel or the filesystem has no ``renameat2`` exchange (not Linux, or e.g.
some network filesystems): the destination is a symbolic link to a versioned folder beside it
(``.v-<name>-<run>``), and a replacement is a new link renamed over the old one, which ``rename``
does atomically. Readers see the same path, ``DIR/M/as_of=D/data.parquet``.

**Leftovers of dead runs.** Every entry a run creates beside the destination ends with its run id
(``<pid>-<random>``), and the run holds an ``flock`` on ``.tmp-lock-<run id>`` until it is done.
Before staging, :func:`sweep` removes every ``.tmp-*`` entry whose lock nobody holds (a run killed
with SIGKILL, a power cut), and versioned folders no link points to; a live concurrent run's
staging folder is never touched. If a crash left the destination missing (the fallback's one
non-atomic case, converting a plain folder to a link), the sweep links it back to the newest
complete version.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import platform
import re
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from . import interrupts

STAGING_PREFIX = ".tmp-"
VERSION_PREFIX = ".v-"
LOCK_PREFIX = ".tmp-lock-"
_RUN_ID = re.compile(r"-(\d+-[0-9a-f]{8})$")

RENAME_NOREPLACE, RENAME_EXCHANGE = 1, 2
_AT_FDCWD = -100
_SYS_RENAMEAT2 = {"x86_64": 316, "aarch64": 276, "riscv64": 276, "i386": 353, "i686": 353, "armv7l": 382,
                  "ppc64le": 357, "s390x": 347}


class ExchangeUnsupported(OSError):
    """``renameat2`` with flags is not available here (kernel, libc or filesystem)."""


def renameat2(src: Path, dst: Path, flags: int) -> None:
    """``renameat2(2)`` through libc, else the raw system call; ``ExchangeUnsupported`` where neither works."""
    if platform.system() != "Linux":
        raise ExchangeUnsupported(errno.ENOSYS, "renameat2 is Linux-only")
    libc = ctypes.CDLL(None, use_errno=True)
    args = (_AT_FDCWD, os.fsencode(src), _AT_FDCWD, os.fsencode(dst), flags)
    if hasattr(libc, "renameat2"):
        rc = libc.renameat2(ctypes.c_int(args[0]), ctypes.c_char_p(args[1]), ctypes.c_int(args[2]),
                            ctypes.c_char_p(args[3]), ctypes.c_uint(flags))
    elif platform.machine() in _SYS_RENAMEAT2:
        rc = libc.syscall(ctypes.c_long(_SYS_RENAMEAT2[platform.machine()]), ctypes.c_int(args[0]),
                          ctypes.c_char_p(args[1]), ctypes.c_int(args[2]), ctypes.c_char_p(args[3]),
                          ctypes.c_uint(flags))
    else:
        raise ExchangeUnsupported(errno.ENOSYS, f"no renameat2 on {platform.machine()}")
    if rc != 0:
        code = ctypes.get_errno()
        if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
            raise ExchangeUnsupported(code, os.strerror(code), str(src))
        raise OSError(code, os.strerror(code), str(src), None, str(dst))


class _RunLock:
    """This run's id and its held lock file beside the destination."""

    def __init__(self, parent: Path):
        self.id = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.path = parent / f"{LOCK_PREFIX}{self.id}"
        while True:  # the file a sweeper unlinked is not a lock: retry until ours is the linked one
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                if os.fstat(fd).st_ino == os.stat(self.path).st_ino:
                    self.fd = fd
                    return
            except FileNotFoundError:
                pass
            os.close(fd)

    def name(self, kind: str, destination: Path) -> Path:
        return destination.parent / f"{kind}{destination.name}-{self.id}"

    def release(self) -> None:
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass
        os.close(self.fd)


@contextmanager
def staged(destination: Path) -> Iterator[Path]:
    """Yield a fresh staging directory beside ``destination``; when the block succeeds, publish it there.

    On any failure or interrupt the staging directory is removed and ``destination`` (an earlier
    snapshot, if any) is left exactly as it was. Leftovers of dead runs beside it are swept first.
    """
    created = [d for d in (destination.parent, destination.parent.parent) if not d.exists()]
    destination.parent.mkdir(parents=True, exist_ok=True)
    sweep(destination.parent)
    lock = _RunLock(destination.parent)
    stage = lock.name(STAGING_PREFIX, destination)
    published = False
    try:
        with interrupts.cleanup_on_failure(lambda: shutil.rmtree(stage, ignore_errors=True)):
            stage.mkdir()
            yield stage
            interrupts.entering("swap")
            publish(stage, destination, lock)
            published = True
    finally:
        lock.release()
        if not published:
            for folder in created:  # OUT/ and OUT/MODEL/ made for this run: no empty husk is left
                with contextlib.suppress(OSError):
                    folder.rmdir()


def publish(stage: Path, destination: Path, lock: _RunLock) -> None:
    """Make ``stage`` the content of ``destination`` in one atomic step (see the module docstring)."""
    with interrupts.held():  # a signal now lets the switch and the removal of the old copy finish
        if not destination.is_symlink():
            try:
                _exchange_into_place(stage, destination)
                return
            except ExchangeUnsupported:
                pass
        _link_into_place(stage, destination, lock)


def _exchange_into_place(stage: Path, destination: Path) -> None:
    for _attempt in range(3):  # another run may publish or remove the destination between our calls
        try:
            renameat2(stage, destination, RENAME_NOREPLACE)
            return
        except FileExistsError:
            pass
        try:
            renameat2(stage, destination, RENAME_EXCHANGE)
        except FileNotFoundError:
            continue
        interrupts.entering("swap:retire")
        shutil.rmtree(stage)  # the earlier snapshot, now under the staging name
        return
    raise OSError(errno.EBUSY, "the destination kept changing while publishing", str(destination))


def _link_into_place(stage: Path, destination: Path, lock: _RunLock) -> None:
    """The fallback: a versioned folder and an atomically replaced symbolic link to it."""
    version = lock.name(VERSION_PREFIX, destination)
    link = lock.name(STAGING_PREFIX + "link-", destination)
    os.rename(stage, version)
    os.symlink(version.name, link)
    previous = None
    if destination.is_symlink():
        previous = destination.parent / os.readlink(destination)
    elif destination.exists():  # a plain folder from an earlier publication: becomes a version too
        previous = lock.name(VERSION_PREFIX + "old-", destination)
        os.rename(destination, previous)
    os.replace(link, destination)
    interrupts.entering("swap:retire")
    if previous is not None and previous.parent == destination.parent and previous.name.startswith(VERSION_PREFIX):
        shutil.rmtree(previous, ignore_errors=True)


def sweep(parent: Path) -> list[Path]:
    """Remove what dead runs left in ``parent`` (see the module docstring); return what was removed."""
    try:
        entries = list(parent.iterdir())
    except FileNotFoundError:
        return []
    live = {e.name[len(LOCK_PREFIX):] for e in entries if e.name.startswith(LOCK_PREFIX) and _held(e)}
    linked = {os.path.normpath(parent / os.readlink(e)) for e in entries if e.is_symlink()}
    removed = []
    for entry in entries:
        if entry.name.startswith(LOCK_PREFIX) or not entry.name.startswith((STAGING_PREFIX, VERSION_PREFIX)):
            continue
        run = _RUN_ID.search(entry.name)
        if run and run.group(1) in live:
            continue
        if entry.name.startswith(VERSION_PREFIX):
            if os.path.normpath(entry) in linked or _relink_missing(parent, entry, entries):
                continue
        _remove(entry)
        removed.append(entry)
    for entry in entries:  # lock files of dead runs
        if entry.name.startswith(LOCK_PREFIX) and entry.name[len(LOCK_PREFIX):] not in live:
            _remove(entry)
    return removed


def _held(lock_file: Path) -> bool:
    """Whether a live run holds ``lock_file`` (unlinked while we hold it, so no one takes a dead one)."""
    try:
        fd = os.open(lock_file, os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return True
    try:
        os.unlink(lock_file)
    except FileNotFoundError:
        pass
    os.close(fd)
    return False


def _relink_missing(parent: Path, version: Path, entries: list[Path]) -> bool:
    """A version no link points to whose destination is gone: link the destination back to it."""
    match = re.match(rf"{re.escape(VERSION_PREFIX)}(?:old-)?(.+)-\d+-[0-9a-f]{{8}}$", version.name)
    if not match:
        return False
    destination = parent / match.group(1)
    if destination.exists() or destination.is_symlink():
        return False
    candidates = [e for e in entries if e.name.startswith(VERSION_PREFIX) and e.is_dir()
                  and re.match(rf"{re.escape(VERSION_PREFIX)}(?:old-)?{re.escape(match.group(1))}-\d+-[0-9a-f]{{8}}$", e.name)]
    newest = max(candidates, key=lambda e: e.stat().st_mtime)
    if newest != version:
        return False
    os.symlink(version.name, destination)
    return True


def _remove(entry: Path) -> None:
    if entry.is_dir() and not entry.is_symlink():
        shutil.rmtree(entry, ignore_errors=True)
    else:
        try:
            entry.unlink()
        except FileNotFoundError:
            pass
