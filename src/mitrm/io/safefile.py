"""Read a repo's files without trusting them: plain files only, size-checked before reading."""

from __future__ import annotations

import os
import stat

from mitrm.i18n import _

# Opening a FIFO for reading blocks until a writer comes; O_NONBLOCK makes the open
# return at once, and fstat then tells what it is. Plain files ignore the flag.
_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


class RefusedFileError(OSError):
    """A file mitrm will not read: not a plain file, or too large. ``code`` is its MIT code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.strerror = message


def too_large(size: int, limit: int) -> str:
    """The message for a file of ``size`` bytes over ``limit``."""
    return _("file is {size} KiB; item files must be under {limit} MiB").format(
        size=size // 1024, limit=limit // (1024 * 1024)
    )


def read_bytes(path: str | os.PathLike[str], limit: int, *, follow: bool = True) -> bytes:
    """The bytes of the plain file at ``path`` (links followed unless not ``follow``: then a
    link is an OSError); RefusedFileError for a FIFO, socket or device, or a file over
    ``limit`` bytes (found from its size, not read whole)."""
    fd = os.open(path, _FLAGS if follow else _FLAGS | getattr(os, "O_NOFOLLOW", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise RefusedFileError(
                "MIT012", _("not a plain file (a FIFO, socket or device); it is not read")
            )
        if info.st_size > limit:
            raise RefusedFileError("MIT007", too_large(info.st_size, limit))
        chunks = []
        left = limit + 1  # a file that grows while read is caught too
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        raw = b"".join(chunks)
        if len(raw) > limit:
            raise RefusedFileError("MIT007", too_large(len(raw), limit))
        return raw
    finally:
        os.close(fd)


def read_text(path: str | os.PathLike[str], limit: int, *, errors: str = "strict") -> str:
    """:func:`read_bytes` decoded as UTF-8 (a leading BOM dropped)."""
    return read_bytes(path, limit).decode("utf-8-sig", errors)
