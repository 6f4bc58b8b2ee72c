"""Shared types of the scoring models: inputs, terms, scores and the scoring context."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

from mitrm.core.models import Requirement
from mitrm.core.models.settings import ScoringSettings


class Input(NamedTuple):
    """One input of a model for one item: its points on the model's scale, and where it came from.

    ``points`` is None when the item does not give the input; ``fields`` names
    what the user must fill in then (``scoring.value``, ``estimate.cost``).
    A named tuple: tens of thousands are built per run, and they must be cheap.
    """

    name: str
    points: float | None
    raw: object = None
    source: str = ""
    fields: tuple[str, ...] = ()


class Term(NamedTuple):
    """One term of a formula: its input, weight and what it contributes to the score."""

    name: str
    input: object
    points: float
    weight: float | None
    contribution: float
    op: str
    source: str

    def as_json(self) -> dict[str, object]:
        """The term in the JSON output (docs/scoring.md)."""
        return {
            "name": self.name,
            "input": self.input,
            "points": self.points,
            "weight": self.weight,
            "contribution": round(self.contribution, 6),
            "op": self.op,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class Score:
    """The score of one item under one model; ``value`` None means unscored (see ``missing``)."""

    item_id: str
    model: str
    value: float | None
    terms: tuple[Term, ...] = ()
    rules: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    tier: int = 0
    tier_label: str | None = None
    boosted: bool = False
    """Whether the security-and-compliance-first rule lifted it (``scoring.boost_types``)."""

    @property
    def scored(self) -> bool:
        """Whether the item has a score (all inputs present or imputed)."""
        return self.value is not None


@dataclass(frozen=True)
class Context:
    """What a model needs besides the item: settings, effective weights and today's date."""

    settings: ScoringSettings
    weights: Mapping[str, float]
    today: dt.date
    boost_types: frozenset[str] = field(default_factory=frozenset)


class Model(Protocol):
    """A scoring model: gathers inputs from an item, then combines them into a score."""

    name: str
    formula: str
    default_weights: Mapping[str, float]

    def gather(self, req: Requirement, ctx: Context) -> list[Input]:
        """The model's inputs for ``req`` (points None where missing)."""

    def combine(self, req: Requirement, inputs: list[Input], ctx: Context) -> Score:
        """The score from complete inputs."""
