"""Items as spreadsheet rows: the columns of each kind, cell values out and back in.

Pure: the io layer writes and reads the files; this module decides which
columns a kind has, what a cell holds for a field, how a cell reads back, and
the digests that let an import tell what changed since the export.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from pydantic import BaseModel

from mitrm.core.models import MODELS, Kind
from mitrm.i18n import _

LIST_SEPARATOR = "\n"
"""Entries of a list field share one cell, one entry per line (Alt+Enter in Excel)."""

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""A text cell starting with one of these would be run as a formula by a spreadsheet."""

PROVENANCE = "mitrm:base"
"""The hidden column that records what each row was exported from."""

# Lists of mappings (KPIs, risks, phases...) have no one-cell form a person can edit
# safely; they stay in the YAML files and an import leaves them alone.


class Shape(str, Enum):
    """How a column's cells are written and read."""

    TEXT = "text"
    LIST = "list"
    DATE = "date"
    NUMBER = "number"
    INTEGER = "integer"
    BOOLEAN = "boolean"
    CHOICE = "choice"


@dataclass(frozen=True)
class Column:
    """One column of a kind's sheet: a field path, its shape and, for a choice, its values."""

    name: str
    loc: tuple[str, ...]
    shape: Shape
    choices: tuple[str, ...] = ()
    enum: type[Enum] | None = None


def _unwrap(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _unwrap(args[0]) if len(args) == 1 else annotation
    return annotation


def _scalar(name: str, loc: tuple[str, ...], annotation: Any) -> Column | None:
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        values = tuple(str(m.value) for m in annotation)
        return Column(name, loc, Shape.CHOICE, values, annotation)
    if annotation is bool:
        return Column(name, loc, Shape.BOOLEAN)
    if annotation is int:
        return Column(name, loc, Shape.INTEGER)
    if annotation in (Decimal, float):
        return Column(name, loc, Shape.NUMBER)
    if annotation is dt.date:
        return Column(name, loc, Shape.DATE)
    if annotation is str:
        return Column(name, loc, Shape.TEXT)
    return None


def _walk(model: type[BaseModel], prefix: tuple[str, ...], depth: int) -> list[Column]:
    found: list[Column] = []
    for field, info in model.model_fields.items():
        loc = (*prefix, field)
        name = ".".join(loc)
        annotation = _unwrap(info.annotation)
        if typing.get_origin(annotation) is list:
            inner = _unwrap(typing.get_args(annotation)[0])
            if _scalar(name, loc, inner) is not None:
                found.append(Column(name, loc, Shape.LIST))
            continue
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if depth == 0:
                found += _walk(annotation, loc, depth + 1)
            continue
        column = _scalar(name, loc, annotation)
        if column is not None:
            found.append(column)
    return found


_COLUMNS: dict[Kind, list[Column]] = {}


def columns(kind: Kind) -> list[Column]:
    """The columns of ``kind``'s sheet, in the model's field order (id first)."""
    if kind not in _COLUMNS:
        found = [c for c in _walk(MODELS[kind], (), 0) if c.name != "waivers"]
        # What a reader scans for first (id, title, type, status) leads; the fields
        # every kind shares (tags, approval) close the row.
        shared = [c for c in found if c.loc[0] in ("tags", "approval")]
        _COLUMNS[kind] = [c for c in found if c not in shared] + shared
    return _COLUMNS[kind]


# --- values --------------------------------------------------------------------------


def get(data: Mapping[str, Any], loc: Sequence[str]) -> Any:
    """The value at ``loc`` in raw item data (None when a step is missing)."""
    node: Any = data.get(loc[0])
    for part in loc[1:]:
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def _number_text(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text if text != "-0" else "0"


def canonical(column: Column, value: Any) -> str:
    """One text per value, the same whether it came from the YAML file or back from a cell."""
    if value is None:
        return ""
    if type(value) is str and column.shape is not Shape.LIST:
        # The models strip text, so 'x' and 'x\n' are the same value.
        return value.strip()
    if value == "" or value == []:
        return ""
    if column.shape is Shape.LIST:
        entries = value if isinstance(value, list) else [value]
        return LIST_SEPARATOR.join(canonical(Column("", (), Shape.TEXT), v) for v in entries)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, Decimal)):
        try:
            return _number_text(
                Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
            )
        except InvalidOperation:
            return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Enum):
        return str(value.value)
    # The models strip text, so 'x' and 'x\n' are the same value.
    return str(value).strip()


def digest(text: str) -> str:
    """A short digest of one canonical value (for the provenance column).

    It tells an edit from no edit, not friend from foe: CRC-32 is enough and fast.
    """
    return f"{zlib.crc32(text.encode('utf-8')):08x}" if text else _EMPTY


_EMPTY = f"{zlib.crc32(b''):08x}"


def split_digests(text: str, count: int) -> list[str] | None:
    """The per-column digests of a provenance cell (None if it is not one of ours)."""
    text = text.strip()
    if len(text) != 8 * count or not re.fullmatch(r"[0-9a-f]*", text):
        return None
    return [text[i : i + 8] for i in range(0, len(text), 8)]


def escape_text(text: str) -> str:
    """Text made safe to hand to a spreadsheet: a leading formula character is quoted.

    An apostrophe in front is what Excel and LibreOffice show as plain text; the
    import takes it off again, so the value round-trips unchanged.
    """
    if text.startswith(FORMULA_START) or text.startswith("'"):
        return "'" + text
    return text


def unescape_text(text: str) -> str:
    """Undo ``escape_text``."""
    if text.startswith("'") and (text[1:2] in FORMULA_START or text[1:2] == "'"):
        return text[1:]
    return text


CellValue = str | int | float | Decimal | bool | dt.date | None
"""What an export writes into one cell; text is escaped by the writer of each format."""


def export_cell(column: Column, value: Any, text: str, labels: Mapping[str, str]) -> CellValue:
    """The cell for ``value`` in ``column`` (``text``: its canonical form); choices show
    their label (``labels``), dates stay dates and numbers numbers."""
    shape = column.shape
    if not text:
        return None
    if shape is Shape.CHOICE:
        return choice_label(text, labels)
    if shape is Shape.DATE and isinstance(value, dt.date):
        return value
    numeric = isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)
    if (shape is Shape.NUMBER or shape is Shape.INTEGER) and numeric:
        number: CellValue = value
        return number
    if shape is Shape.BOOLEAN and isinstance(value, bool):
        return value
    return text


def choice_label(value: str, labels: Mapping[str, str]) -> str:
    """``草稿 (draft)`` where the repo's language names the value, else the value itself."""
    label = labels.get(value)
    return f"{label} ({value})" if label and label != value else value


# --- reading cells back -------------------------------------------------------------------


class CellError(ValueError):
    """A cell whose content does not fit its column; the message says what fits."""


_TRUE = {"true", "yes", "y", "1", "是", "对", "x", "✓"}
_FALSE = {"false", "no", "n", "0", "否", "不"}
_DAY = re.compile(r"^([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})$")
_LABELLED = re.compile(r"^.*\(\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\)$", re.S)


def read_cell(column: Column, raw: Any, labels: Mapping[str, str], *, escaped: bool = False) -> Any:
    """The field value of a cell as read from a file (None for an empty cell).

    ``raw`` is what the reader gave: text, a number, a bool, a date or a
    date-time (formulas arrive as their cached value, never evaluated).
    """
    if raw is None:
        return None
    if isinstance(raw, str):
        raw = unescape_text(raw.strip()) if escaped else raw.strip()
        if raw == "":
            return None
    shape = column.shape
    if shape is Shape.TEXT:
        return _text(raw)
    if shape is Shape.LIST:
        entries = [e.strip() for e in _text(raw).replace("\r\n", "\n").split("\n")]
        return [e for e in entries if e] or None
    if shape is Shape.DATE:
        return _date(column, raw)
    if shape is Shape.NUMBER:
        return _number(column, raw)
    if shape is Shape.INTEGER:
        number = _number(column, raw)
        if number != number.to_integral_value():
            raise CellError(
                _("{field} must be a whole number (got {value})").format(
                    field=column.name, value=_shown(raw)
                )
            )
        return int(number)
    if shape is Shape.BOOLEAN:
        if isinstance(raw, bool):
            return raw
        word = _text(raw).casefold()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise CellError(
            _("{field} must be true or false (got {value})").format(
                field=column.name, value=_shown(raw)
            )
        )
    return _choice(column, raw, labels)


def _text(raw: Any) -> str:
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime) and raw.time() == dt.time(0):
        return raw.date().isoformat()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    return str(raw).strip()


def _shown(raw: Any) -> str:
    return repr(_text(raw)) if not isinstance(raw, str) else repr(raw)


def _date(column: Column, raw: Any) -> dt.date:
    if isinstance(raw, dt.datetime):
        if raw.time() != dt.time(0):
            raise CellError(
                _("{field} must be a date without a time (got {value})").format(
                    field=column.name, value=raw.isoformat()
                )
            )
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    match = _DAY.match(_text(raw))
    if match:
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    raise CellError(
        _("{field} must be a date written YYYY-MM-DD (got {value})").format(
            field=column.name, value=_shown(raw)
        )
    )


def _number(column: Column, raw: Any) -> Decimal:
    if isinstance(raw, bool):
        raise CellError(_not_a_number(column, raw))
    if isinstance(raw, (int, float)):
        number = Decimal(repr(raw))
    else:
        text = _text(raw).replace(",", "").replace("，", "").replace(" ", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise CellError(_not_a_number(column, raw)) from None
    if not number.is_finite():
        raise CellError(_not_a_number(column, raw))
    return number


def _not_a_number(column: Column, raw: Any) -> str:
    return _("{field} must be a number (got {value})").format(field=column.name, value=_shown(raw))


def _choice(column: Column, raw: Any, labels: Mapping[str, str]) -> str:
    text = _text(raw)
    if text in column.choices:
        return text
    lowered = text.casefold()
    for value in column.choices:
        if value.casefold() == lowered:
            return value
    match = _LABELLED.match(text)
    if match and match.group(1) in column.choices:
        return match.group(1)
    for value in column.choices:
        label = labels.get(value)
        if label and label.casefold() == lowered:
            return value
    raise CellError(
        _("{field} must be one of {values} (got {value})").format(
            field=column.name, values=", ".join(column.choices), value=_shown(raw)
        )
    )


# --- headers -----------------------------------------------------------------------


def header_label(column: Column, names: Mapping[str, str]) -> str:
    """The header of ``column``: ``标题 (title)`` where the language names it, else the name."""
    label = names.get(column.name)
    return f"{label} ({column.name})" if label else column.name


def match_header(
    header: str, cols: Sequence[Column], names: Mapping[str, str], mapping: Mapping[str, str]
) -> Column | None:
    """The column a header means: its field name, ``label (field)``, a label, or the
    repo's mapping of foreign headers (``需求名称: title``)."""
    text = " ".join(header.split())
    by_name = {c.name: c for c in cols}
    if text in mapping:
        return by_name.get(mapping[text].strip())
    if text in by_name:
        return by_name[text]
    lowered = text.casefold()
    for column in cols:
        if column.name.casefold() == lowered:
            return column
    match = _LABELLED.match(text)
    if match and match.group(1) in by_name:
        return by_name[match.group(1)]
    for column in cols:
        label = names.get(column.name)
        if label and label.casefold() == lowered:
            return column
    return None


def cell_name(row: int, col: int) -> str:
    """``C7`` for the 0-based row 6 and column 2."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"
