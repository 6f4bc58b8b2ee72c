"""Quality rules as users meet them: validate output, selection, severities, waivers, dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import CliRun, DataRepo
from mitrm.core.checking.rules.waivers import WaiverEntry, list_waivers
from mitrm.core.models import Requirement
from mitrm.io.cache import cache_dir
from mitrm.io.repository import check_files, load_settings

VAGUE = """\
id: REQ-0001
title: Something to attract more young users
type: campaign
status: draft
source: {channel: internal}
description: A page.
"""

LATE = """\
id: REQ-0002
title: Spring landing page
type: campaign
status: draft
source: {channel: internal}
description: A page.
due: 2026-03-13
estimate: {effort_days: 20}
"""


def test_validate_reports_a_vague_title_with_place_and_fix(
    data_repo: DataRepo, cli: CliRun
) -> None:
    data_repo.write("requirements/REQ-0001-young.yaml", VAGUE)
    result = cli("validate", cwd=data_repo.root)
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "requirements/REQ-0001-young.yaml:2:8: warning MIT401 vague wording in 'title' "
        "('something', 'attract', 'more') with no number or unit; say how much and by when, "
        "e.g. 'from 2.1% to 3% by 2026-09-30'",
        "checked 1 file: 0 errors, 1 warning",
    ]
    assert cli("validate", "--strict", cwd=data_repo.root).exit_code == 1


def test_chinese_repo_gets_chinese_messages(
    data_repo: DataRepo, cli: CliRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MITRM_LANG")
    data_repo.write("mitrm.yaml", "language: zh\n")
    data_repo.write("requirements/REQ-0001-young.yaml", VAGUE)
    result = cli("validate", cwd=data_repo.root)
    assert result.stderr.splitlines() == [
        "requirements/REQ-0001-young.yaml:2:8: warning MIT401 'title' 中有含糊的措辞"
        "（'something', 'attract', 'more'），没有数字或单位；"
        "写明提升多少、何时达成，例如“从2.1%提升到3%，2026-09-30前”",
        "已检查 1 个文件：0 个错误，1 个警告",
    ]
    monkeypatch.setenv("MITRM_LANG", "en")  # the contractor's English, same repo and cache
    again = cli("validate", cwd=data_repo.root)
    assert "warning MIT401 vague wording in 'title'" in again.stderr
    assert "checked 1 file: 0 errors, 1 warning" in again.stderr


def test_select_and_ignore_on_the_command_line(data_repo: DataRepo, cli: CliRun) -> None:
    data_repo.write("requirements/REQ-0001-young.yaml", VAGUE + "business_goal: Be cool\n")
    both = cli("validate", cwd=data_repo.root).stderr
    assert "MIT401" in both and "MIT404" in both
    only = cli("validate", "--select", "MIT404", cwd=data_repo.root).stderr
    assert "MIT401" not in only and "MIT404" in only
    ignored = cli("validate", "--ignore", "mit40", "--select", "MIT4", cwd=data_repo.root).stderr
    assert "0 errors, 0 warnings" in ignored
    # The most specific entry wins: ignore MIT40, but select MIT401 itself.
    specific = cli("validate", "--ignore", "MIT40", "--select", "MIT401", cwd=data_repo.root)
    assert "MIT401" in specific.stderr and "MIT404" not in specific.stderr


def test_unknown_code_is_a_usage_error(data_repo: DataRepo, cli: CliRun) -> None:
    result = cli("validate", "--ignore", "MIT999", cwd=data_repo.root)
    assert result.exit_code == 2
    assert "error: unknown rule code 'MIT999'" in result.stderr
    assert cli("validate", "--select", "MIT1", cwd=data_repo.root).exit_code == 2
    # History rules (MIT6xx) are governed by the same options.
    assert cli("validate", "--ignore", "MIT601", cwd=data_repo.root).exit_code == 0
    data_repo.write("mitrm.yaml", "rules: {ignore: [MIT6], severity: {MIT601: error}}\n")
    assert cli("validate", cwd=data_repo.root).exit_code == 0


def test_bad_rule_settings_name_their_line(data_repo: DataRepo, cli: CliRun) -> None:
    data_repo.write(
        "mitrm.yaml",
        "project: X\nrules:\n  ignore: [MIT401, MIT102]\n  severity: {MIT410: fatal}\n",
    )
    result = cli("validate", cwd=data_repo.root)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines == [
        "mitrm.yaml:3:20: error MIT102 field 'rules.ignore.1': 'MIT102' is not a quality or "
        "history rule code (MIT401 and up, or a prefix such as MIT41)",
        "mitrm.yaml:4:22: error MIT102 field 'rules.severity.MIT410' must be error or warning "
        "(got 'fatal')",
        "error: mitrm.yaml is not valid",
    ]


def test_settings_change_severity_and_select(data_repo: DataRepo, cli: CliRun) -> None:
    data_repo.write("mitrm.yaml", "rules:\n  severity: {MIT40: error}\n")
    data_repo.write("requirements/REQ-0001-young.yaml", VAGUE)
    result = cli("validate", cwd=data_repo.root)
    assert result.exit_code == 1
    assert "error MIT401" in result.stderr
    data_repo.write("mitrm.yaml", "rules:\n  ignore: [MIT401]\n")
    assert "0 errors, 0 warnings" in cli("validate", cwd=data_repo.root).stderr


def test_a_waiver_suppresses_its_rule_on_its_item(data_repo: DataRepo, cli: CliRun) -> None:
    waiver = "waivers:\n  - {rule: MIT401, reason: The campaign name was chosen by the CMO}\n"
    data_repo.write("requirements/REQ-0001-young.yaml", VAGUE + waiver)
    data_repo.write("requirements/REQ-0003-other.yaml", VAGUE.replace("0001", "0003"))
    result = cli("validate", cwd=data_repo.root)
    assert "REQ-0001" not in result.stderr
    assert "REQ-0003-other.yaml:2:8: warning MIT401" in result.stderr


def test_a_waiver_of_an_unknown_rule_is_reported(data_repo: DataRepo, cli: CliRun) -> None:
    waiver = "waivers:\n  - {rule: MIT103, reason: Urgent}\n"
    data_repo.write("requirements/REQ-0001-x.yaml", VAGUE.replace("Something", "Nothing") + waiver)
    result = cli("validate", cwd=data_repo.root)
    assert "REQ-0001-x.yaml:8:12: warning MIT420 waiver of 'MIT103'" in result.stderr


def _codes(root: Path, today: dt.date, **extra: object) -> list[tuple[str, str, int]]:
    result = check_files(root, settings=load_settings(root), today=today, **extra)  # type: ignore[arg-type]
    return [(d.code, d.path, d.line) for d in result.diagnostics]


def test_dated_rules_follow_today_from_one_cached_verdict(data_repo: DataRepo) -> None:
    data_repo.write("requirements/REQ-0002-late.yaml", LATE)
    root = data_repo.root
    path = "requirements/REQ-0002-late.yaml"
    assert _codes(root, dt.date(2026, 2, 16)) == []
    assert _codes(root, dt.date(2026, 2, 17)) == [("MIT406", path, 7)]
    assert _codes(root, dt.date(2026, 3, 13)) == [("MIT406", path, 7)]
    assert _codes(root, dt.date(2026, 3, 14)) == [("MIT407", path, 7)]
    # One verdict cache serves every day.
    assert len(list(cache_dir(root).glob("verdicts-*.pickle"))) == 1


def test_a_waiver_with_an_end_date_lapses(data_repo: DataRepo) -> None:
    waiver = "waivers:\n  - {rule: MIT407, reason: Waiting for legal, until: 2026-04-30}\n"
    data_repo.write("requirements/REQ-0002-late.yaml", LATE + waiver)
    assert "MIT407" not in [c for c, _, _ in _codes(data_repo.root, dt.date(2026, 4, 30))]
    assert "MIT407" in [c for c, _, _ in _codes(data_repo.root, dt.date(2026, 5, 1))]


PLAN = """\
id: PLAN-0001
title: Spring delivery
status: proposed
owner: Wang Fang
requirements: [REQ-0001]
start: 2026-03-01
end: 2026-05-31
budget: {total: 300000}
"""


def test_plan_with_unapproved_requirements(data_repo: DataRepo, cli: CliRun) -> None:
    data_repo.requirement("REQ-0001")
    data_repo.write("plans/PLAN-0001-spring.yaml", PLAN)
    result = cli("validate", cwd=data_repo.root)
    assert (
        "plans/PLAN-0001-spring.yaml:5:16: warning MIT417 'REQ-0001' is in the scope of this "
        "proposed plan but is still 'draft'" in result.stderr
    )
    data_repo.write("plans/PLAN-0001-spring.yaml", PLAN.replace("proposed", "draft"))
    assert "MIT417" not in cli("validate", cwd=data_repo.root).stderr


def test_piling_non_critical_requests(data_repo: DataRepo, cli: CliRun) -> None:
    for number in range(1, 11):
        moscow = "could" if number <= 3 else "must"
        data_repo.requirement(
            f"REQ-{number:04d}", f"Item {number}", scoring=f"{{moscow: {moscow}}}"
        )
    assert "MIT418" not in cli("validate", cwd=data_repo.root).stderr  # 30% is allowed
    data_repo.requirement("REQ-0004", "Item 4", scoring="{moscow: wont}")
    result = cli("validate", cwd=data_repo.root)
    assert (
        "mitrm.yaml:1:1: warning MIT418 4 of 10 open requirements (40%) are could/won't or "
        "lowest-scored (REQ-0001, REQ-0002, REQ-0003, REQ-0004)" in result.stderr
    )


def test_lowest_score_decile_counts_as_non_critical(data_repo: DataRepo) -> None:
    for number in range(1, 11):
        data_repo.requirement(f"REQ-{number:04d}", f"Item {number}")
    data_repo.write("mitrm.yaml", "rules: {non_critical_share: 0.05}\n")
    scores = {f"REQ-{n:04d}": float(n) for n in range(1, 11)}
    today = dt.date(2026, 3, 2)
    assert _codes(data_repo.root, today) == []
    assert _codes(data_repo.root, today, scores=scores) == [("MIT418", "mitrm.yaml", 1)]


APPROVED = """\
id: REQ-0005
title: Member tiers
type: feature
status: approved
source: {channel: internal, requester: Li Wei}
owners: {business: Zhang Min, it: Wang Fang}
created: 2026-01-12
due: 2099-06-30
description: Tiers.
business_goal: Raise repeat purchase rate from 22% to 28%
feasibility: {technical: high}
kpis:
  - {name: Repeat purchase rate, baseline: 22, target: 28, unit: '%', measurement: BI}
acceptance_criteria:
  - A member moves up a tier within 1 hour of qualifying
estimate: {effort_days: 30, cost: 150000, benefit: 400000}
approval: {by: Chen Jie, date: 2026-02-20}
"""


def test_churn_after_approval_needs_history(data_repo: DataRepo) -> None:
    data_repo.write("requirements/REQ-0005-tiers.yaml", APPROVED)
    today = dt.date(2026, 3, 2)
    assert _codes(data_repo.root, today) == []
    assert _codes(data_repo.root, today, churn={"REQ-0005": 3}) == []
    path = "requirements/REQ-0005-tiers.yaml"
    assert _codes(data_repo.root, today, churn={"REQ-0005": 4}) == [("MIT419", path, 4)]


def test_list_waivers_for_the_portfolio_report() -> None:
    item = Requirement.model_validate(
        {
            "id": "REQ-0002",
            "title": "X",
            "type": "feature",
            "status": "draft",
            "waivers": [
                {"rule": "MIT408", "reason": "Regulator", "by": "Chen Jie"},
                {"rule": "MIT401", "reason": "Brand name", "until": "2026-12-31"},
            ],
        }
    )
    other = item.model_copy(update={"id": "REQ-0001"})
    assert list_waivers([item, other])[:3] == [
        WaiverEntry("REQ-0001", "MIT401", "Brand name", None, dt.date(2026, 12, 31)),
        WaiverEntry("REQ-0001", "MIT408", "Regulator", "Chen Jie", None),
        WaiverEntry("REQ-0002", "MIT401", "Brand name", None, dt.date(2026, 12, 31)),
    ]


def test_mitrm_today_sets_the_day(
    data_repo: DataRepo, cli: CliRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_repo.write("requirements/REQ-0002-late.yaml", LATE)
    monkeypatch.setenv("MITRM_TODAY", "2026-03-14")
    assert (
        "warning MIT407 due date 2026-03-13 has passed"
        in cli("validate", cwd=data_repo.root).stderr
    )
    monkeypatch.setenv("MITRM_TODAY", "2026-02-16")
    assert "0 warnings" in cli("validate", cwd=data_repo.root).stderr
    monkeypatch.setenv("MITRM_TODAY", "tomorrow")
    result = cli("validate", cwd=data_repo.root)
    assert result.exit_code == 2
    assert "error: MITRM_TODAY must be a date written YYYY-MM-DD (got 'tomorrow')" in result.stderr
