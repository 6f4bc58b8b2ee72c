"""MoSCoW: must, should, could, won't; the weighted score orders items within a category."""

from __future__ import annotations

from mitrm.core.models import Requirement
from mitrm.core.prioritization.scoring.types import Context, Input, Score
from mitrm.core.prioritization.scoring.weighted import (
    DEFAULT_WEIGHTS,
    gather_weighted,
    weighted_terms,
)
from mitrm.i18n import _

CATEGORIES = ("must", "should", "could", "wont")


class Moscow:
    """Category first (must > should > could > won't), then the weighted score."""

    name = "moscow"
    formula = "category (must, should, could, won't), then the weighted score within"
    default_weights = DEFAULT_WEIGHTS

    def gather(self, req: Requirement, ctx: Context) -> list[Input]:
        """The MoSCoW category and the weighted model's criteria."""
        given = req.scoring.moscow if req.scoring is not None else None
        if given is None:
            category = Input("moscow", None, fields=("scoring.moscow",))
        else:
            index = CATEGORIES.index(given.value)
            category = Input("moscow", float(index), raw=given.value, source="scoring.moscow")
        return [category, *gather_weighted(req, ctx)]

    def combine(self, req: Requirement, inputs: list[Input], ctx: Context) -> Score:
        """Tier from the category (the boost rule applies inside it); score from the weights."""
        category = inputs[0]
        value, terms = weighted_terms(inputs[1:], ctx.weights)
        name = CATEGORIES[int(category.points or 0)]
        rules = (_("category '{name}' ranks before the categories after it").format(name=name),)
        tier = CATEGORIES.index(name)
        return Score(req.id, self.name, value, tuple(terms), rules, tier=tier, tier_label=name)
