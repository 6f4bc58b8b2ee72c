"""The requirement: what marketing asks IT for, from first draft to release."""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from mitrm.core.models.common import (
    Amount,
    Currency,
    Day,
    Item,
    ItemId,
    Kind,
    Level,
    Risk,
    Strict,
    Text,
)
from mitrm.i18n import _


class RequirementType(str, Enum):
    """What sort of work a requirement asks for."""

    FEATURE = "feature"
    IMPROVEMENT = "improvement"
    DEFECT = "defect"
    SECURITY = "security"
    COMPLIANCE = "compliance"
    DATA = "data"
    INTEGRATION = "integration"
    INFRASTRUCTURE = "infrastructure"
    REPORTING = "reporting"
    CAMPAIGN = "campaign"
    OTHER = "other"


class RequirementStatus(str, Enum):
    """The requirement workflow's states (transitions live in ``workflow``)."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    ANALYSIS = "analysis"
    APPROVED = "approved"
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    TESTING = "testing"
    RELEASED = "released"
    CLOSED = "closed"
    DEFERRED = "deferred"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


class Channel(str, Enum):
    """Where a request came from (DESIGN.md, "Collect")."""

    INTERNAL = "internal"
    CUSTOMER = "customer"
    SURVEY = "survey"
    HOTLINE = "hotline"
    PARTNER = "partner"
    AGENCY = "agency"
    SUPPLIER = "supplier"
    IT = "it"
    MANAGEMENT = "management"
    REGULATOR = "regulator"


class Priority(str, Enum):
    """MoSCoW category."""

    MUST = "must"
    SHOULD = "should"
    COULD = "could"
    WONT = "wont"


class Source(Strict):
    """Who asked, through which channel."""

    channel: Channel
    department: str | None = None
    requester: str | None = None
    reference: str | None = None


class Owners(Strict):
    """The business owner (marketing) and the IT owner."""

    business: str | None = None
    it: str | None = None


class Kpi(Strict):
    """A measure of success: where it is, where it should go, how it is measured."""

    name: Text
    baseline: Decimal | None = None
    target: Decimal | None = None
    unit: str | None = None
    measurement: str | None = None
    by: Day | None = None


class Feasibility(Strict):
    """Technical, economic and operational feasibility, each rated."""

    technical: Level | None = None
    economic: Level | None = None
    operational: Level | None = None
    notes: str | None = None


class Estimate(Strict):
    """Effort, cost and expected benefit (money in ``currency``, default from settings)."""

    effort_days: Amount | None = None
    cost: Amount | None = None
    benefit: Amount | None = None
    currency: Currency | None = None
    benefit_period_months: Annotated[int, Field(ge=1, le=120)] | None = None
    confidence: Level | None = None


Scale10 = Annotated[int, Field(ge=1, le=10)]
Scale5 = Annotated[int, Field(ge=1, le=5)]


# --- scoring scales: off-scale values are MIT102 errors naming the scale ---

RICE_IMPACTS = (Decimal("3"), Decimal("2"), Decimal("1"), Decimal("0.5"), Decimal("0.25"))
RICE_CONFIDENCES = (Decimal("100"), Decimal("80"), Decimal("50"))
FIBONACCI = (1, 2, 3, 5, 8, 13, 20)


def _on_scale(allowed: tuple[Any, ...], scale: str) -> AfterValidator:
    words = ", ".join(str(value) for value in allowed)

    def check(value: Any) -> Any:
        if value not in allowed:
            message = _("must be one of {words} ({scale})").format(words=words, scale=scale)
            raise PydanticCustomError("scale", message)
        return value

    return AfterValidator(check)


RiceImpact = Annotated[
    Decimal,
    _on_scale(RICE_IMPACTS, "the RICE impact scale"),
    Field(json_schema_extra={"enum": [3, 2, 1, 0.5, 0.25]}),
]
RiceConfidence = Annotated[
    Decimal,
    _on_scale(RICE_CONFIDENCES, "the RICE confidence scale, in percent"),
    Field(json_schema_extra={"enum": [100, 80, 50]}),
]
Fibonacci = Annotated[
    int,
    _on_scale(FIBONACCI, "the WSJF Fibonacci scale"),
    Field(json_schema_extra={"enum": list(FIBONACCI)}),
]


class Scoring(Strict):
    """Inputs to the scoring models; each model reads the ones it needs (docs/scoring.md)."""

    value: Scale5 | None = None
    urgency: Scale5 | None = None
    difficulty: Scale5 | None = None
    risk_reduction: Scale5 | None = None
    reach: Annotated[int, Field(ge=0, le=10**12)] | None = None
    impact: RiceImpact | None = None
    confidence: RiceConfidence | None = None
    effort_months: (
        Annotated[Decimal, Field(ge=Decimal("0.01"), le=1200, allow_inf_nan=False)] | None
    ) = None
    business_value: Fibonacci | None = None
    time_criticality: Fibonacci | None = None
    opportunity: Fibonacci | None = None
    job_size: Fibonacci | None = None
    ice_impact: Scale10 | None = None
    ice_confidence: Scale10 | None = None
    ease: Scale10 | None = None
    moscow: Priority | None = None


class Testing(Strict):
    """Which kinds of testing the requirement needs, and anything to note."""

    functional: bool | None = None
    performance: bool | None = None
    security: bool | None = None
    compatibility: bool | None = None
    data_protection_review: bool | None = None
    notes: str | None = None


class Training(Strict):
    """Who needs training, and how it will happen."""

    needed: bool | None = None
    audience: list[Text] = Field(default_factory=list)
    plan: str | None = None


class Requirement(Item):
    """A request from marketing to IT."""

    kind: ClassVar[Kind] = Kind.REQUIREMENT

    type: RequirementType
    status: RequirementStatus
    source: Source | None = None
    owners: Owners | None = None
    created: Day | None = None
    due: Day | None = None
    description: Text | None = None
    background: str | None = None
    business_goal: str | None = None
    features: list[Text] = Field(default_factory=list)
    kpis: list[Kpi] = Field(default_factory=list)
    acceptance_criteria: list[Text] = Field(default_factory=list)
    feasibility: Feasibility | None = None
    estimate: Estimate | None = None
    scoring: Scoring | None = None
    risks: list[Risk] = Field(default_factory=list)
    depends_on: list[ItemId] = Field(default_factory=list)
    compliance: list[Text] = Field(default_factory=list)
    testing: Testing | None = None
    training: Training | None = None

    def references(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Requirements this one depends on."""
        return [(("depends_on", index), ref) for index, ref in enumerate(self.depends_on)]
