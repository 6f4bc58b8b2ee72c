"""State shared by all commands: the global options, and the repo found from them."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from mitrm.i18n import _, use_repo_language
from mitrm.io.discovery import repo_root

if TYPE_CHECKING:
    from mitrm.core.models import Settings
    from mitrm.io.journal import Outcome


@dataclass
class State:
    """The global options of one ``mitrm`` run."""

    repo: Path | None = None
    debug: bool = False

    def root(self) -> Path:
        """The data repo's root (raises RepoNotFoundError, exit 2)."""
        return repo_root(self.repo)

    def settings(self, root: Path) -> Settings:
        """The repo's settings (raises SettingsError, exit 2)."""
        # cli/app.py imports this module at start-up; the settings' models (pydantic,
        # about 0.2 s) are imported only by a command that reads a repo.
        from mitrm.io.repository import load_settings

        settings = load_settings(root)
        use_repo_language(settings.language.value)
        return settings


def state(ctx: typer.Context) -> State:
    """The State of this run (a default one when a command is invoked on its own)."""
    root = ctx.find_root()
    if not isinstance(root.obj, State):
        root.obj = State()
    return root.obj


@contextmanager
def write_lock(root: Path) -> Iterator[Outcome | None]:
    """Hold the repo's write lock around a write command (exit 2 if another holds it).

    Completes, and reports, an edit that a killed command left half-done.
    """
    # Only write commands take the lock; this module is on the start-up path.
    from mitrm.io.lock import write_lock as lock

    with lock(root) as outcome:
        if outcome is not None:
            report_recovery(outcome)
        yield outcome


def report_recovery(outcome: Outcome) -> None:
    """Tell the user what completing a killed command's edit did."""
    err = sys.stderr
    what = f"'{outcome.command}'" if outcome.command else _("an edit")
    if outcome.set_aside is not None and not outcome.changed:
        message = _(
            "warning: found the journal of an interrupted edit that cannot be read; "
            "set it aside as {path}; run 'mitrm validate'"
        ).format(path=outcome.set_aside)
    elif outcome.changed:
        message = _(
            "warning: {command} was interrupted, and {paths} changed since; left every "
            "file as it is (run 'mitrm validate' and finish the edit by hand)"
        ).format(command=what, paths=", ".join(outcome.changed))
    elif outcome.written:
        message = _("completed {command}, which was interrupted: updated {paths}").format(
            command=what, paths=", ".join(outcome.written)
        )
    else:
        message = _("completed {command}, which was interrupted").format(command=what)
    err.write(message + "\n")
