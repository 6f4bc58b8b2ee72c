"""The default model: a weighted sum of value, urgency, ROI, ease and risk reduction."""

from __future__ import annotations

from collections.abc import Mapping

from mitrm.core.models import Requirement
from mitrm.core.prioritization.scoring import inputs
from mitrm.core.prioritization.scoring.types import Context, Input, Score, Term
from mitrm.i18n import _

CRITERIA = ("value", "urgency", "roi", "difficulty", "risk_reduction")
DEFAULT_WEIGHTS: Mapping[str, float] = {
    "value": 3.0,
    "urgency": 2.0,
    "roi": 2.0,
    "difficulty": 1.5,
    "risk_reduction": 1.5,
}
# Each criterion is on 1-5; the weighted mean times 20 puts the score on 20-100.
SCALE = 20.0


def gather_weighted(req: Requirement, ctx: Context) -> list[Input]:
    """The five criteria of the weighted model, as points on 1-5."""
    difficulty = inputs.field_input(req, "difficulty")
    if difficulty.points is not None:
        # Lower difficulty is better: 1 (easy) gives 5 points, 5 (hard) gives 1.
        difficulty = Input(
            "difficulty",
            6.0 - difficulty.points,
            raw=difficulty.raw,
            source="scoring.difficulty (inverted: 6 - difficulty)",
        )
    return [
        inputs.field_input(req, "value"),
        inputs.urgency(req, ctx),
        inputs.roi(req),
        difficulty,
        inputs.field_input(req, "risk_reduction"),
    ]


def weighted_terms(found: list[Input], weights: Mapping[str, float]) -> tuple[float, list[Term]]:
    """The weighted mean of complete inputs on 20-100, and its terms."""
    total_weight = sum(weights[item.name] for item in found)
    terms = []
    score = 0.0
    for item in found:
        assert item.points is not None
        weight = weights[item.name]
        contribution = weight * item.points / total_weight * SCALE if total_weight else 0.0
        score += contribution
        terms.append(Term(item.name, item.raw, item.points, weight, contribution, "+", item.source))
    return score, terms


def boost(req: Requirement, ctx: Context) -> tuple[int, tuple[str, ...]]:
    """Tier 0 for the types the settings put first (security, compliance), else 1.

    Every model gets the rule the same way: ``scoring.registry.combine`` applies it
    to the tier the model gives (a MoSCoW category, or none).
    """
    if req.type.value in ctx.boost_types:
        rule = _("type '{type}' ranks above other work (scoring.boost_types)").format(
            type=req.type.value
        )
        return 0, (rule,)
    return 1, ()


class Weighted:
    """value, urgency, ROI, difficulty (lower is better), risk reduction; weights in settings."""

    name = "weighted"
    formula = "20 x sum(weight x points) / sum(weights), each criterion on 1-5"
    default_weights = DEFAULT_WEIGHTS

    def gather(self, req: Requirement, ctx: Context) -> list[Input]:
        """The five criteria."""
        return gather_weighted(req, ctx)

    def combine(self, req: Requirement, inputs: list[Input], ctx: Context) -> Score:
        """The weighted mean."""
        value, terms = weighted_terms(inputs, ctx.weights)
        return Score(req.id, self.name, value, tuple(terms))
