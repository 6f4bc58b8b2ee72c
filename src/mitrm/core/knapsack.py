"""Exact 0/1 knapsack with dependencies as constraints, on plain data (ids, values, costs).

Two exact methods. Dynamic programming over integer costs (scaled by their
greatest common divisor) when the dependency graph splits into small groups:
each group offers its dependency-closed subsets (only the Pareto-best ones), one
of which is taken (a multiple-choice knapsack). Otherwise branch and bound over
the items in ratio order: taking an item takes its open dependencies with it,
and the bound is the fractional knapsack over the undecided items (a
relaxation, so it never cuts off the optimum). Both start from the greedy
choice or beat it. A node limit keeps branch and bound bounded; if it is
reached, the result says the choice is the best found, not proven best.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Mapping, Sequence
from decimal import Decimal

from mitrm.core.ranking import id_key

NODE_LIMIT = 50_000
# The bound may scan this many items per allowed node, on average.
SCAN_PER_NODE = 20
# Dynamic programming is used while (options x capacity units) stays below this.
DP_WORK_LIMIT = 8_000_000
# The coarse pass (a starting point only) is held to fewer cells.
COARSE_WORK_LIMIT = 3_000_000
# A dependency group with more closed subsets than this goes to branch and bound.
IDEAL_LIMIT = 4096
# ... and so does a group whose enumeration takes more steps than this.
ENUMERATION_STEPS = 100_000
_EPS = 1e-9


def closures(items: Sequence[str], deps: Mapping[str, Sequence[str]]) -> dict[str, set[str]]:
    """Every item's open dependencies, transitively (the graph is acyclic)."""
    memo: dict[str, set[str]] = {}
    for root in items:
        stack = [root]
        while stack:
            node = stack[-1]
            if node in memo:
                stack.pop()
                continue
            pending = [d for d in deps.get(node, ()) if d not in memo]
            if pending:
                stack.extend(pending)
                continue
            found: set[str] = set()
            for dep in deps.get(node, ()):
                found.add(dep)
                found |= memo[dep]
            memo[node] = found
            stack.pop()
    return {item: memo[item] for item in items}


def _solve(
    items: Sequence[str],
    values: Mapping[str, float],
    costs: Mapping[str, tuple[Decimal, ...]],
    closure: Mapping[str, set[str]],
    caps: Sequence[Decimal],
    node_limit: int,
    start: set[str],
) -> tuple[set[str], float, int, bool]:
    """Branch and bound from the feasible set ``start``; (chosen, greedy, nodes, optimal)."""
    n = len(items)
    dims = len(caps)
    if n == 0:
        return set(), 0.0, 0, True
    cap = [float(c) for c in caps]
    # Normalised size: the share of each limit an item takes, summed over the limits.
    size = {
        item: sum(float(costs[item][k]) / cap[k] if cap[k] > 0 else 0.0 for k in range(dims))
        for item in items
    }

    def ratio_key(item: str) -> tuple[float, tuple[str, int, str]]:
        s = size[item]
        ratio = float("inf") if s == 0 else values[item] / s
        return (-ratio, id_key(item))

    order = sorted(items, key=ratio_key)
    index = {item: i for i, item in enumerate(order)}
    val = [values[item] for item in order]
    cost = [[float(costs[item][k]) for k in range(dims)] for item in order]
    clo = [sorted(index[d] for d in closure[item]) for item in order]
    # For each limit, the items by their own ratio (the fractional bound needs that order).

    def own_ratio(k: int) -> list[int]:
        def key(i: int) -> tuple[float, int]:
            return (-(val[i] / cost[i][k]) if cost[i][k] > 0 else -float("inf"), i)

        return sorted(range(n), key=key)

    by_limit = [own_ratio(k) for k in range(dims)]
    status = [0] * n  # 0 undecided, 1 in, 2 out
    used = [0.0] * dims
    current = 0.0

    def take(i: int) -> list[int] | None:
        """Take item i and its dependencies; None (and no change) if that is impossible."""
        new = [d for d in clo[i] if status[d] != 1] + [i]
        if any(status[d] == 2 for d in new):
            return None
        extra = [sum(cost[d][k] for d in new) for k in range(dims)]
        if any(used[k] + extra[k] > cap[k] + _EPS for k in range(dims)):
            return None
        nonlocal current
        for d in new:
            status[d] = 1
            current += val[d]
        for k in range(dims):
            used[k] += extra[k]
        return new

    def undo(taken: list[int]) -> None:
        nonlocal current
        for d in taken:
            status[d] = 0
            current -= val[d]
            for k in range(dims):
                used[k] -= cost[d][k]

    scanned = [0]

    def bound(start: int) -> float:
        best = float("inf")
        for k in range(dims):
            room = max(cap[k] - used[k], 0.0)
            extra = 0.0
            sequence = range(start, n) if k == 0 and dims == 1 else by_limit[k]
            for i in sequence:
                scanned[0] += 1
                if status[i] != 0:
                    continue
                c = cost[i][k]
                if c <= room:
                    room -= c
                    extra += val[i]
                else:
                    extra += val[i] * room / c
                    break
            best = min(best, extra)
        return current + best

    # Greedy: the first dive, taking every item (with dependencies) that still fits.
    greedy_taken: set[int] = set()
    for i in range(n):
        if status[i] == 0:
            taken = take(i)
            if taken is not None:
                greedy_taken.update(taken)
    greedy_value = current
    best_value = current
    best_set = set(greedy_taken)
    # ``start`` may hold items that a reduction left out of ``items``: keep it by id.
    start_value = sum(values[item] for item in start)
    from_start = start_value > best_value + _EPS
    if from_start:
        best_value = start_value
    for i in range(n):
        status[i] = 0
    used = [0.0] * dims
    current = 0.0

    nodes = 0
    # Each frame: (position, taken list or None when the item was excluded).
    path: list[tuple[int, list[int] | None]] = []
    pos = 0
    optimal = True
    while True:
        nodes += 1
        # Nodes or items scanned by the bound: either budget ends the search.
        if nodes > node_limit or scanned[0] > node_limit * SCAN_PER_NODE:
            optimal = False
            break
        while pos < n and status[pos] != 0:
            pos += 1
        if current > best_value + _EPS:
            best_value = current
            best_set = {i for i in range(n) if status[i] == 1}
            from_start = False
        descend = pos < n and bound(pos) > best_value + _EPS
        if descend:
            taken = take(pos)
            if taken is not None:
                path.append((pos, taken))
            else:
                status[pos] = 2
                path.append((pos, None))
            pos += 1
            continue
        # Backtrack to the last item taken and try leaving it out instead.
        while path:
            at, taken = path.pop()
            if taken is None:
                status[at] = 0
                continue
            undo(taken)
            status[at] = 2
            path.append((at, None))
            pos = at + 1
            break
        else:
            break
    chosen = set(start) if from_start else {order[i] for i in best_set}
    return chosen, greedy_value, nodes, optimal


def choose(
    items: list[str],
    values: Mapping[str, float],
    costs: Mapping[str, tuple[Decimal, ...]],
    deps: Mapping[str, Sequence[str]],
    closure: Mapping[str, set[str]],
    caps: Sequence[Decimal],
    incumbent: set[str],
    node_limit: int,
    method_hint: str | None,
) -> tuple[set[str], str, bool, int]:
    """Dynamic programming if it applies, else after a reduction, else branch and bound."""
    memo: dict[tuple[object, ...], list[Option] | None] = {}
    if method_hint != "branch and bound":
        exact = _solve_dp(items, values, costs, deps, caps, memo=memo)
        if exact is not None:
            return exact, "dynamic programming", True, 0
        # A large dependency group (or a large budget) blocks the exact DP: a coarse DP
        # without the large groups gives a good feasible choice, and with it the bound
        # rules out most items, often enough to break the large group up.
        partial = _solve_dp(items, values, costs, deps, caps, coarse=True, memo=memo)
        if partial is not None:
            # Rounding costs up leaves room: fill it greedily.
            partial = greedy(items, values, costs, closure, caps, start=partial)
            if _total(partial, values) > _total(incumbent, values):
                incumbent = partial
    kept = _reduce(items, values, costs, closure, caps, _total(incumbent, values))
    if method_hint != "branch and bound":
        exact = _solve_dp(kept, values, costs, deps, caps, memo=memo)
        if exact is not None:
            best = exact if _total(exact, values) > _total(incumbent, values) + _EPS else incumbent
            return best, "dynamic programming after reduction", True, 0
    chosen, _, nodes, optimal = _solve(
        kept, values, costs, {item: closure[item] for item in kept}, caps, node_limit, incumbent
    )
    return chosen, "branch and bound", optimal, nodes


def _total(chosen: set[str], values: Mapping[str, float]) -> float:
    return sum(values[item] for item in chosen)


def _reduce(
    items: Sequence[str],
    values: Mapping[str, float],
    costs: Mapping[str, tuple[Decimal, ...]],
    closure: Mapping[str, set[str]],
    caps: Sequence[Decimal],
    incumbent: float,
) -> list[str]:
    """Drop the items no choice better than ``incumbent`` can contain (and their dependents).

    Any choice holding item i holds its dependencies K; its score is at most
    score(K + i) plus the fractional knapsack over every item with the room left.
    """
    dims = len(caps)
    bounds = []
    for k in range(dims):

        def key(item: str, k: int = k) -> float:
            return -(values[item] / float(costs[item][k])) if costs[item][k] else -float("inf")

        ranked = sorted(items, key=key)
        weights = [0.0]
        totals = [0.0]
        for item in ranked:
            weights.append(weights[-1] + float(costs[item][k]))
            totals.append(totals[-1] + values[item])
        bounds.append((ranked, weights, totals))

    def fractional(k: int, room: float) -> float:
        ranked, weights, totals = bounds[k]
        if room <= 0:
            return 0.0
        # weights[at] <= room < weights[at + 1]: the first ``at`` items fit whole.
        at = bisect.bisect_right(weights, room) - 1
        if at >= len(ranked):
            return totals[-1]
        item = ranked[at]
        cost = float(costs[item][k])
        extra = values[item] * (room - weights[at]) / cost if cost else values[item]
        return totals[at] + extra

    dropped: set[str] = set()
    for item in sorted(items, key=lambda i: (len(closure[i]), id_key(i))):
        group = closure[item] | {item}
        if group & dropped:
            dropped.add(item)
            continue
        value = sum(values[d] for d in group)
        room = [float(caps[k]) - sum(float(costs[d][k]) for d in group) for k in range(dims)]
        if value + min(fractional(k, room[k]) for k in range(dims)) < incumbent - _EPS:
            dropped.add(item)
    return [item for item in items if item not in dropped]


def never_below_greedy(
    chosen: set[str],
    values: Mapping[str, float],
    greedy_total: float,
    items: Sequence[str],
    costs: Mapping[str, tuple[Decimal, ...]],
    closure: Mapping[str, set[str]],
    caps: Sequence[Decimal],
) -> set[str]:
    """The chosen set, or the greedy one should it (by float rounding) score higher."""
    total = sum(values[item] for item in chosen)
    if total + _EPS >= greedy_total:
        return chosen
    return greedy(items, values, costs, closure, caps)


def greedy(
    items: Sequence[str],
    values: Mapping[str, float],
    costs: Mapping[str, tuple[Decimal, ...]],
    closure: Mapping[str, set[str]],
    caps: Sequence[Decimal],
    *,
    start: set[str] | None = None,
) -> set[str]:
    """Greedy by score per cost, each item with its dependencies, while they fit.

    ``start`` is a feasible choice to add to (by default, nothing).
    """
    dims = len(caps)

    def key(item: str) -> tuple[float, tuple[str, int, str]]:
        size = sum(float(costs[item][k]) / float(caps[k]) if caps[k] else 0.0 for k in range(dims))
        return (-(values[item] / size) if size else -float("inf"), id_key(item))

    chosen: set[str] = set(start or ())
    used = [sum((costs[item][k] for item in chosen), Decimal(0)) for k in range(dims)]
    for item in sorted(items, key=key):
        new = (closure[item] | {item}) - chosen
        extra = [sum((costs[d][k] for d in new), Decimal(0)) for k in range(dims)]
        if all(used[k] + extra[k] <= caps[k] for k in range(dims)):
            chosen |= new
            used = [used[k] + extra[k] for k in range(dims)]
    return chosen


def greedy_choice(
    items: Sequence[str],
    values: Mapping[str, float],
    costs: Mapping[str, tuple[Decimal, ...]],
    deps: Mapping[str, Sequence[str]],
    caps: Sequence[Decimal],
) -> set[str]:
    """The greedy choice on plain data (tests compare the exact choice against it)."""
    return greedy(items, values, costs, closures(items, deps), caps)


def _scale(amounts: Sequence[Decimal]) -> tuple[list[int], int]:
    """Amounts as integers in their largest common unit; also that unit's divisor."""
    places = max((max(0, -int(a.as_tuple().exponent)) for a in amounts), default=0)
    factor = 10**places
    ints = [int(a * factor) for a in amounts]
    unit = 0
    for value in ints:
        unit = math.gcd(unit, value)
    unit = unit or 1
    return [value // unit for value in ints], unit


def _groups(items: Sequence[str], deps: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """The items split into groups linked by dependencies (weakly connected components)."""
    parent = {item: item for item in items}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for item in items:
        for dep in deps.get(item, ()):
            if dep in parent:
                a, b = find(item), find(dep)
                if a != b:
                    parent[max(a, b, key=id_key)] = min(a, b, key=id_key)
    groups: dict[str, list[str]] = {}
    for item in items:
        groups.setdefault(find(item), []).append(item)
    return [groups[key] for key in sorted(groups, key=id_key)]


Option = tuple[int, float, tuple[str, ...]]


def _closed_subsets(
    group: list[str],
    deps: Mapping[str, Sequence[str]],
    weight: Mapping[str, int],
    values: Mapping[str, float],
    capacity: int,
) -> list[Option] | None:
    """The Pareto-best dependency-closed subsets of ``group`` that fit; None if too many."""
    if len(group) > ENUMERATION_STEPS // IDEAL_LIMIT:
        return None
    members = set(group)
    order: list[str] = []
    seen: set[str] = set()
    for root in sorted(group, key=id_key):
        stack = [(root, False)]
        while stack:
            node, done = stack.pop()
            if done:
                if node not in seen:
                    seen.add(node)
                    order.append(node)
                continue
            if node in seen:
                continue
            stack.append((node, True))
            stack.extend((d, False) for d in deps.get(node, ()) if d in members and d not in seen)
    found: list[Option] = []
    chosen: set[str] = set()
    # Depth-first over the items in dependency order: each is in or out.
    work: list[tuple[int, int, float, bool]] = [(0, 0, 0.0, False)]
    trail: list[str] = []
    steps = 0
    while work:
        index, cost, value, undo = work.pop()
        steps += 1
        if steps > ENUMERATION_STEPS:
            return None
        if undo:
            chosen.discard(trail.pop())
            continue
        if index == len(order):
            if trail:
                found.append((cost, value, tuple(trail)))
                if len(found) > IDEAL_LIMIT:
                    return None
            continue
        item = order[index]
        work.append((index + 1, cost, value, False))
        needs = deps.get(item, ())
        if cost + weight[item] <= capacity and all(d in chosen for d in needs if d in members):
            chosen.add(item)
            trail.append(item)
            work.append((0, 0, 0.0, True))
            work.append((index + 1, cost + weight[item], value + values[item], False))
    found.sort(key=lambda option: (option[0], -option[1], len(option[2])))
    best: list[Option] = []
    for option in found:
        if not best or option[1] > best[-1][1] + _EPS:
            best.append(option)
    return best


def _solve_dp(
    items: Sequence[str],
    values: Mapping[str, float],
    costs: Mapping[str, tuple[Decimal, ...]],
    deps: Mapping[str, Sequence[str]],
    caps: Sequence[Decimal],
    *,
    coarse: bool = False,
    memo: dict[tuple[object, ...], list[Option] | None] | None = None,
) -> set[str] | None:
    """Exact multiple-choice knapsack by dynamic programming; None when it does not apply.

    ``coarse`` trades exactness for a bounded run: groups too large to enumerate
    are left out and costs are rounded up to a coarser unit, so the choice still
    fits (it serves as a good starting point, never as the answer).
    """
    if len(caps) != 1 or not items:
        return None if items else set()
    scaled, unit = _scale([*(costs[item][0] for item in items), caps[0]])
    capacity = scaled[-1]
    weight = dict(zip(items, scaled, strict=False))
    memo = {} if memo is None else memo
    options: list[list[Option]] = []
    count = 0
    for group in _groups(items, deps):
        if len(group) == 1:
            item = group[0]
            found: list[Option] | None = [(weight[item], values[item], (item,))]
        else:
            key = (tuple(group), unit, capacity)
            if key not in memo:
                memo[key] = _closed_subsets(group, deps, weight, values, capacity)
            found = memo[key]
        if found is None:
            if coarse:
                continue
            return None
        count += len(found)
        options.append(found)
    if count * (capacity + 1) > (COARSE_WORK_LIMIT if coarse else DP_WORK_LIMIT):
        if not coarse:
            return None
        # Round every cost up to a coarser unit: whatever fits then fits for real.
        factor = -(-count * (capacity + 1) // COARSE_WORK_LIMIT)
        capacity //= factor
        options = [[(-(-w // factor), v, m) for w, v, m in found] for found in options]
    # best[c]: the highest total score with a cost of at most c units.
    best = [0.0] * (capacity + 1)
    history: list[list[float]] = []
    for found in options:
        history.append(best)
        new = best
        for w, v, _members in found:
            if w > capacity:
                continue
            # map stops at the shorter input: best[c - w] + v for c = w .. capacity.
            new = new[:w] + list(map(max, new[w:], map(float(v).__add__, best)))
        best = new
    chosen: set[str] = set()
    room = capacity
    for found, before in zip(reversed(options), reversed(history), strict=True):
        after = best
        if after[room] != before[room]:
            for w, v, members in found:
                if w <= room and before[room - w] + v == after[room]:
                    chosen.update(members)
                    room -= w
                    break
        best = before
    return chosen
