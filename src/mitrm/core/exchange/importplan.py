"""The vocabulary of an import: tables read, items now, problems, changes, the plan.

Shared by ``importing`` (rows that update items) and ``creating`` (rows that
become new items); pure, like both.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mitrm.core.checking import validate_item
from mitrm.core.diagnostics import Severity
from mitrm.core.exchange.sheets import Column, cell_name
from mitrm.core.models import Kind, Settings
from mitrm.core.record import Record

CELL = "MIT701"  # a cell that does not fit its column, or a row that would not validate
CONFLICT = "MIT702"  # the item changed in the repo since the export
ROW = "MIT703"  # a row that cannot be matched: an unknown kind or the same id twice
HEADER = "MIT704"  # a header row without an id or title column

REST = "mitrm:rest"
"""A ReqIF attribute with the fields no column holds (KPIs, risks...), as JSON."""


@dataclass(frozen=True)
class Table:
    """One sheet as read: its title (None for CSV) and rows of raw values, the header first.

    ``row_names`` names rows that are not spreadsheet rows (ReqIF spec objects).
    """

    title: str | None
    rows: list[list[Any]]
    row_names: list[str] | None = None


@dataclass(frozen=True)
class Existing:
    """An item as it is in the repo now."""

    kind: Kind
    path: str
    data: dict[str, Any]


@dataclass(frozen=True)
class Problem:
    """A located problem: ``requests.xlsx:Requirements!C7``, a code and a message."""

    place: str
    code: str
    message: str

    def text(self) -> str:
        """``place: error CODE message``, as the diagnostics of item files read."""
        return f"{self.place}: error {self.code} {self.message}"


@dataclass(frozen=True)
class Change:
    """One field of one item: its value now and the value the row gives (None: removed)."""

    loc: tuple[str, ...]
    old: Any
    new: Any

    @property
    def name(self) -> str:
        """The field path, dotted."""
        return ".".join(self.loc)


@dataclass
class Update:
    """Changes to an existing item, from one row."""

    item_id: str
    kind: Kind
    path: str
    place: str
    changes: list[Change]
    data: dict[str, Any]
    """The item's data after the changes (what the file must read back as)."""
    before: dict[str, Any] = field(default_factory=dict)
    """The item's data the changes were planned on."""


@dataclass
class Create:
    """A new item from one row; ``item_id`` is kept when the row names a free one."""

    kind: Kind
    place: str
    item_id: str | None
    data: dict[str, Any]


@dataclass
class ImportPlan:
    """Everything an import would do, and every reason it must not."""

    updates: list[Update] = field(default_factory=list)
    creates: list[Create] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unchanged: int = 0
    ignored_headers: list[str] = field(default_factory=list)
    twins: list[tuple[str, str]] = field(default_factory=list)
    """Rows without an id that match an item already in the repo: (place, its id)."""
    read: int = 0
    """Sheets read; a sheet without an id or title column (a cover sheet) is ``skipped``."""
    skipped: list[Table] = field(default_factory=list)
    titles: dict[tuple[Kind, str], list[str]] | None = None
    kept: list[str] = field(default_factory=list)
    """Fields left as the repo has them: changed there since the export, untouched in the row."""


@dataclass
class SheetRead:
    """A table as the import reads it: its kind, its matched columns, its own columns."""

    kind: Kind
    table: Table
    cols: list[tuple[int, Column]]
    provenance: int | None
    rest: int | None = None


def place(source: str, table: Table, row: int, col: int) -> str:
    """``FILE:Sheet!C7`` (``FILE:C7`` for CSV) for 0-based ``row`` and ``col``.

    A ReqIF spec object is named by its identifier and attribute:
    ``items.reqif:_item-REQ-0001.status``.
    """
    if table.row_names is not None:
        header = table.rows[0][col] if col < len(table.rows[0]) else ""
        return f"{source}:{table.row_names[row]}.{header}"
    cell = cell_name(row, col)
    if table.title is None:
        return f"{source}:{cell}"
    title = table.title
    if not title.replace("_", "").isalnum():
        title = "'" + title.replace("'", "''") + "'"
    return f"{source}:{title}!{cell}"


def column_at(sheet: SheetRead, where: dict[str, int], loc: tuple[Any, ...], fallback: int) -> int:
    for _col, column in sheet.cols:
        if tuple(loc[: len(column.loc)]) == column.loc and column.name in where:
            return where[column.name]
    return fallback


def apply_changes(data: Mapping[str, Any], changes: Sequence[Change]) -> dict[str, Any]:
    result = copy.deepcopy(dict(data))
    for change in changes:
        node: dict[str, Any] = result
        for part in change.loc[:-1]:
            child = node.get(part)
            if not isinstance(child, dict):
                child = {}
                node[part] = child
            node = child
        if change.new is None:
            node.pop(change.loc[-1], None)
        else:
            node[change.loc[-1]] = change.new
    # A mapping emptied by the import (all its fields cleared) goes with them.
    for change in changes:
        if len(change.loc) > 1 and result.get(change.loc[0]) == {}:
            result.pop(change.loc[0])
    return result


def new_errors(
    kind: Kind,
    path: str,
    before: Mapping[str, Any] | None,
    after: dict[str, Any],
    settings: Settings,
    item_id: str,
) -> list[tuple[tuple[Any, ...], str]]:
    """Errors the new data has and the old did not, as (field path, message)."""

    def errors(data: Mapping[str, Any]) -> list[tuple[tuple[Any, ...], str, str]]:
        record = Record(path=path, kind=kind, data=dict(data))
        validate_item(record, settings=settings)
        return [
            (tuple(d.loc), d.code, d.message)
            for d in record.diagnostics
            if d.severity is Severity.ERROR
        ]

    old = {(code, message) for _loc, code, message in errors(before)} if before else set()
    return [(loc, message) for loc, code, message in errors(after) if (code, message) not in old]
