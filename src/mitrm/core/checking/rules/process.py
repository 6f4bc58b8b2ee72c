"""MIT410 approval not recorded beyond approval; MIT411 no IT owner during analysis."""

from __future__ import annotations

from mitrm.core.checking.rules.engine import PLAN_APPROVED, REQ_APPROVED, Context, Finding
from mitrm.core.models import Item, Plan, Requirement
from mitrm.i18n import _


def check(item: Item, context: Context) -> list[Finding]:
    """Approval (who, when) missing past approval; IT owner missing from analysis on."""
    found = []
    beyond = (isinstance(item, Requirement) and context.status in REQ_APPROVED) or (
        isinstance(item, Plan) and context.status in PLAN_APPROVED
    )
    if beyond and item.approval is None and not context.workflow_requires("approval"):
        found.append(
            Finding(
                "MIT410",
                ("status",),
                _("status '{status}' but no approval recorded").format(status=context.status),
            )
        )
    if (
        isinstance(item, Requirement)
        and (context.status == "analysis" or context.status in REQ_APPROVED)
        and not (item.owners and item.owners.it)
        and not context.workflow_requires("owners.it")
    ):
        found.append(
            Finding(
                "MIT411",
                ("status",),
                _("status '{status}' but no IT owner is named").format(status=context.status),
            )
        )
    return found
