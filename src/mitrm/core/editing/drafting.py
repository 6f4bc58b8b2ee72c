"""Drafting a new item: the questions to ask, checking answers, and the file to write.

Pure: the CLI asks the questions and writes the file; this module decides what
to ask, whether an answer is acceptable, and what the new file says.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from mitrm.core.editing.yamltext import list_lines, scalar_lines
from mitrm.core.models.change import ChangeReason
from mitrm.core.models.common import Kind
from mitrm.core.models.requirement import Channel, RequirementType
from mitrm.core.vocabulary import canonical, shown
from mitrm.i18n import N_, _


class Ask(str, Enum):
    """How an answer is read."""

    TEXT = "text"
    CHOICE = "choice"
    DATE = "date"
    IDS = "ids"


@dataclass(frozen=True)
class Question:
    """One thing ``mitrm new`` asks; ``name`` is also the value's key and the option's name."""

    name: str
    label: str
    ask: Ask = Ask.TEXT
    required: bool = False
    choices: tuple[str, ...] = ()
    help: str = ""
    group: str = ""  # the vocabulary of a choice (display names, Chinese answers)


def _choices(enum: type[Enum]) -> tuple[str, ...]:
    return tuple(str(member.value) for member in enum)


QUESTIONS: dict[Kind, tuple[Question, ...]] = {
    Kind.REQUIREMENT: (
        Question("title", N_("Title (a short name for the request)"), required=True),
        Question(
            "type",
            N_("Type"),
            Ask.CHOICE,
            True,
            _choices(RequirementType),
            group="requirement_type",
        ),
        Question(
            "channel",
            N_("Source channel (where the request came from)"),
            Ask.CHOICE,
            True,
            _choices(Channel),
            group="channel",
        ),
        Question("department", N_("Requesting department")),
        Question("requester", N_("Requester (who asked)")),
        Question(
            "description", N_("Description (what is needed, in business words)"), required=True
        ),
        Question("business_goal", N_("Business goal (which marketing goal it serves)")),
        Question("due", N_("Due date (YYYY-MM-DD, empty if none)"), Ask.DATE),
    ),
    Kind.PLAN: (
        Question("title", N_("Title"), required=True),
        Question("owner", N_("Owner (who runs the plan)")),
        Question("description", N_("Description")),
        Question("requirements", N_("Requirements in scope (ids, comma-separated)"), Ask.IDS),
        Question("start", N_("Start date (YYYY-MM-DD, empty if not known)"), Ask.DATE),
        Question("end", N_("End date (YYYY-MM-DD, empty if not known)"), Ask.DATE),
    ),
    Kind.CHANGE: (
        Question("title", N_("Title (the change in a few words)"), required=True),
        Question(
            "targets", N_("Targets (requirement or plan ids, comma-separated)"), Ask.IDS, True
        ),
        Question(
            "reason", N_("Reason"), Ask.CHOICE, True, _choices(ChangeReason), group="change_reason"
        ),
        Question("description", N_("Description (what happened, why change now)")),
        Question("proposed_change", N_("Proposed change")),
        Question("requested_by", N_("Requested by")),
    ),
}

# Answers taken from ``git config user.name`` when nothing else is given.
PERSON_FIELDS = frozenset({"requester", "owner", "requested_by"})


def question(kind: Kind, name: str) -> Question:
    """The question ``name`` of ``kind``."""
    return next(q for q in QUESTIONS[kind] if q.name == name)


def missing(kind: Kind, values: Mapping[str, Any]) -> list[Question]:
    """The required questions that ``values`` leaves unanswered."""
    return [q for q in QUESTIONS[kind] if q.required and values.get(q.name) in (None, "", [])]


_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")


def parse_date(text: str) -> dt.date:
    """A date from ``2026-03-31`` (also ``2026/3/31``); ValueError with a readable message."""
    match = _DATE.match(text.strip())
    if not match:
        raise ValueError(
            _("'{text}' is not a date; write it as YYYY-MM-DD, e.g. 2026-03-31").format(text=text)
        )
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise ValueError(
            _("'{text}' is not a real date (check the month and day)").format(text=text)
        ) from None


def parse_answer(
    q: Question,
    raw: str,
    *,
    known_ids: Collection[str] = (),
    today: dt.date | None = None,
    values: Mapping[str, Any] | None = None,
) -> Any:
    """Turn one answer into its value (None when left empty); ValueError says what is wrong."""
    text = raw.strip()
    if not text:
        if q.required:
            raise ValueError(_("{field} is required").format(field=q.name.replace("_", " ")))
        return None
    if q.ask is Ask.CHOICE:
        return _choice(q, text)
    if q.ask is Ask.DATE:
        value = parse_date(text)
        earlier = (values or {}).get("start")
        if q.name == "due" and today is not None and value < today:
            raise ValueError(
                _("{date} is in the past; a due date must be today or later").format(date=value)
            )
        if q.name == "end" and isinstance(earlier, dt.date) and value < earlier:
            raise ValueError(
                _("the end ({end}) must not be before the start ({start})").format(
                    end=value, start=earlier
                )
            )
        return value
    if q.ask is Ask.IDS:
        ids = [part.strip().upper() for part in re.split(r"[,\s]+", text) if part.strip()]
        unknown = [item for item in ids if item not in known_ids]
        if unknown:
            raise ValueError(_("no item has the id {ids}").format(ids=", ".join(unknown)))
        return list(dict.fromkeys(ids))
    return text


def _choice(q: Question, text: str) -> str:
    if text.isdigit() and 1 <= int(text) <= len(q.choices):
        return q.choices[int(text) - 1]
    lowered = text.lower()
    if lowered in q.choices:
        return lowered
    if q.group:
        named = canonical(q.group, text, q.choices)
        if named is not None:
            return named
    starts = [c for c in q.choices if c.startswith(lowered)]
    if len(starts) == 1:
        return starts[0]
    raise ValueError(
        _("'{text}' is not one of: {choices}").format(text=text, choices=_menu_words(q))
    )


def _menu_words(q: Question) -> str:
    return _(", ").join(_named(q, choice) for choice in q.choices)


def _named(q: Question, choice: str) -> str:
    """``feature``, or ``新功能 (feature)`` when the interface speaks another language."""
    name = shown(q.group, choice) if q.group else choice
    if name.casefold() == choice.casefold() or name.replace(" ", "_").casefold() == choice:
        return choice
    return _("{name} ({value})").format(name=name, value=choice)


def menu(q: Question) -> str:
    """The numbered list of choices shown before asking."""
    return "  ".join(f"{index}) {_named(q, choice)}" for index, choice in enumerate(q.choices, 1))


# --- the new file -------------------------------------------------------------------


def item_data(
    kind: Kind, item_id: str, values: Mapping[str, Any], *, created: dt.date
) -> dict[str, Any]:
    """The new item's fields in their natural order (unanswered ones left out)."""
    v = {key: value for key, value in values.items() if value not in (None, "", [])}
    data: dict[str, Any] = {"id": item_id, "title": v.get("title")}
    if kind is Kind.REQUIREMENT:
        data["type"] = v.get("type")
        data["status"] = "draft"
        source = {k: v[k] for k in ("channel", "department", "requester") if k in v}
        data["source"] = source
        data["created"] = created
        for key in ("due", "description", "business_goal", "tags"):
            if key in v:
                data[key] = v[key]
    elif kind is Kind.PLAN:
        data["status"] = "draft"
        for key in ("owner", "description", "requirements", "start", "end", "tags"):
            if key in v:
                data[key] = v[key]
    else:
        data["status"] = "draft"
        data["targets"] = v.get("targets", [])
        data["reason"] = v.get("reason")
        if "requested_by" in v:
            data["requested_by"] = v["requested_by"]
        data["created"] = created
        for key in ("description", "proposed_change", "tags"):
            if key in v:
                data[key] = v[key]
    return data


def render(kind: Kind, data: Mapping[str, Any], *, schema_ref: str, currency: str) -> str:
    """The new file's text: modeline, fields, then commented sections still to fill in."""
    lines = [f"# yaml-language-server: $schema={schema_ref}"]
    for key, value in data.items():
        if isinstance(value, Mapping):
            lines.append(f"{key}:")
            for sub, inner in value.items():
                lines += scalar_lines(sub, inner, 2)
        elif isinstance(value, list):
            lines += list_lines(key, [str(x) for x in value], 0)
        else:
            lines += scalar_lines(key, value, 0)
    todo = _(_TODO[kind]).format(id=data["id"], currency=currency)
    sections = [block for block in todo.split("\n\n") if not _present(block, data)]
    lines.append("")
    lines += _(_HEADER).format(kind=shown("kind", kind.value), id=data["id"]).splitlines()
    previous: list[str] = []
    for block in sections:
        current = block.splitlines()
        if not (len(current) == 1 and len(previous) == 1):
            lines.append("#")
        lines += current
        previous = current
    return "\n".join(lines) + "\n"


def _present(block: str, data: Mapping[str, Any]) -> bool:
    key = block.split(":", 1)[0].lstrip("# ").strip()
    return key in data


# TRANSLATORS: comments written into a new item file; keep the lines starting with '#'.
_HEADER = N_(
    """\
# --- Still to fill in as the {kind} matures -----------------------------
# Uncomment a section and complete it, or run: mitrm set {id} FIELD=VALUE
# ('mitrm validate' names what the next status needs)."""
)

_TODO = {
    # TRANSLATORS: commented sections of a new requirement file. Keep the field names, the
    # blank lines between sections and {currency}; translate comments and example values.
    Kind.REQUIREMENT: N_(
        """\
# owners:                   # needed to submit: the business owner; the IT owner before approval
#   business: ...
#   it: ...

# business_goal: ...        # the marketing goal this serves (needed to submit)

# kpis:                     # how success is measured (needed for approval)
#   - name: Mobile conversion rate
#     baseline: 1.8         # where it is today
#     target: 2.5           # where it should be
#     unit: "%"
#     measurement: web analytics, monthly average

# acceptance_criteria:      # testable statements both sides agree on (needed for approval)
#   - A returning customer pays in three taps or fewer

# feasibility:              # low, medium or high each (needed for analysis)
#   technical: high
#   economic: medium
#   operational: high

# estimate:                 # effort, cost and expected benefit (needed for approval)
#   effort_days: 40
#   cost: 120000            # in {currency} unless 'currency' is set here
#   benefit: 500000
#   benefit_period_months: 12

# scoring:                  # inputs to 'mitrm prioritize': 1 (low) to 5 (high)
#   value: 4
#   urgency: 3
#   difficulty: 2
#   risk_reduction: 1

# risks:
#   - description: The payment provider changes its API
#     likelihood: medium
#     impact: high
#     mitigation: contract tests against the provider's sandbox

# depends_on: [REQ-0001]    # requirements that must be delivered first

# compliance: [PII]         # GDPR, PII, PIPL...

# tags: [mobile]"""
    ),
    # TRANSLATORS: commented sections of a new plan file (same rules as a requirement's).
    Kind.PLAN: N_(
        """\
# owner: ...                # who runs the plan (needed to propose)

# requirements: [REQ-0001]  # requirements in scope (needed to propose)
# out_of_scope:
#   - Tablet layouts

# start: 2026-01-05         # needed to propose
# end: 2026-06-30

# phases:                   # pilot first, then roll-out (needed for approval)
#   - name: Pilot
#     kind: pilot
#     start: 2026-01-05
#     end: 2026-02-28
#     requirements: [REQ-0001]

# milestones:               # needed for approval
#   - name: Pilot live
#     date: 2026-02-01

# budget:                   # needed to propose; amounts in {currency}
#   total: 300000
#   lines:
#     - category: people    # hardware, software, network, people, services...
#       amount: 200000

# resources:
#   - kind: people
#     name: Mobile developers
#     quantity: 2

# risks:                    # with mitigations and owners (needed for approval)
#   - description: Data migration fails
#     likelihood: low
#     impact: high
#     mitigation: full backup and a tested restore
#     owner: IT operations

# support:
#   model: IT service desk, second level by the vendor
#   hours: business hours

# tco:                      # cost of ownership per year after go-live
#   - year: 1
#     cost: 50000"""
    ),
    # TRANSLATORS: commented sections of a new change request file (same rules).
    Kind.CHANGE: N_(
        """\
# description: ...          # what happened, why change now (needed to submit)

# proposed_change: ...      # what exactly changes (needed to submit)

# requested_by: ...         # needed to submit

# impact:                   # on cost, schedule and quality (needed for assessment)
#   cost: 20000             # in {currency} unless 'currency' is set here
#   schedule_days: 10
#   quality: more regression testing
#   risk: medium

# decision:                 # who decided, when, why (needed for approval)
#   outcome: approved       # approved, rejected or deferred
#   by: ...
#   date: 2026-01-31
#   rationale: ..."""
    ),
}
