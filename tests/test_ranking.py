"""Ranking: only open items, deterministic ties, dependencies before dependents, cycles."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from mitrm.core.models import Requirement
from mitrm.core.prioritization.ranking import Ranking, find_cycle, rank_backlog
from mitrm.errors import DataError
from scoring_helpers import TODAY, full, req, settings


def rank(items: list[Requirement], **kwargs: Any) -> Ranking:
    return rank_backlog(items, settings=settings(), today=TODAY, **kwargs)


def test_only_open_requirements_are_ranked() -> None:
    items = [
        full(f"REQ-000{n}", status=status)
        for n, status in enumerate(
            ["draft", "released", "closed", "rejected", "cancelled", "deferred", "in_progress"],
            start=1,
        )
    ]
    ranking = rank(items)
    # Deferred is parked: the rules leave it alone, and so does the ranking.
    assert [e.id for e in ranking.entries] == ["REQ-0001", "REQ-0007"]


def test_ties_share_a_rank_and_break_by_due_effort_id() -> None:
    soon = TODAY + dt.timedelta(days=10)
    later = TODAY + dt.timedelta(days=100)
    items = [
        full("REQ-0004", due=later, effort_days=5),
        full("REQ-0003", due=later, effort_days=5),
        full("REQ-0002", due=later, effort_days=1),
        full("REQ-0001", due=soon, urgency=3),
        full("REQ-0005", value=5),
    ]
    ranking = rank(items)
    assert [(e.rank, e.id) for e in ranking.entries] == [
        (1, "REQ-0005"),
        (2, "REQ-0001"),
        (2, "REQ-0002"),
        (2, "REQ-0003"),
        (2, "REQ-0004"),
    ]


def test_a_dependency_is_pulled_up_and_says_why() -> None:
    items = [
        full("REQ-0001", value=5, depends_on=["REQ-0003"]),
        full("REQ-0002", value=4),
        full("REQ-0003", value=1),
    ]
    ranking = rank(items)
    assert [e.id for e in ranking.entries] == ["REQ-0003", "REQ-0001", "REQ-0002"]
    first = ranking.entries[0]
    assert first.moved_by_dependency == (
        "moved up from 3 to 1: REQ-0001 (natural rank 1) depends on it"
    )
    assert ranking.entries[1].after == ("REQ-0003",)


def test_security_outranks_a_higher_scored_feature() -> None:
    items = [full("REQ-0001", value=5), full("REQ-0002", value=1, type="security")]
    assert [e.id for e in rank(items).entries] == ["REQ-0002", "REQ-0001"]


def test_unscored_items_are_listed_apart() -> None:
    ranking = rank([full("REQ-0001"), req("REQ-0002", value=3)])
    assert [e.id for e in ranking.entries] == ["REQ-0001"]
    assert ranking.unscored[0].id == "REQ-0002"
    assert "estimate.cost" in ranking.unscored[0].missing


def test_a_cycle_is_an_error_naming_it() -> None:
    items = [
        full("REQ-0001", depends_on=["REQ-0002"]),
        full("REQ-0002", depends_on=["REQ-0003"]),
        full("REQ-0003", depends_on=["REQ-0001"]),
    ]
    with pytest.raises(DataError, match="REQ-0001 -> REQ-0002 -> REQ-0003 -> REQ-0001"):
        rank(items)


def test_find_cycle_on_plain_graphs() -> None:
    assert find_cycle({"A": ["B"], "B": []}) is None
    assert find_cycle({"A": ["A"]}) == ["A", "A"]


@st.composite
def backlogs(draw: st.DrawFn) -> list[Requirement]:
    count = draw(st.integers(1, 25))
    items = []
    for n in range(1, count + 1):
        deps = draw(st.lists(st.integers(1, n - 1), max_size=3, unique=True)) if n > 1 else []
        items.append(
            full(
                f"REQ-{n:04d}",
                value=draw(st.integers(1, 5)),
                urgency=draw(st.integers(1, 5)),
                type=draw(st.sampled_from(["feature", "security", "defect"])),
                status=draw(st.sampled_from(["draft", "approved", "released"])),
                depends_on=[f"REQ-{d:04d}" for d in deps],
            )
        )
    return items


@hsettings(max_examples=150, deadline=None)
@given(backlogs(), st.randoms())
def test_ranking_is_a_deterministic_permutation_respecting_dependencies(
    items: list[Requirement], shuffle: random.Random
) -> None:
    ranking = rank(items)
    ids = [e.id for e in ranking.entries]
    open_ids = {i.id for i in items if i.status.value != "released"}
    assert sorted(ids) == sorted(open_ids)
    position = {item: index for index, item in enumerate(ids)}
    for entry in ranking.entries:
        for dep in entry.req.depends_on:
            if dep in position:
                assert position[dep] < position[entry.id]
    ranks = [e.rank for e in ranking.entries]
    assert ranks == sorted(ranks) and ranks[:1] in ([], [1])
    mixed = list(items)
    shuffle.shuffle(mixed)
    again = rank(mixed)
    assert [(e.rank, e.id, e.score.value) for e in again.entries] == [
        (e.rank, e.id, e.score.value) for e in ranking.entries
    ]


def test_a_duplicated_id_is_ranked_once() -> None:
    ranking = rank([full("REQ-0001", value=5), full("REQ-0001", value=1)])
    assert [(e.id, e.score.value) for e in ranking.entries] == [("REQ-0001", 81.0)]
