"""The waivers recorded on items, for reports: which item waives which rule, and why."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from mitrm.core.models import Item


@dataclass(frozen=True)
class WaiverEntry:
    """One waiver: the item, the rule it waives, the reason, who and until when."""

    item: str
    rule: str
    reason: str
    by: str | None = None
    until: dt.date | None = None


def list_waivers(items: Iterable[Item]) -> list[WaiverEntry]:
    """Every waiver on ``items``, ordered by item id then rule."""
    entries = [
        WaiverEntry(item.id, w.rule, w.reason, w.by, w.until)
        for item in items
        for w in item.waivers
    ]
    entries.sort(key=lambda e: (e.item, e.rule))
    return entries
