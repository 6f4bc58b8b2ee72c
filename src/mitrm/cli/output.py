"""Printing: results to stdout, diagnostics to stderr, colour only on a terminal."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from mitrm.cli.fit import print_fitted
from mitrm.cli.formats import ListFormat
from mitrm.cli.streams import json_safe, printable
from mitrm.errors import MitrmError, SettingsError
from mitrm.i18n import NP_, pgettext

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["ListFormat", "emit", "emit_csv", "emit_json", "emit_markdown", "emit_table"]

# Column names of the tables people read (CSV, JSON and Markdown keep the English names).
_COLUMNS = (
    NP_("column", "id"),
    NP_("column", "kind"),
    NP_("column", "status"),
    NP_("column", "type"),
    NP_("column", "title"),
    NP_("column", "due"),
    NP_("column", "owner"),
    NP_("column", "rank"),
    NP_("column", "score"),
    NP_("column", "terms"),
    NP_("column", "note"),
    NP_("column", "missing"),
    NP_("column", "op"),
    NP_("column", "term"),
    NP_("column", "input"),
    NP_("column", "points"),
    NP_("column", "weight"),
    NP_("column", "contribution"),
    NP_("column", "source"),
    NP_("column", "reason"),
    NP_("column", "name"),
    NP_("column", "path"),
    NP_("column", "change"),
    NP_("column", "same order"),
    NP_("column", "entered"),
    NP_("column", "left"),
    NP_("column", "best rank"),
    NP_("column", "worst rank"),
    NP_("column", "moves"),
    NP_("column", "chosen"),
)


def column(name: str) -> str:
    """A column's heading in the interface language (unknown names as they are)."""
    return pgettext("column", name)


def stdout() -> Console:
    """A console on stdout: colour and styles only on a terminal, NO_COLOR respected."""
    # rich is imported where a console is made, not with this module: the error
    # funnel in cli/app.py imports this module, and `mitrm --help` needs no rich.
    from rich.console import Console

    # Rich writes its own escape sequences (colour); the text it gets is made
    # printable() by the callers instead. No markup: "[link=...]" in a title is text.
    return Console(
        file=getattr(sys.stdout, "unescaped", sys.stdout),
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=False,
    )


def stderr() -> Console:
    """A console on stderr for diagnostics and messages."""
    from rich.console import Console

    return Console(
        file=getattr(sys.stderr, "unescaped", sys.stderr),
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=True,
    )


def print_error(exc: MitrmError) -> None:
    """``error: message`` (and ``hint: ...``) on stderr."""
    err = sys.stderr
    if isinstance(exc, SettingsError):
        for diagnostic in exc.diagnostics:
            text = getattr(diagnostic, "text", None)
            err.write((text() if callable(text) else str(diagnostic)) + "\n")
    err.write(f"error: {exc.message}\n")
    if exc.hint:
        err.write(f"hint: {exc.hint}\n")


def emit_json(document: Any) -> None:
    """Print one JSON document on stdout (UTF-8, stable key order as built)."""
    text = json.dumps(document, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write(json_safe(text) + "\n")


_EXCEL_CSV = [False]


def csv_for_excel(on: bool) -> None:
    """Make this run's CSV what Excel opens correctly: a UTF-8 BOM and CRLF line ends.

    Off by default, so that scripts reading ``--format csv`` get the same bytes as before.
    """
    _EXCEL_CSV[0] = on


def emit_csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Print CSV with a header row on stdout (RFC 4180 quoting; see ``csv_for_excel``)."""
    excel = _EXCEL_CSV[0]
    _EXCEL_CSV[0] = False  # for this document only, not for a later run in the same process
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n" if excel else "\n")
    if not excel:
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if cell is None else cell for cell in row])
        sys.stdout.write(buffer.getvalue())
        return
    # CRLF line ends are part of the format here: the cells are made printable, the
    # line ends written as they are.
    writer.writerow([printable(str(h)) for h in header])
    for row in rows:
        writer.writerow(["" if cell is None else printable(str(cell)) for cell in row])
    stream = getattr(sys.stdout, "unescaped", sys.stdout)
    stream.write("\ufeff" + buffer.getvalue())


def md_cell(value: Any) -> str:
    """A value made safe for a Markdown table cell."""
    text = "" if value is None else str(value)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def emit_markdown(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Print a GitHub-flavoured Markdown table on stdout."""
    lines = ["| " + " | ".join(md_cell(h) for h in header) + " |"]
    lines.append("|" + "|".join(" --- " for _ in header) + "|")
    lines += ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in rows]
    sys.stdout.write("\n".join(lines) + "\n")


def emit_table(
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    title: str | None = None,
) -> None:
    """A rich table fitted to the terminal (see :mod:`mitrm.cli.fit`); plain aligned
    columns, every value whole, when piped."""
    console = stdout()
    if not console.is_terminal:
        _plain_columns(header, rows, title)
        return
    cells = [["" if cell is None else printable(str(cell)) for cell in row] for row in rows]
    print_fitted(
        console,
        [str(name) for name in header],
        cells,
        title=printable(title) if title else None,
        heading=column,
    )


def _plain_columns(header: Sequence[str], rows: Sequence[Sequence[Any]], title: str | None) -> None:
    """Aligned columns without borders or truncation, for pipes and files."""
    from rich.cells import cell_len  # display widths of CJK text; rich stays out of start-up

    cells = [[column(str(h)) for h in header]] + [
        ["" if cell is None else str(cell).replace("\n", " ") for cell in row] for row in rows
    ]
    widths = [max(cell_len(row[i]) for row in cells) for i in range(len(header))]
    lines = [title] if title else []
    for row in cells:
        padded = [c + " " * (w - cell_len(c)) for c, w in zip(row[:-1], widths, strict=False)]
        lines.append("  ".join([*padded, row[-1]]).rstrip())
    sys.stdout.write("\n".join(lines) + "\n")


def emit(fmt: ListFormat, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Print rows in a tabular ``fmt`` (json is built by the caller)."""
    if fmt is ListFormat.CSV:
        emit_csv(header, rows)
    elif fmt is ListFormat.MARKDOWN:
        emit_markdown(header, rows)
    else:
        emit_table(header, rows)
