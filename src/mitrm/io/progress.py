"""Progress of long work, counted across forked workers, for whoever shows it.

Nothing is counted unless a listener is set (the CLI sets one only when stderr
is a terminal and the user did not ask for quiet), so pipes, files and tests
see no difference. Workers forked inside a stage add to a counter in shared
memory; the main process passes the count on to the listener as it goes.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol


class Listener(Protocol):
    """What shows progress: a stage begins, moves on, ends."""

    def begin(self, label: str, total: int | None) -> None:
        """A stage of ``total`` steps (None: not known) begins."""

    def update(self, done: int) -> None:
        """``done`` steps of the current stage are finished."""

    def end(self) -> None:
        """The current stage is over."""


_LISTENER: list[Listener] = []
_COUNTER: list[Any] = []  # a multiprocessing.Value while a stage runs
_MAIN: list[int] = []  # the pid that may talk to the listener
_LAST = [0.0]
_EVERY = 0.1  # seconds between two updates of the listener


def listen(listener: Listener | None) -> None:
    """Send progress to ``listener`` from now on (None: to nobody)."""
    _LISTENER[:] = [] if listener is None else [listener]


@contextmanager
def stage(label: str, total: int | None = None) -> Iterator[None]:
    """Count the steps of one long piece of work (see :func:`tick`) under ``label``."""
    if not _LISTENER or _COUNTER:
        yield  # nobody listens, or a stage already counts this work
        return
    from multiprocessing import Value

    _COUNTER[:] = [Value("q", 0)]
    _MAIN[:] = [os.getpid()]
    listener = _LISTENER[0]
    listener.begin(label, total)
    try:
        yield
    finally:
        _COUNTER.clear()
        listener.end()


def active() -> bool:
    """Whether a stage is counting now (so that callers may skip the counting)."""
    return bool(_COUNTER)


def tick(steps: int = 1) -> None:
    """``steps`` more are done, in this process or a forked worker."""
    if not _COUNTER:
        return
    counter = _COUNTER[0]
    with counter.get_lock():
        counter.value += steps
    refresh()


def refresh() -> None:
    """Pass the count on to the listener, at most every tenth of a second (main process)."""
    if not _COUNTER or _MAIN[0] != os.getpid():
        return
    now = time.monotonic()
    if now - _LAST[0] >= _EVERY:
        _LAST[0] = now
        _LISTENER[0].update(_COUNTER[0].value)
