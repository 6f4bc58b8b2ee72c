"""The ``mitrm`` entry point: global options, command registration, one error funnel."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from mitrm import __version__
from mitrm.cli.context import State
from mitrm.errors import MitrmError
from mitrm.i18n import _

app = typer.Typer(
    name="mitrm",
    help=_("Marketing-IT requirements management over plain YAML files in git."),
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
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


# Command modules in the order their commands appear in --help. Each module's
# register(app) adds its commands; heavy imports stay inside the command bodies.
_COMMAND_MODULES = (
    "init",
    "new",
    "validate",
    "browse",
    "prioritize",
    "exchange",
    "render",
    "history",
    "report",
    "schema",
)


def _register() -> None:
    from importlib import import_module

    for name in _COMMAND_MODULES:
        import_module(f"mitrm.cli.{name}").register(app)


_register()


def _report(exc: MitrmError) -> None:
    from mitrm.cli.output import print_error

    print_error(exc)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; turn every error into a message and an exit code (CLI.md)."""
    from mitrm.cli import streams

    old = streams.guard()
    try:
        _main(argv)
    finally:
        sys.stdout, sys.stderr = old


def _main(argv: list[str] | None) -> None:
    from mitrm.cli.streams import OutputError, silence_stdout

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
