"""Filters shared by ``list``, ``prioritize`` and ``render``: kind, status, type, tag, owner."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from mitrm.core.models import Item, Kind
from mitrm.core.models.change import ChangeStatus
from mitrm.core.models.plan import PlanStatus
from mitrm.core.models.requirement import RequirementStatus, RequirementType
from mitrm.errors import UsageError
from mitrm.i18n import _

_STATUSES: dict[Kind, type[Enum]] = {
    Kind.REQUIREMENT: RequirementStatus,
    Kind.PLAN: PlanStatus,
    Kind.CHANGE: ChangeStatus,
}


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
        known = [str(m.value) for k in (chosen or Kind) for m in _STATUSES[k]]
        what = " or ".join(k.label for k in Kind if k in chosen) if chosen else ""
        return cls(
            kinds=frozenset(chosen),
            statuses=_checked("--status", statuses, known, f"{what} status".strip()),
            types=_checked("--type", types, [t.value for t in RequirementType], "requirement type"),
            tags=frozenset(t.strip().casefold() for t in tags or ()),
            owner=owner.casefold() if owner else None,
        )


def _checked(
    option: str, given: Iterable[str] | None, known: list[str], what: str
) -> frozenset[str]:
    """The values of a filter option, each one a known value; a typo is a usage error."""
    values = [v.strip().lower() for v in given or ()]
    allowed = list(dict.fromkeys(known))
    for value in values:
        if value not in allowed:
            close = difflib.get_close_matches(value, allowed, n=1, cutoff=0.6)
            raise UsageError(
                _("{option} '{value}' is not a {what}").format(
                    option=option, value=value, what=what
                )
                + (_("; did you mean '{field}'?").format(field=close[0]) if close else ""),
                hint=_("use any of: {names}").format(names=", ".join(allowed)),
            )
    return frozenset(values)


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
    if wanted.tags and not wanted.tags.issubset({t.casefold() for t in item.tags}):
        return False
    return not (wanted.owner and not any(wanted.owner in p for p in _people(item)))
