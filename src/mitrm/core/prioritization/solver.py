"""The best set within limits: a 0/1 mixed-integer program solved by HiGHS (``highspy``).

Maximise the total score; one row per limit (the sum of the chosen items'
costs stays within it); one row per dependency (``x_item <= x_dependency``);
items already committed are fixed in. HiGHS proves the answer optimal, or,
when a work limit stops it first, reports how far from proven it is (the gap
between the answer and the best possible bound).
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from mitrm.core.ids import id_key
from mitrm.i18n import N_

if TYPE_CHECKING:
    import highspy

# Deterministic limit on the search (the same answer on every machine) ...
NODE_LIMIT = 20_000
# ... and a wall-clock safety net, should nodes be slow on a huge instance.
TIME_LIMIT = 20.0
# Presolve's probing and enumeration cost most of the time on the benchmark repo
# (10,000 items) and find nothing the root LP does not; the other rules stay on.
_PRESOLVE_RULES_OFF = (1 << 15) | (1 << 16)
_EPS = 1e-9
# HiGHS reports its node limit as a solution limit: say it in a user's words.
_STOPS = {
    "kSolutionLimit": N_("the node limit"),
    "kTimeLimit": N_("the time limit"),
    "kOptimal": N_("a check of its answer (rounding broke a limit or a dependency)"),
}


@dataclass(frozen=True)
class Solution:
    """The solver's choice and what it can say about it."""

    chosen: frozenset[str]
    optimal: bool
    status: str
    """HiGHS's model status: ``Optimal``, ``Time limit reached``, ``Solution limit reached``..."""
    gap: float | None
    """How much higher the best total could be, as a share of this total (HiGHS's MIP gap):
    0 when proven, None when no finite bound is known."""
    bound: float
    """The best total any choice could reach, as HiGHS proved it."""
    nodes: int
    stopped_by: str | None = None
    """What stopped the search before a proof (``the node limit``, ``the time limit``)."""


def solve(
    items: Sequence[str],
    values: Mapping[str, float],
    costs: Mapping[str, Sequence[Decimal]],
    deps: Mapping[str, Iterable[str]],
    caps: Sequence[Decimal],
    *,
    fixed: Iterable[str] = (),
    start: Iterable[str] = (),
    node_limit: int = NODE_LIMIT,
    time_limit: float = TIME_LIMIT,
) -> Solution:
    """Solve the selection exactly; ``start`` is a feasible choice to begin from.

    ``deps`` maps an item to the items it needs (only those in ``items``
    count); ``fixed`` items (with their dependencies) must be chosen and must
    fit. The result never scores below ``start``.
    """
    import highspy

    index = {item: i for i, item in enumerate(items)}
    n = len(items)
    starting = frozenset(start)
    start_total = sum(values[item] for item in starting)
    if n == 0:
        return Solution(frozenset(), True, "Optimal", 0.0, 0.0, 0)
    starts: list[int] = [0]
    columns: list[int] = []
    weights: list[float] = []
    uppers: list[float] = []
    for k, cap in enumerate(caps):
        scale = float(cap) if cap > 0 else 1.0
        for i, item in enumerate(items):
            cost = costs[item][k]
            if cost:
                # Each limit row reads as a share of its limit: well scaled for HiGHS.
                columns.append(i)
                weights.append(float(cost) / scale)
        starts.append(len(columns))
        uppers.append(1.0 if cap > 0 else 0.0)
    for item in items:
        for dep in sorted(deps.get(item, ()), key=id_key):
            if dep in index:
                columns += [index[item], index[dep]]
                weights += [1.0, -1.0]
                starts.append(len(columns))
                uppers.append(0.0)
    fixed_set = frozenset(fixed)
    lower = [0.0] * n
    for item in fixed_set:
        lower[index[item]] = 1.0
    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = len(uppers)
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.col_cost_ = [values[item] for item in items]
    lp.col_lower_ = lower
    lp.col_upper_ = [1.0] * n
    lp.row_lower_ = [-highspy.kHighsInf] * len(uppers)
    lp.row_upper_ = uppers
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_ = n
    lp.a_matrix_.num_row_ = len(uppers)
    lp.a_matrix_.start_ = starts
    lp.a_matrix_.index_ = columns
    lp.a_matrix_.value_ = weights
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n
    solver = _quiet_highs()
    for name, value in (
        ("output_flag", False),
        ("threads", 1),
        ("random_seed", 0),
        # Proven means proven: no relative slack, an absolute one far below any score.
        ("mip_rel_gap", 0.0),
        ("mip_abs_gap", 1e-6),
        ("mip_max_nodes", node_limit),
        ("time_limit", time_limit),
        ("presolve_rule_off", _PRESOLVE_RULES_OFF),
    ):
        solver.setOptionValue(name, value)
    solver.passModel(lp)
    if starting:
        solver.setSolution(n, list(range(n)), [1.0 if item in starting else 0.0 for item in items])
    solver.run()
    status = solver.getModelStatus()
    info = solver.getInfo()
    proven = status == highspy.HighsModelStatus.kOptimal
    chosen = starting
    if info.primal_solution_status:
        found = frozenset(
            item for item, x in zip(items, solver.getSolution().col_value, strict=True) if x > 0.5
        )
        # HiGHS works in floating point with tolerances: an answer that rounding made
        # break a limit or a dependency, or drop a fixed item, is not taken.
        if (
            _fits(found, costs, caps)
            and _closed(found, deps, index, fixed_set)
            and sum(values[item] for item in found) >= start_total - _EPS * max(1.0, start_total)
        ):
            chosen = found
        else:
            proven = False
    total = sum(values[item] for item in chosen)
    bound = total if proven else max(info.mip_dual_bound, total)
    gap: float | None = 0.0
    if not proven:
        if not math.isfinite(bound) or (total <= 0 < bound):
            gap = None
        elif total > 0:
            gap = (bound - total) / total
    return Solution(
        chosen=chosen,
        optimal=proven,
        status=solver.modelStatusToString(status),
        gap=gap,
        bound=bound,
        nodes=int(info.mip_node_count),
        stopped_by=None if proven else _STOPS.get(status.name, status.name),
    )


def _fits(
    chosen: Iterable[str], costs: Mapping[str, Sequence[Decimal]], caps: Sequence[Decimal]
) -> bool:
    picked = list(chosen)
    return all(
        sum((costs[item][k] for item in picked), Decimal(0)) <= cap for k, cap in enumerate(caps)
    )


def _closed(
    chosen: frozenset[str],
    deps: Mapping[str, Iterable[str]],
    index: Mapping[str, int],
    fixed: frozenset[str],
) -> bool:
    return fixed <= chosen and all(
        dep in chosen for item in chosen for dep in deps.get(item, ()) if dep in index
    )


def _quiet_highs() -> highspy.Highs:
    """A HiGHS instance, without the banner HiGHS prints on stdout when the first one is made.

    ``output_flag`` silences the solver only once it exists; the banner would
    break ``--format json`` output, so stdout's descriptor points at the null
    device for that moment.
    """
    import highspy

    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:
        return highspy.Highs()  # type: ignore[no-untyped-call]
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, 1)
            return highspy.Highs()  # type: ignore[no-untyped-call]
        finally:
            os.dup2(saved, 1)
            os.close(null)
    finally:
        os.close(saved)


def greedy(
    items: Sequence[str],
    values: Mapping[str, float],
    costs: Mapping[str, Sequence[Decimal]],
    closure: Mapping[str, set[str]],
    caps: Sequence[Decimal],
    *,
    fixed: Iterable[str] = (),
) -> set[str]:
    """Greedy by score per cost, each item with its dependencies, while they fit.

    The output shows its total beside the exact one; it is also the solver's
    starting point. ``fixed`` items come first (they must fit).
    """
    dims = len(caps)

    def key(item: str) -> tuple[float, tuple[str, int, str]]:
        size = sum(float(costs[item][k]) / float(caps[k]) if caps[k] else 0.0 for k in range(dims))
        return (-(values[item] / size) if size else -float("inf"), id_key(item))

    chosen: set[str] = set(fixed)
    used = [sum((costs[item][k] for item in chosen), Decimal(0)) for k in range(dims)]
    for item in sorted(items, key=key):
        new = (closure[item] | {item}) - chosen
        extra = [sum((costs[d][k] for d in new), Decimal(0)) for k in range(dims)]
        if all(used[k] + extra[k] <= caps[k] for k in range(dims)):
            chosen |= new
            used = [used[k] + extra[k] for k in range(dims)]
    return chosen
