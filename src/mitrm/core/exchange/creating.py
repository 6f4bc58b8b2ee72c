"""Rows without an item: new items as ``mitrm new --no-input`` makes them, and their text.

Pure: the CLI allocates the id and writes the file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from mitrm.core.exchange.importplan import (
    CELL,
    Change,
    Create,
    Existing,
    ImportPlan,
    Problem,
    SheetRead,
    apply_changes,
    column_at,
    new_errors,
    place,
)
from mitrm.core.exchange.sheets import canonical, columns, get
from mitrm.core.models import Kind, Settings
from mitrm.i18n import _, pgettext


def twin(
    sheet: SheetRead, values: dict[str, Any], existing: Mapping[str, Existing], plan: ImportPlan
) -> str | None:
    """The item a row without an id is already in the repo as: same kind and title, and
    the same value in every other cell the row fills. Importing a file twice, or again
    after an interrupted run, so creates nothing twice."""
    title = values.get("title")
    if title is None:
        return None
    if plan.titles is None:
        plan.titles = {}
        for item_id, item in existing.items():
            raw = item.data.get("title")
            if isinstance(raw, str):
                plan.titles.setdefault((item.kind, raw.strip()), []).append(item_id)
    for item_id in plan.titles.get((sheet.kind, str(title).strip()), []):
        data = existing[item_id].data
        if all(
            canonical(column, values[column.name]) == canonical(column, get(data, column.loc))
            for _col, column in sheet.cols
            if values.get(column.name) is not None
        ):
            return item_id
    return None


def create(
    sheet: SheetRead,
    index: int,
    source: str,
    values: dict[str, Any],
    where: dict[str, int],
    item_id: str | None,
    settings: Settings,
    today: dt.date,
    plan: ImportPlan,
) -> None:
    from mitrm.core.ids import file_name, fits_scheme, format_id

    table = sheet.table
    kind = sheet.kind
    scheme = settings.ids.for_kind(kind)
    first = min(where.values(), default=0)
    if item_id is not None and not fits_scheme(item_id, scheme):
        plan.problems.append(
            Problem(
                place(source, table, index, where.get("id", first)),
                CELL,
                _(
                    "'{id}' is not a {kind} id (like {example}); leave id empty for a new item"
                ).format(
                    id=item_id, kind=pgettext("kind", kind.label), example=format_id(scheme, 1)
                ),
            )
        )
        return
    data: dict[str, Any] = {"id": item_id or format_id(scheme, 1)}
    changes = [
        Change(column.loc, None, values[column.name])
        for _col, column in sheet.cols
        if column.name != "id" and values.get(column.name) is not None
    ]
    data.update(apply_changes({}, changes))
    if sheet.rest is not None and sheet.rest < len(table.rows[index]):
        extra = parse_rest(table.rows[index][sheet.rest])
        if extra is None:
            plan.problems.append(
                Problem(
                    place(source, table, index, sheet.rest),
                    CELL,
                    _(
                        "mitrm:rest must hold the JSON mitrm wrote there (the fields without "
                        "a column of their own)"
                    ),
                )
            )
            return
        for key, value in extra.items():
            if isinstance(value, dict) and isinstance(data.get(key), dict):
                data[key] = {**data[key], **value}
            else:
                data.setdefault(key, value)
    # As 'mitrm new --no-input' writes them: a draft, created today.
    data.setdefault("status", "draft")
    if kind is not Kind.PLAN and "created" not in where:
        data.setdefault("created", today)
    ordered = {c.loc[0]: None for c in columns(kind)}
    data = {key: data[key] for key in [*ordered, *data] if key in data}
    path = f"{kind.folder}/{file_name(str(data['id']), 'new')}"
    problems = new_errors(kind, path, None, data, settings, str(data["id"]))
    if problems:
        for loc, message in problems:
            col = column_at(sheet, where, loc, fallback=first)
            plan.problems.append(Problem(place(source, table, index, col), CELL, message))
        return
    plan.creates.append(Create(kind, place(source, table, index, first), item_id, data))


_DATE_KEYS = {"start", "end", "date", "by", "until", "created", "due"}
_ISO = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def parse_rest(cell: Any) -> dict[str, Any] | None:
    """The fields of a REST cell; dates come back as dates (JSON has none)."""
    import json

    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return {}
    try:
        value = json.loads(str(cell))
    except (ValueError, RecursionError):
        return None
    if not isinstance(value, dict):
        return None

    def dates(node: Any, key: str = "") -> Any:
        if isinstance(node, dict):
            return {k: dates(v, k) for k, v in node.items()}
        if isinstance(node, list):
            return [dates(v, key) for v in node]
        if key in _DATE_KEYS and isinstance(node, str) and _ISO.match(node):
            return dt.date.fromisoformat(node)
        if isinstance(node, float) and node.is_integer():
            return int(node)
        return node

    try:
        result: dict[str, Any] = dates(value)
    except RecursionError:
        return None
    return result


def _complex(value: Any) -> bool:
    return isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value)


def split_new(data: Mapping[str, Any]) -> tuple[dict[str, Any], list[tuple[tuple[str, ...], Any]]]:
    """A new item's simple fields (written as a draft is), and the lists of mappings
    (KPIs, risks, budget lines...) to add with the round-trip editor after."""
    simple: dict[str, Any] = {}
    later: list[tuple[tuple[str, ...], Any]] = []
    for key, value in data.items():
        if isinstance(value, Mapping):
            inner = {k: v for k, v in value.items() if not _complex(v)}
            if inner:
                simple[key] = inner
            later += [((key, k), v) for k, v in value.items() if _complex(v)]
        elif _complex(value):
            later.append(((key,), value))
        else:
            simple[key] = value
    return simple, later


def new_item_text(data: Mapping[str, Any], *, schema_ref: str) -> str:
    """The file of a new item's simple fields: the schema modeline, then its fields."""
    from mitrm.core.editing.yamltext import list_lines, scalar_lines

    lines = [f"# yaml-language-server: $schema={schema_ref}"]
    for key, value in data.items():
        if isinstance(value, Mapping):
            lines.append(f"{key}:")
            for sub, inner in value.items():
                if isinstance(inner, list):
                    lines += list_lines(sub, [str(v) for v in inner], 2)
                else:
                    lines += scalar_lines(sub, inner, 2)
        elif isinstance(value, list):
            lines += list_lines(key, [str(v) for v in value], 0)
        else:
            lines += scalar_lines(key, value, 0)
    return "\n".join(lines) + "\n"
