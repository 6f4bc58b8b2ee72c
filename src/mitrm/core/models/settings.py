"""The settings in ``mitrm.yaml`` at the root of a data repo."""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from mitrm.core.models.common import Currency, Day, Kind, Strict
from mitrm.i18n import _

Prefix = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]*$")]


class Language(str, Enum):
    """Document language for rendered documents and hints."""

    EN = "en"
    ZH = "zh"


class Shard(str, Enum):
    """How ``mitrm new`` places new items into subfolders of their kind's folder."""

    NONE = "none"
    YEAR = "year"
    HUNDRED = "hundred"


class IdScheme(Strict):
    """The id prefix and digit count of one kind."""

    prefix: Prefix
    digits: Annotated[int, Field(ge=1, le=9)] = 4


class Ids(Strict):
    """Id schemes for the three kinds."""

    requirement: IdScheme = IdScheme(prefix="REQ")
    plan: IdScheme = IdScheme(prefix="PLAN")
    change: IdScheme = IdScheme(prefix="CR")

    @model_validator(mode="after")
    def _distinct(self) -> Ids:
        prefixes = [self.requirement.prefix, self.plan.prefix, self.change.prefix]
        if len(set(prefixes)) != len(prefixes):
            raise ValueError(
                _(
                    "each kind needs its own id prefix, or ids of two kinds would collide "
                    "(got {prefixes})"
                ).format(prefixes=", ".join(prefixes))
            )
        return self

    def for_kind(self, kind: Kind) -> IdScheme:
        """The scheme of ``kind``."""
        scheme: IdScheme = getattr(self, kind.value)
        return scheme


class Layout(Strict):
    """Where new items go."""

    shard: Shard = Shard.NONE


class WorkflowOverride(Strict):
    """Replace a kind's transitions and/or its per-status required fields."""

    transitions: dict[str, list[str]] | None = None
    required: dict[str, list[str]] | None = None


class Workflows(Strict):
    """Workflow overrides per kind."""

    requirement: WorkflowOverride | None = None
    plan: WorkflowOverride | None = None
    change: WorkflowOverride | None = None


ModelName = Literal["weighted", "rice", "wsjf", "ice", "moscow"]
"""The models of ``mitrm.core.prioritization.scoring`` (a test keeps the two lists equal)."""


class ScoringSettings(Strict):
    """Which scoring model ranks the backlog, and its weights (docs/scoring.md)."""

    model: ModelName = "weighted"
    weights: dict[str, Annotated[float, Field(ge=0, le=1000)]] = Field(default_factory=dict)
    # --- how the ranking treats types and due dates ---
    boost_types: list[str] = Field(default_factory=lambda: ["security", "compliance"])
    """Open requirements of these types rank above all others (weighted and moscow models)."""
    urgency_from_due: bool = True
    """Derive urgency / time criticality from the due date when the item does not give it."""


class RuleSettings(Strict):
    """Which rules run and at which severity."""

    select: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    severity: dict[str, str] = Field(default_factory=dict)
    # --- quality rule thresholds (see docs/rules.md "Quality rules") ---
    rush_days_per_effort_day: Annotated[Decimal, Field(gt=0, le=10)] = Decimal(1)
    """Working days of calendar needed per estimated effort day (MIT406)."""
    holidays: list[Day] = Field(default_factory=list)
    """Non-working days besides weekends, for MIT406."""
    investment_threshold: Annotated[Decimal, Field(ge=0)] = Decimal(200_000)
    """Cost above which a requirement must show a benefit at least as large (MIT408)."""
    pilot_threshold: Annotated[Decimal, Field(ge=0)] = Decimal(1_000_000)
    """Plan budget above which a pilot phase is expected (MIT409)."""
    non_critical_share: Annotated[float, Field(gt=0, le=1)] = 0.3
    """Largest share of open requirements that may be could/won't (MIT418)."""
    non_critical_min_open: Annotated[int, Field(ge=1)] = 10
    """MIT418 looks at backlogs of at least this many open requirements."""
    churn_limit: Annotated[int, Field(ge=0)] = 3
    """Changes to an approved requirement before MIT419 suggests change requests."""
    vague_words: list[str] = Field(default_factory=list)
    """Extra vague words or phrases (any language) for MIT401."""


class RenderSettings(Strict):
    """Where rendered documents go, and the bounds of a template run."""

    out: str = "docs/generated"
    """The output folder, inside the repo (``--out`` on the command line may go anywhere)."""
    time_limit: Annotated[float, Field(gt=0, le=3600)] = 10
    """Seconds the templates may take for one document before the render stops."""
    size_limit: Annotated[int, Field(ge=1, le=1024)] = 32
    """MiB of text one document (or any one value a template builds) may reach."""


# --- mitrm new: what it suggests and writes ------------------------------------------


class Drafting(Strict):
    """What ``mitrm new`` suggests and writes."""

    schemas: str | None = None
    """Folder (relative to this file) or URL of the JSON Schemas named in new files' modelines."""
    defaults: dict[str, str] = Field(default_factory=dict)
    """Suggested answers by question: type, channel, department, reason, owner..."""


# --- spreadsheets: export and import ---------------------------------------------------


class Spreadsheets(Strict):
    """How ``mitrm import`` reads spreadsheets that use their own headers."""

    columns: dict[str, str] = Field(default_factory=dict)
    """A sheet's own header -> field name, e.g. ``需求名称: title`` (docs/spreadsheets.md)."""


# ----------------------------------------------------------------------------------


def _calendar(code: str | None) -> str | None:
    from mitrm.core.workdays import CalendarError, check_code

    if code is not None:
        try:
            check_code(code)
        except CalendarError as error:
            raise PydanticCustomError("calendar", str(error)) from None
    return code


class Settings(Strict):
    """Everything ``mitrm.yaml`` can hold; every field has a sensible default."""

    schema_version: Annotated[int, Field(ge=1, le=1)] = 1
    project: str | None = None
    language: Language = Language.EN
    currency: Currency = "CNY"
    calendar: Annotated[str | None, AfterValidator(_calendar)] = None
    """Public holidays for working days (MIT406): ``CN`` (chinese-calendar, with the
    make-up working days), or a country or subdivision of the holidays package (``DE-BY``)."""
    ids: Ids = Ids()
    layout: Layout = Layout()
    templates: str = "templates"
    render: RenderSettings = RenderSettings()
    scoring: ScoringSettings = ScoringSettings()
    workflows: Workflows = Workflows()
    rules: RuleSettings = RuleSettings()
    drafting: Drafting = Drafting()
    spreadsheets: Spreadsheets = Spreadsheets()
