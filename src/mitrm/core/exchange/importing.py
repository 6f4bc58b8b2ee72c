"""What an import of spreadsheet rows would do: field changes, new items, conflicts, errors.

Pure: the io layer reads the file into tables and writes the result; this
module maps headers to fields, reads each cell, compares with the items as
they are now and as they were exported, and checks the result like ``set``
and ``status`` do, so that nothing is written unless every row is good. Rows
without an item go to ``creating``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from mitrm.core.editing import check_transition
from mitrm.core.exchange.creating import create, twin
from mitrm.core.exchange.importplan import (
    CELL,
    CONFLICT,
    HEADER,
    REST,
    ROW,
    Change,
    Existing,
    ImportPlan,
    Problem,
    SheetRead,
    Table,
    Update,
    apply_changes,
    column_at,
    new_errors,
    place,
)
from mitrm.core.exchange.sheetnames import choice_labels, header_names, kind_of_sheet
from mitrm.core.exchange.sheets import (
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
from mitrm.core.models import Kind, Settings
from mitrm.errors import MitrmError
from mitrm.i18n import _, pgettext

__all__ = ["REST", "Existing", "ImportPlan", "Table", "place", "plan_import"]


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
                _(
                    "the first row must name the columns, among them id or title "
                    "(or map the sheet's own headers in mitrm.yaml under spreadsheets.columns)"
                ),
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


def _sheet(
    table: Table,
    source: str,
    settings: Settings,
    lang: str,
    default_kind: Kind | None,
    plan: ImportPlan,
) -> SheetRead | None:
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
    known_names = {c.name for c in columns(kind)}
    for index, text in enumerate(header):
        target = mapping.get(" ".join(text.split()))
        if target is not None and target.strip() not in known_names:
            plan.problems.append(
                Problem(
                    place(source, table, 0, index),
                    HEADER,
                    _(
                        "mitrm.yaml maps '{header}' to '{field}' (spreadsheets.columns), which "
                        "is not a {kind} column; columns: {names}"
                    ).format(
                        header=text,
                        field=target,
                        kind=pgettext("kind", kind.label),
                        names=", ".join(sorted(known_names)),
                    ),
                )
            )
    taken: dict[str, int] = {}
    for index, column in cols:
        if column.name in taken:
            plan.problems.append(
                Problem(
                    place(source, table, 0, index),
                    HEADER,
                    _("'{field}' is also in column {column}; keep one of them").format(
                        field=column.name, column=cell_name(0, taken[column.name])[:-1]
                    ),
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
    return SheetRead(kind, table, cols, provenance, rest)


def _match(
    text: str, cols: Sequence[Column], names: Mapping[str, str], mapping: Mapping[str, str]
) -> Column | None:
    from mitrm.core.exchange.sheets import match_header

    return match_header(text, cols, names, mapping) if text else None


def _row(
    sheet: SheetRead,
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
                Problem(
                    row_place,
                    ROW,
                    _("{id} is also in {place}; keep one row").format(
                        id=item_id, place=seen[item_id]
                    ),
                )
            )
            return
        seen[item_id] = row_place
    current = existing.get(item_id) if item_id else None
    if current is not None and current.kind is not sheet.kind:
        plan.problems.append(
            Problem(
                row_place,
                ROW,
                _("{id} is a {kind}, not a {other}; move the row to the {folder} sheet").format(
                    id=item_id,
                    kind=pgettext("kind", current.kind.label),
                    other=pgettext("kind", sheet.kind.label),
                    folder=current.kind.folder,
                ),
            )
        )
        return
    if item_id is not None and current is None:
        owner = kind_of_id(item_id)
        if owner is not None and owner is not sheet.kind:
            plan.problems.append(
                Problem(
                    row_place,
                    ROW,
                    _("{id} is a {kind} id, not a {other} id").format(
                        id=item_id,
                        kind=pgettext("kind", owner.label),
                        other=pgettext("kind", sheet.kind.label),
                    ),
                )
            )
            return
    base = _base(sheet, raw)
    if current is None:
        same = twin(sheet, values, existing, plan) if item_id is None else None
        if same is not None:
            plan.twins.append((place(source, table, index, where.get("title", 0)), same))
            return
        create(sheet, index, source, values, where, item_id, settings, today, plan)
    else:
        _update(
            sheet, index, source, values, where, current, item_id or "", base, settings, force, plan
        )


def _plain(value: Any) -> Any:
    """A cell's number as YAML will read it back: an int when whole, else a float."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _base(sheet: SheetRead, raw: list[Any]) -> tuple[str, dict[str, str]] | None:
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
    sheet: SheetRead,
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
        since = (
            _(" (exported at commit {commit})").format(commit=commit)
            if commit and commit != "-"
            else ""
        )
        plan.problems.append(
            Problem(
                place(source, table, index, where.get("id", 0)),
                CONFLICT,
                _(
                    "{id} changed in the repo since the export{since}: {fields}; its row was "
                    "not applied (export again and redo the edit, or use --force to let the "
                    "row win)"
                ).format(id=item_id, since=since, fields=", ".join(changed_in_repo)),
            )
        )
        return
    data = apply_changes(current.data, changes)
    problems = new_errors(current.kind, current.path, current.data, data, settings, item_id)
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
            col = column_at(sheet, where, loc, fallback=where.get(changes[0].name, 0))
            plan.problems.append(Problem(place(source, table, index, col), CELL, message))
        return
    plan.updates.append(
        Update(item_id, current.kind, current.path, row_place, changes, data, current.data)
    )
