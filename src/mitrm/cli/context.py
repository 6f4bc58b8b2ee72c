"""State shared by all commands: the global options, and the repo found from them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from mitrm.i18n import use_repo_language
from mitrm.io.discovery import repo_root

if TYPE_CHECKING:
    from mitrm.core.models import Settings


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
