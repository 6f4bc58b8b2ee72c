"""MIT406 rush requests (due date too close for the effort) and MIT407 past-due open items.

Both depend on today's date. They are reported as dated findings (from a day,
until a day), so a cached verdict stays right on every later day.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

from mitrm.core.checking.rules.engine import REQ_BEFORE_APPROVAL, Context, Finding
from mitrm.core.models import Item, Requirement
from mitrm.core.workdays import calendar_for, plain
from mitrm.i18n import _

_DAY = dt.timedelta(days=1)


def latest_start(due: dt.date, need: int, holidays: Sequence[dt.date] = ()) -> dt.date:
    """The last day work can start and still have ``need`` working days up to ``due``.

    Working days are Monday to Friday except ``holidays``; both ends count.
    """
    return plain(holidays).latest_start(due, need)


def working_days(start: dt.date, end: dt.date, holidays: Sequence[dt.date] = ()) -> int:
    """Working days in [start, end] (0 if ``end`` is before ``start``)."""
    return plain(holidays).working_days(start, end)


def check(item: Item, context: Context) -> list[Finding]:
    """Dated findings: rush from the last possible start until due, past due after it.

    A rush is a property of a request: once IT has approved the estimate and the
    due date, lateness is MIT407's business.
    """
    if not isinstance(item, Requirement) or item.due is None or not context.open:
        return []
    found = []
    effort = item.estimate.effort_days if item.estimate else None
    if effort and context.status in REQ_BEFORE_APPROVAL:
        rules = context.settings.rules
        need = math.ceil(effort * rules.rush_days_per_effort_day)
        calendar = calendar_for(context.settings.calendar, tuple(rules.holidays))
        try:
            start = calendar.latest_start(item.due, need)
        except OverflowError:  # so much effort that work had to start before year 1
            start = dt.date.min
        asked = ""
        if item.created and item.created > start:
            asked = _(", and it was asked for on {date}").format(date=item.created)
        if context.settings.calendar is not None:
            asked += _("; working days by {calendar}").format(
                calendar=calendar.note(start, item.due)
            )
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
    if item.due == dt.date.max:  # 9999-12-31 never passes
        return found
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
