"""Budget selection: a proven-optimal choice with dependencies (HiGHS), never worse than greedy."""

from __future__ import annotations

import itertools
import random
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from mitrm.core.models import Requirement
from mitrm.core.prioritization.ranking import rank_backlog
from mitrm.core.prioritization.selection import Limit, Selection, select_within
from scoring_helpers import TODAY, full, req, settings


def choose(items: list[Requirement], budget: float, **kwargs) -> Selection:  # type: ignore[no-untyped-def]
    ranking = rank_backlog(items, settings=settings(), today=TODAY)
    limits = kwargs.pop("limits", [Limit("budget", Decimal(str(budget)), "CNY")])
    return select_within(
        ranking,
        limits=limits,
        everything={item.id: item for item in kwargs.pop("everything", items)},
        currency="CNY",
        **kwargs,
    )


def chosen(selection: Selection) -> list[str]:
    return sorted(c.id for c in selection.chosen)


def test_beats_greedy_where_greedy_is_wrong() -> None:
    # Greedy by score per cost takes A (85 / 60) and then nothing fits; B + C (2 x 67) win.
    items = [
        full("REQ-0001", cost=60, value=5),
        full("REQ-0002", cost=50, value=2, benefit=150),
        full("REQ-0003", cost=50, value=2, benefit=150),
    ]
    result = choose(items, 100)
    assert chosen(result) == ["REQ-0002", "REQ-0003"]
    assert result.total_score > result.greedy_score
    assert result.optimal and result.status == "Optimal" and result.gap == 0
    assert result.used == (Decimal(100),)
    left = choose(items, 100).left_out[0]
    assert left.id == "REQ-0001"
    assert left.reason == "needs 60 CNY; 0 left after the chosen items"


def test_a_dependency_comes_with_its_dependent() -> None:
    items = [
        full("REQ-0001", cost=50, value=5, depends_on=["REQ-0002"]),
        full("REQ-0002", cost=40, value=1),
    ]
    assert chosen(choose(items, 90)) == ["REQ-0001", "REQ-0002"]
    result = choose(items, 60)
    assert chosen(result) == ["REQ-0002"]
    assert "with its dependencies, more than the budget of 60" in result.left_out[0].reason


def test_reasons_for_leaving_out() -> None:
    items = [
        full("REQ-0002", cost=10, currency="EUR"),
        full("REQ-0003", cost=10, depends_on=["REQ-0009"]),
        full("REQ-0004", cost=10, depends_on=["REQ-0003"]),
        full("REQ-0005", cost=10, depends_on=["REQ-0008"]),
        full("REQ-0006", cost=10, depends_on=["REQ-0007"]),
    ]
    everything = [
        *items,
        full("REQ-0007", status="released"),
        full("REQ-0008", status="rejected"),
    ]
    result = choose(items, 100, everything=everything)
    reasons = {o.id: o.reason for o in result.left_out}
    assert chosen(result) == ["REQ-0006"]
    assert reasons == {
        "REQ-0002": "its cost is in EUR; the budget is in CNY",
        "REQ-0003": "depends on REQ-0009, which does not exist (or its file is not valid)",
        "REQ-0004": "depends on REQ-0003, which cannot be chosen",
        "REQ-0005": "depends on REQ-0008, which is rejected",
    }


def test_capacity_reads_effort_days_and_limits_combine() -> None:
    items = [full("REQ-0001", cost=10, effort_days=30), full("REQ-0002", cost=80, effort_days=5)]
    days = Limit("capacity", Decimal(20), "days")
    assert chosen(choose(items, 0, limits=[days])) == ["REQ-0002"]
    unknown = choose([full("REQ-0003")], 0, limits=[days]).left_out[0]
    assert unknown.reason == "no estimate.effort_days, so it cannot be weighed against the capacity"
    money = Limit("budget", Decimal(50), "CNY")
    both = choose(items, 0, limits=[money, days])
    assert chosen(both) == [] and both.optimal


def random_instance(seed: int, *, under_way: bool = False) -> tuple[list[Requirement], int]:
    """A small random backlog where dependencies are common and the budget is tight.

    ``under_way`` makes some items ``in_progress`` (committed: they must be chosen).
    """
    rng = random.Random(seed)
    count = rng.randint(2, 8)
    items = []
    for n in range(1, count + 1):
        deps = rng.sample(range(1, n), k=min(n - 1, rng.choice([0, 1, 1, 2]))) if n > 1 else []
        items.append(
            full(
                f"REQ-{n:04d}",
                value=rng.randint(1, 5),
                risk_reduction=rng.randint(1, 5),
                cost=rng.randint(0, 40) * rng.choice([1, 5, 1000]) / 2,
                effort_days=rng.randint(1, 30),
                depends_on=[f"REQ-{d:04d}" for d in deps],
                status="in_progress" if under_way and rng.random() < 0.2 else "analysis",
            )
        )
    return items, rng.randint(0, 60)


def committed(items: list[Requirement]) -> set[str]:
    """Items under way and everything they need, transitively."""
    by_id = {item.id: item for item in items}
    todo = [item.id for item in items if item.status.value == "in_progress"]
    found: set[str] = set()
    while todo:
        item_id = todo.pop()
        if item_id not in found:
            found.add(item_id)
            todo.extend(by_id[item_id].depends_on)
    return found


def brute_force(items: list[Requirement], limits: list[Limit]) -> float:
    ranking = rank_backlog(items, settings=settings(), today=TODAY)
    score = {e.id: e.score.value or 0.0 for e in ranking.entries}
    forced = committed(items)
    if any(
        sum((lim.cost_of(i) or 0 for i in items if i.id in forced), Decimal(0)) > lim.amount
        for lim in limits
    ):
        return sum(score[i] for i in forced)
    best = 0.0
    for size in range(len(items) + 1):
        for subset in itertools.combinations(items, size):
            ids = {item.id for item in subset}
            if not forced <= ids or any(d not in ids for item in subset for d in item.depends_on):
                continue
            if all(
                sum((lim.cost_of(i) or 0 for i in subset), Decimal(0)) <= lim.amount
                for lim in limits
            ):
                best = max(best, sum(score[i] for i in ids))
    return best


def check_against_brute_force(items: list[Requirement], limits: list[Limit]) -> None:
    result = choose(items, 0, limits=limits)
    assert result.optimal
    assert result.total_score == pytest.approx(brute_force(items, limits))
    assert result.total_score >= result.greedy_score - 1e-9
    ids = {c.id for c in result.chosen}
    forced = committed(items)
    assert forced <= ids
    for item in items:
        if item.id in ids:
            assert set(item.depends_on) <= ids
    overspent = any(used > limit.amount for limit, used in zip(limits, result.used, strict=True))
    assert not overspent or ids == forced
    assert len(result.chosen) + len(result.left_out) == len(items)


@pytest.mark.parametrize("two_limits", [False, True], ids=["budget", "budget+capacity"])
def test_exact_against_brute_force_on_many_small_backlogs(two_limits: bool) -> None:
    # Fixed seeds, so every run checks the same 300 backlogs: a solver that ignored
    # dependencies or a limit fails here every time, not by luck.
    for seed in range(300):
        items, budget = random_instance(seed)
        limits = [Limit("budget", Decimal(budget * 250), "CNY")]
        if two_limits:
            limits.append(Limit("capacity", Decimal(budget), "days"))
        check_against_brute_force(items, limits)


@pytest.mark.parametrize("two_limits", [False, True], ids=["budget", "budget+capacity"])
def test_exact_with_work_under_way_against_brute_force(two_limits: bool) -> None:
    for seed in range(300):
        items, budget = random_instance(seed, under_way=True)
        limits = [Limit("budget", Decimal(budget * 250), "CNY")]
        if two_limits:
            limits.append(Limit("capacity", Decimal(budget), "days"))
        check_against_brute_force(items, limits)


@hsettings(max_examples=60, deadline=None)
@given(st.integers(0, 10**9), st.booleans())
def test_exact_against_brute_force_property(seed: int, two_limits: bool) -> None:
    items, budget = random_instance(seed)
    limits = [Limit("budget", Decimal(budget * 250), "CNY")]
    if two_limits:
        limits.append(Limit("capacity", Decimal(budget), "days"))
    check_against_brute_force(items, limits)


def test_dependencies_decide_the_optimum() -> None:
    # B and C score highest, but B needs A: with 1,000 the best is A + B, never B + C.
    a = full("REQ-0001", cost=500, value=1, risk_reduction=1)
    b = full("REQ-0002", cost=500, value=5, depends_on=["REQ-0001"])
    c = full("REQ-0003", cost=500, value=4)
    result = choose([a, b, c], 1000)
    assert chosen(result) == ["REQ-0001", "REQ-0002"]
    assert result.optimal
    left = {o.id: o.reason for o in result.left_out}
    assert left == {"REQ-0003": "needs 500 CNY; 0 left after the chosen items"}
    # Without room for A, B cannot come at all: C alone.
    assert chosen(choose([a, b, c], 999)) == ["REQ-0003"]


def test_a_chain_of_dependencies_is_taken_whole_or_not_at_all() -> None:
    # D (81) needs C needs B needs A (29 each): the chain costs 400. With 300 the best
    # is E + F (65 each), not D with part of its chain; with 400 the whole chain wins.
    low = {"value": 1, "risk_reduction": 1, "urgency": 1, "benefit": 10, "cost": 100}
    items = [
        full("REQ-0001", **low),
        full("REQ-0002", **low, depends_on=["REQ-0001"]),
        full("REQ-0003", **low, depends_on=["REQ-0002"]),
        full("REQ-0004", cost=100, value=5, risk_reduction=5, depends_on=["REQ-0003"]),
        full("REQ-0005", cost=150, value=3),
        full("REQ-0006", cost=150, value=3),
    ]
    assert chosen(choose(items, 300)) == ["REQ-0005", "REQ-0006"]
    assert chosen(choose(items, 400)) == ["REQ-0001", "REQ-0002", "REQ-0003", "REQ-0004"]


def test_unscored_dependency_blocks() -> None:
    items = [full("REQ-0001", cost=1, depends_on=["REQ-0002"]), req("REQ-0002", value=3)]
    result = choose(items, 100)
    assert result.left_out[0].reason == "depends on REQ-0002, which is unscored"


def test_a_search_cut_short_says_so_keeps_the_best_found_and_gives_the_gap() -> None:
    # A strongly correlated knapsack (score close to cost) that HiGHS cannot close at
    # the root: stopped after one node, the answer is the best found so far (at least
    # the start), and the gap to the proven bound is given.
    from mitrm.core.prioritization import solver

    rng = random.Random(5)
    items = [f"REQ-{n:04d}" for n in range(1, 61)]
    costs = {item: (Decimal(rng.randint(1000, 2000)),) for item in items}
    values = {item: float(costs[item][0]) + 100 + rng.random() for item in items}
    caps = [Decimal(sum(cost[0] for cost in costs.values()) // 2)]
    start = solver.greedy(items, values, costs, {item: set() for item in items}, caps)
    cut = solver.solve(items, values, costs, {}, caps, start=start, node_limit=1)
    assert not cut.optimal
    assert cut.stopped_by == "the node limit" and cut.nodes == 1
    total = sum(values[item] for item in cut.chosen)
    assert total >= sum(values[item] for item in start)
    assert cut.gap is not None and cut.gap > 0
    assert cut.bound == pytest.approx(total * (1 + cut.gap))
    proven = solver.solve(items, values, costs, {}, caps, start=start)
    assert proven.optimal and proven.gap == 0 and proven.stopped_by is None
    best = sum(values[item] for item in proven.chosen)
    assert total <= best <= cut.bound + 1e-6


def test_a_time_limit_before_any_answer_keeps_greedy() -> None:
    items = [full(f"REQ-{n:04d}", cost=10 + n, value=1 + n % 5) for n in range(1, 30)]
    result = choose(items, 100, time_limit=0.0)
    assert not result.optimal
    assert result.stopped_by == "the time limit"
    assert result.total_score == result.greedy_score


@pytest.mark.parametrize("check", ["_fits", "_closed"])
def test_an_answer_that_rounding_made_wrong_is_not_taken(check: str) -> None:
    from unittest import mock

    from mitrm.core.prioritization import solver

    items = [full("REQ-0001", cost=60, value=5), full("REQ-0002", cost=50, value=2)]
    with mock.patch.object(solver, check, return_value=False):
        result = choose(items, 100)
    assert not result.optimal
    assert result.stopped_by == "a check of its answer (rounding broke a limit or a dependency)"
    # Greedy's choice: REQ-0002 has the better score per cost, then REQ-0001 does not fit.
    assert chosen(result) == ["REQ-0002"]
    assert result.total_score == result.greedy_score


def test_moscow_wont_is_never_chosen() -> None:
    items = [full("REQ-0001", cost=1, moscow="wont"), full("REQ-0002", cost=1, moscow="could")]
    ranking = rank_backlog(items, settings=settings(), today=TODAY, model="moscow")
    result = select_within(
        ranking,
        limits=[Limit("budget", Decimal(10), "CNY")],
        everything={item.id: item for item in items},
        currency="CNY",
    )
    assert chosen(result) == ["REQ-0002"]
    assert result.left_out[0].reason == "MoSCoW 'wont': not to be done this time"


def test_a_filtered_out_dependency_under_way_is_taken_as_paid_for() -> None:
    building = full("REQ-0001", status="in_progress", cost=50)
    waiting = full("REQ-0002", status="approved", cost=50)
    items = [
        full("REQ-0003", cost=10, depends_on=["REQ-0001"]),
        full("REQ-0004", cost=10, depends_on=["REQ-0002"]),
    ]
    result = choose(items, 100, everything=[*items, building, waiting])
    assert chosen(result) == ["REQ-0003"]
    assert result.left_out[0].reason == (
        "depends on REQ-0002, which is not in this selection (filtered out)"
    )


def test_work_under_way_stays_chosen_with_its_dependencies() -> None:
    # REQ-0002 is being built: it stays in, and so does REQ-0001 it needs, though
    # REQ-0003 alone would score more (81) than both together (29 + 29).
    low = {"value": 1, "risk_reduction": 1, "urgency": 1, "benefit": 10, "cost": 40}
    items = [
        full("REQ-0001", **low),
        full("REQ-0002", **low, status="in_progress", depends_on=["REQ-0001"]),
        full("REQ-0003", cost=80, value=5),
    ]
    assert chosen(choose([*items[:1], full("REQ-0002", **low), items[2]], 100)) == ["REQ-0003"]
    result = choose(items, 100)
    assert chosen(result) == ["REQ-0001", "REQ-0002"]
    assert result.optimal
    assert result.notes[0] == (
        "already under way, so chosen whatever they cost: REQ-0002 (with their open dependencies)"
    )
    assert {o.id: o.reason for o in result.left_out} == {
        "REQ-0003": "needs 80 CNY; 20 left after the chosen items"
    }


def test_work_under_way_beyond_the_budget_is_said_and_nothing_else_fits() -> None:
    items = [full("REQ-0001", status="testing", cost=150), full("REQ-0002", cost=10)]
    result = choose(items, 100)
    assert chosen(result) == ["REQ-0001"]
    assert result.used == (Decimal(150),)
    assert (
        "work already under way needs 150 CNY, more than the budget of 100: nothing else fits"
        in result.notes
    )
    assert result.left_out[0].reason == "needs 10 CNY; 0 left after the chosen items"
    assert result.status == "Not run"


def test_says_what_a_bit_more_would_buy() -> None:
    items = [
        full("REQ-0001", cost=70),
        full("REQ-0002", cost=50, value=2),
        full("REQ-0003", cost=90, value=3),
    ]
    result = choose(items, 100)
    assert chosen(result) == ["REQ-0001"]
    assert result.notes == (
        "with 20 CNY more budget, REQ-0002 (score 71) would fit beside the chosen items",
    )


def test_nothing_that_fits_leaves_the_solver_nothing_to_do() -> None:
    items = [full("REQ-0001", cost=10), full("REQ-0002", cost=20, depends_on=["REQ-0001"])]
    result = choose(items, 5)
    assert chosen(result) == [] and result.optimal and result.total_score == 0
    assert [o.reason for o in result.left_out] == [
        "costs 10 CNY, more than the budget of 5",
        "costs 30 CNY with its dependencies, more than the budget of 5",
    ]
    assert result.notes == ()
