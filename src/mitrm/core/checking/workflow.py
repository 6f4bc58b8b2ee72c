"""Status workflows: allowed transitions and the fields each status requires."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from mitrm.core.diagnostics import Loc
from mitrm.core.models.common import Kind
from mitrm.core.models.settings import Settings
from mitrm.i18n import _, pgettext

# A status requires its own fields plus those of every status before it in this order.
_REQUIREMENT_STAGES: list[tuple[str, list[str]]] = [
    ("draft", ["title", "source", "description"]),
    ("submitted", ["type", "source.requester", "owners.business", "business_goal", "created"]),
    ("analysis", ["feasibility"]),
    (
        "approved",
        [
            "kpis",
            "kpis.*.baseline",
            "kpis.*.target",
            "acceptance_criteria",
            "owners.it",
            "estimate",
            "due",
        ],
    ),
    ("planned", []),
    ("in_progress", []),
    ("testing", []),
    ("released", []),
    ("closed", []),
]

_PLAN_STAGES: list[tuple[str, list[str]]] = [
    ("draft", ["title"]),
    ("proposed", ["owner", "requirements", "start", "end", "budget"]),
    ("approved", ["phases", "milestones", "risks"]),
    ("in_progress", []),
    ("completed", []),
]

_CHANGE_STAGES: list[tuple[str, list[str]]] = [
    ("draft", ["title", "targets", "reason"]),
    ("submitted", ["description", "proposed_change", "requested_by", "created"]),
    ("assessed", ["impact"]),
    ("approved", ["decision"]),
    ("implemented", []),
]

_SIDE_STATES: dict[Kind, dict[str, str]] = {
    # side state -> the stage whose requirements it shares
    Kind.REQUIREMENT: {"deferred": "submitted", "rejected": "draft", "cancelled": "draft"},
    Kind.PLAN: {"on_hold": "approved", "cancelled": "draft"},
    Kind.CHANGE: {"rejected": "assessed", "withdrawn": "draft"},
}

# Statuses at rest though a move remains: a released requirement can only be
# filed as closed, a rejected one only reworked into a new draft, and a deferred
# one is parked until someone takes it up again (quality rules and the ranking
# leave it alone until then).
_SETTLED: dict[Kind, frozenset[str]] = {
    Kind.REQUIREMENT: frozenset({"released", "rejected", "deferred"}),
    Kind.PLAN: frozenset(),
    Kind.CHANGE: frozenset(),
}

_TRANSITIONS: dict[Kind, dict[str, list[str]]] = {
    Kind.REQUIREMENT: {
        "draft": ["submitted", "cancelled"],
        "submitted": ["analysis", "draft", "rejected", "deferred", "cancelled"],
        "analysis": ["approved", "submitted", "rejected", "deferred", "cancelled"],
        "approved": ["planned", "in_progress", "deferred", "cancelled"],
        "planned": ["in_progress", "approved", "deferred", "cancelled"],
        "in_progress": ["testing", "planned", "cancelled"],
        "testing": ["released", "in_progress"],
        "released": ["closed"],
        "closed": [],
        "deferred": ["submitted", "analysis", "cancelled"],
        "rejected": ["draft"],
        "cancelled": [],
    },
    Kind.PLAN: {
        "draft": ["proposed", "cancelled"],
        "proposed": ["approved", "draft", "cancelled"],
        "approved": ["in_progress", "on_hold", "cancelled"],
        "in_progress": ["completed", "on_hold", "cancelled"],
        "on_hold": ["approved", "in_progress", "cancelled"],
        "completed": [],
        "cancelled": [],
    },
    Kind.CHANGE: {
        "draft": ["submitted", "withdrawn"],
        "submitted": ["assessed", "withdrawn"],
        "assessed": ["approved", "rejected", "withdrawn"],
        "approved": ["implemented"],
        "rejected": [],
        "implemented": [],
        "withdrawn": [],
    },
}

_STAGES = {
    Kind.REQUIREMENT: _REQUIREMENT_STAGES,
    Kind.PLAN: _PLAN_STAGES,
    Kind.CHANGE: _CHANGE_STAGES,
}


@dataclass(frozen=True)
class Workflow:
    """One kind's workflow after the settings' overrides are applied."""

    kind: Kind
    transitions: Mapping[str, list[str]]
    required: Mapping[str, list[str]]
    open: frozenset[str] = frozenset()
    """Statuses in which an item is open: it may still move on and is not at rest."""
    required_sets: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """``required`` as sets, for the quality rules that ask of every item."""

    def allowed(self, current: str, target: str) -> bool:
        """Whether ``current -> target`` is an allowed transition."""
        return target in self.transitions.get(current, [])

    def required_fields(self, status: str) -> list[str]:
        """The field paths an item in ``status`` must fill."""
        return self.required.get(status, [])

    def required_set(self, status: str) -> frozenset[str]:
        """``required_fields(status)`` as a set."""
        return self.required_sets.get(status, frozenset())


def _cumulative(kind: Kind, named: Mapping[str, list[str]] | None = None) -> dict[str, list[str]]:
    """Each status's required fields: its stage's own plus every earlier stage's.

    A status in ``named`` (the team's override) takes that list instead, and the
    statuses after it build on it, so what a status requires still grows with it.
    A side state (deferred, on hold...) shares the list of the stage it sits at.
    """
    named = named or {}
    required: dict[str, list[str]] = {}
    so_far: list[str] = []
    for status, fields in _STAGES[kind]:
        so_far = list(named[status]) if status in named else so_far + fields
        required[status] = so_far
    for side, like in _SIDE_STATES[kind].items():
        required[side] = list(named[side]) if side in named else required[like]
    return required


_MEMO: dict[tuple[int, Kind], tuple[Settings, Workflow]] = {}


def workflow_for(kind: Kind, settings: Settings) -> Workflow:
    """The workflow of ``kind``, with the overrides from ``mitrm.yaml`` (built once per run)."""
    # Called for every file on the validation path: build each workflow once per settings.
    memo = _MEMO.get((id(settings), kind))
    if memo is not None and memo[0] is settings:
        return memo[1]
    flow = _build(kind, settings)
    if len(_MEMO) > 32:  # many settings objects (tests, tools): keep the memo small
        _MEMO.clear()
    _MEMO[(id(settings), kind)] = (settings, flow)
    return flow


def _build(kind: Kind, settings: Settings) -> Workflow:
    transitions = dict(_TRANSITIONS[kind])
    override = getattr(settings.workflows, kind.value)
    required = _cumulative(kind, override.required if override is not None else None)
    if override is not None and override.transitions is not None:
        transitions = dict(override.transitions)
    return Workflow(
        kind=kind,
        transitions=transitions,
        required=required,
        open=open_of(kind, transitions),
        required_sets={status: frozenset(fields) for status, fields in required.items()},
    )


def open_of(kind: Kind, transitions: Mapping[str, list[str]]) -> frozenset[str]:
    """The open statuses of a transition table: the one definition every command uses.

    A status is open when the workflow lets an item move on from it (a final
    status is not) and the item is not at rest there (released, rejected, deferred).
    """
    return frozenset(s for s, moves in transitions.items() if moves and s not in _SETTLED[kind])


def default_open(kind: Kind) -> frozenset[str]:
    """The open statuses of the built-in workflow of ``kind``."""
    return open_of(kind, _TRANSITIONS[kind])


def override_problems(settings: Settings) -> list[tuple[Loc, str, bool]]:
    """Statuses in ``mitrm.yaml``'s workflow overrides that the kind does not have.

    Each as (field path, message, whether the path names a key): a misspelt
    status would otherwise silently allow nothing or require nothing.
    """
    import difflib

    problems: list[tuple[Loc, str, bool]] = []
    for kind in Kind:
        override = getattr(settings.workflows, kind.value)
        if override is None:
            continue
        base: Loc = ("workflows", kind.value)
        named: list[tuple[str, Loc, bool]] = []
        for status, targets in (override.transitions or {}).items():
            named.append((status, (*base, "transitions", status), True))
            named += [(t, (*base, "transitions", status, i), False) for i, t in enumerate(targets)]
        named += [(status, (*base, "required", status), True) for status in override.required or {}]
        known = statuses(kind)
        for status, loc, key in named:
            if status in known:
                continue
            close = difflib.get_close_matches(status, known, n=1, cutoff=0.6)
            hint = (
                _("did you mean '{value}'?").format(value=close[0])
                if close
                else _("statuses: {names}").format(names=", ".join(known))
            )
            where = ".".join(str(part) for part in loc)
            message = _("field '{field}': '{value}' is not a {kind} status ({hint})").format(
                field=where, value=status, kind=pgettext("kind", kind.label), hint=hint
            )
            problems.append((loc, message, key))
    return problems


def missing_fields(data: Mapping[str, Any], paths: list[str]) -> list[tuple[Loc, str]]:
    """Which of the dotted ``paths`` are absent or empty in raw item ``data``.

    ``*`` stands for every element of a list: ``kpis.*.target`` requires a target
    on each KPI. Returns the location of the gap and the path as written.
    """
    missing: list[tuple[Loc, str]] = []
    for path in paths:
        parts = _parts(path)
        if "*" not in parts:
            # The common case, without the generator machinery of _gaps.
            value: Any = data
            for depth, part in enumerate(parts):
                # dict first: raw item data is plain dicts, and the ABC check is slow.
                if not (isinstance(value, (dict, Mapping))) or _empty(value.get(part)):
                    missing.append((parts[: depth + 1], path))
                    break
                value = value[part]
            continue
        for gap in _gaps(data, list(parts), ()):
            missing.append((gap, path))
    return missing


@lru_cache(maxsize=256)
def _parts(path: str) -> tuple[str, ...]:
    return tuple(path.split("."))


def _empty(value: Any) -> bool:
    """Whether a value leaves its field unfilled: nothing, blank text, or only such values."""
    if value is None:
        return True
    if isinstance(value, str):
        # a field of spaces (full-width ones included) says nothing
        return not value or value.isspace()
    if isinstance(value, list):
        return all(_empty(element) for element in value)
    if isinstance(value, dict):
        return all(_empty(element) for element in value.values())
    return False


def _gaps(value: Any, parts: list[str], loc: Loc) -> Iterator[Loc]:
    if not parts:
        if _empty(value):
            yield loc
        return
    head, rest = parts[0], parts[1:]
    if head == "*":
        if isinstance(value, list):
            for index, element in enumerate(value):
                yield from _gaps(element, rest, (*loc, index))
        return
    if not isinstance(value, Mapping) or _empty(value.get(head)):
        yield (*loc, head)
        return
    yield from _gaps(value[head], rest, (*loc, head))


def statuses(kind: Kind) -> list[str]:
    """Every status of ``kind``, in workflow order."""
    return list(_TRANSITIONS[kind])


def describe() -> str:
    """Markdown for docs/workflow.md: every kind's statuses, transitions and required fields."""
    from mitrm.core.models.settings import Settings

    settings = Settings()
    lines = [
        "# Status workflows",
        "",
        "Generated from `mitrm.core.checking.workflow` (a test fails when it is stale). Each kind",
        "moves through its statuses along the allowed transitions; what a status requires",
        "grows with it. `mitrm validate` reports missing fields as MIT301, and `mitrm status`",
        "refuses a transition that is not allowed or whose target status is not yet met.",
        "",
        "Override either part in `mitrm.yaml`:",
        "",
        "```yaml",
        "workflows:",
        "  requirement:",
        "    transitions:          # replaces the whole table",
        "      draft: [submitted, cancelled]",
        "      submitted: [approved, draft]",
        "      approved: [released]",
        "    required:             # replaces the list of each status named;",
        "                          # the statuses after it build on that list",
        "      approved: [title, source, description, kpis, owners.it]",
        "```",
        "",
        "`kpis.*.target` means every KPI needs a target.",
        "",
        "An item is **open** in a status the workflow lets it move on from, unless it is",
        "at rest there: a released requirement is only filed as closed, a rejected one",
        "only reworked into a new draft, a deferred one is parked. This one definition,",
        "taken from the transitions (overrides included), decides what `mitrm prioritize`",
        "and the portfolio report rank and which items the quality rules check.",
    ]
    for kind in Kind:
        flow = workflow_for(kind, settings)
        lines += ["", f"## {kind.label.capitalize()}", ""]
        lines += ["| status | open | may move to | requires |", "| --- | --- | --- | --- |"]
        for status in statuses(kind):
            moves = ", ".join(flow.transitions.get(status, [])) or "(final)"
            needs = ", ".join(f"`{f}`" for f in flow.required_fields(status)) or "-"
            is_open = "yes" if status in flow.open else "no"
            lines.append(f"| {status} | {is_open} | {moves} | {needs} |")
    return "\n".join(lines) + "\n"
