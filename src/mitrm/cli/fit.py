"""Tables that fit the terminal: columns truncate with an ellipsis, then drop, in a set order.

Only for a terminal: piped output keeps every value whole. Widths are display
cells (rich's measure), so Chinese text counts two cells a character. Ids and
ranks are never cut or wrapped; long text gives way first, then the columns a
reader can best do without are left out (``terms`` before ``status``). Escaping
what the cells hold is not done here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

# rich is imported inside the functions: cli/output.py imports this module on the
# start-up path, and only a table for a terminal needs rich.

# Columns that may be cut, in the order they give way, with the width they keep.
SHRINK = {
    "terms": 10,
    "missing": 12,
    "source": 10,
    "note": 12,
    "owner": 10,
    "path": 16,
    "title": 16,
}
# Columns that may be left out, first to go first; the others always stay.
DROP = ("terms", "missing", "source", "owner", "kind", "type", "due", "status", "note")
GAP = 3  # cells between two columns: padding, the rule, padding
ELLIPSIS = "…"


def truncate(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells with an ellipsis, at a space when one is near the end;
    a wide character is never split."""
    from rich.cells import cell_len, get_character_cell_size

    if cell_len(text) <= width:
        return text
    if width <= 1:
        return ELLIPSIS[:width]
    kept, used = [], 0
    for char in text:
        size = get_character_cell_size(char)
        if used + size > width - 1:
            break
        kept.append(char)
        used += size
    cut = "".join(kept)
    space = cut.rfind(" ")
    if space >= len(cut) * 0.6:
        cut = cut[:space]  # a whole word rather than half of one
    return cut.rstrip() + ELLIPSIS


def fit(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    width: int,
    *,
    heading: Callable[[str], str] = str,
) -> tuple[list[str], list[list[str]]]:
    """The columns (their names) and cells of a table that fits ``width`` cells, as far
    as it can; ``heading`` gives the heading shown for a name (its width counts)."""
    from rich.cells import cell_len

    columns = list(range(len(header)))
    shown = [heading(name) for name in header]
    natural = [max([cell_len(shown[i])] + [cell_len(row[i]) for row in rows]) for i in columns]
    while True:
        widths = {i: natural[i] for i in columns}
        excess = sum(widths.values()) + GAP * (len(columns) - 1) - width
        for name, floor in SHRINK.items():
            for i in columns:
                if excess <= 0:
                    break
                keep = max(floor, cell_len(shown[i]))
                if header[i] == name and widths[i] > keep:
                    give = min(excess, widths[i] - keep)
                    widths[i] -= give
                    excess -= give
        if excess <= 0:
            break
        droppable = [i for name in DROP for i in columns if header[i] == name]
        if not droppable:
            break  # nothing more to leave out: the terminal wraps what is left
        columns.remove(droppable[0])
    names = [header[i] for i in columns]
    cells = [[truncate(row[i], widths[i]) for i in columns] for row in rows]
    return names, cells


def print_fitted(
    console: Console,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    title: str | None = None,
    heading: Callable[[str], str] = str,
) -> None:
    """Print ``rows`` under ``header`` on the terminal ``console``, fitted to its width;
    ``heading`` gives the heading shown for a column's name (in the interface language)."""
    from rich import box
    from rich.table import Table

    names, cells = fit(header, rows, console.width, heading=heading)
    table = Table(
        title=truncate(title, console.width) if title else None,
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
    )
    for name in names:
        table.add_column(heading(name), no_wrap=True, overflow="ellipsis")
    for row in cells:
        table.add_row(*row)
    console.print(table)
