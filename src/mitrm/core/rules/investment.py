"""MIT408 large costs without a benefit that covers them; MIT409 big plans without a pilot."""

from __future__ import annotations

from mitrm.core.models import Item, Plan, Requirement
from mitrm.core.models.plan import PhaseKind
from mitrm.core.rules.engine import Context, Finding


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
                        f"cost {cost:,} {money} is above {rules.investment_threshold:,} "
                        "and no expected benefit is given",
                    )
                ]
            if benefit < cost:
                return [
                    Finding(
                        "MIT408",
                        ("estimate", "benefit"),
                        f"expected benefit {benefit:,} {money} is below the cost {cost:,} "
                        f"(ROI {benefit / cost:.2f} < 1)",
                        "raise the benefit with evidence, cut the cost, or record a waiver "
                        "with the strategic reason",
                        "用依据说明更高的收益、降低成本，或以豁免记录战略性理由",
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
                    f"budget {total:,} {item.budget.currency or currency} is above "
                    f"{rules.pilot_threshold:,} and no phase is a pilot",
                )
            ]
    return []
