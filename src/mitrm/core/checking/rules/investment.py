"""MIT408 large costs without a benefit that covers them; MIT409 big plans without a pilot."""

from __future__ import annotations

from mitrm.core.checking.rules.engine import Context, Finding
from mitrm.core.models import Item, Plan, Requirement
from mitrm.core.models.plan import PhaseKind
from mitrm.i18n import _


def check(item: Item, context: Context) -> list[Finding]:
    """Cost above the threshold with benefit missing or below cost; no pilot in a big plan."""
    rules = context.settings.rules
    currency = context.settings.currency
    if isinstance(item, Requirement) and context.open and item.estimate:
        cost, benefit = item.estimate.cost, item.estimate.benefit
        if cost is not None and cost > rules.investment_threshold:
            money = item.estimate.currency or currency
            if benefit is None:
                return [
                    Finding(
                        "MIT408",
                        ("estimate", "cost"),
                        _(
                            "cost {cost:,} {money} is above {limit:,} "
                            "and no expected benefit is given"
                        ).format(cost=cost, money=money, limit=rules.investment_threshold),
                    )
                ]
            if benefit < cost:
                return [
                    Finding(
                        "MIT408",
                        ("estimate", "benefit"),
                        _(
                            "expected benefit {benefit:,} {money} is below the cost {cost:,} "
                            "(ROI {roi:.2f} < 1)"
                        ).format(benefit=benefit, money=money, cost=cost, roi=benefit / cost),
                        _(
                            "raise the benefit with evidence, cut the cost, or record a waiver "
                            "with the strategic reason"
                        ),
                    )
                ]
    if isinstance(item, Plan) and context.open and item.budget:
        total = item.budget.total
        has_pilot = any(phase.kind is PhaseKind.PILOT for phase in item.phases)
        if total > rules.pilot_threshold and not has_pilot:
            return [
                Finding(
                    "MIT409",
                    ("phases",) if item.phases else ("budget", "total"),
                    _("budget {total:,} {money} is above {limit:,} and no phase is a pilot").format(
                        total=total,
                        money=item.budget.currency or currency,
                        limit=rules.pilot_threshold,
                    ),
                )
            ]
    return []
