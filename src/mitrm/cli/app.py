"""The ``mitrm`` entry point: global options, command registration, one error funnel."""

from __future__ import annotations

import gc
import inspect
import os
import sys
from importlib import import_module
from pathlib import Path
from typing import Annotated, Any

import typer

# typer vendors click (no click package is installed); typer is pinned to 0.29.x for it.
from typer import _click as click
from typer._click.shell_completion import CompletionItem
from typer.core import TyperCommand, TyperGroup
from typer.main import get_group

from mitrm import __version__
from mitrm.cli import streams
from mitrm.cli.context import State
from mitrm.cli.output import print_error
from mitrm.cli.streams import OutputError, silence_stdout
from mitrm.errors import MitrmError
from mitrm.i18n import N_, _


class _LazyGroup(TyperGroup):
    """The root group: lists commands from COMMANDS and imports a command's module on use.

    ``mitrm --help`` and completing a command name import no command module; running
    a command (or asking its own --help) imports only the module that defines it.
    """

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        # Stand-ins carry the names and help texts, so that listing, help and typo
        # suggestions (which read self.commands) work without importing anything.
        self.commands = {
            name: TyperCommand(name=name, help=inspect.cleandoc(_(text)))
            for name, _module, text in COMMANDS
        }
        self._loaded: dict[str, click.Command] = {}

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The real command ``cmd_name``, its module imported on first use."""
        module = _MODULES.get(cmd_name)
        if module is None:
            return None
        if cmd_name not in self._loaded:
            self._loaded.update(load_commands(module))
        return self._loaded.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list of --help, from the table (TyperGroup's layout)."""
        rows = [(name, command) for name, command in self.commands.items()]
        limit = formatter.width - 6 - max(len(name) for name, _command in rows)
        with formatter.section("Commands"):
            formatter.write_dl([(name, cmd.get_short_help_str(limit)) for name, cmd in rows])

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list[CompletionItem]:
        """Command names (with their short help) from the table, then the group's options."""
        names = [
            CompletionItem(name, help=command.get_short_help_str())
            for name, command in self.commands.items()
            if name.startswith(incomplete)
        ]
        return names + click.Command.shell_complete(self, ctx, incomplete)


def load_commands(module: str) -> dict[str, click.Command]:
    """The click commands that ``mitrm.cli.<module>`` registers, by name (imports the module)."""
    sub = typer.Typer(rich_markup_mode=None, pretty_exceptions_enable=False, add_completion=False)
    import_module(f"mitrm.cli.{module}").register(sub)
    return dict(get_group(sub).commands)


# The long help texts of the table below.
_HELP_NEW = N_(
    """Draft a new item: asks on a terminal, takes every field as an option, prints the path.

The file gets the next free id (after the highest in the working tree and
on every local and remote branch) and is created exclusively."""
)

_HELP_SET = N_(
    """Set fields of an item in place, keeping its comments, key order and layout.

Values are read as YAML (numbers, dates, [lists], {mappings}) except for
text fields, which take the text as written. The result must validate, or
nothing is written."""
)

_HELP_STATUS = N_(
    """Move an item to another status, if the workflow allows it and its fields are there.

FIELD=VALUE pairs after the status are set in the same step (for the fields
the new status requires). Refused (exit 1, nothing written) when the move
is not allowed or a required field is missing."""
)

_HELP_RENUMBER = N_(
    """Change an item's id: rename its file (keeping the slug) and update every reference.

References in depends_on, plan requirements, phases, milestones and change
targets follow. When OLD is used by two files (common after merging two
branches), pick one with --file; references are then left alone, since
they may mean either item."""
)

_HELP_VALIDATE = N_(
    """Check item files against the models, the workflow, the rules across files and the
quality rules (MIT4xx: vague wording, rush requests, missing tests...).

Never writes a file. Exit 0 when clean, 1 when there are errors (or
warnings with --strict), 2 on a usage error."""
)

_HELP_REPORT = N_(
    """Write the publishable report: portfolio, documents, backlog, change log, validation, JSON.

Works without git (documents only, said in the report) and warns on a
shallow clone. Deterministic: the same commit writes the same bytes."""
)

_HELP_EXPORT = N_(
    """Write items to a spreadsheet (XLSX, CSV with BOM) or a ReqIF 1.2 file.

XLSX: one sheet per kind, headers in the repo's language, drop-downs for
every closed vocabulary. CSV holds one kind (--kind, default requirement).
Every row records what it was exported from, so that 'mitrm import' can
refuse rows whose item changed since. docs/spreadsheets.md explains it all."""
)

_HELP_IMPORT = N_(
    """Read rows from a spreadsheet or ReqIF file into items: a diff first, --apply writes.

Rows with an id update that item (only the changed lines of its file
change); rows without one become new items. A row whose item changed in
the repo since the export is refused unless --force. Any bad cell is
reported as FILE:Sheet!C7 and nothing is written (exit 1)."""
)

# Every command in --help order: name, the module under mitrm.cli whose register()
# adds it, and its help text (the same message as the module's, so that both are
# translated alike; tests/test_cli_lazy.py checks that the two agree).
COMMANDS: tuple[tuple[str, str, str], ...] = (
    (
        "init",
        "init",
        N_("Create mitrm.yaml, the item folders and a pre-commit config; never overwrites."),
    ),
    ("new", "new", _HELP_NEW),
    ("set", "edit", _HELP_SET),
    ("status", "edit", _HELP_STATUS),
    ("renumber", "edit", _HELP_RENUMBER),
    ("validate", "validate", _HELP_VALIDATE),
    ("list", "browse", N_("List items, filtered by kind, status, type, tag and owner.")),
    ("show", "browse", N_("Show one item: its file as written, or its fields as JSON.")),
    (
        "prioritize",
        "prioritize",
        N_("Score and rank the open requirements (docs/scoring.md explains every model)."),
    ),
    ("export", "exchange", _HELP_EXPORT),
    ("import", "exchange", _HELP_IMPORT),
    (
        "render",
        "render",
        N_("Write Markdown documents, checklists and the portfolio report from the templates."),
    ),
    (
        "history",
        "history",
        N_("Show an item's change log from git: commits and field-level changes."),
    ),
    (
        "changelog",
        "history",
        N_("What changed in the items between two revisions, grouped by kind and change type."),
    ),
    ("report", "report", _HELP_REPORT),
    (
        "schema",
        "schema",
        N_("Write the JSON Schemas (Draft 2020-12) of the three kinds and the settings."),
    ),
    (
        "templates",
        "render",
        N_("List the document templates, or export one to start a custom template."),
    ),
)
_MODULES = {name: module for name, module, _text in COMMANDS}

app = typer.Typer(
    name="mitrm",
    help=_("Marketing-IT requirements management over plain YAML files in git."),
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    cls=_LazyGroup,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mitrm {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    ctx: typer.Context,
    repo: Annotated[
        Path | None,
        typer.Option(
            "-C",
            "--repo",
            help=_("The data repo to work on (default: the nearest folder above with mitrm.yaml)."),
            file_okay=False,
        ),
    ] = None,
    debug: Annotated[
        bool, typer.Option("--debug", help=_("Show the traceback of internal errors."))
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help=_("Show the version and exit.")
        ),
    ] = False,
) -> None:
    """Marketing-IT requirements management over plain YAML files in git."""
    ctx.obj = State(repo=repo, debug=debug)


def _report(exc: MitrmError) -> None:
    print_error(exc)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; turn every error into a message and an exit code (CLI.md)."""
    old = streams.guard()
    try:
        _main(argv)
    finally:
        sys.stdout, sys.stderr = old


def _main(argv: list[str] | None) -> None:
    debug = "--debug" in (argv if argv is not None else sys.argv)
    # A run loads thousands of items that live until it ends. At Python's default
    # thresholds the cyclic collector scans them all again and again (a third of a
    # ranking's time on 10,000 items); collect far less often instead.
    gc.set_threshold(50_000, 20, 100)
    try:
        result: Any = app(args=argv, prog_name="mitrm", standalone_mode=False)
        # Buffered output meets a full disk here, while it can still be reported.
        sys.stdout.flush()
    except MitrmError as exc:
        if isinstance(exc, OutputError):
            silence_stdout()
        _report(exc)
        sys.exit(exc.exit_code)
    except typer.TyperException as exc:
        # Typer's usage errors (click's, vendored) print their usage line and hint themselves;
        # the public base class is all we need to name.
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            sys.stderr.write(f"error: {exc.format_message()}\n")
        sys.exit(exc.exit_code)
    except (KeyboardInterrupt, typer.Abort):
        sys.stderr.write("\n" + _("interrupted") + "\n")
        sys.exit(130)
    except BrokenPipeError:
        # The reader went away (``mitrm list | head``): not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
    except Exception as exc:
        if debug:
            raise
        sys.stderr.write(
            _("internal error: {error}").format(error=f"{type(exc).__name__}: {exc}")
            + "\n"
            + _("this is a bug in mitrm; run again with --debug for the traceback")
            + "\n"
        )
        sys.exit(3)
    if result == 130:
        # typer turns Ctrl-C inside a command into a plain return of 130.
        sys.stderr.write("\n" + _("interrupted") + "\n")
    sys.exit(result if isinstance(result, int) else 0)
