"""Worker processes die with the command that started them, even when it is killed.

A worker forked by ``mitrm render`` or ``mitrm validate`` keeps running after
``kill -9`` of its parent unless told otherwise, and a render worker writes
documents as it goes. On Linux the kernel sends the worker SIGKILL when the
parent dies (``prctl(PR_SET_PDEATHSIG)``); elsewhere, and as a second guard,
the worker checks between items that its parent is still the one that started it.
"""

from __future__ import annotations

import os
import signal
import sys

_PR_SET_PDEATHSIG = 1
_PARENT: list[int] = []


def die_with_parent(parent: int) -> None:
    """Set up this worker process to end when ``parent`` ends (a pool initializer)."""
    _PARENT[:] = [parent]
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - no prctl: the check below stays
            pass
    exit_if_orphaned()  # the parent may have died before prctl took effect


def exit_if_orphaned() -> None:
    """End this worker at once if the process that started it is gone."""
    if _PARENT and os.getppid() != _PARENT[0]:
        os._exit(1)
