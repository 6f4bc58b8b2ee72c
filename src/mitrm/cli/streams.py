"""Standard output and error as mitrm writes them: control characters escaped, failures plain.

Item text comes from pull requests. A title holding ``ESC ] 0 ; ... BEL`` would set
a terminal's window title, and a carriage return could hide a line, so every
control character (except newline and tab) is written as ``\\xNN`` wherever text
reaches stdout or stderr. Writing to a full disk or a closed stdout is an
environment problem (exit 2), and an ASCII-only stdout gets ``?`` for what it
cannot show rather than an encoding error.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from typing import Any, TextIO

from mitrm.errors import UsageError
from mitrm.i18n import _

# C0 except tab and newline, DEL, and C1 (0x9b is a one-byte CSI to some terminals).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_JSON_RAW = re.compile("[\x7f-\x9f]")


class OutputError(UsageError):
    """Standard output cannot be written: a full disk, a closed stdout."""


def _escape(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group()):02x}"


def printable(text: str) -> str:
    """``text`` with control characters (not newline or tab) shown as ``\\xNN``."""
    return _CONTROL.sub(_escape, text) if _CONTROL.search(text) else text


def json_safe(text: str) -> str:
    """Serialized JSON with DEL and C1 characters as ``\\u00NN`` (json leaves them raw)."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class GuardedStream:
    """A text stream that escapes control characters and turns write failures into
    OutputError; ``unescaped`` is the same stream for rich, which writes its own
    escape sequences (colour) and gets only text made :func:`printable` first."""

    def __init__(self, raw: TextIO | None, name: str, *, escape: bool = True) -> None:
        self._raw = raw
        self._name = name
        self._escape = escape
        self.unescaped = self if not escape else GuardedStream(raw, name, escape=False)

    def write(self, text: str) -> int:
        """Write ``text`` escaped; OutputError when the stream cannot take it."""
        if self._escape and _CONTROL.search(text):
            text = _CONTROL.sub(_escape, text)
        if self._raw is None:
            if not text:
                return 0
            # Python leaves None for a closed descriptor (``mitrm list >&-``): a command
            # that only reports on stderr still runs, one that prints results is exit 2.
            if self._name == "stdout":
                raise OutputError(_("standard output is closed; the results cannot be written"))
            raise OutputError(_("standard error is closed; the results cannot be written"))
        try:
            return self._raw.write(text)
        except BrokenPipeError:
            raise  # the reader went away (mitrm list | head): handled as a normal end
        except (OSError, ValueError) as exc:  # ValueError: the stream was closed
            raise self._failed(exc) from None

    def flush(self) -> None:
        """Flush; OutputError when the data cannot be written (a full disk)."""
        if self._raw is None:
            return
        try:
            self._raw.flush()
        except BrokenPipeError:
            raise
        except (OSError, ValueError) as exc:
            raise self._failed(exc) from None

    def _failed(self, exc: Exception) -> OutputError:
        reason = getattr(exc, "strerror", None) or str(exc)
        return OutputError(
            _("cannot write the output to {stream}: {reason}").format(
                stream=self._name, reason=reason
            )
        )

    def isatty(self) -> bool:
        """Whether the stream is a terminal (False when closed)."""
        try:
            return self._raw is not None and self._raw.isatty()
        except (OSError, ValueError):
            return False

    def __getattr__(self, name: str) -> Any:
        # encoding, fileno, buffer...: the underlying stream's own.
        if self._raw is None:
            raise AttributeError(name)
        return getattr(self._raw, name)


def guard() -> tuple[Any, Any]:
    """Put guarded streams in place of sys.stdout and sys.stderr; return the old ones."""
    old = (sys.stdout, sys.stderr)
    if old[0] is None:
        _hold_fd(1)
    if old[1] is None:
        _hold_fd(2)
    for stream in old:
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(OSError, ValueError):
                reconfigure(errors="replace")
    sys.stdout = GuardedStream(old[0], "stdout")
    sys.stderr = GuardedStream(old[1], "stderr")
    return old


def _hold_fd(fd: int) -> None:
    """Fill a closed standard descriptor with the null device: else the next file opened
    would get it, and output meant for stdout could land in that file."""
    try:
        os.fstat(fd)
        return  # open after all
    except OSError:
        pass
    with contextlib.suppress(OSError):
        held = os.open(os.devnull, os.O_WRONLY)
        if held != fd:
            os.dup2(held, fd)
            os.close(held)


def silence_stdout() -> None:
    """Point stdout at the null device, so that nothing more fails at exit."""
    try:
        # The stream's own descriptor: under a test runner's captured stdout there is
        # none, and the test process's real stdout must not be touched.
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)
    except (OSError, ValueError):
        pass
