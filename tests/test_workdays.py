"""Working days from real calendars: 国庆 and 春节 with their make-up Saturdays, DE-BY, the
years chinese-calendar does not cover yet, and MIT406 saying which calendar counted."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pydantic import ValidationError

from conftest import CliRun, DataRepo
from mitrm.core.checking.rules.engine import findings_for
from mitrm.core.checking.rules.rush import latest_start, working_days
from mitrm.core.models import Requirement, Settings
from mitrm.core.workdays import WorkCalendar

D = dt.date


def cn() -> WorkCalendar:
    return WorkCalendar("CN")


def test_national_day_week_and_its_make_up_days() -> None:
    calendar = cn()
    # 2026-10-01 (Thu) to 10-07 are off; Sunday 09-20 and Saturday 10-10 are worked.
    assert not calendar.is_working(D(2026, 10, 1))
    assert not calendar.is_working(D(2026, 10, 7))
    assert calendar.is_working(D(2026, 10, 10))
    assert calendar.is_working(D(2026, 9, 20))
    assert not calendar.is_working(D(2026, 10, 11))
    # 09-28 to 10-12: Mon-Wed, then Thu 10-08, Fri 10-09, Sat 10-10, Mon 10-12.
    assert calendar.working_days(D(2026, 9, 28), D(2026, 10, 12)) == 7
    assert working_days(D(2026, 9, 28), D(2026, 10, 12)) == 11  # weekends only
    # Three working days up to Monday 10-12: 10-12, Saturday 10-10 and Friday 10-09.
    assert calendar.latest_start(D(2026, 10, 12), 3) == D(2026, 10, 9)
    assert calendar.latest_start(D(2026, 10, 12), 4) == D(2026, 10, 8)
    assert calendar.latest_start(D(2026, 10, 12), 5) == D(2026, 9, 30)


def test_spring_festival_and_its_make_up_saturdays() -> None:
    calendar = cn()
    # 春节 2026: 02-15 to 02-23 off; Saturdays 02-14 and 02-28 are worked.
    assert calendar.is_working(D(2026, 2, 14))
    assert calendar.is_working(D(2026, 2, 28))
    assert not calendar.is_working(D(2026, 2, 16))
    assert not calendar.is_working(D(2026, 2, 23))
    # Three working days up to Tuesday 02-24: 02-24, Saturday 02-14, Friday 02-13.
    assert calendar.latest_start(D(2026, 2, 24), 3) == D(2026, 2, 13)
    assert latest_start(D(2026, 2, 24), 3) == D(2026, 2, 20)


def test_latest_start_and_working_days_agree_everywhere() -> None:
    calendar = cn()
    for due in (D(2026, 2, 24), D(2026, 10, 12), D(2026, 10, 1), D(2026, 5, 9)):
        for need in range(1, 60):
            start = calendar.latest_start(due, need)
            assert calendar.working_days(start, due) == need
            assert calendar.is_working(start)


def test_a_due_date_on_a_holiday_is_not_counted_twice() -> None:
    # MIT406 counted a holiday due date once when stepping back over it and again among
    # the holidays inside the span: "had to start by" came out a working day early.
    wednesday = D(2026, 3, 4)
    assert latest_start(wednesday, 1, [wednesday]) == D(2026, 3, 3)
    assert latest_start(wednesday, 2, [wednesday]) == D(2026, 3, 2)
    # National Day itself as the due date: the last working day before it is 09-30.
    assert cn().latest_start(D(2026, 10, 1), 1) == D(2026, 9, 30)


def test_a_teams_own_day_off_wins_over_a_make_up_day() -> None:
    calendar = WorkCalendar("CN", (D(2026, 10, 10), D(2026, 10, 9)))
    assert not calendar.is_working(D(2026, 10, 10))
    assert not calendar.is_working(D(2026, 10, 9))
    assert calendar.latest_start(D(2026, 10, 12), 2) == D(2026, 10, 8)


def test_a_german_state_calendar() -> None:
    # Epiphany (Tuesday 2026-01-06) is a public holiday in Bavaria, not in Berlin.
    assert WorkCalendar("DE-BY").working_days(D(2026, 1, 5), D(2026, 1, 9)) == 4
    assert WorkCalendar("DE-BE").working_days(D(2026, 1, 5), D(2026, 1, 9)) == 5
    assert WorkCalendar("DE-BY").label == "calendar DE-BY (holidays)"


def test_beyond_chinese_calendar_the_statutory_days_are_estimated_and_said_so() -> None:
    calendar = cn()
    # chinese-calendar 1.11 ends with 2026; 2027's Spring Festival comes from 'holidays'
    # (02-05 to 02-10 off), without the make-up working days not yet published.
    assert calendar.latest_start(D(2027, 2, 12), 3) == D(2027, 2, 4)
    assert calendar.estimated == {2027}
    note = calendar.note(D(2027, 2, 4), D(2027, 2, 12))
    assert note == (
        "calendar CN (chinese-calendar); 2027 estimated: chinese-calendar has no official "
        "schedule for it, so its make-up working days are missing"
    )
    assert calendar.note(D(2026, 2, 4), D(2026, 2, 12)) == "calendar CN (chinese-calendar)"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("XX", "no holiday calendar for the country 'XX'"),
        ("DE-ZZ", "no holiday calendar for 'ZZ' in DE; known: BB, BE, BW, BY,"),
        ("china", "'china' is not a calendar: write a country code"),
    ],
)
def test_an_unknown_calendar_is_a_settings_error(code: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Settings.model_validate({"calendar": code})


def _rush(settings: Settings) -> str:
    item = Requirement.model_validate(
        {
            "id": "REQ-0001",
            "title": "Checkout",
            "type": "feature",
            "status": "draft",
            "source": {"channel": "internal"},
            "description": "One page.",
            "due": "2026-03-10",
            "estimate": {"effort_days": 10},
        }
    )
    (rush,) = [f for f in findings_for(item, settings) if f.code == "MIT406"]
    return rush.problem


def test_mit406_counts_by_the_calendar_and_says_which() -> None:
    plain = _rush(Settings())
    assert "work had to start by 2026-02-25)" in plain
    assert "calendar" not in plain
    # With CN the make-up Saturday 02-28 is a working day: one day later.
    chinese = _rush(Settings.model_validate({"calendar": "CN"}))
    assert chinese.endswith(
        "(work had to start by 2026-02-26; working days by calendar CN (chinese-calendar))"
    )


def test_validate_names_the_calendar_and_refuses_an_unknown_one(
    data_repo: DataRepo, cli: CliRun
) -> None:
    data_repo.write("mitrm.yaml", "project: Test\ncalendar: CN\n")
    data_repo.write(
        "requirements/REQ-0001-checkout.yaml",
        "id: REQ-0001\ntitle: Checkout\ntype: feature\nstatus: draft\n"
        "source:\n  channel: internal\ndescription: One page.\n"
        "due: 2026-03-10\nestimate:\n  effort_days: 10\n",
    )
    result = cli("validate", cwd=data_repo.root)
    assert (
        "work had to start by 2026-02-26; working days by calendar CN (chinese-calendar)"
        in result.stderr
    )
    data_repo.write("mitrm.yaml", "project: Test\ncalendar: XX\n")
    refused = cli("validate", cwd=data_repo.root)
    assert refused.exit_code == 2
    assert (
        "mitrm.yaml:2:11: error MIT102 field 'calendar': no holiday calendar for the country "
        "'XX' (got 'XX')" in refused.stderr
    )


def test_a_new_calendar_release_starts_a_new_verdict_cache(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import importlib.metadata

    from mitrm.io.repository import settings_fingerprint

    settings = Settings.model_validate({"calendar": "CN"})
    before = settings_fingerprint(settings)
    plain_before = settings_fingerprint(Settings())
    real = importlib.metadata.version
    monkeypatch.setattr(
        importlib.metadata,
        "version",
        lambda name: "99.0" if name == "chinesecalendar" else real(name),
    )
    assert settings_fingerprint(settings) != before
    # Without a calendar the libraries play no part.
    assert settings_fingerprint(Settings()) == plain_before


def test_the_calendar_line_mitrm_init_writes_works_once_uncommented(
    tmp_path: Path, cli: CliRun
) -> None:
    target = tmp_path / "new"
    assert cli("init", str(target)).exit_code == 0
    settings = target / "mitrm.yaml"
    text = settings.read_text("utf-8")
    assert "# calendar: CN " in text
    settings.write_text(text.replace("# calendar: CN ", "calendar: CN   "), "utf-8")
    checked = cli("-C", str(target), "validate")
    assert checked.exit_code == 0, checked.stderr
