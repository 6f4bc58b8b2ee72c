"""Choose what fits a budget (or capacity), and say what was left out and why.

The choice itself is exact (``mitrm.core.prioritization.solver``, a mixed-integer program
solved by HiGHS): the highest total score within every limit, taking each
requirement's open dependencies with it; work already under way stays chosen.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from mitrm.core.ids import id_key
from mitrm.core.models import Requirement, RequirementStatus
from mitrm.core.prioritization import solver
from mitrm.core.prioritization.graphs import closures
from mitrm.core.prioritization.ranking import DONE_STATUSES, DROPPED_STATUSES, Ranking
from mitrm.i18n import _

UNDER_WAY = frozenset({RequirementStatus.IN_PROGRESS, RequirementStatus.TESTING})
METHOD = "mixed-integer program, HiGHS"


@dataclass(frozen=True)
class Limit:
    """One resource to stay within: money (``budget``) or effort days (``capacity``)."""

    name: str
    amount: Decimal
    unit: str

    def cost_of(self, req: Requirement) -> Decimal | None:
        """The item's cost in this resource, or None when its estimate does not give it."""
        estimate = req.estimate
        if estimate is None:
            return None
        return estimate.cost if self.name == "budget" else estimate.effort_days

    @property
    def field(self) -> str:
        """The estimate field this resource reads."""
        return "estimate.cost" if self.name == "budget" else "estimate.effort_days"


@dataclass(frozen=True)
class Chosen:
    """An item in the chosen set, with its costs."""

    id: str
    title: str
    score: float
    costs: tuple[Decimal, ...]
    rank: int


@dataclass(frozen=True)
class LeftOut:
    """A scored item not chosen, and why."""

    id: str
    title: str
    score: float
    reason: str
    rank: int


@dataclass(frozen=True)
class Selection:
    """The chosen set, what was left out and why, and how much of each limit it uses."""

    limits: tuple[Limit, ...]
    chosen: tuple[Chosen, ...]
    left_out: tuple[LeftOut, ...]
    used: tuple[Decimal, ...]
    total_score: float
    greedy_score: float
    optimal: bool
    nodes: int
    method: str = METHOD
    status: str = "Optimal"
    """The solver's own word on the answer (HiGHS's model status)."""
    gap: float | None = 0.0
    """How much higher the best possible total could be, as a share of this one (0 if proven)."""
    bound: float = 0.0
    """The highest total any choice could reach, as far as the solver proved."""
    stopped_by: str | None = None
    """What stopped the solver before a proof (``the node limit``, ``the time limit``)."""
    notes: tuple[str, ...] = field(default_factory=tuple)


def _fmt(amount: Decimal) -> str:
    text = f"{amount:,.2f}"
    return text[:-3] if text.endswith(".00") else text


def select_within(
    ranking: Ranking,
    *,
    limits: Sequence[Limit],
    everything: Mapping[str, Requirement],
    currency: str,
    node_limit: int = solver.NODE_LIMIT,
    time_limit: float = solver.TIME_LIMIT,
) -> Selection:
    """The set of ranked items with the highest total score that fits every limit.

    ``everything`` maps every requirement id in the repo (open or not) to its
    model, to tell done dependencies from dropped, unscored or unknown ones.
    Ranked items already under way (``in_progress``, ``testing``) are committed:
    they stay chosen, with their open dependencies, and use up their share.
    """
    if not limits:
        raise ValueError("select_within needs at least one limit")
    entries = {entry.id: entry for entry in ranking.entries}
    unscored = {entry.id for entry in ranking.unscored}
    reasons: dict[str, str] = {}
    costs: dict[str, tuple[Decimal, ...]] = {}
    for entry in ranking.entries:
        req = entry.req
        if entry.score.tier_label == "wont":
            reasons[req.id] = _("MoSCoW 'wont': not to be done this time")
            continue
        found: list[Decimal] = []
        for limit in limits:
            cost = limit.cost_of(req)
            if cost is None:
                reasons[req.id] = _(
                    "no {field}, so it cannot be weighed against the {limit}"
                ).format(field=limit.field, limit=limit.name)
                break
            found.append(cost)
        else:
            currency_of = req.estimate.currency if req.estimate is not None else None
            if any(lim.name == "budget" for lim in limits) and currency_of not in (None, currency):
                reasons[req.id] = _("its cost is in {its}; the budget is in {budget}").format(
                    its=currency_of, budget=currency
                )
            else:
                costs[req.id] = tuple(found)
    # Dependencies: done ones are satisfied; anything else outside the candidates blocks.
    deps: dict[str, list[str]] = {}
    for entry in ranking.entries:
        if entry.id in reasons:
            continue
        needed = []
        for dep in entry.req.depends_on:
            other = everything.get(dep)
            if other is not None and other.status in DONE_STATUSES:
                continue
            if dep in entries:
                needed.append(dep)
                continue
            if other is not None and other.status in UNDER_WAY and dep not in unscored:
                # Filtered out while already being built: taken as paid for.
                continue
            if other is None:
                why = _("which does not exist (or its file is not valid)")
            elif other.status in DROPPED_STATUSES:
                why = _("which is {status}").format(status=other.status.value)
            elif dep in unscored:
                why = _("which is unscored")
            else:
                why = _("which is not in this selection (filtered out)")
            reasons[entry.id] = _("depends on {id}, {why}").format(id=dep, why=why)
            break
        deps[entry.id] = needed
    # Blocked dependencies block their dependents; ranking order puts dependencies first.
    for entry in ranking.entries:
        if entry.id in reasons:
            continue
        blocked = next((d for d in deps.get(entry.id, ()) if d in reasons), None)
        if blocked is not None:
            reasons[entry.id] = _("depends on {id}, which cannot be chosen").format(id=blocked)
    candidates = [e.id for e in ranking.entries if e.id not in reasons]
    closure = closures(candidates, deps)
    committed = [e.id for e in ranking.entries if e.id in closure and e.req.status in UNDER_WAY]
    forced = set(committed).union(*(closure[item] for item in committed))
    for item in candidates:
        if item in forced:
            continue
        need = [
            sum((costs[d][k] for d in closure[item] | {item}), Decimal(0))
            for k in range(len(limits))
        ]
        over = [k for k, limit in enumerate(limits) if need[k] > limit.amount]
        if over:
            k = over[0]
            extra = _(" with its dependencies") if closure[item] else ""
            reasons[item] = _(
                "costs {need} {unit}{extra}, more than the {limit} of {amount}"
            ).format(
                need=_fmt(need[k]),
                unit=limits[k].unit,
                extra=extra,
                limit=limits[k].name,
                amount=_fmt(limits[k].amount),
            )
    candidates = [item for item in candidates if item not in reasons]
    # Taking an item whose dependency was ruled out is impossible: rule those out too.
    changed = True
    while changed:
        changed = False
        for item in candidates:
            if item not in reasons and any(d in reasons for d in closure[item]):
                bad = min((d for d in closure[item] if d in reasons), key=id_key)
                reasons[item] = _("depends on {id}, which cannot be chosen").format(id=bad)
                changed = True
        candidates = [item for item in candidates if item not in reasons]
    values = {item: entries[item].score.value or 0.0 for item in candidates}
    caps = [limit.amount for limit in limits]
    notes: list[str] = []
    if committed:
        listed = ", ".join(committed)
        notes.append(
            _("already under way, so chosen whatever they cost: {ids}").format(ids=listed)
            if not forced - set(committed)
            else _(
                "already under way, so chosen whatever they cost: {ids} "
                "(with their open dependencies)"
            ).format(ids=listed)
        )
    forced_cost = [sum((costs[item][k] for item in forced), Decimal(0)) for k in range(len(limits))]
    overspent = [k for k, limit in enumerate(limits) if forced_cost[k] > limit.amount]
    if overspent:
        k = overspent[0]
        notes.append(
            _(
                "work already under way needs {amount} {unit}, more than the {limit} of "
                "{total}: nothing else fits"
            ).format(
                amount=_fmt(forced_cost[k]),
                unit=limits[k].unit,
                limit=limits[k].name,
                total=_fmt(limits[k].amount),
            )
        )
        chosen_ids: set[str] = set(forced)
        greedy = sum(values[item] for item in forced)
        # Nothing to choose: the solver is not run.
        result = solver.Solution(frozenset(forced), True, "Not run", 0.0, greedy, 0)
    else:
        greedy_ids = solver.greedy(candidates, values, costs, closure, caps, fixed=forced)
        greedy = sum(values[item] for item in greedy_ids)
        result = solver.solve(
            candidates,
            values,
            costs,
            deps,
            caps,
            fixed=forced,
            start=greedy_ids,
            node_limit=node_limit,
            time_limit=time_limit,
        )
        chosen_ids = set(result.chosen)
    used = tuple(
        sum((costs[item][k] for item in chosen_ids), Decimal(0)) for k in range(len(limits))
    )
    left_over = [max(limit.amount - used[k], Decimal(0)) for k, limit in enumerate(limits)]
    # The left-out item that the least extra room would let in: "a bit more would buy".
    nearest: tuple[float, float, tuple[str, int, str], list[Decimal], str] | None = None
    for item in candidates:
        if item in chosen_ids:
            continue
        need = [
            sum((costs[d][k] for d in (closure[item] | {item}) - chosen_ids), Decimal(0))
            for k in range(len(limits))
        ]
        short = [k for k in range(len(limits)) if need[k] > left_over[k]]
        if short:
            k = short[0]
            extra = _(" with its dependencies") if closure[item] - chosen_ids else ""
            reasons[item] = _(
                "needs {need} {unit}{extra}; {left} left after the chosen items"
            ).format(
                need=_fmt(need[k]),
                unit=limits[k].unit,
                extra=extra,
                left=_fmt(left_over[k]),
            )
            more = [max(need[k] - left_over[k], Decimal(0)) for k in range(len(limits))]
            share = sum(
                float(more[k] / limit.amount) if limit.amount else float("inf")
                for k, limit in enumerate(limits)
            )
            key = (share, -values[item], id_key(item), more, item)
            if nearest is None or key[:3] < nearest[:3]:
                nearest = key
        else:
            reasons[item] = _("adds nothing to the total score")
    if nearest is not None and not overspent:
        *_rest, more, item = nearest
        wanted = _(" and ").join(
            _("{amount} {unit} more {limit}").format(
                amount=_fmt(more[k]), unit=limit.unit, limit=limit.name
            )
            for k, limit in enumerate(limits)
            if more[k] > 0
        )
        notes.append(
            _("with {wanted}, {id} (score {score:g}) would fit beside the chosen items").format(
                wanted=wanted, id=item, score=values[item]
            )
        )
    chosen = tuple(
        Chosen(e.id, e.title, e.score.value or 0.0, costs[e.id], e.rank)
        for e in ranking.entries
        if e.id in chosen_ids
    )
    left = tuple(
        LeftOut(e.id, e.title, e.score.value or 0.0, reasons[e.id], e.rank)
        for e in ranking.entries
        if e.id not in chosen_ids
    )
    total = sum(values[item] for item in chosen_ids)
    return Selection(
        limits=tuple(limits),
        chosen=chosen,
        left_out=left,
        used=used,
        total_score=total,
        greedy_score=greedy,
        optimal=result.optimal,
        nodes=result.nodes,
        status=result.status,
        gap=result.gap,
        bound=result.bound,
        stopped_by=result.stopped_by,
        notes=tuple(notes),
    )
