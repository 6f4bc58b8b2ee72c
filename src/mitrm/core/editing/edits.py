"""Editing items in place: parse ``FIELD=VALUE``, check field paths, apply to plain data.

Pure: the CLI parses values as YAML and writes files; this module decides what
an assignment means, whether the field exists, and what the data becomes.
"""

from __future__ import annotations

import copy
import difflib
import re
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from mitrm.core.checking import missing_fields, statuses, workflow_for
from mitrm.core.diagnostics import Loc, format_loc
from mitrm.core.models import MODELS, Kind, Settings
from mitrm.core.vocabulary import canonical, shown
from mitrm.errors import DataError, UsageError
from mitrm.i18n import _, ngettext

# Fields that have their own command: an edit there would skip its checks.
_OWN_COMMAND = {"id": "mitrm renumber OLD NEW", "status": "mitrm status ID STATUS"}


@dataclass(frozen=True)
class Assignment:
    """One ``FIELD=VALUE`` (or ``FIELD+=VALUE``) from the command line."""

    loc: Loc
    raw: str
    append: bool = False

    @property
    def field(self) -> str:
        """The field path as the user wrote it."""
        return format_loc(self.loc)


_PART = re.compile(r"^(?:[A-Za-z_][A-Za-z0-9_]*|-?[0-9]+)$")


def parse_assignment(text: str) -> Assignment:
    """``owners.it=Daniel`` -> Assignment; UsageError when it is not ``FIELD=VALUE``."""
    if "=" not in text:
        raise UsageError(
            _("'{text}' is not FIELD=VALUE").format(text=text),
            hint=_("e.g. mitrm set REQ-0001 due=2026-03-31 tags+=mobile"),
        )
    field, raw = text.split("=", 1)
    append = field.endswith("+")
    field = field.removesuffix("+").strip()
    parts = field.split(".")
    if not field or not all(_PART.match(part) for part in parts):
        raise UsageError(
            _("'{field}' is not a field path").format(field=field),
            hint=_("write field names joined by dots, list entries by number: kpis.0.target"),
        )
    if any(part.startswith("-") and part.lstrip("-").isdigit() for part in parts):
        raise UsageError(
            _(
                "'{field}': list entries are numbered from 0; negative numbers are not allowed"
            ).format(field=field),
            hint=_("e.g. kpis.0.target for the first KPI"),
        )
    loc: Loc = tuple(int(p) if p.isdigit() else p for p in parts)
    if isinstance(loc[0], int):
        raise UsageError(_("'{field}' must begin with a field name").format(field=field))
    return Assignment(loc, raw, append)


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated and Optional; keep list[...] and models."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _unwrap(args[0]) if len(args) == 1 else annotation
    return annotation


def field_type(kind: Kind, loc: Loc) -> Any:
    """The annotation of the field at ``loc``; UsageError with a suggestion if it is unknown."""
    current: Any = MODELS[kind]
    for depth, part in enumerate(loc):
        current = _unwrap(current)
        if typing.get_origin(current) is list:
            if not isinstance(part, int):
                raise UsageError(
                    _(
                        "'{field}' is a list: name an entry by its number ({example}) "
                        "or append with +="
                    ).format(
                        field=format_loc(loc[:depth]),
                        example=format_loc((*loc[:depth], 0, *loc[depth:])),
                    )
                )
            current = typing.get_args(current)[0]
            continue
        if isinstance(part, int):
            raise UsageError(_("'{field}' is not a list").format(field=format_loc(loc[:depth])))
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            raise UsageError(
                _("'{field}' has no fields inside it").format(field=format_loc(loc[:depth]))
            )
        fields = current.model_fields
        if part not in fields:
            where = format_loc(loc[:depth])
            message = _("unknown field '{field}'").format(field=format_loc(loc[: depth + 1]))
            close = difflib.get_close_matches(str(part), list(fields), n=1, cutoff=0.6)
            nested = _nested_paths(current, str(part))
            if close:
                hint = _("did you mean '{field}'?").format(
                    field=format_loc((*loc[:depth], close[0]))
                )
            elif nested:
                hint = _("did you mean '{field}'?").format(
                    field=format_loc((*loc[:depth], *nested[0]))
                )
            elif where:
                hint = _("fields of {field}: {names}").format(field=where, names=", ".join(fields))
            else:
                hint = _("fields: {names}").format(names=", ".join(fields))
            raise UsageError(message, hint=hint)
        current = fields[part].annotation
    return _unwrap(current)


def _nested_paths(model: type[BaseModel], name: str) -> list[tuple[str, str]]:
    """``(parent, name)`` for each sub-mapping of ``model`` that has a field ``name``."""
    found = []
    for parent, info in model.model_fields.items():
        inner = _unwrap(info.annotation)
        if isinstance(inner, type) and issubclass(inner, BaseModel) and name in inner.model_fields:
            found.append((parent, name))
    return found


def field_order(kind: Kind, loc: Loc) -> list[str]:
    """The natural order of the fields of the mapping at ``loc`` (the model's order)."""
    try:
        annotation = _unwrap(field_type(kind, loc)) if loc else MODELS[kind]
    except UsageError:
        return []
    if typing.get_origin(annotation) is list:
        annotation = _unwrap(typing.get_args(annotation)[0])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(annotation.model_fields)
    return []


def _is_text(annotation: Any) -> bool:
    return annotation is str


def value_for(kind: Kind, assignment: Assignment, parse: Callable[[str], Any]) -> Any:
    """The value to store: the text as written where the field holds text, else YAML's reading.

    ``title=Launch: phase 2`` stores that text (YAML would read a mapping) and
    ``tags+=no`` appends the word 'no', not false, while ``tags+=[a, b]``
    appends two entries; quote a text value (``title='"x"'``) to have YAML read
    it. ``parse`` reads YAML; an empty value removes the field.
    """
    if assignment.loc[0] in _OWN_COMMAND:
        name = str(assignment.loc[0])
        raise UsageError(
            _("'{field}' is not changed with set").format(field=name),
            hint=_("use {command}").format(command=_OWN_COMMAND[name]),
        )
    annotation = field_type(kind, assignment.loc)
    raw = assignment.raw.strip()
    if assignment.append:
        if typing.get_origin(annotation) is not list:
            raise UsageError(
                _("'{field}' is not a list; use '=' to replace its value").format(
                    field=assignment.field
                )
            )
        annotation = _unwrap(typing.get_args(annotation)[0])
    if not raw:
        if assignment.append:
            raise UsageError(_("nothing to append to '{field}'").format(field=assignment.field))
        return None
    several = assignment.append and raw.startswith("[") and raw.endswith("]")
    if _is_text(annotation) and not _quoted(raw) and not several:
        return raw
    return parse(raw)


def without_repeats(
    kind: Kind, data: Mapping[str, Any], edits: list[tuple[Assignment, Any]]
) -> tuple[list[tuple[Assignment, Any]], list[tuple[Assignment, list[Any]]]]:
    """Drop appended values a set-like list (tags, references) already holds.

    Returns the edits left to make and, per append, the values that were
    already there; an append left with nothing to add disappears.
    """
    from mitrm.core.sets import is_set_field, new_entries

    kept: list[tuple[Assignment, Any]] = []
    present: list[tuple[Assignment, list[Any]]] = []
    added: dict[Loc, list[Any]] = {}
    for assignment, value in edits:
        loc = assignment.loc
        if not assignment.append or not is_set_field(loc[-1], _list_annotation(kind, loc)):
            kept.append((assignment, value))
            continue
        current = [*_current(data, loc), *added.get(loc, [])]
        values = _many(value)
        fresh = new_entries(current, values)
        if len(fresh) < len(values):
            present.append((assignment, [v for v in values if v not in fresh]))
        if fresh:
            added.setdefault(loc, []).extend(fresh)
            kept.append((assignment, fresh if isinstance(value, list) else fresh[0]))
    return kept, present


def _list_annotation(kind: Kind, loc: Loc) -> Any:
    current: Any = MODELS[kind]
    for part in loc:
        current = _unwrap(current)
        if typing.get_origin(current) is list:
            current = typing.get_args(current)[0]
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(str(part))
        if info is None:
            return None
        current = info.annotation
    return _unwrap(current)


def _current(data: Mapping[str, Any], loc: Loc) -> list[Any]:
    node: Any = data
    for part in loc:
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and -len(node) <= part < len(node) else None
        else:
            node = node.get(part) if isinstance(node, dict) else None
    return list(node) if isinstance(node, list) else []


def _quoted(raw: str) -> bool:
    return len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\""


def apply(data: Mapping[str, Any], edits: list[tuple[Assignment, Any]]) -> dict[str, Any]:
    """A copy of ``data`` with the edits applied (None removes a field).

    Missing mappings on the way are created; a list entry that does not exist
    is a UsageError (append with ``+=`` instead).
    """
    result = copy.deepcopy(dict(data))
    for assignment, value in edits:
        loc = assignment.loc
        node: Any = result
        for depth, part in enumerate(loc[:-1]):
            node = _step(node, part, loc[: depth + 1], create=True)
        last: Any = loc[-1]
        if isinstance(node, list):
            _step(node, last, loc, create=False)
            if assignment.append:
                current = node[last]
                node[last] = [*(current if isinstance(current, list) else []), *_many(value)]
            else:
                node[last] = value
        elif assignment.append:
            current = node.get(last)
            node[last] = [*(current if isinstance(current, list) else []), *_many(value)]
        elif value is None:
            node.pop(last, None)
        else:
            node[last] = value
    return result


def _many(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def _step(node: Any, part: str | int, loc: Loc, *, create: bool) -> Any:
    if isinstance(part, int):
        size = len(node) if isinstance(node, list) else 0
        if not isinstance(node, list) or not -size <= part < size:
            raise UsageError(
                ngettext(
                    "'{field}' does not exist: '{list}' has {n} entry",
                    "'{field}' does not exist: '{list}' has {n} entries",
                    size,
                ).format(field=format_loc(loc), list=format_loc(loc[:-1]), n=size),
                hint=_("append an entry with {field}+=...").format(field=format_loc(loc[:-1])),
            )
        return node[part]
    if not isinstance(node, dict):
        raise UsageError(
            _("'{field}' is not a mapping of fields").format(field=format_loc(loc[:-1]))
        )
    if create and not isinstance(node.get(part), (dict, list)):
        node[part] = {}
    return node.get(part)


# --- status ---------------------------------------------------------------------


def status_named(kind: Kind, settings: Settings, text: str) -> str:
    """The workflow status ``text`` names: the value, or its name or a synonym in any language."""
    known = statuses(kind)
    if text in known:
        return text
    return canonical(f"{kind.value}_status", text, known) or text


def check_transition(
    kind: Kind, settings: Settings, data: Mapping[str, Any], target: str, *, item_id: str
) -> None:
    """Refuse an unknown status (UsageError), an illegal move or missing fields (DataError)."""
    workflow = workflow_for(kind, settings)
    # every status of the kind: an override's table may name some only as targets
    known = statuses(kind)
    if target not in known:
        close = difflib.get_close_matches(target, known, n=1, cutoff=0.6)
        raise UsageError(
            _("'{status}' is not a {kind} status").format(
                status=target, kind=shown("kind", kind.value)
            ),
            hint=(_("did you mean '{status}'? ").format(status=close[0]) if close else "")
            + _("statuses: {names}").format(names=", ".join(known)),
        )
    current = str(data.get("status"))
    if not workflow.allowed(current, target):
        nexts = workflow.transitions.get(current, [])
        raise DataError(
            _("{id} cannot go from '{current}' to '{target}'; nothing was changed").format(
                id=item_id, current=current, target=target
            ),
            hint=(
                _("from '{current}' it can go to: {names}").format(
                    current=current, names=", ".join(nexts)
                )
                if nexts
                else _("'{current}' is a final status").format(current=current)
            ),
        )
    gaps = missing_fields({**data, "status": target}, workflow.required_fields(target))
    if gaps:
        names = list(
            dict.fromkeys(path if "*" not in path else format_loc(loc) for loc, path in gaps)
        )
        example = " ".join(f"{name}=..." for name in names)
        raise DataError(
            _("{id} cannot become '{target}': missing {fields}; nothing was changed").format(
                id=item_id, target=target, fields=", ".join(names)
            ),
            hint=_(
                "fill them in first: mitrm set {id} {example} "
                "(or pass them to 'mitrm status {id} {target} FIELD=VALUE...')"
            ).format(id=item_id, example=example, target=target),
        )


def approval_gaps(kind: Kind, current: str, target: str, data: Mapping[str, Any]) -> list[str]:
    """The parts of ``approval`` (``by``, ``date``) a move into approval must record.

    Moving from a status before approval into one at or after it is the approval
    itself: who and when belong in the file, or MIT410 would warn right after.
    """
    from mitrm.core.checking import PLAN_APPROVED, REQ_APPROVED

    approved = {Kind.REQUIREMENT: REQ_APPROVED, Kind.PLAN: PLAN_APPROVED}.get(kind)
    if approved is None or target not in approved or current in approved:
        return []
    given = data.get("approval")
    given = given if isinstance(given, dict) else {}
    return [part for part in ("by", "date") if given.get(part) in (None, "")]


# --- renumber -------------------------------------------------------------------


def reference_locs(kind: Kind, data: Mapping[str, Any], target: str | None) -> list[Loc]:
    """Where raw item ``data`` names ``target`` (any id if None) in a reference field."""
    found: list[Loc] = []

    def scan(value: Any, loc: Loc) -> None:
        if isinstance(value, list):
            found.extend(
                (*loc, index)
                for index, ref in enumerate(value)
                if ref == target or (target is None and isinstance(ref, str))
            )

    if kind is Kind.REQUIREMENT:
        scan(data.get("depends_on"), ("depends_on",))
    elif kind is Kind.PLAN:
        scan(data.get("requirements"), ("requirements",))
        for field in ("phases", "milestones"):
            entries = data.get(field)
            if isinstance(entries, list):
                for index, entry in enumerate(entries):
                    if isinstance(entry, Mapping):
                        scan(entry.get("requirements"), (field, index, "requirements"))
    else:
        scan(data.get("targets"), ("targets",))
    return found


def added_references(kind: Kind, before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """Ids that ``after`` refers to and ``before`` did not (to check that they exist)."""

    def refs(data: Mapping[str, Any]) -> set[str]:
        found: set[str] = set()
        for loc in reference_locs(kind, data, None):
            value: Any = data
            for part in loc:
                value = value[part]
            found.add(value)
        return found

    return sorted(refs(after) - refs(before))
