"""Atomic writes: a temporary file, then a rename; a crash leaves no temporary file in item folders.

While a command holds the repo's write lock (:mod:`mitrm.io.lock`), temporary
files are made in a staging folder inside the cache folder (``.git/mitrm/tmp``)
when it is on the same file system as the target, so that a process killed
between writing and renaming leaves its temporary file there, where the next
write command removes it. Elsewhere they are hidden files named
``.<name>.<random>.mitrm-tmp`` beside the target; a write command removes stale
ones from a folder the first time it writes there.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from pathlib import Path

from mitrm.io import crashpoints

SUFFIX = ".mitrm-tmp"

# The staging folder of the lock this process holds, if any; and, per target
# folder, the folder its temporary files go to (decided once per folder).
_STAGING: list[Path] = []
_TEMP_DIR: dict[str, str] = {}


def set_staging(folder: Path | None) -> None:
    """Use ``folder`` for temporary files from now on (None: beside each target)."""
    _STAGING[:] = [folder] if folder is not None else []
    _TEMP_DIR.clear()


def _temp_dir(parent: Path) -> str:
    """Where the temporary file of a write into ``parent`` goes."""
    key = str(parent)
    found = _TEMP_DIR.get(key)
    if found is not None:
        return found
    found = key
    if _STAGING:
        staging = _STAGING[0]
        with contextlib.suppress(OSError):
            if os.stat(staging).st_dev == os.stat(parent).st_dev:
                found = str(staging)
        if found == key:
            # A folder only this lock holder writes to: temporary files from a
            # killed run are stale; a user's own hidden files never end in SUFFIX.
            remove_stale(parent)
    _TEMP_DIR[key] = found
    return found


def remove_stale(folder: Path, *, older_than: float = 0.0) -> None:
    """Remove temporary files that a killed write left in ``folder`` (those older than
    ``older_than`` seconds, for a folder where writers without the lock may be at work)."""
    cutoff = time.time() - older_than
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if entry.name.endswith(SUFFIX) and entry.name.startswith("."):
                with contextlib.suppress(OSError):
                    if not older_than or entry.stat().st_mtime < cutoff:
                        os.unlink(entry.path)


def _temporary(path: Path) -> tuple[int, str]:
    return tempfile.mkstemp(prefix=f".{path.name}.", suffix=SUFFIX, dir=_temp_dir(path.parent))


def write_atomic(path: Path, data: bytes | str, *, mode: int | None = None) -> None:
    """Replace ``path`` with ``data`` so that readers see the old or the new file, never half.

    Keeps the existing file's permission bits unless ``mode`` is given.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    if mode is None:
        try:
            mode = path.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = 0o644
    fd, tmp = _temporary(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        crashpoints.pause(f"temporary file of {path.name} written")
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def create_exclusive(path: Path, data: str | bytes, *, mode: int = 0o644) -> None:
    """Create ``path`` with ``data``; fail with FileExistsError if it already exists.

    The file appears complete: it is written under a temporary name and then
    hard-linked into place, which fails atomically when the name is taken.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _temporary(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        crashpoints.pause(f"temporary file of {path.name} written")
        os.link(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
