"""``mitrm schema``: write or check the JSON Schemas editors use to autocomplete items."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from mitrm.cli.helps import HELP
from mitrm.core.schemas import all_schemas
from mitrm.errors import UsageError
from mitrm.i18n import _
from mitrm.io.atomic import write_atomic


def register(app: typer.Typer) -> None:
    """Add the command to ``app``."""
    app.command("schema", help=_(HELP["schema"]))(schema)


def schema(
    out: Annotated[
        Path, typer.Option("--out", "-o", help=_("Folder for the schema files."), file_okay=False)
    ] = Path("schemas"),
    check: Annotated[
        bool,
        typer.Option("--check", help=_("Write nothing; exit 1 if any schema file is stale.")),
    ] = False,
) -> int:
    """Write the JSON Schemas (Draft 2020-12) of the three kinds and the settings."""
    stale: list[str] = []
    for name, text in all_schemas().items():
        target = out / name
        try:
            current = target.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            current = None
        if current == text:
            continue
        if check:
            stale.append(str(target))
            continue
        try:
            write_atomic(target, text)
        except OSError as exc:
            raise UsageError(
                _("cannot write {path}: {reason}").format(path=target, reason=exc.strerror or exc),
                hint=_("check --out"),
            ) from None
        sys.stdout.write(_("wrote {path}").format(path=target) + "\n")
    if stale:
        for path in stale:
            sys.stderr.write(
                _("{path}: stale; run 'mitrm schema' to update it").format(path=path) + "\n"
            )
        return 1
    return 0
