"""MIT402-MIT404: requirements that are not SMART before approval (KPIs, due date, goal)."""

from __future__ import annotations

from mitrm.core.checking.rules.engine import REQ_BEFORE_APPROVAL, Context, Finding
from mitrm.core.models import Item, Requirement
from mitrm.i18n import N_, _

_KPI_PARTS = (
    ("baseline", N_("a baseline")),
    ("target", N_("a target")),
    ("unit", N_("a unit")),
    ("measurement", N_("a measurement method")),
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
                        _("KPI '{name}' has no {parts}").format(
                            name=kpi.name, parts=", ".join(p[0] for p in missing)
                        ),
                        _("add {parts}").format(parts=_(", ").join(_(p[1]) for p in missing)),
                    )
                )
    if context.status != "draft" and item.due is None and not context.workflow_requires("due"):
        found.append(
            Finding(
                "MIT403",
                ("status",),
                _("no due date (status '{status}')").format(status=context.status),
            )
        )
    if item.business_goal and not item.kpis and not context.workflow_requires("kpis"):
        found.append(Finding("MIT404", ("business_goal",), _("no KPI measures the business goal")))
    return found
