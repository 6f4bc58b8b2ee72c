"""Budget selection: exact 0/1 knapsack with dependencies, never worse than greedy."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from mitrm.core.models import Requirement
from mitrm.core.ranking import rank_backlog
from mitrm.core.selection import Limit, Selection, select_within
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
    for method in (None, "branch and bound"):
        result = choose(items, 100, method_hint=method)
        assert chosen(result) == ["REQ-0002", "REQ-0003"]
        assert result.total_score > result.greedy_score
        assert result.optimal
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


@st.composite
def instances(draw: st.DrawFn) -> tuple[list[Requirement], int]:
    count = draw(st.integers(1, 9))
    items = []
    for n in range(1, count + 1):
        deps = draw(st.lists(st.integers(1, n - 1), max_size=2, unique=True)) if n > 1 else []
        items.append(
            full(
                f"REQ-{n:04d}",
                value=draw(st.integers(1, 5)),
                risk_reduction=draw(st.integers(1, 5)),
                cost=draw(st.integers(0, 40)) * draw(st.sampled_from([1, 5, 1000])) / 2,
                effort_days=draw(st.integers(1, 30)),
                depends_on=[f"REQ-{d:04d}" for d in deps],
            )
        )
    return items, draw(st.integers(0, 60))


def brute_force(items: list[Requirement], limits: list[Limit]) -> float:
    ranking = rank_backlog(items, settings=settings(), today=TODAY)
    score = {e.id: e.score.value or 0.0 for e in ranking.entries}
    best = 0.0
    for size in range(len(items) + 1):
        for subset in itertools.combinations(items, size):
            ids = {item.id for item in subset}
            if any(d not in ids for item in subset for d in item.depends_on):
                continue
            if all(
                sum((lim.cost_of(i) or 0 for i in subset), Decimal(0)) <= lim.amount
                for lim in limits
            ):
                best = max(best, sum(score[i] for i in ids))
    return best


@hsettings(max_examples=120, deadline=None)
@given(instances(), st.sampled_from([None, "branch and bound"]), st.booleans())
def test_exact_against_brute_force(instance, method, two_limits) -> None:  # type: ignore[no-untyped-def]
    items, budget = instance
    limits = [Limit("budget", Decimal(budget * 250), "CNY")]
    if two_limits:
        limits.append(Limit("capacity", Decimal(budget), "days"))
    result = choose(items, 0, limits=limits, method_hint=method)
    assert result.optimal
    assert result.total_score == pytest.approx(brute_force(items, limits))
    assert result.total_score >= result.greedy_score - 1e-9
    ids = {c.id for c in result.chosen}
    for item in items:
        if item.id in ids:
            assert set(item.depends_on) <= ids
    for limit, used in zip(limits, result.used, strict=True):
        assert used <= limit.amount
    assert len(result.chosen) + len(result.left_out) == len(items)


def test_a_start_choice_holding_items_the_reduction_dropped_is_kept() -> None:
    # Found by the property test above: with a free item and one that costs the whole
    # budget, branch and bound started from a choice holding an item that the reduction
    # had already taken out of its list (a KeyError, before).
    items = [
        full("REQ-0001", value=1, risk_reduction=1, cost=500, effort_days=1),
        full("REQ-0002", value=1, risk_reduction=1, cost=0, effort_days=1),
    ]
    limits = [Limit("budget", Decimal(500), "CNY")]
    for method in (None, "branch and bound"):
        result = choose(items, 0, limits=limits, method_hint=method)
        assert result.optimal
        assert result.total_score == pytest.approx(brute_force(items, limits))


def test_unscored_dependency_blocks() -> None:
    items = [full("REQ-0001", cost=1, depends_on=["REQ-0002"]), req("REQ-0002", value=3)]
    result = choose(items, 100)
    assert result.left_out[0].reason == "depends on REQ-0002, which is unscored"


def test_a_search_cut_short_says_so_and_keeps_greedy() -> None:
    items = [full(f"REQ-{n:04d}", cost=10 + n, value=1 + n % 5) for n in range(1, 30)]
    result = choose(items, 100, method_hint="branch and bound", node_limit=3)
    assert not result.optimal
    assert result.total_score >= result.greedy_score


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


@hsettings(max_examples=80, deadline=None)
@given(instances())
def test_exact_through_the_coarse_pass_and_reduction(instance) -> None:  # type: ignore[no-untyped-def]
    # Tiny limits force the path large repos take: coarse DP, reduction, then DP or search.
    from unittest import mock

    from mitrm.core import knapsack

    items, budget = instance
    limits = [Limit("budget", Decimal(budget * 250), "CNY")]
    with (
        mock.patch.object(knapsack, "DP_WORK_LIMIT", 40),
        mock.patch.object(knapsack, "COARSE_WORK_LIMIT", 20),
    ):
        result = choose(items, 0, limits=limits)
    assert result.optimal
    assert result.total_score == pytest.approx(brute_force(items, limits))
    assert result.total_score >= result.greedy_score - 1e-9


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
