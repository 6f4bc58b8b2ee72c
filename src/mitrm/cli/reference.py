"""Generate docs/cli-reference.md from the commands' own --help (kept fresh by a test).

Regenerate with ``python -m mitrm.cli.reference > docs/cli-reference.md``.
"""

from __future__ import annotations

import os
import sys

from typer.testing import CliRunner

from mitrm.cli.app import COMMANDS, app, load_commands


def _help(args: list[str]) -> str:
    result = CliRunner().invoke(app, [*args, "--help"], prog_name="mitrm", terminal_width=88)
    return result.stdout.rstrip() + "\n"


def _commands() -> list[list[str]]:
    found: list[list[str]] = []
    for name, module in sorted(COMMANDS):
        command = load_commands(module)[name]
        if command.hidden:
            continue
        found.append([name])
        for sub in sorted(getattr(command, "commands", {}) or {}):
            found.append([name, sub])
    return found


def cli_reference() -> str:
    """The Markdown reference of every command, from its --help text."""
    os.environ["COLUMNS"] = "88"
    os.environ["NO_COLOR"] = "1"
    parts = [
        "# Command-line reference\n",
        "Generated from `mitrm COMMAND --help` by "
        "`python -m mitrm.cli.reference > docs/cli-reference.md`; a test fails when it is "
        "stale. The contract behind it (exit codes, formats) is in [cli.md](cli.md).\n",
        "## mitrm\n",
        "```text\n" + _help([]) + "```\n",
    ]
    for path in _commands():
        parts.append(f"## mitrm {' '.join(path)}\n")
        parts.append("```text\n" + _help(path) + "```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    sys.stdout.write(cli_reference())
