"""ICE: impact x confidence x ease, each on 1-10 (the product, not the mean)."""

from __future__ import annotations

from collections.abc import Mapping

from mitrm.core.models import Requirement
from mitrm.core.prioritization.scoring import inputs
from mitrm.core.prioritization.scoring.types import Context, Input, Score, Term


class Ice:
    """The product of impact, confidence and ease (1-10 each), so scores run from 1 to 1000."""

    name = "ice"
    formula = "ice_impact x ice_confidence x ease (the product; each on 1-10)"
    default_weights: Mapping[str, float] = {}

    def gather(self, req: Requirement, ctx: Context) -> list[Input]:
        """The three ICE inputs."""
        return [
            inputs.field_input(req, "ice_impact"),
            inputs.field_input(req, "ice_confidence"),
            inputs.field_input(req, "ease"),
        ]

    def combine(self, req: Requirement, inputs: list[Input], ctx: Context) -> Score:
        """The product."""
        value = 1.0
        for item in inputs:
            value *= item.points or 0.0
        terms = tuple(
            Term(
                item.name, item.raw, item.points or 0.0, None, item.points or 0.0, "x", item.source
            )
            for item in inputs
        )
        return Score(req.id, self.name, value, terms)
