"""Rank open requirements: score order, deterministic ties, dependencies before dependents.

``rank_backlog`` is the pure entry point (the CLI and the portfolio report call
it): requirements in, a ``Ranking`` out. See docs/scoring.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from mitrm.core.graphs import find_cycle, order_by_dependencies
from mitrm.core.ids import id_key
from mitrm.core.models import Requirement, RequirementStatus
from mitrm.core.models.settings import ScoringSettings
from mitrm.core.scoring import Score, get_model, make_context
from mitrm.core.scoring.registry import Gathered, combine, gather, impute_medians
from mitrm.core.scoring.types import Context, Model
from mitrm.errors import DataError, UsageError
from mitrm.i18n import _

# Open means still to be decided or delivered; the rest no longer competes for a slot.
DONE_STATUSES = frozenset({RequirementStatus.RELEASED, RequirementStatus.CLOSED})
DROPPED_STATUSES = frozenset({RequirementStatus.REJECTED, RequirementStatus.CANCELLED})
CLOSED_STATUSES = DONE_STATUSES | DROPPED_STATUSES


def is_open(req: Requirement) -> bool:
    """Whether ``req`` is open: not released, closed, rejected or cancelled."""
    return req.status not in CLOSED_STATUSES


@dataclass(frozen=True)
class RankedEntry:
    """One ranked requirement: its rank, score and terms, and any move a dependency caused."""

    rank: int
    natural_rank: int
    req: Requirement
    score: Score
    moved_by_dependency: str | None = None
    after: tuple[str, ...] = ()
    waiting_on: tuple[str, ...] = ()
    id: str = field(init=False)
    title: str = field(init=False)

    def __post_init__(self) -> None:
        # Plain attributes rather than properties: selection reads them very often.
        object.__setattr__(self, "id", self.req.id)
        object.__setattr__(self, "title", self.req.title)


@dataclass(frozen=True)
class UnscoredEntry:
    """An open requirement that lacks inputs of the model; never scored as zero."""

    req: Requirement
    missing: tuple[str, ...]

    @property
    def id(self) -> str:
        """The requirement's id."""
        return self.req.id


@dataclass(frozen=True)
class Ranking:
    """The ranked backlog under one model, with the unscored items apart."""

    model: str
    formula: str
    today: dt.date
    weights: Mapping[str, float]
    entries: tuple[RankedEntry, ...]
    unscored: tuple[UnscoredEntry, ...]
    imputed: Mapping[str, float] = field(default_factory=dict)

    def find(self, item_id: str) -> RankedEntry | UnscoredEntry | None:
        """The entry of ``item_id``, ranked or unscored."""
        for entry in self.entries:
            if entry.id == item_id:
                return entry
        for other in self.unscored:
            if other.id == item_id:
                return other
        return None


def _order_key(req: Requirement, score: Score) -> tuple[object, ...]:
    # Ties: higher score, then earlier due date, then smaller effort, then id.
    due = req.due.toordinal() if req.due is not None else dt.date.max.toordinal()
    effort = req.estimate.effort_days if req.estimate is not None else None
    effort_key = float(effort) if effort is not None else float("inf")
    assert score.value is not None
    return (score.tier, -round(score.value, 9), due, effort_key, id_key(req.id))


def check_cycles(reqs: Iterable[Requirement]) -> None:
    """Raise DataError naming a dependency cycle among ``reqs``."""
    graph = {req.id: list(req.depends_on) for req in reqs}
    cycle = find_cycle(graph)
    if cycle is not None:
        raise DataError(
            _("dependency cycle among open requirements: {cycle}").format(cycle=" -> ".join(cycle)),
            hint=_("remove one of these depends_on entries ('mitrm validate' shows where)"),
        )


@dataclass(frozen=True)
class Prepared:
    """Gathered inputs of the open items, reusable to re-rank under other weights."""

    model: Model
    settings: ScoringSettings
    today: dt.date
    gathered: list[Gathered]
    impute: str | None
    open_ids: frozenset[str] = frozenset()


def prepare(
    requirements: Iterable[Requirement],
    *,
    settings: ScoringSettings,
    today: dt.date,
    model: str | None = None,
    impute: str | None = None,
    open_elsewhere: Iterable[str] | None = None,
) -> Prepared:
    """Pick the open requirements, check them for cycles, and gather their inputs.

    ``open_elsewhere`` names open requirements left out by filters, so that an
    entry can say it waits on them.
    """
    chosen = get_model(model or settings.model)
    if impute is not None and impute != "median":
        raise UsageError(
            _("unknown --impute method '{name}'; use: {names}").format(name=impute, names="median")
        )
    # An id used twice (MIT201) is ranked once, as the first file has it.
    seen: set[str] = set()
    open_reqs = []
    for req in requirements:
        if is_open(req) and req.id not in seen:
            seen.add(req.id)
            open_reqs.append(req)
    check_cycles(open_reqs)
    all_open = {req.id for req in open_reqs} | set(open_elsewhere or ())
    ctx = make_context(settings, model=chosen, today=today)
    gathered = gather(open_reqs, model=chosen, ctx=ctx)
    return Prepared(chosen, settings, today, gathered, impute, frozenset(all_open))


def rank_prepared(prepared: Prepared, *, weights: Mapping[str, float] | None = None) -> Ranking:
    """Rank gathered items (optionally under what-if ``weights``)."""
    model = prepared.model
    ctx: Context = make_context(
        prepared.settings, model=model, today=prepared.today, weights=weights
    )
    medians = impute_medians(prepared.gathered) if prepared.impute else None
    scores = combine(prepared.gathered, model=model, ctx=ctx, medians=medians)
    scored: list[tuple[tuple[object, ...], Requirement, Score]] = []
    unscored: list[UnscoredEntry] = []
    for entry, score in zip(prepared.gathered, scores, strict=True):
        if score.value is None:
            unscored.append(UnscoredEntry(entry.req, score.missing))
        else:
            scored.append((_order_key(entry.req, score), entry.req, score))
    scored.sort(key=lambda item: item[0])
    open_ids = prepared.open_ids
    by_id = {req.id: (key, req, score) for key, req, score in scored}
    natural = [req.id for _, req, _ in scored]
    natural_rank = {item: index + 1 for index, item in enumerate(natural)}
    deps = {req.id: list(req.depends_on) for _, req, _ in scored}
    order, pulled_by = order_by_dependencies(natural, deps)
    entries: list[RankedEntry] = []
    previous: tuple[object, ...] | None = None
    for position, item in enumerate(order, start=1):
        key, req, score = by_id[item]
        moved = None
        if item in pulled_by:
            needer = pulled_by[item]
            moved = _(
                "moved up from {natural} to {rank}: {id} (natural rank {its}) depends on it"
            ).format(natural=natural_rank[item], rank=position, id=needer, its=natural_rank[needer])
        # Equal tier and score share a rank, unless a dependency moved one of them.
        tie = key[:2]
        rank = position
        if (
            entries
            and moved is None
            and entries[-1].moved_by_dependency is None
            and tie == previous
        ):
            rank = entries[-1].rank
        previous = tie
        after = tuple(d for d in req.depends_on if d in by_id)
        # Open dependencies outside the ranking (unscored, filtered out) cannot order it.
        waiting = tuple(d for d in req.depends_on if d in open_ids and d not in by_id)
        entries.append(RankedEntry(rank, natural_rank[item], req, score, moved, after, waiting))
    unscored.sort(key=lambda entry: id_key(entry.id))
    return Ranking(
        model=model.name,
        formula=model.formula,
        today=prepared.today,
        weights=dict(ctx.weights),
        entries=tuple(entries),
        unscored=tuple(unscored),
        imputed=medians or {},
    )


def score_item(
    prepared: Prepared, req: Requirement, *, weights: Mapping[str, float] | None = None
) -> Score:
    """One requirement's score under the prepared model, ranked or not (for ``--explain``)."""
    ctx = make_context(
        prepared.settings, model=prepared.model, today=prepared.today, weights=weights
    )
    return combine(gather([req], model=prepared.model, ctx=ctx), model=prepared.model, ctx=ctx)[0]


def rank_backlog(
    requirements: Iterable[Requirement],
    *,
    settings: ScoringSettings,
    today: dt.date,
    model: str | None = None,
    weights: Mapping[str, float] | None = None,
    impute: str | None = None,
) -> Ranking:
    """Score and rank the open requirements (docs/scoring.md describes the result)."""
    prepared = prepare(requirements, settings=settings, today=today, model=model, impute=impute)
    return rank_prepared(prepared, weights=weights)
