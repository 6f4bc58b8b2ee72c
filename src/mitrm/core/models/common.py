"""Building blocks shared by the three kinds of item."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from enum import Enum
from typing import Annotated, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

ID_PATTERN = r"^[A-Z][A-Z0-9]*-[0-9]+$"

ItemId = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
"""An item id such as ``REQ-0007``; the prefix per kind is checked against the settings."""

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""A non-empty piece of text in any language."""

Amount = Annotated[Decimal, Field(ge=0, allow_inf_nan=False)]
"""Money or effort: a non-negative decimal (the currency is named beside it)."""

Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
"""An ISO 4217 currency code: ``CNY``, ``EUR``, ``USD``."""


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _date_only(value: object) -> object:
    # pydantic takes a timestamp at midnight, a date-time text or a number of seconds
    # for a date; a date field holds a date, written YYYY-MM-DD.
    if isinstance(value, dt.datetime):
        raise PydanticCustomError("date_from_datetime_inexact", "a date without a time")
    if isinstance(value, str) and not _ISO_DAY.fullmatch(value.strip()):
        raise PydanticCustomError("date_parsing", "a date written YYYY-MM-DD")
    if isinstance(value, (int, float)):
        raise PydanticCustomError("date_type", "a date written YYYY-MM-DD")
    return value


Day = Annotated[dt.date, BeforeValidator(_date_only)]
"""A calendar day written ``YYYY-MM-DD``; a timestamp is refused, even at midnight."""


class Kind(str, Enum):
    """The three kinds of item, named as in ``mitrm new``."""

    REQUIREMENT = "requirement"
    PLAN = "plan"
    CHANGE = "change"

    @property
    def folder(self) -> str:
        """The folder items of this kind live in."""
        return {"requirement": "requirements", "plan": "plans", "change": "changes"}[self.value]

    @property
    def label(self) -> str:
        """A readable singular name."""
        return {"requirement": "requirement", "plan": "plan", "change": "change request"}[
            self.value
        ]


class Strict(BaseModel):
    """A model that refuses unknown fields (typos are errors with a hint)."""

    model_config = ConfigDict(
        # Validators are built on first use: a warm `mitrm validate` that re-checks
        # no file never pays for the models it does not need.
        defer_build=True,
        extra="forbid",
        str_strip_whitespace=True,
        validate_default=False,
        use_enum_values=False,
        frozen=False,
    )


class Level(str, Enum):
    """A three-step rating: feasibility, likelihood, impact."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Approval(Strict):
    """Who approved an item, when, and any note."""

    by: Text
    date: Day
    note: str | None = None


class Risk(Strict):
    """A risk with its rating, mitigation and owner."""

    description: Text
    likelihood: Level | None = None
    impact: Level | None = None
    mitigation: str | None = None
    owner: str | None = None
    category: str | None = None


class Waiver(Strict):
    """A rule this item deliberately does not follow, with the reason recorded."""

    rule: Annotated[str, StringConstraints(pattern=r"^MIT[0-9]{3}$")]
    reason: Text
    by: str | None = None
    until: Day | None = None


class Item(Strict):
    """Fields every item has; subclasses add their kind's fields."""

    kind: ClassVar[Kind]
    ref_fields: ClassVar[tuple[str, ...]] = ()

    id: ItemId
    title: Text
    tags: list[Text] = Field(default_factory=list)
    approval: Approval | None = None
    waivers: list[Waiver] = Field(default_factory=list)

    def references(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Every id this item refers to, with the field path where it does."""
        return []
