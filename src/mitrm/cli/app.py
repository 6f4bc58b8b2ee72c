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
from mitrm.cli.helps import HELP
from mitrm.cli.output import print_error
from mitrm.cli.streams import OutputError, silence_stdout
from mitrm.errors import MitrmError
from mitrm.i18n import _


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
            name: TyperCommand(name=name, help=inspect.cleandoc(_(HELP[name])))
            for name, _module in COMMANDS
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


# Every command in --help order: its name and the module under mitrm.cli whose
# register() adds it; the help texts are in mitrm.cli.helps.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("init", "init"),
    ("new", "new"),
    ("set", "edit"),
    ("status", "edit"),
    ("renumber", "edit"),
    ("validate", "validate"),
    ("list", "browse"),
    ("show", "browse"),
    ("prioritize", "prioritize"),
    ("export", "exchange"),
    ("import", "exchange"),
    ("render", "render"),
    ("history", "history"),
    ("changelog", "history"),
    ("report", "report"),
    ("schema", "schema"),
    ("templates", "render"),
)
_MODULES = dict(COMMANDS)

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
