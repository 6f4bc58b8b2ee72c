"""Rank open requirements: score order, deterministic ties, dependencies before dependents.

``rank_backlog`` is the pure entry point (the CLI and the portfolio report call
it): requirements in, a ``Ranking`` out. See docs/scoring.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mitrm.core.checking import default_open
from mitrm.core.ids import id_key
from mitrm.core.models import Kind, Requirement, RequirementStatus
from mitrm.core.models.settings import ScoringSettings
from mitrm.core.prioritization.graphs import find_cycle, order_by_dependencies
from mitrm.core.prioritization.scoring import Score, get_model, make_context
from mitrm.core.prioritization.scoring.registry import Gathered, combine, gather, impute_medians
from mitrm.core.prioritization.scoring.types import Context, Model
from mitrm.errors import DataError, UsageError
from mitrm.i18n import N_, _, language, translate

# What a dependency in these statuses means for selection: done ones are satisfied,
# dropped ones can never be. Which statuses are open comes from the workflow.
DONE_STATUSES = frozenset({RequirementStatus.RELEASED, RequirementStatus.CLOSED})
DROPPED_STATUSES = frozenset({RequirementStatus.REJECTED, RequirementStatus.CANCELLED})
DEFAULT_OPEN = default_open(Kind.REQUIREMENT)


def is_open(req: Requirement, open_statuses: frozenset[str] = DEFAULT_OPEN) -> bool:
    """Whether ``req`` is open: its status is among the workflow's open ones (workflow.open_of)."""
    return req.status.value in open_statuses


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
    moved_by_rule: str | None = None
    """The type whose "first" rule lifted it above higher scores (e.g. 'compliance')."""
    after_dependency: tuple[str, ...] = ()
    """Dependencies that scored lower but are placed before it."""
    pulled_for: tuple[str, int] | None = None
    """The item whose dependency moved this one up, and that item's rank by score."""
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
    open_statuses: frozenset[str] = DEFAULT_OPEN


def prepare(
    requirements: Iterable[Requirement],
    *,
    settings: ScoringSettings,
    today: dt.date,
    model: str | None = None,
    impute: str | None = None,
    open_elsewhere: Iterable[str] | None = None,
    open_statuses: frozenset[str] = DEFAULT_OPEN,
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
        if is_open(req, open_statuses) and req.id not in seen:
            seen.add(req.id)
            open_reqs.append(req)
    check_cycles(open_reqs)
    all_open = {req.id for req in open_reqs} | set(open_elsewhere or ())
    ctx = make_context(settings, model=chosen, today=today)
    gathered = gather(open_reqs, model=chosen, ctx=ctx)
    return Prepared(chosen, settings, today, gathered, impute, frozenset(all_open), open_statuses)


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
    lifted = _lifted_by_rule(scored)
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
        behind = tuple(d for d in after if natural_rank[d] > natural_rank[item])
        entries.append(
            RankedEntry(
                rank,
                natural_rank[item],
                req,
                score,
                moved,
                after,
                waiting,
                moved_by_rule=req.type.value if item in lifted else None,
                after_dependency=behind,
                pulled_for=(
                    (pulled_by[item], natural_rank[pulled_by[item]]) if item in pulled_by else None
                ),
            )
        )
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


def _lifted_by_rule(scored: Sequence[tuple[tuple[object, ...], Requirement, Score]]) -> set[str]:
    """Ids the security-and-compliance-first rule placed above an item that scored higher."""
    if not any(score.boosted for _, _, score in scored):
        return set()

    def without_rule(item: tuple[tuple[object, ...], Requirement, Score]) -> tuple[object, ...]:
        key, _, score = item
        tier = key[0]
        assert isinstance(tier, int)
        return (tier + 1 if score.boosted else tier, *key[1:])

    plain = {req.id: index for index, (_, req, _) in enumerate(sorted(scored, key=without_rule))}
    return {
        req.id
        for index, (_, req, score) in enumerate(scored)
        if score.boosted and plain[req.id] > index
    }


# The notes of a moved entry, in the interface language or a document's (the catalogs).
_NOTES = {
    "rule": N_("moved up: {type} first"),
    "pulled": N_("moved up from {natural} to {rank}: {id} (natural rank {other}) depends on it"),
    "after": N_("after {id} (dependency)"),
}


def note(entry: RankedEntry, *, lang: str | None = None) -> str:
    """Why an entry is not where its score alone puts it: the first rule or a dependency."""
    return note_text(why_facts(entry), lang=lang)


def why_facts(entry: RankedEntry) -> dict[str, Any]:
    """The facts behind ``note`` as plain data (the portfolio report words them itself)."""
    return {
        "rank": entry.rank,
        "natural_rank": entry.natural_rank,
        "moved_by_rule": entry.moved_by_rule,
        "pulled_for": list(entry.pulled_for) if entry.pulled_for else None,
        "after_dependency": list(entry.after_dependency),
    }


def note_text(
    facts: Mapping[str, Any], *, lang: str | None = None, types: Mapping[str, str] | None = None
) -> str:
    """The note of ``why_facts`` in ``lang`` (default: the interface's); ``types`` names types."""
    words = lang or language()
    text = {key: translate(words, message) for key, message in _NOTES.items()}
    parts = []
    rule = facts.get("moved_by_rule")
    if rule:
        parts.append(text["rule"].format(type=(types or {}).get(rule, rule)))
    if facts.get("pulled_for"):
        needer, other = facts["pulled_for"]
        parts.append(
            text["pulled"].format(
                natural=facts["natural_rank"], rank=facts["rank"], id=needer, other=other
            )
        )
    parts += [text["after"].format(id=dep) for dep in facts.get("after_dependency") or ()]
    return "; ".join(parts)


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
    open_statuses: frozenset[str] = DEFAULT_OPEN,
) -> Ranking:
    """Score and rank the open requirements (docs/scoring.md describes the result)."""
    prepared = prepare(
        requirements,
        settings=settings,
        today=today,
        model=model,
        impute=impute,
        open_statuses=open_statuses,
    )
    return rank_prepared(prepared, weights=weights)
