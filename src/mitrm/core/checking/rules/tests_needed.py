"""MIT412-MIT414: acceptance criteria, security testing and data-protection review."""

from __future__ import annotations

from mitrm.core.checking.rules.engine import Context, Finding
from mitrm.core.models import Item, Requirement
from mitrm.core.models.requirement import RequirementType
from mitrm.i18n import _

_SECURITY_TYPES = (RequirementType.SECURITY, RequirementType.COMPLIANCE)
# Tags that mean the requirement handles personal data (compared case-insensitively).
PERSONAL_DATA_TAGS = frozenset(
    {"gdpr", "pii", "pipl", "ccpa", "personal data", "personal-data", "个人信息", "隐私", "个保法"}
)


def personal_data(item: Requirement) -> tuple[str | int, ...] | None:
    """Where a compliance tag or tag says the requirement handles personal data, if one does."""
    for name in ("compliance", "tags"):
        for index, tag in enumerate(getattr(item, name)):
            if tag.lower() in PERSONAL_DATA_TAGS:
                return (name, index)
    return None


def check(item: Item, context: Context) -> list[Finding]:
    """Data-protection review from the first draft; criteria and security testing once submitted."""
    if not isinstance(item, Requirement) or not context.open:
        return []
    found = []
    testing = item.testing
    # Personal data needs its review before anything is built: drafts included.
    tagged = personal_data(item)
    if tagged and not (testing and testing.data_protection_review):
        found.append(
            Finding(
                "MIT414",
                ("testing", "data_protection_review") if testing else tagged,
                _("handles personal data but no data-protection review is planned"),
            )
        )
    if context.status == "draft":
        return found
    if not item.acceptance_criteria and not context.workflow_requires("acceptance_criteria"):
        found.append(
            Finding(
                "MIT412",
                ("status",),
                _("no acceptance criteria (status '{status}')").format(status=context.status),
            )
        )
    if item.type in _SECURITY_TYPES and not (testing and testing.security):
        found.append(
            Finding(
                "MIT413",
                ("testing", "security") if testing else ("type",),
                _("a {type} requirement without security testing").format(type=item.type.value),
            )
        )
    return found
