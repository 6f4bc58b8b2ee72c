"""The data repo's write lock: one write command at a time, released when its process ends.

The lock is an advisory ``flock`` on ``lock`` in the cache folder
(``.git/mitrm/lock``), so the operating system releases it when the process
ends in any way, ``kill -9`` included; the file itself stays and means nothing
on its own. A command waits for the lock up to ``MITRM_LOCK_TIMEOUT`` seconds
(default 30), then gives up with exit 2. Whoever takes the lock first completes
an edit that a killed command left half-done (:mod:`mitrm.io.journal`) and
removes the temporary files it left behind.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from mitrm.errors import UsageError
from mitrm.i18n import _
from mitrm.io import atomic, journal
from mitrm.io.cache import cache_dir

DEFAULT_TIMEOUT = 30.0
_ENV = "MITRM_LOCK_TIMEOUT"


def timeout() -> float:
    """Seconds to wait for the lock: ``MITRM_LOCK_TIMEOUT``, else the default."""
    raw = os.environ.get(_ENV, "").strip()
    if not raw:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise UsageError(
            _("{name} must be a number of seconds (0 or more), not '{value}'").format(
                name=_ENV, value=raw
            ),
            hint=_("e.g. {name}=60, or unset it for the default of {seconds} s").format(
                name=_ENV, seconds=f"{DEFAULT_TIMEOUT:g}"
            ),
        )
    return seconds


def _folder(root: Path) -> Path:
    """The cache folder, created if needed; exit 2 with a plain message if it cannot be."""
    folder = cache_dir(root)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "tmp").mkdir(exist_ok=True)
    except FileExistsError:
        raise UsageError(
            _(
                "{path} is a file, but mitrm keeps its lock and caches in a folder of that name"
            ).format(path=folder),
            hint=_("move the file away (mitrm recreates the folder), or set MITRM_CACHE_DIR"),
        ) from None
    except OSError as exc:
        raise UsageError(
            _("cannot create {path}: {reason}").format(path=folder, reason=exc.strerror or exc),
            hint=_("check its permissions, or set MITRM_CACHE_DIR to a writable folder"),
        ) from None
    if not (folder / "tmp").is_dir():
        raise UsageError(
            _("{path} is not a folder").format(path=folder / "tmp"),
            hint=_("move it away; mitrm keeps the temporary files of its writes there"),
        )
    return folder


def _holder(fd: int) -> str:
    """Who holds the lock, as its holder wrote it into the file (best effort)."""
    with contextlib.suppress(OSError, UnicodeDecodeError):
        os.lseek(fd, 0, os.SEEK_SET)
        text = os.read(fd, 400).decode("utf-8").strip()
        if text:
            return f" ({text})"
    return ""


def _try_lock(fd: int) -> bool:
    """Take the lock without waiting; False when another process holds it."""
    if sys.platform == "win32":  # pragma: no cover - no flock there
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except PermissionError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _acquire(fd: int, wait: float, lock_path: Path) -> None:
    deadline = time.monotonic() + wait
    pause = 0.005
    while True:
        try:
            if _try_lock(fd):
                return
        except OSError as exc:
            raise UsageError(
                _("cannot lock {path}: {reason}").format(path=lock_path, reason=exc.strerror or exc)
            ) from None
        left = deadline - time.monotonic()
        if left <= 0:
            raise UsageError(
                _(
                    "another mitrm command is changing this repo{holder}; "
                    "gave up waiting after {seconds} s"
                ).format(holder=_holder(fd), seconds=f"{wait:g}"),
                hint=_(
                    "run the command again when it has finished, or wait longer with "
                    "{name}=SECONDS (lock file: {path})"
                ).format(name=_ENV, path=lock_path),
            )
        time.sleep(min(pause, left))
        pause = min(pause * 2, 0.1)


@contextlib.contextmanager
def write_lock(root: Path) -> Iterator[journal.Outcome | None]:
    """Hold the repo's write lock; yields what completing a killed command's edit did.

    Temporary files of atomic writes go to the staging folder meanwhile.
    """
    wait = timeout()
    folder = _folder(root)
    lock_path = folder / "lock"
    try:
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(lock_path, flags, 0o644)
    except OSError as exc:
        raise UsageError(
            _("cannot open the lock file {path}: {reason}").format(
                path=lock_path, reason=exc.strerror or exc
            ),
            hint=_("check its permissions, or set MITRM_CACHE_DIR to a writable folder"),
        ) from None
    try:
        _acquire(fd, wait, lock_path)
        with contextlib.suppress(OSError):
            note = f"pid {os.getpid()}: mitrm {shlex.join(sys.argv[1:])}"[:300]
            # Shown to the next command's user: no control characters reach a terminal.
            note = "".join(c if c.isprintable() else "?" for c in note)
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, note.encode("utf-8", "replace"))
        staging = folder / "tmp"
        atomic.remove_stale(staging)
        # Cache writes of read-only commands (no lock) stage beside their cache file.
        atomic.remove_stale(folder, older_than=600)
        atomic.set_staging(staging)
        try:
            yield journal.recover(root, folder)
        finally:
            atomic.set_staging(None)
    finally:
        os.close(fd)  # releases the lock
