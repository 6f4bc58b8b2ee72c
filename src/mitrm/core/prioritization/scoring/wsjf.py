"""WSJF: cost of delay (value + time criticality + opportunity) over job size."""

from __future__ import annotations

from collections.abc import Mapping

from mitrm.core.models import Requirement
from mitrm.core.prioritization.scoring import inputs
from mitrm.core.prioritization.scoring.types import Context, Input, Score, Term

DEFAULT_WEIGHTS: Mapping[str, float] = {
    "business_value": 1.0,
    "time_criticality": 1.0,
    "opportunity": 1.0,
}


class Wsjf:
    """Weighted shortest job first, every input on the Fibonacci scale 1, 2, 3, 5, 8, 13, 20."""

    name = "wsjf"
    formula = "(business_value + time_criticality + opportunity) / job_size"
    default_weights = DEFAULT_WEIGHTS

    def gather(self, req: Requirement, ctx: Context) -> list[Input]:
        """The three parts of the cost of delay, and the job size."""
        return [
            inputs.field_input(req, "business_value"),
            inputs.time_criticality(req, ctx),
            inputs.field_input(req, "opportunity"),
            inputs.field_input(req, "job_size"),
        ]

    def combine(self, req: Requirement, inputs: list[Input], ctx: Context) -> Score:
        """Cost of delay over job size; weights (default 1) scale the parts of the cost of delay."""
        *delay, size = inputs
        job = size.points or 1.0
        terms = []
        value = 0.0
        for item in delay:
            weight = ctx.weights[item.name]
            contribution = weight * (item.points or 0.0) / job
            value += contribution
            terms.append(
                Term(
                    item.name, item.raw, item.points or 0.0, weight, contribution, "+", item.source
                )
            )
        terms.append(Term(size.name, size.raw, job, None, job, "/", size.source))
        return Score(req.id, self.name, value, tuple(terms))
