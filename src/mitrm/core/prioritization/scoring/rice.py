"""RICE: reach x impact x confidence / effort."""

from __future__ import annotations

from collections.abc import Mapping

from mitrm.core.models import Requirement
from mitrm.core.prioritization.scoring import inputs
from mitrm.core.prioritization.scoring.types import Context, Input, Score, Term


class Rice:
    """reach x impact (3, 2, 1, 0.5, 0.25) x confidence (100/80/50 %) / effort (person-months)."""

    name = "rice"
    formula = "reach x impact x confidence% / effort_months"
    default_weights: Mapping[str, float] = {}

    def gather(self, req: Requirement, ctx: Context) -> list[Input]:
        """Reach, impact, confidence (as a fraction) and effort in person-months."""
        confidence = inputs.field_input(req, "confidence")
        if confidence.points is not None:
            confidence = Input(
                "confidence",
                confidence.points / 100,
                raw=confidence.raw,
                source="scoring.confidence (%)",
            )
        return [
            inputs.field_input(req, "reach"),
            inputs.field_input(req, "impact"),
            confidence,
            inputs.field_input(req, "effort_months"),
        ]

    def combine(self, req: Requirement, inputs: list[Input], ctx: Context) -> Score:
        """The product of the first three divided by the effort."""
        reach, impact, confidence, effort = (item.points or 0.0 for item in inputs)
        value = reach * impact * confidence / effort
        terms = tuple(
            Term(item.name, item.raw, item.points or 0.0, None, item.points or 0.0, op, item.source)
            for item, op in zip(inputs, ("x", "x", "x", "/"), strict=True)
        )
        return Score(req.id, self.name, value, terms)
