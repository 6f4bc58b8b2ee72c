"""MIT415 data migration without backup/rollback; MIT416 high/high risks left open.

MIT417 (a plan's requirements not all approved) needs other files: see ``repo``.
"""

from __future__ import annotations

import re

from mitrm.core.checking.rules.engine import Context, Finding
from mitrm.core.models import Item, Plan, Requirement
from mitrm.core.models.common import Level, Risk
from mitrm.core.models.plan import PhaseKind
from mitrm.i18n import _

_MIGRATION = re.compile(r"migrat|迁移", re.IGNORECASE)
_BACKUP = re.compile(r"back ?up|roll ?back|restore|备份|回滚|回退|恢复", re.IGNORECASE)


def _migration_loc(plan: Plan) -> tuple[str | int, ...] | None:
    """Where the plan puts a data migration in scope, if it does."""
    for index, phase in enumerate(plan.phases):
        if phase.kind is PhaseKind.MIGRATION or _MIGRATION.search(phase.name):
            return ("phases", index)
    if _MIGRATION.search(plan.title):
        return ("title",)
    if plan.description and _MIGRATION.search(plan.description):
        return ("description",)
    return None


def _high_high(risks: list[Risk]) -> list[Finding]:
    found = []
    for index, risk in enumerate(risks):
        if risk.likelihood is Level.HIGH and risk.impact is Level.HIGH:
            lacks = [name for name in ("mitigation", "owner") if not getattr(risk, name)]
            if lacks:
                found.append(
                    Finding(
                        "MIT416",
                        ("risks", index),
                        _("high-likelihood, high-impact risk '{risk}' has no {parts}").format(
                            risk=risk.description[:40], parts=_(" and no ").join(lacks)
                        ),
                    )
                )
    return found


def check(item: Item, context: Context) -> list[Finding]:
    """Migration without a backup or rollback mitigation; high/high risks without answers."""
    if isinstance(item, Requirement):
        return _high_high(item.risks) if context.open else []
    if not isinstance(item, Plan) or not context.open:
        return []
    found = _high_high(item.risks)
    where = _migration_loc(item)
    if where is not None and not any(
        risk.mitigation and _BACKUP.search(risk.mitigation) for risk in item.risks
    ):
        found.append(
            Finding(
                "MIT415",
                where,
                _("a data migration is in scope but no risk mitigation names a backup or rollback"),
            )
        )
    return found
