"""The plan: scope, schedule, budget, resources and risks for delivering requirements."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, ClassVar

from pydantic import Field

from mitrm.core.models.common import (
    Amount,
    Currency,
    Day,
    Item,
    ItemId,
    Kind,
    Risk,
    Strict,
    Text,
)


class PlanStatus(str, Enum):
    """The plan workflow's states."""

    DRAFT = "draft"
    PROPOSED = "proposed"
    APPROVED = "approved"
    IN_PROGRESS = "in_progress"
    ON_HOLD = "on_hold"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class PhaseKind(str, Enum):
    """What a phase is for; a pilot phase spreads budget and risk."""

    PREPARATION = "preparation"
    PILOT = "pilot"
    ROLLOUT = "rollout"
    MIGRATION = "migration"
    STABILISATION = "stabilisation"
    OTHER = "other"


class BudgetCategory(str, Enum):
    """Budget line categories (DESIGN.md: hardware, software, network, people...)."""

    HARDWARE = "hardware"
    SOFTWARE = "software"
    NETWORK = "network"
    PEOPLE = "people"
    SERVICES = "services"
    TRAINING = "training"
    LICENCES = "licences"
    CONTINGENCY = "contingency"
    OTHER = "other"


class ResourceKind(str, Enum):
    """Kinds of resource a plan needs."""

    HARDWARE = "hardware"
    SOFTWARE = "software"
    NETWORK = "network"
    PEOPLE = "people"
    SERVICE = "service"


class Phase(Strict):
    """A stretch of the plan, e.g. the pilot or the full roll-out."""

    name: Text
    kind: PhaseKind = PhaseKind.OTHER
    start: Day
    end: Day
    description: str | None = None
    requirements: list[ItemId] = Field(default_factory=list)


class Milestone(Strict):
    """A dated checkpoint, optionally delivering requirements."""

    name: Text
    date: Day
    requirements: list[ItemId] = Field(default_factory=list)
    done: bool = False


class BudgetLine(Strict):
    """One line of the budget."""

    category: BudgetCategory
    amount: Amount
    description: str | None = None
    spent: Amount | None = None


class Budget(Strict):
    """The plan's budget: a total and lines by category."""

    total: Amount
    currency: Currency | None = None
    lines: list[BudgetLine] = Field(default_factory=list)


class Resource(Strict):
    """Hardware, software, network or people the plan needs."""

    kind: ResourceKind
    name: Text
    quantity: Annotated[float, Field(ge=0)] | None = None
    notes: str | None = None


class SupportTier(Strict):
    """One tier of the support model."""

    name: Text
    scope: str | None = None
    response_time: str | None = None


class Support(Strict):
    """Who supports the system after roll-out, and how fast."""

    model: str | None = None
    hours: str | None = None
    tiers: list[SupportTier] = Field(default_factory=list)


class TcoYear(Strict):
    """The cost of ownership in one year after go-live."""

    year: Annotated[int, Field(ge=1, le=20)]
    cost: Amount
    notes: str | None = None


class Plan(Item):
    """How and when a set of requirements will be delivered."""

    kind: ClassVar[Kind] = Kind.PLAN

    status: PlanStatus
    owner: str | None = None
    description: str | None = None
    requirements: list[ItemId] = Field(default_factory=list)
    out_of_scope: list[Text] = Field(default_factory=list)
    start: Day | None = None
    end: Day | None = None
    phases: list[Phase] = Field(default_factory=list)
    milestones: list[Milestone] = Field(default_factory=list)
    budget: Budget | None = None
    resources: list[Resource] = Field(default_factory=list)
    risks: list[Risk] = Field(default_factory=list)
    support: Support | None = None
    tco: list[TcoYear] = Field(default_factory=list)

    def references(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Requirements in scope, in phases and in milestones."""
        refs: list[tuple[tuple[str | int, ...], str]] = [
            (("requirements", index), ref) for index, ref in enumerate(self.requirements)
        ]
        for p_index, phase in enumerate(self.phases):
            refs += [
                (("phases", p_index, "requirements", index), ref)
                for index, ref in enumerate(phase.requirements)
            ]
        for m_index, milestone in enumerate(self.milestones):
            refs += [
                (("milestones", m_index, "requirements", index), ref)
                for index, ref in enumerate(milestone.requirements)
            ]
        return refs
