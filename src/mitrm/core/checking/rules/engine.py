"""Run the per-item quality rules and turn their findings into diagnostics."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from mitrm.core.checking.rules.policy import Policy, policy_for, waiver_window
from mitrm.core.checking.rules.registry import RULES, hint
from mitrm.core.checking.workflow import default_open, workflow_for
from mitrm.core.diagnostics import Diagnostic, Loc
from mitrm.core.models import Item, Kind, Settings
from mitrm.core.record import Pending, Record
from mitrm.i18n import _

REQ_NOT_STARTED = frozenset({"draft", "submitted", "analysis", "approved", "planned"})
REQ_BEFORE_APPROVAL = frozenset({"draft", "submitted", "analysis"})
REQ_APPROVED = frozenset({"approved", "planned", "in_progress", "testing", "released", "closed"})
PLAN_APPROVED = frozenset({"approved", "in_progress", "on_hold", "completed"})
PLAN_OPEN = default_open(Kind.PLAN)


@dataclass(slots=True)
class Finding:
    """What a rule found: code, field path, the problem and an optional hint (both translated)."""

    code: str
    loc: Loc
    problem: str
    hint: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None


@dataclass
class Context:
    """What the rules need besides the item: settings, policy and the workflow's demands."""

    settings: Settings
    policy: Policy
    status: str
    required: frozenset[str] = field(default_factory=frozenset)
    open: bool = True
    """Whether the item's status is open in its workflow (see workflow.open_of)."""

    def workflow_requires(self, path: str) -> bool:
        """Whether the item's status already requires ``path`` (MIT301 reports it)."""
        return path in self.required


ItemRule = Callable[[Item, Context], list[Finding]]


def message(finding: Finding) -> str:
    """The diagnostic text: the problem, then what to add or change (interface language)."""
    return _("{problem}; {hint}").format(
        problem=finding.problem, hint=finding.hint or hint(finding.code)
    )


def finalize(
    findings: list[Finding],
    *,
    path: str,
    item: Item,
    policy: Policy,
) -> tuple[list[Diagnostic], list[Pending]]:
    """Apply selection, waivers and severities; split dated findings off as pending."""
    now: list[Diagnostic] = []
    later: list[Pending] = []
    for finding in findings:
        if not policy.on(finding.code):
            continue
        since, until = finding.since, finding.until
        waived, waived_until = waiver_window(item.waivers, finding.code)
        if waived:
            if waived_until is None:
                continue
            since = max(since or dt.date.min, waived_until + dt.timedelta(days=1))
        if since is not None and until is not None and since > until:
            continue
        diagnostic = Diagnostic(
            path,
            finding.code,
            message(finding),
            severity=policy.severity[finding.code],
            item=item.id,
            loc=finding.loc,
        )
        if since is None and until is None:
            now.append(diagnostic)
        else:
            later.append((since or dt.date.min, until, diagnostic))
    return now, later


def _unknown_waivers(item: Item) -> list[Finding]:
    return [
        Finding(
            "MIT420",
            ("waivers", index, "rule"),
            _("waiver of '{code}', which is not a quality rule").format(code=waiver.rule),
        )
        for index, waiver in enumerate(item.waivers)
        if waiver.rule not in RULES
    ]


_RULES: list[ItemRule] = []


def item_rules() -> list[ItemRule]:
    """The per-item rules, in order (imported on first use to keep start-up light)."""
    if not _RULES:
        from mitrm.core.checking.rules import (
            investment,
            plan_risks,
            process,
            rush,
            smart,
            success_data,
            tests_needed,
            vague,
        )

        _RULES[:] = [
            vague.check,
            smart.check,
            success_data.check,
            rush.check,
            investment.check,
            process.check,
            tests_needed.check,
            plan_risks.check,
        ]
    return _RULES


def findings_for(item: Item, settings: Settings) -> list[Finding]:
    """Every finding of the per-item rules on ``item``, before selection and waivers."""
    policy = policy_for(settings)
    status = str(getattr(item, "status", "") and item.status.value)  # type: ignore[attr-defined]
    workflow = workflow_for(item.kind, settings)
    context = Context(
        settings=settings,
        policy=policy,
        status=status,
        required=workflow.required_set(status),
        open=status in workflow.open,
    )
    found: list[Finding] = []
    for rule in item_rules():
        found += rule(item, context)
    if item.waivers:
        found += _unknown_waivers(item)
    return found


def quality_checks(record: Record, item: Item, settings: Settings) -> list[Diagnostic]:
    """One item's quality diagnostics that hold now; dated ones go to ``record.pending``."""
    policy = policy_for(settings)
    if not policy.enabled:
        return []
    now, later = finalize(findings_for(item, settings), path=record.path, item=item, policy=policy)
    record.pending += later
    return now
