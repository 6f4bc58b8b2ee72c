"""What an import of spreadsheet rows would do: field changes, new items, conflicts, errors.

Pure: the io layer reads the file into tables and writes the result; this
module maps headers to fields, reads each cell, compares with the items as
they are now and as they were exported, and checks the result like ``set``
and ``status`` do, so that nothing is written unless every row is good.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from mitrm.core.diagnostics import Severity
from mitrm.core.editing import check_transition
from mitrm.core.models import Kind, Settings
from mitrm.core.record import Record
from mitrm.core.sheetnames import choice_labels, header_names, kind_of_sheet
from mitrm.core.sheets import (
    PROVENANCE,
    CellError,
    Column,
    canonical,
    cell_name,
    columns,
    digest,
    get,
    read_cell,
    split_digests,
)
from mitrm.core.validation import validate_item
from mitrm.errors import MitrmError

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
class _Sheet:
    kind: Kind
    table: Table
    cols: list[tuple[int, Column]]
    provenance: int | None
    rest: int | None = None


def plan_import(
    tables: Sequence[Table],
    *,
    source: str,
    existing: Mapping[str, Existing],
    settings: Settings,
    default_kind: Kind | None,
    force: bool,
    today: dt.date,
    kind_of_id: Callable[[str], Kind | None],
    escaped: bool = False,
) -> ImportPlan:
    """Read every row of ``tables`` against the repo's items; nothing is written here.

    ``source`` names the file in messages; ``existing`` maps ids to the items
    now; ``force`` lets rows win over items changed in the repo since the export.
    """
    plan = ImportPlan()
    lang = settings.language.value
    _read_tables(
        plan,
        tables,
        source,
        existing,
        settings,
        lang,
        default_kind,
        force,
        today,
        kind_of_id,
        escaped,
    )
    if not plan.read and plan.skipped:
        plan.problems.insert(
            0,
            Problem(
                place(source, plan.skipped[0], 0, 0),
                HEADER,
                "the first row must name the columns, among them id or title "
                "(or map the sheet's own headers in mitrm.yaml under spreadsheets.columns)",
            ),
        )
    return plan


def _read_tables(
    plan: ImportPlan,
    tables: Sequence[Table],
    source: str,
    existing: Mapping[str, Existing],
    settings: Settings,
    lang: str,
    default_kind: Kind | None,
    force: bool,
    today: dt.date,
    kind_of_id: Callable[[str], Kind | None],
    escaped: bool,
) -> None:
    seen: dict[str, str] = {}
    for table in tables:
        sheet = _sheet(table, source, settings, lang, default_kind, plan)
        if sheet is None:
            continue
        plan.read += 1
        for index in range(1, len(table.rows)):
            _row(
                sheet,
                index,
                source,
                existing,
                settings,
                lang,
                force,
                today,
                seen,
                plan,
                kind_of_id,
                escaped,
            )


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


def _sheet(
    table: Table,
    source: str,
    settings: Settings,
    lang: str,
    default_kind: Kind | None,
    plan: ImportPlan,
) -> _Sheet | None:
    if not table.rows:
        return None
    kind = (kind_of_sheet(table.title) if table.title else None) or default_kind
    header = [("" if h is None else str(h)).strip() for h in table.rows[0]]
    names = header_names(lang)
    mapping = settings.spreadsheets.columns
    kind_cols: dict[Kind, list[tuple[int, Column]]] = {}
    for candidate in [kind] if kind else list(Kind):
        known = columns(candidate)
        matched = []
        for index, text in enumerate(header):
            found = _match(text, known, names, mapping)
            if found is not None:
                matched.append((index, found))
        kind_cols[candidate] = matched
    if kind is None:
        # A sheet not named for a kind: the kind whose fields its headers name best.
        kind = max(Kind, key=lambda k: (len(kind_cols[k]), k is Kind.REQUIREMENT))
    cols = kind_cols[kind]
    taken: dict[str, int] = {}
    for index, column in cols:
        if column.name in taken:
            plan.problems.append(
                Problem(
                    place(source, table, 0, index),
                    HEADER,
                    f"'{column.name}' is also in column {cell_name(0, taken[column.name])[:-1]}; "
                    "keep one of them",
                )
            )
        taken[column.name] = index
    if "id" not in taken and "title" not in taken:
        plan.skipped.append(table)
        return None
    used = {index for index, _c in cols}
    provenance = next((i for i, h in enumerate(header) if h == PROVENANCE), None)
    rest = next((i for i, h in enumerate(header) if h == REST), None)
    plan.ignored_headers += [
        h for i, h in enumerate(header) if h and i not in used and i not in (provenance, rest)
    ]
    return _Sheet(kind, table, cols, provenance, rest)


def _match(
    text: str, cols: Sequence[Column], names: Mapping[str, str], mapping: Mapping[str, str]
) -> Column | None:
    from mitrm.core.sheets import match_header

    return match_header(text, cols, names, mapping) if text else None


def _row(
    sheet: _Sheet,
    index: int,
    source: str,
    existing: Mapping[str, Existing],
    settings: Settings,
    lang: str,
    force: bool,
    today: dt.date,
    seen: dict[str, str],
    plan: ImportPlan,
    kind_of_id: Callable[[str], Kind | None],
    escaped: bool,
) -> None:
    table = sheet.table
    raw = table.rows[index]
    if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in raw):
        return
    values: dict[str, Any] = {}
    where: dict[str, int] = {}
    bad = False
    # Chinese labels are read in a repo of any language: survey sheets use them.
    for col, column in sheet.cols:
        cell = raw[col] if col < len(raw) else None
        where[column.name] = col
        if cell is None or cell == "":
            values[column.name] = None
            continue
        try:
            values[column.name] = _plain(
                read_cell(column, cell, choice_labels(column, "zh"), escaped=escaped)
            )
        except CellError as exc:
            plan.problems.append(Problem(place(source, table, index, col), CELL, str(exc)))
            bad = True
    if bad:
        return
    first = min(where.values(), default=0)
    row_place = place(source, table, index, where.get("id", first))
    item_id = values.get("id")
    if item_id is not None:
        item_id = str(item_id).strip()
        if item_id in seen:
            plan.problems.append(
                Problem(row_place, ROW, f"{item_id} is also in {seen[item_id]}; keep one row")
            )
            return
        seen[item_id] = row_place
    current = existing.get(item_id) if item_id else None
    if current is not None and current.kind is not sheet.kind:
        plan.problems.append(
            Problem(
                row_place,
                ROW,
                f"{item_id} is a {current.kind.label}, not a "
                f"{sheet.kind.label}; move the row to the {current.kind.folder} sheet",
            )
        )
        return
    if item_id is not None and current is None:
        owner = kind_of_id(item_id)
        if owner is not None and owner is not sheet.kind:
            plan.problems.append(
                Problem(
                    row_place, ROW, f"{item_id} is a {owner.label} id, not a {sheet.kind.label} id"
                )
            )
            return
    base = _base(sheet, raw)
    if current is None:
        twin = _twin(sheet, values, existing, plan) if item_id is None else None
        if twin is not None:
            plan.twins.append((place(source, table, index, where.get("title", 0)), twin))
            return
        _create(sheet, index, source, values, where, item_id, settings, today, plan)
    else:
        _update(
            sheet, index, source, values, where, current, item_id or "", base, settings, force, plan
        )


def _twin(
    sheet: _Sheet, values: dict[str, Any], existing: Mapping[str, Existing], plan: ImportPlan
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


def _plain(value: Any) -> Any:
    """A cell's number as YAML will read it back: an int when whole, else a float."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _base(sheet: _Sheet, raw: list[Any]) -> tuple[str, dict[str, str]] | None:
    """The commit and per-column digests the row was exported from, if it says."""
    if sheet.provenance is None or sheet.provenance >= len(raw):
        return None
    cell = raw[sheet.provenance]
    if not isinstance(cell, str) or cell.count(":") != 2:
        return None
    version, commit, digests = cell.split(":")
    cols = columns(sheet.kind)
    parts = split_digests(digests, len(cols)) if version == "1" else None
    if parts is None:
        return None
    return commit, {c.name: d for c, d in zip(cols, parts, strict=True)}


def _update(
    sheet: _Sheet,
    index: int,
    source: str,
    values: dict[str, Any],
    where: dict[str, int],
    current: Existing,
    item_id: str,
    base: tuple[str, dict[str, str]] | None,
    settings: Settings,
    force: bool,
    plan: ImportPlan,
) -> None:
    table = sheet.table
    changes: list[Change] = []
    changed_in_repo: list[str] = []
    exported = base[1] if base is not None else None
    untouched: list[Column] = []
    for _col, column in sheet.cols:
        if column.name == "id":
            continue
        new = values.get(column.name)
        if exported is not None:
            if digest("" if new is None else canonical(column, new)) == exported[column.name]:
                untouched.append(column)
                continue
        elif new is None:
            # A sheet that does not say what it was exported from: an empty cell may
            # just be a column the sender never filled; only values are taken.
            continue
        old = get(current.data, column.loc)
        now = canonical(column, old)
        if canonical(column, new) != now:
            changes.append(Change(column.loc, old, new))
            if exported is not None and digest(now) != exported[column.name]:
                changed_in_repo.append(column.name)
    if changes and exported is not None:
        # Only a row with edits can overwrite anything; look at the rest of the item
        # then (a row nobody touched costs no more than reading it).
        for column in untouched:
            if digest(canonical(column, get(current.data, column.loc))) != exported[column.name]:
                changed_in_repo.append(column.name)
                plan.kept.append(f"{item_id} {column.name}")
    if not changes:
        plan.unchanged += 1
        return
    row_place = place(source, table, index, where.get(changes[0].name, 0))
    if changed_in_repo and not force:
        commit = base[0] if base else ""
        since = f" (exported at commit {commit})" if commit and commit != "-" else ""
        plan.problems.append(
            Problem(
                place(source, table, index, where.get("id", 0)),
                CONFLICT,
                f"{item_id} changed in the repo since the export{since}: "
                f"{', '.join(changed_in_repo)}; its row was not applied "
                "(export again and redo the edit, or use --force to let the row win)",
            )
        )
        return
    data = _apply(current.data, changes)
    problems = _check(current.kind, current.path, current.data, data, settings, item_id)
    status = next((c for c in changes if c.loc == ("status",)), None)
    if status is not None and status.new is not None:
        try:
            check_transition(
                current.kind,
                settings,
                {**data, "status": current.data.get("status")},
                str(status.new),
                item_id=item_id,
            )
        except MitrmError as exc:
            hint = f" ({exc.hint})" if exc.hint else ""
            plan.problems.append(
                Problem(
                    place(source, table, index, where["status"]),
                    CELL,
                    exc.message.replace("; nothing was changed", "") + hint,
                )
            )
            return
    if problems:
        for loc, message in problems:
            col = _column_of(sheet, where, loc, fallback=where.get(changes[0].name, 0))
            plan.problems.append(Problem(place(source, table, index, col), CELL, message))
        return
    plan.updates.append(Update(item_id, current.kind, current.path, row_place, changes, data))


def _column_of(sheet: _Sheet, where: dict[str, int], loc: tuple[Any, ...], fallback: int) -> int:
    for _col, column in sheet.cols:
        if tuple(loc[: len(column.loc)]) == column.loc and column.name in where:
            return where[column.name]
    return fallback


def _apply(data: Mapping[str, Any], changes: Sequence[Change]) -> dict[str, Any]:
    import copy

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


def _check(
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


def _create(
    sheet: _Sheet,
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
                f"'{item_id}' is not a {kind.label} id (like {format_id(scheme, 1)}); leave id "
                "empty for a new item",
            )
        )
        return
    data: dict[str, Any] = {"id": item_id or format_id(scheme, 1)}
    changes = [
        Change(column.loc, None, values[column.name])
        for _col, column in sheet.cols
        if column.name != "id" and values.get(column.name) is not None
    ]
    data.update(_apply({}, changes))
    if sheet.rest is not None and sheet.rest < len(table.rows[index]):
        extra = _rest(table.rows[index][sheet.rest])
        if extra is None:
            plan.problems.append(
                Problem(place(source, table, index, sheet.rest), CELL, "not mitrm's JSON")
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
    problems = _check(kind, path, None, data, settings, str(data["id"]))
    if problems:
        for loc, message in problems:
            col = _column_of(sheet, where, loc, fallback=first)
            plan.problems.append(Problem(place(source, table, index, col), CELL, message))
        return
    plan.creates.append(Create(kind, place(source, table, index, first), item_id, data))


_DATE_KEYS = {"start", "end", "date", "by", "until", "created", "due"}
_ISO = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _rest(cell: Any) -> dict[str, Any] | None:
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
    from mitrm.core.yamltext import list_lines, scalar_lines

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
