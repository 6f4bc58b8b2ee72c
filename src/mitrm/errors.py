"""One exception tree; each class carries the exit code the CLI turns it into."""

from __future__ import annotations

from collections.abc import Sequence


class MitrmError(Exception):
    """Base of every error mitrm reports to a user; ``exit_code`` follows CLI.md."""

    exit_code = 3

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class DataError(MitrmError):
    """The data has problems: invalid items, a refused transition, a stale document."""

    exit_code = 1


class UsageError(MitrmError):
    """Bad option, unknown id, missing repo: the user's call cannot be carried out."""

    exit_code = 2


class RepoNotFoundError(UsageError):
    """No ``mitrm.yaml`` above the working directory."""


class NotAGitRepoError(UsageError):
    """A command that needs git ran outside a git repository."""


class UnknownIdError(UsageError):
    """An id that names no item in the repository."""


class SettingsError(UsageError):
    """``mitrm.yaml`` cannot be read or is invalid; carries its diagnostics."""

    def __init__(self, message: str, diagnostics: Sequence[object] | None = None) -> None:
        super().__init__(message)
        self.diagnostics = list(diagnostics or [])
