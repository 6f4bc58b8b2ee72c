"""MIT406 rush requests (due date too close for the effort) and MIT407 past-due open items.

Both depend on today's date. They are reported as dated findings (from a day,
until a day), so a cached verdict stays right on every later day.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections.abc import Sequence

from mitrm.core.models import Item, Requirement
from mitrm.core.rules.engine import REQ_BEFORE_APPROVAL, REQ_OPEN, Context, Finding
from mitrm.i18n import _

_DAY = dt.timedelta(days=1)


def _holidays_between(holidays: Sequence[dt.date], start: dt.date, end: dt.date) -> int:
    """Weekday holidays in [start, end]; ``holidays`` is sorted."""
    low = bisect.bisect_left(holidays, start)
    high = bisect.bisect_right(holidays, end)
    return sum(1 for day in holidays[low:high] if day.weekday() < 5)


def latest_start(due: dt.date, need: int, holidays: Sequence[dt.date] = ()) -> dt.date:
    """The last day work can start and still have ``need`` working days up to ``due``.

    Working days are Monday to Friday except ``holidays`` (sorted); both ends count.
    """
    if need <= 0:
        return due
    holiday_set = set(holidays)
    day = due
    while day.weekday() >= 5 or day in holiday_set:
        day -= _DAY
    weeks, rest = divmod(need - 1, 5)
    day -= dt.timedelta(weeks=weeks)
    for _week_day in range(rest):
        day -= _DAY
        while day.weekday() >= 5:
            day -= _DAY
    # Holidays inside the span did not count: step back over as many more working days.
    extra = _holidays_between(holidays, day, due) if holidays else 0
    while extra:
        day -= _DAY
        if day.weekday() < 5 and day not in holiday_set:
            extra -= 1
    return day


def working_days(start: dt.date, end: dt.date, holidays: Sequence[dt.date] = ()) -> int:
    """Working days in [start, end] (0 if ``end`` is before ``start``)."""
    if end < start:
        return 0
    days = (end - start).days + 1
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    first = start.weekday()
    count += sum(1 for offset in range(rest) if (first + offset) % 7 < 5)
    return count - _holidays_between(sorted(holidays), start, end)


def check(item: Item, context: Context) -> list[Finding]:
    """Dated findings: rush from the last possible start until due, past due after it.

    A rush is a property of a request: once IT has approved the estimate and the
    due date, lateness is MIT407's business.
    """
    if not isinstance(item, Requirement) or item.due is None or context.status not in REQ_OPEN:
        return []
    found = []
    effort = item.estimate.effort_days if item.estimate else None
    if effort and context.status in REQ_BEFORE_APPROVAL:
        rules = context.settings.rules
        need = math.ceil(effort * rules.rush_days_per_effort_day)
        start = latest_start(item.due, need, sorted(rules.holidays))
        asked = ""
        if item.created and item.created > start:
            asked = _(", and it was asked for on {date}").format(date=item.created)
        found.append(
            Finding(
                "MIT406",
                ("due",),
                _(
                    "due {due} leaves fewer than the {need} working days that "
                    "{effort:g} effort days need (work had to start by {start}{asked})"
                ).format(due=item.due, need=need, effort=effort, start=start, asked=asked),
                since=start + _DAY,
                until=item.due,
            )
        )
    found.append(
        Finding(
            "MIT407",
            ("due",),
            _("due date {due} has passed and the requirement is still '{status}'").format(
                due=item.due, status=context.status
            ),
            since=item.due + _DAY,
        )
    )
    return found
