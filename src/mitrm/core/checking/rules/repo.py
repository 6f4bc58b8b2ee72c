"""The repo-level quality rules, run on every validate over the per-file summaries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from mitrm.core.checking.rules import backlog, churn
from mitrm.core.checking.rules.engine import REQ_APPROVED, Finding, message
from mitrm.core.checking.rules.policy import policy_for
from mitrm.core.diagnostics import Diagnostic
from mitrm.core.models import Kind, Settings
from mitrm.core.record import Summary
from mitrm.i18n import _

_PLAN_COMMITTED = frozenset({"proposed", "approved", "in_progress", "on_hold"})


def due_today(summaries: Sequence[Summary], today: dt.date) -> list[Diagnostic]:
    """The dated diagnostics (rush, past due) that hold on ``today``."""
    return [
        Diagnostic(summary.path, code, message, severity, line, column, summary.id)
        for summary in summaries
        for since, until, code, message, severity, line, column in summary.pending
        if since <= today and (until is None or today <= until)
    ]


def _waived(summary: Summary, code: str, today: dt.date) -> bool:
    return any(
        rule == code and (until is None or today <= until) for rule, until in summary.waivers
    )


def unapproved_in_scope(summaries: Sequence[Summary]) -> list[tuple[Summary, Finding]]:
    """MIT417: proposed or approved plans holding requirements that are not approved."""
    status_of = {s.id: s.status for s in summaries if s.kind is Kind.REQUIREMENT and s.id}
    found = []
    for summary in summaries:
        if summary.kind is not Kind.PLAN or summary.status not in _PLAN_COMMITTED:
            continue
        for loc, ref in summary.refs:
            status = status_of.get(ref)
            if loc[0] == "requirements" and status is not None and status not in REQ_APPROVED:
                found.append(
                    (
                        summary,
                        Finding(
                            "MIT417",
                            loc,
                            _(
                                "'{id}' is in the scope of this {plan_status} plan "
                                "but is still '{status}'"
                            ).format(id=ref, plan_status=summary.status, status=status),
                        ),
                    )
                )
    return found


def check_repository(
    summaries: Sequence[Summary],
    *,
    settings: Settings,
    today: dt.date,
    churn_counts: Mapping[str, int] | None = None,
    scores: Mapping[str, float] | None = None,
) -> list[Diagnostic]:
    """MIT417-MIT419 plus the dated findings that hold today; selection and waivers applied."""
    policy = policy_for(settings)
    found = due_today(summaries, today) if policy.enabled else []
    on_items: list[tuple[Summary, Finding]] = []
    if policy.on("MIT417"):
        on_items += unapproved_in_scope(summaries)
    if policy.on("MIT419"):
        on_items += churn.check(summaries, settings, churn_counts)
    for summary, finding in on_items:
        if _waived(summary, finding.code, today):
            continue
        found.append(
            Diagnostic(
                summary.path,
                finding.code,
                message(finding),
                severity=policy.severity[finding.code],
                item=summary.id,
                loc=finding.loc,
            )
        )
    if policy.on("MIT418"):
        pile = backlog.check(summaries, settings, scores)
        if pile is not None:
            found.append(
                Diagnostic(
                    backlog.SETTINGS_PATH,
                    pile.code,
                    message(pile),
                    severity=policy.severity[pile.code],
                    line=1,
                    column=1,
                )
            )
    return found
