"""Inputs shared by several models: plain scale fields, urgency from the due date, ROI."""

from __future__ import annotations

from decimal import Decimal

from mitrm.core.models import Requirement
from mitrm.core.prioritization.scoring.types import Context, Input
from mitrm.i18n import _, ngettext

# Days until the due date -> urgency on 1-5 (overdue counts as most urgent).
URGENCY_BY_DAYS: tuple[tuple[int, int], ...] = ((30, 5), (90, 4), (180, 3), (365, 2))
# Days until the due date -> WSJF time criticality on the Fibonacci scale.
CRITICALITY_BY_DAYS: tuple[tuple[int, int], ...] = (
    (30, 20),
    (60, 13),
    (90, 8),
    (180, 5),
    (365, 3),
)
# ROI (benefit / cost) -> points on 1-5: below 1 loses money.
ROI_STEPS: tuple[tuple[float, int], ...] = ((1.0, 1), (2.0, 2), (3.0, 3), (5.0, 4))


def field_input(req: Requirement, name: str, *, label: str | None = None) -> Input:
    """The scoring field ``name`` as an input, its points equal to its value."""
    value = getattr(req.scoring, name, None) if req.scoring is not None else None
    field_path = _PATHS.get(name) or f"scoring.{name}"
    if value is None:
        return Input(label or name, None, None, "", (field_path,))
    raw = value if type(value) is int else _plain(value)
    return Input(label or name, float(value), raw, field_path, ())


_PATHS = {
    name: f"scoring.{name}"
    for name in ("value", "urgency", "difficulty", "risk_reduction", "reach", "impact")
}


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _by_days(days: int, steps: tuple[tuple[int, int], ...], floor: int) -> int:
    for limit, points in steps:
        if days <= limit:
            return points
    return floor


def from_due(
    req: Requirement,
    name: str,
    ctx: Context,
    *,
    steps: tuple[tuple[int, int], ...],
    floor: int,
) -> Input:
    """``scoring.<name>`` if given, else derived from the due date (when the settings allow)."""
    given = field_input(req, name)
    if given.points is not None:
        return given
    if req.due is None or not ctx.settings.urgency_from_due:
        # Either field would do: name them as one alternative, not as two needs.
        # Field names, in JSON too: they stay English in every language.
        fields = (f"scoring.{name} or due",) if ctx.settings.urgency_from_due else given.fields
        return Input(name, None, fields=fields)
    days = (req.due - ctx.today).days
    points = _by_days(days, steps, floor)
    when = _("overdue") if days < 0 else ngettext("in {n} day", "in {n} days", days).format(n=days)
    return Input(
        name,
        float(points),
        raw=req.due.isoformat(),
        source=_("derived from due {date} ({when})").format(date=req.due.isoformat(), when=when),
    )


def urgency(req: Requirement, ctx: Context) -> Input:
    """Urgency on 1-5, given or derived from the due date."""
    return from_due(req, "urgency", ctx, steps=URGENCY_BY_DAYS, floor=1)


def time_criticality(req: Requirement, ctx: Context) -> Input:
    """WSJF time criticality on the Fibonacci scale, given or derived from the due date."""
    return from_due(req, "time_criticality", ctx, steps=CRITICALITY_BY_DAYS, floor=1)


def roi_points(ratio: float) -> int:
    """ROI ratio -> points on 1-5 (docs/scoring.md has the table)."""
    for limit, points in ROI_STEPS:
        if ratio < limit:
            return points
    return 5


def roi(req: Requirement) -> Input:
    """Expected ROI (benefit / cost from the estimate) as points on 1-5."""
    estimate = req.estimate
    cost = estimate.cost if estimate is not None else None
    benefit = estimate.benefit if estimate is not None else None
    missing = tuple(
        name
        for name, value in (("estimate.benefit", benefit), ("estimate.cost", cost))
        if value is None
    )
    if cost is None or benefit is None:
        return Input("roi", None, fields=missing)
    # A free item with any benefit has the best ROI there is.
    ratio = (float("inf") if benefit > 0 else 0.0) if cost == 0 else float(benefit / cost)
    shown: object = "inf" if ratio == float("inf") else round(ratio, 4)
    return Input(
        "roi",
        float(roi_points(ratio)),
        raw=shown,
        source=f"estimate.benefit / estimate.cost = {benefit} / {cost}",
    )
