"""Items to sheets: one sheet per kind, headers and drop-downs in the repo's language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mitrm.core.exchange.sheetnames import SHEET_TITLES, choice_labels, header_names
from mitrm.core.exchange.sheets import (
    PROVENANCE,
    CellValue,
    Shape,
    canonical,
    choice_label,
    columns,
    digest,
    export_cell,
    get,
    header_label,
)
from mitrm.core.models import Kind


@dataclass
class Sheet:
    """What a sheet shows: title, headers, rows of cells, and per column its drop-down list."""

    kind: Kind
    title: str
    headers: list[str]
    rows: list[list[CellValue]]
    choices: dict[int, list[str]] = field(default_factory=dict)
    typed: dict[int, str] = field(default_factory=dict)
    """Columns that take only a ``date``, a ``decimal`` or a ``whole`` number."""
    widths: dict[int, float] = field(default_factory=dict)
    provenance: int = -1


_TYPED = {Shape.DATE: "date", Shape.NUMBER: "decimal", Shape.INTEGER: "whole"}
_WIDE = {"title": 40, "description": 50, "business_goal": 40, "background": 40}


def build_sheet(
    kind: Kind, items: Sequence[Mapping[str, Any]], *, lang: str, commit: str | None
) -> Sheet:
    """The sheet of ``kind`` for ``items`` (raw item data, in the order to show).

    The last column (hidden in XLSX) records, per row, the commit and a digest of
    every exported value, so that an import can tell what changed since.
    """
    cols = columns(kind)
    names = header_names(lang)
    labels = [choice_labels(c, lang) for c in cols]
    headers = [header_label(c, names) for c in cols] + [PROVENANCE]
    stamp = f"1:{(commit or '-')[:12]}:"
    rows = []
    empty = digest("")
    pairs = list(zip(cols, labels, strict=True))
    for data in items:
        row: list[CellValue] = []
        digests = []
        for column, label in pairs:
            value = get(data, column.loc)
            if value is None:
                row.append(None)
                digests.append(empty)
                continue
            text = canonical(column, value)
            digests.append(digest(text))
            row.append(export_cell(column, value, text, label))
        row.append(stamp + "".join(digests))
        rows.append(row)
    choices: dict[int, list[str]] = {}
    for index, (column, label) in enumerate(zip(cols, labels, strict=True)):
        if column.shape is Shape.CHOICE:
            choices[index] = [choice_label(v, label) for v in column.choices]
        elif column.shape is Shape.BOOLEAN:
            choices[index] = ["true", "false"]
    widths = {}
    for index, column in enumerate(cols):
        longest = max([len(headers[index])] + [_width(r[index]) for r in rows[:200]])
        widths[index] = float(min(max(longest + 2, 8), _WIDE.get(column.name, 30)))
    title = SHEET_TITLES.get(lang, SHEET_TITLES["en"])[kind]
    typed = {
        index: _TYPED[column.shape] for index, column in enumerate(cols) if column.shape in _TYPED
    }
    return Sheet(kind, title, headers, rows, choices, typed, widths, provenance=len(cols))


def _width(value: CellValue) -> int:
    if value is None:
        return 0
    text = value if isinstance(value, str) else str(value)
    longest = max((len(line) for line in text.split("\n")), default=0)
    # A CJK character takes two columns' room.
    return longest + sum(1 for ch in text[:80] if ord(ch) > 0x2E80)
