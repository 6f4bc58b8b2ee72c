"""What-if on the weights: how stable the top of the ranking is when each weight moves +/-20 %."""

from __future__ import annotations

from dataclasses import dataclass

from mitrm.core.prioritization.ranking import Prepared, Ranking, rank_prepared
from mitrm.errors import UsageError
from mitrm.i18n import _

CHANGES = (-0.2, 0.2)


@dataclass(frozen=True)
class Perturbation:
    """One weight changed by one factor, and what happened to the top of the ranking."""

    weight: str
    change: float
    kept: int
    same_order: bool
    entered: tuple[str, ...]
    left: tuple[str, ...]


@dataclass(frozen=True)
class Mover:
    """An item whose rank moves most under some perturbation."""

    id: str
    title: str
    rank: int
    worst_rank: int
    best_rank: int
    shift: int


@dataclass(frozen=True)
class Sensitivity:
    """Every perturbation, the share of the top N that never leaves it, and the biggest movers."""

    top: int
    perturbations: tuple[Perturbation, ...]
    stable: tuple[str, ...]
    movers: tuple[Mover, ...]


def sensitivity(
    prepared: Prepared, base: Ranking, *, top: int = 10, movers: int = 5
) -> Sensitivity:
    """Re-rank with each weight at 80 % and 120 % and compare the top ``top`` with ``base``."""
    weights = dict(base.weights)
    if not weights:
        raise UsageError(_("the {model} model has no weights to perturb").format(model=base.model))
    base_top = [entry.id for entry in base.entries[:top]]
    base_rank = {entry.id: entry.rank for entry in base.entries}
    titles = {entry.id: entry.title for entry in base.entries}
    lowest = {item: rank for item, rank in base_rank.items()}
    highest = dict(lowest)
    results: list[Perturbation] = []
    always = set(base_top)
    for name in sorted(weights):
        for change in CHANGES:
            trial = dict(weights)
            trial[name] = weights[name] * (1 + change)
            if not any(trial.values()):
                continue
            ranking = rank_prepared(prepared, weights=trial)
            new_top = [entry.id for entry in ranking.entries[:top]]
            for entry in ranking.entries:
                lowest[entry.id] = max(lowest[entry.id], entry.rank)
                highest[entry.id] = min(highest[entry.id], entry.rank)
            kept = set(base_top) & set(new_top)
            always &= kept
            results.append(
                Perturbation(
                    weight=name,
                    change=change,
                    kept=len(kept),
                    same_order=new_top == base_top,
                    entered=tuple(item for item in new_top if item not in base_top),
                    left=tuple(item for item in base_top if item not in new_top),
                )
            )
    shifts = sorted(
        (
            max(lowest[item] - rank, rank - highest[item]),
            rank,
            item,
        )
        for item, rank in base_rank.items()
    )
    biggest = [entry for entry in reversed(shifts) if entry[0] > 0]
    biggest.sort(key=lambda entry: (-entry[0], entry[1]))
    return Sensitivity(
        top=min(top, len(base.entries)),
        perturbations=tuple(results),
        stable=tuple(item for item in base_top if item in always),
        movers=tuple(
            Mover(item, titles[item], rank, lowest[item], highest[item], shift)
            for shift, rank, item in biggest[:movers]
        ),
    )
