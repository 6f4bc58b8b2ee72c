"""Dependency graphs on graphlib: cycles named from their lowest id, order, closures."""

from __future__ import annotations

import itertools
import random
from graphlib import CycleError

from mitrm.core.ids import id_key
from mitrm.core.prioritization.graphs import closures, find_cycle, order_by_dependencies


def random_graph(seed: int) -> dict[str, list[str]]:
    rng = random.Random(seed)
    count = rng.randint(1, 12)
    # Ids whose text order differs from their number order (R7 < R63 < R14 as text).
    return {
        f"R{7 * n}": [f"R{7 * d}" for d in rng.sample(range(n), k=min(n, rng.randint(0, 3)))]
        for n in range(count)
    }


def test_a_cycle_reads_in_the_depends_on_direction_from_its_lowest_id() -> None:
    graph = {"REQ-0003": ["REQ-0010"], "REQ-0010": ["REQ-0002"], "REQ-0002": ["REQ-0003"]}
    assert find_cycle(graph) == ["REQ-0002", "REQ-0003", "REQ-0010", "REQ-0002"]
    # REQ-9 sorts before REQ-10 whatever the padding; edges to unknown ids do not count.
    assert find_cycle({"REQ-10": ["REQ-9"], "REQ-9": ["REQ-10", "REQ-77"]}) == [
        "REQ-9",
        "REQ-10",
        "REQ-9",
    ]
    assert find_cycle({"A": ["B"], "B": ["Z"]}) is None


def test_every_cycle_found_is_real_and_none_is_missed() -> None:
    for seed in range(400):
        graph = random_graph(seed)
        rng = random.Random(-seed)
        if len(graph) > 1 and rng.random() < 0.5:
            a, b = rng.sample(sorted(graph), 2)
            graph[a].append(b)
        cycle = find_cycle(graph)
        try:
            order_by_dependencies(sorted(graph), graph)
            acyclic = True
        except CycleError:
            acyclic = False
        assert (cycle is None) == acyclic, graph
        if cycle is not None:
            assert cycle[0] == cycle[-1] == min(cycle, key=id_key)
            for node, nxt in itertools.pairwise(cycle):
                assert nxt in graph[node]


def test_closures_are_every_dependency_transitively() -> None:
    for seed in range(300):
        graph = random_graph(seed)
        found = closures(graph, graph)
        for node in graph:
            expected: set[str] = set()
            todo = list(graph[node])
            while todo:
                dep = todo.pop()
                if dep not in expected:
                    expected.add(dep)
                    todo.extend(graph[dep])
            assert found[node] == expected


def test_dependencies_come_first_and_are_pulled_up_for_the_item_needing_them_soonest() -> None:
    # Ranked R, B, D2, D1, X: R needs D1 and D2, D2 needs X. X and D2 are pulled up for
    # R; B, needing nothing, waits until R is placed.
    natural = ["R", "B", "D2", "D1", "X"]
    deps = {"R": ["D1", "D2"], "D2": ["X"]}
    order, pulled_by = order_by_dependencies(natural, deps)
    assert order == ["D1", "X", "D2", "R", "B"]
    assert pulled_by == {"D2": "R", "D1": "R", "X": "R"}
    for seed in range(300):
        graph = random_graph(seed)
        rng = random.Random(seed)
        natural = sorted(graph)
        rng.shuffle(natural)
        order, pulled_by = order_by_dependencies(natural, graph)
        assert sorted(order) == sorted(natural)
        position = {item: index for index, item in enumerate(order)}
        for item, needs in graph.items():
            assert all(position[dep] < position[item] for dep in needs)
        assert order_by_dependencies(natural, graph) == (order, pulled_by)
