"""Consistency of one plan: dates inside its span, budget lines within its total."""

from __future__ import annotations

from decimal import Decimal

from mitrm.core.diagnostics import Diagnostic
from mitrm.core.models import Item, Plan, Settings
from mitrm.core.record import Record
from mitrm.i18n import _


def plan_checks(record: Record, item: Item, settings: Settings) -> list[Diagnostic]:
    """Dates inside the plan's span and budget lines within the total."""
    if not isinstance(item, Plan):
        return []
    plan = item
    found: list[Diagnostic] = []

    def add(loc: tuple[str | int, ...], code: str, message: str) -> None:
        found.append(Diagnostic(record.path, code, message, item=plan.id, loc=loc))

    if plan.start and plan.end and plan.start > plan.end:
        add(
            ("end",),
            "MIT205",
            _("plan ends ({end}) before it starts ({start})").format(
                end=plan.end, start=plan.start
            ),
        )
    for index, phase in enumerate(plan.phases):
        if phase.start > phase.end:
            add(
                ("phases", index, "end"),
                "MIT205",
                _("phase '{name}' ends ({end}) before it starts ({start})").format(
                    name=phase.name, end=phase.end, start=phase.start
                ),
            )
        if plan.start and phase.start < plan.start:
            add(
                ("phases", index, "start"),
                "MIT205",
                _("phase '{name}' starts ({start}) before the plan ({plan_start})").format(
                    name=phase.name, start=phase.start, plan_start=plan.start
                ),
            )
        if plan.end and phase.end > plan.end:
            add(
                ("phases", index, "end"),
                "MIT205",
                _("phase '{name}' ends ({end}) after the plan ({plan_end})").format(
                    name=phase.name, end=phase.end, plan_end=plan.end
                ),
            )
    for index, milestone in enumerate(plan.milestones):
        outside = (plan.start and milestone.date < plan.start) or (
            plan.end and milestone.date > plan.end
        )
        if outside:
            add(
                ("milestones", index, "date"),
                "MIT205",
                _("milestone '{name}' ({date}) is outside the plan ({start} to {end})").format(
                    name=milestone.name, date=milestone.date, start=plan.start, end=plan.end
                ),
            )
    if plan.budget and plan.budget.lines:
        total = sum((line.amount for line in plan.budget.lines), Decimal(0))
        if total > plan.budget.total:
            add(
                ("budget", "total"),
                "MIT206",
                _("budget lines add up to {lines:,}, more than the total {total:,}").format(
                    lines=total, total=plan.budget.total
                ),
            )
    return found
