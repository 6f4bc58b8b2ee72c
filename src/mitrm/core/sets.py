"""Lists that are sets: tags, compliance tags and references hold each value once."""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from mitrm.core.diagnostics import Diagnostic, Loc, Severity, format_loc
from mitrm.core.models import Item, Settings
from mitrm.core.models.common import ItemId
from mitrm.core.record import Record
from mitrm.i18n import _

_SET_NAMES = frozenset({"tags", "compliance"})


def _strip_optional(annotation: Any) -> Any:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else annotation
    return annotation


def is_set_field(name: str | int, annotation: Any) -> bool:
    """True for a list whose order carries no meaning and whose entries are unique."""
    annotation = _strip_optional(annotation)
    if typing.get_origin(annotation) is not list:
        return False
    element = typing.get_args(annotation)[0]
    # Every list of ids is a set of references; of the text lists only the tag lists are.
    return element == ItemId or name in _SET_NAMES


def _set_paths(model: type[BaseModel], data: Any, loc: Loc) -> Iterator[tuple[Loc, list[Any]]]:
    """``(loc, list)`` for every set-like list present in ``data``, nested models included."""
    if not isinstance(data, dict):
        return
    for name, info in model.model_fields.items():
        value = data.get(name)
        if value is None:
            continue
        annotation = _strip_optional(info.annotation)
        if is_set_field(name, annotation):
            if isinstance(value, list):
                yield (*loc, name), value
            continue
        inner = annotation
        if typing.get_origin(inner) is list:
            inner = _strip_optional(typing.get_args(inner)[0])
            if isinstance(inner, type) and issubclass(inner, BaseModel) and isinstance(value, list):
                for index, entry in enumerate(value):
                    yield from _set_paths(inner, entry, (*loc, name, index))
        elif isinstance(inner, type) and issubclass(inner, BaseModel):
            yield from _set_paths(inner, value, (*loc, name))


def _key(value: Any) -> Any:
    return value.strip().casefold() if isinstance(value, str) else value


def new_entries(current: Any, added: list[Any]) -> list[Any]:
    """The entries of ``added`` not yet in ``current`` (tags compare case-insensitively)."""
    seen = {_key(v) for v in current} if isinstance(current, list) else set()
    fresh = []
    for value in added:
        if _key(value) not in seen:
            seen.add(_key(value))
            fresh.append(value)
    return fresh


def duplicate_entries(record: Record, model: Item, settings: Settings) -> list[Diagnostic]:
    """MIT105: a value written twice in a list of tags or references."""
    del settings
    found = []
    for loc, values in _set_paths(type(model), record.data, ()):
        seen: set[Any] = set()
        for index, value in enumerate(values):
            key = _key(value)
            if not isinstance(key, (str, int)):
                continue
            if key in seen:
                found.append(
                    Diagnostic(
                        record.path,
                        "MIT105",
                        _("'{value}' is already in '{field}'; remove the repeated entry").format(
                            value=value, field=format_loc(loc)
                        ),
                        severity=Severity.WARNING,
                        item=model.id,
                        loc=(*loc, index),
                    )
                )
            seen.add(key)
    return found
