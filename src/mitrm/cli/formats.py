"""Output format choices, kept apart from rich so that --help stays fast."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from mitrm.i18n import _


class ListFormat(str, Enum):
    """Output formats of commands that list things (CLI.md)."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"


BomOpt = Annotated[
    bool,
    typer.Option(
        "--bom",
        help=_(
            "With --format csv: start with a UTF-8 byte order mark and end lines with CRLF, "
            "so that Excel shows Chinese text correctly."
        ),
    ),
]
