"""Build requirements in memory for the scoring, ranking and selection tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from mitrm.core.models import Requirement
from mitrm.core.models.settings import ScoringSettings

TODAY = dt.date(2026, 11, 22)


def req(
    item_id: str,
    *,
    type: str = "feature",
    status: str = "analysis",
    due: dt.date | None = None,
    depends_on: list[str] | None = None,
    cost: float | None = None,
    benefit: float | None = None,
    effort_days: float | None = None,
    currency: str | None = None,
    **scoring: Any,
) -> Requirement:
    """A requirement with just the fields the scorers read."""
    data: dict[str, Any] = {
        "id": item_id,
        "title": f"Item {item_id}",
        "type": type,
        "status": status,
        "depends_on": depends_on or [],
    }
    if due is not None:
        data["due"] = due
    estimate = {
        key: value
        for key, value in (
            ("cost", cost),
            ("benefit", benefit),
            ("effort_days", effort_days),
            ("currency", currency),
        )
        if value is not None
    }
    if estimate:
        data["estimate"] = estimate
    if scoring:
        data["scoring"] = scoring
    return Requirement.model_validate(data)


def full(item_id: str, **extra: Any) -> Requirement:
    """A requirement with every input of the weighted model (score 75 unless changed)."""
    fields: dict[str, Any] = {
        "value": 4,
        "urgency": 3,
        "difficulty": 2,
        "risk_reduction": 5,
        "cost": 100,
        "benefit": 250,
    }
    fields.update(extra)
    return req(item_id, **fields)


def settings(**changes: Any) -> ScoringSettings:
    """Scoring settings with ``changes``."""
    return ScoringSettings(**changes)
