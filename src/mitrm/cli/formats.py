"""Output format choices, kept apart from rich so that --help stays fast."""

from __future__ import annotations

from enum import Enum


class ListFormat(str, Enum):
    """Output formats of commands that list things (CLI.md)."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"
