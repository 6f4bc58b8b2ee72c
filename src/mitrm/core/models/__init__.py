"""The item models (requirement, plan, change request) and the repo settings."""

from mitrm.core.models.change import ChangeRequest, ChangeStatus
from mitrm.core.models.common import Item, Kind
from mitrm.core.models.plan import Plan, PlanStatus
from mitrm.core.models.requirement import Requirement, RequirementStatus
from mitrm.core.models.settings import Settings

MODELS: dict[Kind, type[Item]] = {
    Kind.REQUIREMENT: Requirement,
    Kind.PLAN: Plan,
    Kind.CHANGE: ChangeRequest,
}

__all__ = [
    "MODELS",
    "ChangeRequest",
    "ChangeStatus",
    "Item",
    "Kind",
    "Plan",
    "PlanStatus",
    "Requirement",
    "RequirementStatus",
    "Settings",
]
