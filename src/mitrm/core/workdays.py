"""Working days: Monday to Friday, less public holidays and the team's own days off.

With ``calendar:`` in ``mitrm.yaml``, public holidays come from a maintained
calendar: ``CN`` from ``chinese-calendar`` (the State Council's schedule, with
its make-up working days, 调休), any other country or subdivision (``DE``,
``DE-BY``, ``US-CA``) from ``holidays``. Years that chinese-calendar does not
cover yet fall back to the statutory days ``holidays`` computes, without
make-up days, and the calendar says so.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from mitrm.i18n import _

CODE = re.compile(r"^([A-Z]{2})(?:-([A-Z0-9]{1,10}))?$")
_DAY = dt.timedelta(days=1)


class CalendarError(ValueError):
    """A ``calendar:`` value that no calendar library knows."""


def check_code(code: str) -> None:
    """Raise CalendarError unless ``code`` names a calendar (``CN``, ``DE``, ``DE-BY``)."""
    match = CODE.match(code)
    if match is None:
        raise CalendarError(
            _(
                "'{code}' is not a calendar: write a country code, optionally with a "
                "subdivision, e.g. CN, DE, DE-BY"
            ).format(code=code)
        )
    if code == "CN":
        return
    import holidays

    country, subdivision = match.groups()
    supported = holidays.list_supported_countries()
    if country not in supported:
        raise CalendarError(
            _("no holiday calendar for the country '{country}'").format(country=country)
        )
    if subdivision is not None and subdivision not in supported[country]:
        raise CalendarError(
            _("no holiday calendar for '{subdivision}' in {country}; known: {known}").format(
                subdivision=subdivision, country=country, known=", ".join(supported[country])
            )
        )


@dataclass
class WorkCalendar:
    """Which days are working days; years are loaded from the calendar libraries on demand."""

    code: str | None
    own: tuple[dt.date, ...] = ()
    _years: set[int] = field(default_factory=set)
    # Weekdays off and weekend days worked, sorted, for the years loaded so far.
    _off: list[dt.date] = field(default_factory=list)
    _on: list[dt.date] = field(default_factory=list)
    _off_set: frozenset[dt.date] = frozenset()
    _on_set: frozenset[dt.date] = frozenset()
    estimated: set[int] = field(default_factory=set)
    """Years of ``CN`` that chinese-calendar does not cover: counted without make-up days."""

    @property
    def label(self) -> str:
        """How the output names this calendar."""
        if self.code is None:
            return _("weekends and rules.holidays")
        source = "chinese-calendar" if self.code == "CN" else "holidays"
        return _("calendar {code} ({source})").format(code=self.code, source=source)

    def _load(self, first: int, last: int) -> None:
        missing = [year for year in range(first, last + 1) if year not in self._years]
        if not missing:
            return
        off = set(self._off)
        on = set(self._on)
        for year in missing:
            self._years.add(year)
            public, worked = self._public(year)
            off |= {day for day in public if day.weekday() < 5}
            on |= {day for day in worked if day.weekday() >= 5}
        off |= {day for day in self.own if day.weekday() < 5 and day.year in self._years}
        # A team's own day off wins over a make-up working day.
        on -= set(self.own)
        self._off = sorted(off)
        self._on = sorted(on)
        self._off_set = frozenset(off)
        self._on_set = frozenset(on)

    def _public(self, year: int) -> tuple[set[dt.date], set[dt.date]]:
        """Public holidays and make-up working days of ``year``."""
        if self.code is None:
            return set(), set()
        if self.code == "CN":
            import chinese_calendar

            covered = chinese_calendar.constants.holidays
            if any(day.year == year for day in covered):
                return (
                    {day for day in covered if day.year == year},
                    {day for day in chinese_calendar.constants.workdays if day.year == year},
                )
            self.estimated.add(year)
        import holidays

        match = CODE.match(self.code)
        assert match is not None  # checked when the settings were read
        country, subdivision = match.groups()
        found = holidays.country_holidays(country, subdiv=subdivision, years=year)
        return set(found), set()

    def _count(self, days: list[dt.date], start: dt.date, end: dt.date) -> int:
        return bisect.bisect_right(days, end) - bisect.bisect_left(days, start)

    def is_working(self, day: dt.date) -> bool:
        """Whether ``day`` is a working day."""
        if day.year not in self._years:
            self._load(day.year, day.year)
        if day.weekday() < 5:
            return day not in self._off_set
        return day in self._on_set

    def working_days(self, start: dt.date, end: dt.date) -> int:
        """Working days in [start, end] (0 if ``end`` is before ``start``)."""
        if end < start:
            return 0
        self._load(start.year, end.year)
        days = (end - start).days + 1
        weeks, rest = divmod(days, 7)
        first = start.weekday()
        weekdays = weeks * 5 + sum(1 for offset in range(rest) if (first + offset) % 7 < 5)
        return weekdays - self._count(self._off, start, end) + self._count(self._on, start, end)

    def latest_start(self, due: dt.date, need: int) -> dt.date:
        """The last day work can start and still have ``need`` working days up to ``due``.

        Both ends count; a due date that is not a working day adds nothing.
        """
        if need <= 0:
            return due
        # Weekdays alone first (arithmetic, fast), then step over what the calendar changes.
        day = due
        while day.weekday() >= 5:
            day -= _DAY
        weeks, rest = divmod(need - 1, 5)
        day -= dt.timedelta(weeks=weeks)
        for _step in range(rest):
            day -= _DAY
            while day.weekday() >= 5:
                day -= _DAY
        count = self.working_days(day, due)
        while count < need:
            day -= _DAY
            count += self.is_working(day)
        # Too many (make-up days inside) or a day off at the start: move the start later.
        while not self.is_working(day) or count > need:
            count -= self.is_working(day)
            day += _DAY
        return day

    def note(self, start: dt.date, end: dt.date) -> str:
        """Which calendar counted the days between ``start`` and ``end``, with any caveat."""
        self._load(start.year, end.year)
        years = sorted(year for year in self.estimated if start.year <= year <= end.year)
        if not years:
            return self.label
        listed = ", ".join(str(year) for year in years)
        return _(
            "{calendar}; {years} estimated: chinese-calendar has no official schedule for "
            "it, so its make-up working days are missing"
        ).format(calendar=self.label, years=listed)


@lru_cache(maxsize=8)
def calendar_for(code: str | None, own: tuple[dt.date, ...] = ()) -> WorkCalendar:
    """The calendar of a repo's settings (one per process and settings)."""
    return WorkCalendar(code, tuple(sorted(own)))


def plain(holidays: Iterable[dt.date] = ()) -> WorkCalendar:
    """Weekends and the given days off only (no public calendar)."""
    return WorkCalendar(None, tuple(sorted(holidays)))
