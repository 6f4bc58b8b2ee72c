"""Filters shared by ``list``, ``prioritize`` and ``render``: kind, status, type, tag, owner."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from mitrm.core.models import Item, Kind
from mitrm.errors import UsageError
from mitrm.i18n import _


@dataclass(frozen=True)
class Filter:
    """What to keep; an empty set means "any"."""

    kinds: frozenset[Kind] = frozenset()
    statuses: frozenset[str] = frozenset()
    types: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    owner: str | None = None

    @classmethod
    def build(
        cls,
        *,
        kinds: Iterable[str] | None = None,
        statuses: Iterable[str] | None = None,
        types: Iterable[str] | None = None,
        tags: Iterable[str] | None = None,
        owner: str | None = None,
    ) -> Filter:
        """Build from option values; an unknown kind is a usage error."""
        chosen: set[Kind] = set()
        for name in kinds or ():
            aliases = {"req": "requirement", "cr": "change", "changes": "change"}
            value = aliases.get(name.lower(), name.lower()).rstrip("s")
            try:
                chosen.add(Kind(value))
            except ValueError as exc:
                raise UsageError(
                    _("unknown kind '{name}'; use requirement, plan or change").format(name=name)
                ) from exc
        return cls(
            kinds=frozenset(chosen),
            statuses=frozenset(s.lower() for s in statuses or ()),
            types=frozenset(t.lower() for t in types or ()),
            tags=frozenset(tags or ()),
            owner=owner.casefold() if owner else None,
        )


def _people(item: Item) -> list[str]:
    people: list[str | None] = []
    owners = getattr(item, "owners", None)
    if owners is not None:
        people += [owners.business, owners.it]
    source = getattr(item, "source", None)
    if source is not None:
        people.append(source.requester)
    people += [getattr(item, "owner", None), getattr(item, "requested_by", None)]
    return [p.casefold() for p in people if p]


def matches(item: Item, wanted: Filter) -> bool:
    """Whether ``item`` passes ``wanted``."""
    if wanted.kinds and item.kind not in wanted.kinds:
        return False
    status = getattr(item, "status", None)
    if wanted.statuses and (status is None or status.value not in wanted.statuses):
        return False
    if wanted.types:
        kind_type = getattr(item, "type", None)
        if kind_type is None or kind_type.value not in wanted.types:
            return False
    if wanted.tags and not wanted.tags.issubset(item.tags):
        return False
    return not (wanted.owner and not any(wanted.owner in p for p in _people(item)))
