"""The change request: a controlled change to an approved requirement or plan."""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import ClassVar

from pydantic import Field

from mitrm.core.models.common import Currency, Day, Item, ItemId, Kind, Level, Strict, Text


class ChangeStatus(str, Enum):
    """The change request workflow's states."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    ASSESSED = "assessed"
    APPROVED = "approved"
    REJECTED = "rejected"
    IMPLEMENTED = "implemented"
    WITHDRAWN = "withdrawn"


class ChangeReason(str, Enum):
    """Why the change is asked for."""

    MARKET = "market"
    COMPETITOR = "competitor"
    REGULATION = "regulation"
    BUSINESS = "business"
    DEFECT = "defect"
    TECHNICAL = "technical"


class Outcome(str, Enum):
    """What was decided."""

    APPROVED = "approved"
    REJECTED = "rejected"
    DEFERRED = "deferred"


class Impact(Strict):
    """The change's effect on cost, schedule and quality."""

    cost: Decimal | None = None
    currency: Currency | None = None
    schedule_days: int | None = None
    quality: str | None = None
    risk: Level | None = None
    scope: str | None = None


class Decision(Strict):
    """Who decided, when and why."""

    outcome: Outcome
    by: Text
    date: Day
    rationale: str | None = None


class ChangeRequest(Item):
    """A request to change an approved requirement or plan."""

    kind: ClassVar[Kind] = Kind.CHANGE

    status: ChangeStatus
    targets: list[ItemId] = Field(default_factory=list)
    reason: ChangeReason | None = None
    requested_by: str | None = None
    created: Day | None = None
    description: str | None = None
    proposed_change: str | None = None
    impact: Impact | None = None
    decision: Decision | None = None

    def references(self) -> list[tuple[tuple[str | int, ...], str]]:
        """The requirements and plans this change targets."""
        return [(("targets", index), ref) for index, ref in enumerate(self.targets)]
