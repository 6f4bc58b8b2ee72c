"""MIT402-MIT404: requirements that are not SMART before approval (KPIs, due date, goal)."""

from __future__ import annotations

from mitrm.core.models import Item, Requirement
from mitrm.core.rules.engine import REQ_BEFORE_APPROVAL, Context, Finding

_KPI_PARTS = (
    ("baseline", "a baseline", "基线值"),
    ("target", "a target", "目标值"),
    ("unit", "a unit", "单位"),
    ("measurement", "a measurement method", "衡量方法"),
)


def check(item: Item, context: Context) -> list[Finding]:
    """KPIs missing parts, no due date once submitted, a goal no KPI measures."""
    if not isinstance(item, Requirement) or not context.open:
        return []
    found = []
    if context.status in REQ_BEFORE_APPROVAL:
        # From approval on, MIT301 and MIT405 take over.
        for index, kpi in enumerate(item.kpis):
            missing = [part for part in _KPI_PARTS if getattr(kpi, part[0]) in (None, "")]
            if missing:
                found.append(
                    Finding(
                        "MIT402",
                        ("kpis", index),
                        f"KPI '{kpi.name}' has no {', '.join(p[0] for p in missing)}",
                        "add " + ", ".join(p[1] for p in missing),
                        "补充" + "、".join(p[2] for p in missing),
                    )
                )
    if context.status != "draft" and item.due is None and not context.workflow_requires("due"):
        found.append(Finding("MIT403", ("status",), f"no due date (status '{context.status}')"))
    if item.business_goal and not item.kpis and not context.workflow_requires("kpis"):
        found.append(Finding("MIT404", ("business_goal",), "no KPI measures the business goal"))
    return found
