"""The loaded data repo: every item record, the settings, and look-ups by id."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from mitrm.core.diagnostics import Diagnostic
from mitrm.core.models import ChangeRequest, Item, Kind, Plan, Requirement, Settings
from mitrm.core.record import Record


@dataclass
class Repository:
    """All records of a data repo plus the diagnostics found while loading it."""

    root: Path
    settings: Settings
    records: list[Record]
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_id: dict[str, Record] = {}
        for record in self.records:
            if record.id is not None:
                self._by_id.setdefault(record.id, record)

    def get(self, item_id: str) -> Record | None:
        """The record with ``item_id`` (the first one, if the id is duplicated)."""
        return self._by_id.get(item_id)

    def items(self, kind: Kind | None = None) -> Iterator[Item]:
        """Valid items, optionally of one kind, in path order."""
        for record in self.records:
            if record.model is not None and (kind is None or record.kind is kind):
                yield record.model

    def requirements(self) -> list[Requirement]:
        """Every valid requirement."""
        return [item for item in self.items(Kind.REQUIREMENT) if isinstance(item, Requirement)]

    def plans(self) -> list[Plan]:
        """Every valid plan."""
        return [item for item in self.items(Kind.PLAN) if isinstance(item, Plan)]

    def changes(self) -> list[ChangeRequest]:
        """Every valid change request."""
        return [item for item in self.items(Kind.CHANGE) if isinstance(item, ChangeRequest)]

    def path_of(self, item_id: str) -> str | None:
        """The relative path of the item ``item_id``."""
        record = self.get(item_id)
        return record.path if record else None
