"""``mitrm init``: scaffold a data repo."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    """Add the command to ``app``."""
    app.command("init")(init)


def init(
    directory: Annotated[
        Path, typer.Argument(help="Where to create the data repo.", file_okay=False)
    ] = Path("."),
    language: Annotated[str, typer.Option("--language", help="en or zh.")] = "en",
    currency: Annotated[str, typer.Option("--currency", help="ISO 4217 code.")] = "CNY",
    project: Annotated[str | None, typer.Option("--project", help="Project name.")] = None,
) -> int:
    """Create mitrm.yaml, the item folders and a pre-commit config; never overwrites."""
    import sys
    from contextlib import AbstractContextManager, nullcontext

    from mitrm.cli.context import write_lock
    from mitrm.core.scaffold import scaffold_files
    from mitrm.errors import UsageError
    from mitrm.io.atomic import create_exclusive
    from mitrm.io.cache import git_dir

    if language not in ("en", "zh"):
        raise UsageError(f"--language must be en or zh, not '{language}'")
    if len(currency) != 3 or not currency.isalpha() or not currency.isupper():
        raise UsageError(f"--currency must be a 3-letter code such as CNY or EUR, not '{currency}'")
    files = scaffold_files(
        project=project or directory.resolve().name, language=language, currency=currency
    )
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"{directory} is a file, not a folder; nothing was written")
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
            f"{directory} already has {', '.join(existing)}; nothing was written",
            hint="mitrm init never overwrites files; remove them first or pick another folder",
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
            f"cannot create the data repo in {directory}: {exc.strerror or exc}",
            hint="check that the folder can be created and written",
        ) from None
    sys.stdout.write(f"created a mitrm data repo in {directory}\n")
    for name in files:
        sys.stdout.write(f"  {directory / name}\n")
    sys.stdout.write("next: mitrm new requirement\n")
    return 0
