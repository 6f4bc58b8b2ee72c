"""Progress bars on the terminal for long work (``--quiet`` turns them off).

Shown on stderr only when it is a terminal, and only for a stage that runs
longer than a moment, then erased: what a command prints stays exactly as it
is, and nothing at all changes when the output goes to a pipe or a file.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TYPE_CHECKING, Any

from mitrm.cli.output import stderr
from mitrm.i18n import N_, _
from mitrm.io import progress

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

QUIET_HELP = N_("Show no progress bar on the terminal.")
# Seconds a stage runs before its bar shows: quicker stages show nothing.
_DELAY = float(os.environ.get("MITRM_PROGRESS_DELAY", "0.3"))


class Bar:
    """A :class:`mitrm.io.progress.Listener` drawing a rich progress bar on stderr."""

    def __init__(self) -> None:
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        self._label = ""
        self._total: int | None = None
        self._began = 0.0

    def begin(self, label: str, total: int | None) -> None:
        """A stage begins; the bar appears only if it lasts."""
        self._label, self._total, self._began = label, total, time.monotonic()

    def update(self, done: int) -> None:
        """Move the bar (drawing it once the stage has lasted a moment)."""
        if self._progress is None:
            if time.monotonic() - self._began < _DELAY:
                return
            self._start()
        assert self._progress is not None and self._task is not None
        self._progress.update(self._task, completed=done)
        self._progress.refresh()

    def end(self) -> None:
        """The stage is over: the bar goes away."""
        if self._progress is not None:
            self._progress.stop()
        self._progress = self._task = None

    def _start(self) -> None:
        # rich's progress bars only once a stage runs long on a terminal.
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        columns: list[Any] = [TextColumn("{task.description}"), BarColumn()]
        if self._total is not None:
            columns.append(MofNCompleteColumn())
        else:
            columns.append(TextColumn("{task.completed}"))
        columns.append(TimeElapsedColumn())
        # The console writes past the stream that escapes control characters: the
        # bar's own cursor movements must reach the terminal.
        console = stderr()
        self._progress = Progress(*columns, console=console, transient=True, auto_refresh=False)
        self._task = self._progress.add_task(_(self._label), total=self._total)
        self._progress.start()


def show_progress(*, quiet: bool) -> None:
    """Show progress bars for this run when stderr is a terminal and not ``quiet``."""
    if quiet or not sys.stderr.isatty():
        progress.listen(None)
        return
    progress.listen(Bar())
