"""``mitrm init``: scaffold a data repo."""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Annotated

import typer

from mitrm.cli.context import write_lock
from mitrm.cli.helps import HELP
from mitrm.core.scaffold import scaffold_files
from mitrm.errors import UsageError
from mitrm.i18n import _, use_repo_language
from mitrm.io.atomic import create_exclusive
from mitrm.io.cache import git_dir


def register(app: typer.Typer) -> None:
    """Add the command to ``app``."""
    app.command(
        "init",
        help=_(HELP["init"]),
    )(init)


def init(
    directory: Annotated[
        Path, typer.Argument(help=_("Where to create the data repo."), file_okay=False)
    ] = Path("."),
    language: Annotated[str, typer.Option("--language", help=_("en or zh."))] = "en",
    currency: Annotated[str, typer.Option("--currency", help=_("ISO 4217 code."))] = "CNY",
    project: Annotated[str | None, typer.Option("--project", help=_("Project name."))] = None,
) -> int:
    """Create mitrm.yaml, the item folders and a pre-commit config; never overwrites."""
    if language not in ("en", "zh"):
        raise UsageError(_("--language must be en or zh, not '{value}'").format(value=language))
    # The new repo's language is the user's from here on (its comments, these messages).
    use_repo_language(language)
    if len(currency) != 3 or not currency.isalpha() or not currency.isupper():
        raise UsageError(
            _("--currency must be a 3-letter code such as CNY or EUR, not '{value}'").format(
                value=currency
            )
        )
    files = scaffold_files(
        project=project or directory.resolve().name, language=language, currency=currency
    )
    if directory.exists() and not directory.is_dir():
        raise UsageError(
            _("{folder} is a file, not a folder; nothing was written").format(folder=directory)
        )
    existing = [name for name in files if (directory / name).exists()]
    # a folder the repo needs that is a file (e.g. 'requirements') blocks it too
    existing += sorted(
        {
            str(parent)
            for name in files
            for parent in Path(name).parents
            if str(parent) != "."
            and (directory / parent).exists()
            and not (directory / parent).is_dir()
        }
    )
    if existing:
        raise UsageError(
            _("{folder} already has {files}; nothing was written").format(
                folder=directory, files=", ".join(existing)
            ),
            hint=_("mitrm init never overwrites files; remove them first or pick another folder"),
        )
    created: list[Path] = []
    # Inside a git repository the new repo's lock and caches live in its .git/mitrm.
    where = directory.resolve()
    lock: AbstractContextManager[object] = (
        write_lock(where) if git_dir(where) is not None else nullcontext()
    )
    try:
        with lock:
            for name, text in files.items():
                create_exclusive(directory / name, text)
                created.append(directory / name)
    except OSError as exc:
        for path in created:  # all or nothing: a half-made repo would block the next try
            path.unlink(missing_ok=True)
        raise UsageError(
            _("cannot create the data repo in {folder}: {reason}").format(
                folder=directory, reason=exc.strerror or exc
            ),
            hint=_("check that the folder can be created and written"),
        ) from None
    sys.stdout.write(_("created a mitrm data repo in {folder}").format(folder=directory) + "\n")
    for name in files:
        sys.stdout.write(f"  {directory / name}\n")
    sys.stdout.write(_("next: mitrm new requirement") + "\n")
    return 0
