"""The registry of scoring models, their weights, and scoring a whole backlog."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from mitrm.core.models import Requirement
from mitrm.core.models.requirement import RequirementType
from mitrm.core.models.settings import ScoringSettings
from mitrm.core.prioritization.scoring.ice import Ice
from mitrm.core.prioritization.scoring.moscow import Moscow
from mitrm.core.prioritization.scoring.rice import Rice
from mitrm.core.prioritization.scoring.types import Context, Input, Model, Score
from mitrm.core.prioritization.scoring.weighted import Weighted, boost
from mitrm.core.prioritization.scoring.wsjf import Wsjf
from mitrm.errors import UsageError
from mitrm.i18n import _

MODELS: dict[str, Model] = {
    model.name: model for model in (Weighted(), Rice(), Wsjf(), Ice(), Moscow())
}
# Inputs that are decisions, not measures: a median of them means nothing.
NOT_IMPUTABLE = frozenset({"moscow"})
IMPUTE_METHODS = ("median",)


def get_model(name: str) -> Model:
    """The model called ``name``; an unknown name is a usage error listing the known ones."""
    model = MODELS.get(name.lower())
    if model is None:
        raise UsageError(
            _("unknown scoring model '{name}'; use one of: {names}").format(
                name=name, names=", ".join(MODELS)
            ),
            hint=_("set scoring.model in mitrm.yaml or pass --model"),
        )
    return model


def known_weights() -> set[str]:
    """Every weight name some model reads."""
    return {name for model in MODELS.values() for name in model.default_weights}


def effective_weights(
    model: Model, settings: ScoringSettings, overrides: Mapping[str, float] | None = None
) -> dict[str, float]:
    """The model's defaults, then ``scoring.weights`` from mitrm.yaml, then ``--weight``."""
    weights = dict(model.default_weights)
    known = known_weights()
    for name, value in settings.weights.items():
        if name not in known:
            raise UsageError(
                _("unknown weight '{name}' in mitrm.yaml scoring.weights; known: {names}").format(
                    name=name, names=", ".join(sorted(known))
                )
            )
        if name in weights:
            weights[name] = float(value)
    for name, value in (overrides or {}).items():
        if name not in weights:
            accepted = ", ".join(weights) if weights else _("none")
            raise UsageError(
                _("the {model} model has no weight '{name}' (its weights: {names})").format(
                    model=model.name, name=name, names=accepted
                )
            )
        weights[name] = float(value)
    for name, value in weights.items():
        if value < 0 or value != value or value == float("inf"):
            raise UsageError(
                _("weight '{name}' must be a finite number of at least 0 (got {value})").format(
                    name=name, value=value
                )
            )
    if weights and not any(weights.values()):
        raise UsageError(_("at least one weight must be above 0"))
    return weights


def make_context(
    settings: ScoringSettings,
    *,
    model: Model,
    today: dt.date,
    weights: Mapping[str, float] | None = None,
) -> Context:
    """The scoring context: effective weights, today's date and the boost rule."""
    types = {kind.value for kind in RequirementType}
    for name in settings.boost_types:
        if name.lower() not in types:
            raise UsageError(
                _(
                    "unknown requirement type '{name}' in mitrm.yaml scoring.boost_types; "
                    "use any of: {names}"
                ).format(name=name, names=", ".join(sorted(types)))
            )
    return Context(
        settings=settings,
        weights=effective_weights(model, settings, weights),
        today=today,
        boost_types=frozenset(t.lower() for t in settings.boost_types),
    )


@dataclass(frozen=True)
class Gathered:
    """One item's inputs under a model, before combining (reused for what-if weights)."""

    req: Requirement
    inputs: list[Input]


def gather(reqs: Sequence[Requirement], *, model: Model, ctx: Context) -> list[Gathered]:
    """Every item's inputs under ``model``."""
    return [Gathered(req, model.gather(req, ctx)) for req in reqs]


def impute_medians(gathered: Sequence[Gathered]) -> dict[str, float]:
    """The median points of each input over the items that give it."""
    seen: dict[str, list[float]] = {}
    for entry in gathered:
        for item in entry.inputs:
            if item.points is not None and item.name not in NOT_IMPUTABLE:
                seen.setdefault(item.name, []).append(item.points)
    return {name: float(statistics.median(values)) for name, values in sorted(seen.items())}


def combine(
    gathered: Sequence[Gathered],
    *,
    model: Model,
    ctx: Context,
    medians: Mapping[str, float] | None = None,
) -> list[Score]:
    """Scores from gathered inputs; missing inputs make an item unscored unless imputed."""
    scores = []
    for entry in gathered:
        found = entry.inputs
        missing = [item for item in found if item.points is None]
        rules: tuple[str, ...] = ()
        if missing and medians is not None:
            filled = []
            for item in found:
                if item.points is None and item.name in medians:
                    value = medians[item.name]
                    item = item._replace(points=value, raw=None, source="imputed: median")
                    rules += (
                        _("{name} imputed as the median, {value} (--impute median)").format(
                            name=item.name, value=f"{value:g}"
                        ),
                    )
                filled.append(item)
            found = filled
            missing = [item for item in found if item.points is None]
        if missing:
            fields = tuple(name for item in missing for name in item.fields)
            scores.append(Score(entry.req.id, model.name, None, missing=fields))
            continue
        score = _first_rule(model.combine(entry.req, found, ctx), entry.req, ctx)
        if rules:
            score = replace(score, rules=(*score.rules, *rules))
        scores.append(score)
    return scores


def _first_rule(score: Score, req: Requirement, ctx: Context) -> Score:
    """Security and compliance first, in every model: the types in ``boost_types`` rank
    above the rest of their tier (a MoSCoW category; the whole backlog elsewhere)."""
    step, rules = boost(req, ctx)
    boosted = step == 0 and bool(ctx.boost_types)
    return replace(
        score,
        tier=score.tier * 2 + step,
        rules=(*score.rules, *rules),
        tier_label=score.tier_label or ("boosted" if boosted else None),
        boosted=boosted,
    )


def score_requirements(
    reqs: Sequence[Requirement],
    *,
    model: Model,
    ctx: Context,
    impute: str | None = None,
) -> tuple[list[Score], dict[str, float]]:
    """Score every item; return the scores and the medians used (empty without imputing)."""
    if impute is not None and impute not in IMPUTE_METHODS:
        raise UsageError(
            _("unknown --impute method '{name}'; use: {names}").format(
                name=impute, names=", ".join(IMPUTE_METHODS)
            )
        )
    gathered = gather(reqs, model=model, ctx=ctx)
    medians = impute_medians(gathered) if impute else None
    return combine(gathered, model=model, ctx=ctx, medians=medians), medians or {}
