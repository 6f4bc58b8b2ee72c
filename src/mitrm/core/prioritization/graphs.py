"""Dependency graphs on plain ids: cycles, dependency order and closures (stdlib ``graphlib``).

A graph maps an id to the ids it depends on. Every answer is deterministic:
nodes are given to ``graphlib`` in id order, and ties are broken by id or by rank.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping, Sequence
from graphlib import CycleError, TopologicalSorter

from mitrm.core.ids import id_key


def _sorter(graph: Mapping[str, Iterable[str]], nodes: Iterable[str]) -> TopologicalSorter[str]:
    sorter: TopologicalSorter[str] = TopologicalSorter()
    for node in sorted(nodes, key=id_key):
        sorter.add(node, *sorted(graph.get(node, ()), key=id_key))
    return sorter


def find_cycle(graph: Mapping[str, Sequence[str]]) -> list[str] | None:
    """A dependency cycle in ``graph`` (closed on its lowest id), or None.

    Only edges between nodes of ``graph`` count. The cycle reads in the
    depends-on direction: ``A -> B`` means A depends on B.
    """
    known = {node: [dep for dep in deps if dep in graph] for node, deps in graph.items()}
    try:
        _sorter(known, known).prepare()
    except CycleError as error:
        # graphlib lists each node before the one that depends on it: turn it around.
        found: list[str] = list(reversed(error.args[1][:-1]))
        start = found.index(min(found, key=id_key))
        ring = found[start:] + found[:start]
        return [*ring, ring[0]]
    return None


def closures(items: Iterable[str], deps: Mapping[str, Sequence[str]]) -> dict[str, set[str]]:
    """Every item's dependencies, transitively (``deps`` must be acyclic where it is reached)."""
    wanted = list(items)
    reached: set[str] = set()
    stack = list(wanted)
    while stack:
        node = stack.pop()
        if node not in reached:
            reached.add(node)
            stack.extend(deps.get(node, ()))
    found: dict[str, set[str]] = {}
    # Dependencies come out first, so each node's closure builds on finished ones.
    for node in _sorter(deps, reached).static_order():
        mine: set[str] = set()
        for dep in deps.get(node, ()):
            mine.add(dep)
            mine |= found[dep]
        found[node] = mine
    return {item: found[item] for item in wanted}


def order_by_dependencies(
    natural: Sequence[str], deps: Mapping[str, Sequence[str]]
) -> tuple[list[str], dict[str, str]]:
    """Place each item after what it depends on, pulling dependencies up to just before it.

    A dependency moves up to the rank of the highest-ranked item that needs it
    (directly or through others); among items ready to be placed, the one
    needed soonest comes first, then the one ranked higher. Returns the order
    and, for each item moved up, the id of the item that needed it. ``deps``
    must be acyclic among ``natural``.
    """
    position = {item: index for index, item in enumerate(natural)}
    inside = {item: [d for d in deps.get(item, ()) if d in position] for item in natural}
    # The soonest any item that (transitively) needs it is ranked: dependents first.
    needed = dict(position)
    for item in reversed(list(_sorter(inside, natural).static_order())):
        for dep in inside[item]:
            needed[dep] = min(needed[dep], needed[item])
    sorter = _sorter(inside, natural)
    sorter.prepare()
    ready: list[tuple[int, int, str]] = []
    order: list[str] = []
    while sorter.is_active():
        for item in sorter.get_ready():
            heapq.heappush(ready, (needed[item], position[item], item))
        _, _, item = heapq.heappop(ready)
        order.append(item)
        sorter.done(item)
    pulled_by = {item: natural[needed[item]] for item in natural if needed[item] < position[item]}
    return order, pulled_by
