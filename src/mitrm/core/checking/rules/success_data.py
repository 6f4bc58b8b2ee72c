"""MIT405: approved or later, but no data defined to judge success."""

from __future__ import annotations

from mitrm.core.checking.rules.engine import REQ_APPROVED, Context, Finding
from mitrm.core.models import Item, Requirement
from mitrm.i18n import _


def check(item: Item, context: Context) -> list[Finding]:
    """No KPI (unless the workflow already demands one) or a KPI nobody can measure."""
    if not isinstance(item, Requirement) or context.status not in REQ_APPROVED:
        return []
    if not item.kpis:
        if context.workflow_requires("kpis"):
            return []
        return [
            Finding(
                "MIT405",
                ("status",),
                _("'{status}' but no KPI is defined").format(status=context.status),
            )
        ]
    found = []
    for index, kpi in enumerate(item.kpis):
        if not kpi.measurement or kpi.unit is None:
            lacks = _(" and ").join(
                w
                for w, gap in (("measurement", not kpi.measurement), ("unit", kpi.unit is None))
                if gap
            )
            found.append(
                Finding(
                    "MIT405",
                    ("kpis", index),
                    _("KPI '{name}' has no {parts}: success cannot be judged").format(
                        name=kpi.name, parts=lacks
                    ),
                )
            )
    return found
