"""The per-item quality rules on in-memory items: what fires, where, and what it says."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mitrm.core.checking.rules.engine import findings_for, quality_checks
from mitrm.core.checking.rules.rush import latest_start, working_days
from mitrm.core.checking.rules.vague import lexicon, vague_terms
from mitrm.core.models import Plan, Requirement, Settings
from mitrm.core.models.common import Kind
from mitrm.core.record import Record

DRAFT: dict[str, Any] = {
    "id": "REQ-0001",
    "title": "Checkout on one page",
    "type": "feature",
    "status": "draft",
    "source": {"channel": "internal"},
    "description": "One page.",
}
SUBMITTED: dict[str, Any] = {
    **DRAFT,
    "status": "submitted",
    "source": {"channel": "internal", "requester": "Li Wei"},
    "owners": {"business": "Zhang Min"},
    "created": "2026-02-02",
    "due": "2026-09-30",
    "business_goal": "Raise conversion from 2% to 3%",
    "kpis": [{"name": "Conversion", "baseline": 2, "target": 3, "unit": "%", "measurement": "BI"}],
    "acceptance_criteria": ["Checkout fits on one screen of 6 inches"],
}


def req(**fields: Any) -> Requirement:
    return Requirement.model_validate({**DRAFT, **fields})


def codes(item: Requirement | Plan, settings: Settings | None = None) -> list[str]:
    return [f.code for f in findings_for(item, settings or Settings())]


# --- MIT401 vague wording ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Something to attract more young users", ["something", "attract", "more"]),
        ("A user-friendly, modern look", ["user-friendly", "modern"]),
        ("Deliver it as soon as possible", ["as soon as possible"]),
        ("吸引更多年轻用户", ["吸引", "更多"]),
        ("提升体验", ["提升体验"]),
        ("Page loads in under 2 s", []),
        ("更快的结账，3秒内完成", []),
        ("转化率提升百分之十", []),
        ("Make checkout twice as fast", []),
        ("Checkout on one page", []),
        # A campaign name or version is not a measure: only a quantity or a date is.
        ("双11期间会员积分翻倍，尽快上线，吸引更多年轻用户", ["尽快", "吸引", "更多"]),
        ("618大促吸引更多用户", ["吸引", "更多"]),
        ("Attract more users to the H5 page in iOS 17", ["attract", "more"]),
        ("吸引更多用户，会员数增加2万人", []),
        ("More repeat orders, 200 more orders a month", []),
        ("Faster checkout, under ¥5 per order", []),
        ("更多618订单，6月18日前上线", []),
        ("Attract more users by 2026-06-18", []),
        ("Attract more users by 18 June", []),
        ("Attract more users, conversion up 3 pp", []),
    ],
)
def test_vague_terms(text: str, expected: list[str]) -> None:
    assert vague_terms(text, lexicon()) == expected


def test_extra_vague_words_from_settings() -> None:
    settings = Settings.model_validate({"rules": {"vague_words": ["synergy", "赋能"]}})
    item = req(business_goal="Synergy across channels", acceptance_criteria=["全面赋能门店"])
    found = findings_for(item, settings)
    assert [(f.code, f.loc) for f in found if f.code == "MIT401"] == [
        ("MIT401", ("business_goal",)),
        ("MIT401", ("acceptance_criteria", 0)),
    ]
    assert "MIT401" not in codes(item)


def test_one_vague_word_in_a_title_is_fine_two_are_not() -> None:
    assert "MIT401" not in codes(req(title="Faster checkout"))
    found = findings_for(req(title="Faster, nicer checkout"), Settings())
    assert [f.problem for f in found if f.code == "MIT401"] == [
        "vague wording in 'title' ('faster', 'nicer') with no number or unit"
    ]


def test_vague_wording_names_only_the_fields_that_are_vague() -> None:
    item = req(title="Member day 618", description="Attract more young users, as soon as possible")
    (finding,) = [f for f in findings_for(item, Settings()) if f.code == "MIT401"]
    assert finding.loc == ("description",)
    assert finding.problem == (
        "vague wording in 'description' ('attract', 'more', 'as soon as possible') "
        "with no number or unit"
    )
    item = req(title="Faster 双11 page", description="吸引更多年轻用户")
    (finding,) = [f for f in findings_for(item, Settings()) if f.code == "MIT401"]
    assert finding.loc == ("title",)
    assert "in 'title' and 'description' ('faster', '吸引', '更多')" in finding.problem


def test_vague_wording_is_not_reported_on_closed_items() -> None:
    assert "MIT401" not in codes(req(status="cancelled", business_goal="Be better"))


# --- MIT402-MIT405 SMART and success data ---------------------------------------------


def test_kpi_missing_parts_before_approval() -> None:
    item = req(kpis=[{"name": "Sign-ups", "target": 500}])
    (finding,) = [f for f in findings_for(item, Settings()) if f.code == "MIT402"]
    assert finding.loc == ("kpis", 0)
    assert finding.problem == "KPI 'Sign-ups' has no baseline, unit, measurement"
    assert finding.hint == "add a baseline, a unit, a measurement method"


def test_due_date_from_submission_on() -> None:
    assert "MIT403" not in codes(req())
    assert "MIT403" in codes(Requirement.model_validate({**SUBMITTED, "due": None}))
    assert "MIT403" not in codes(Requirement.model_validate(SUBMITTED))


def test_goal_without_kpi() -> None:
    assert "MIT404" in codes(req(business_goal="Win back lapsed members"))
    assert "MIT404" not in codes(Requirement.model_validate(SUBMITTED))


def test_approved_requirement_without_measurement() -> None:
    approved = {
        **SUBMITTED,
        "status": "approved",
        "kpis": [{"name": "Conversion", "baseline": 2, "target": 3}],
    }
    found = findings_for(Requirement.model_validate(approved), Settings())
    assert [(f.code, f.problem) for f in found if f.code == "MIT405"] == [
        ("MIT405", "KPI 'Conversion' has no measurement and unit: success cannot be judged")
    ]
    assert "MIT402" not in [f.code for f in found]


# --- MIT406/MIT407 dates ---------------------------------------------------------------


def test_working_days_and_latest_start() -> None:
    friday = dt.date(2026, 3, 6)
    assert latest_start(friday, 5) == dt.date(2026, 3, 2)
    assert latest_start(friday, 6) == dt.date(2026, 2, 27)
    assert latest_start(dt.date(2026, 3, 8), 1) == friday  # due on a Sunday
    assert latest_start(friday, 5, [dt.date(2026, 3, 4)]) == dt.date(2026, 2, 27)
    assert working_days(dt.date(2026, 3, 2), friday) == 5
    assert working_days(dt.date(2026, 3, 2), dt.date(2026, 3, 13), [dt.date(2026, 3, 4)]) == 9
    for need in range(1, 40):
        start = latest_start(friday, need)
        assert working_days(start, friday) == need


def test_rush_and_past_due_are_dated() -> None:
    item = req(due="2026-03-13", estimate={"effort_days": 20})
    found = {f.code: f for f in findings_for(item, Settings())}
    rush, late = found["MIT406"], found["MIT407"]
    assert (rush.since, rush.until) == (dt.date(2026, 2, 17), dt.date(2026, 3, 13))
    assert (late.since, late.until) == (dt.date(2026, 3, 14), None)
    assert "work had to start by 2026-02-16" in rush.problem


def test_rush_days_per_effort_day_setting() -> None:
    settings = Settings.model_validate({"rules": {"rush_days_per_effort_day": 0.5}})
    item = req(due="2026-03-13", estimate={"effort_days": 20})
    (rush,) = [f for f in findings_for(item, settings) if f.code == "MIT406"]
    assert rush.since == dt.date(2026, 3, 3)  # 10 working days: 2026-03-02 to 03-13


def test_no_rush_once_work_started_but_past_due_still() -> None:
    item = req(status="in_progress", due="2026-03-13", estimate={"effort_days": 20})
    assert "MIT406" not in codes(item)
    assert "MIT407" in codes(item)
    assert "MIT407" not in codes(req(status="released", due="2026-03-13"))


def test_dated_findings_go_to_the_record_pending() -> None:
    item = req(due="2026-03-13")
    record = Record(path="requirements/REQ-0001-x.yaml", kind=Kind.REQUIREMENT)
    assert quality_checks(record, item, Settings()) == []
    ((since, until, diagnostic),) = record.pending
    assert (since, until, diagnostic.code) == (dt.date(2026, 3, 14), None, "MIT407")


# --- MIT408-MIT416 -------------------------------------------------------------------------


def test_investment_threshold_and_roi() -> None:
    assert "MIT408" not in codes(req(estimate={"cost": 200000}))
    assert "MIT408" in codes(req(estimate={"cost": 200001}))
    assert "MIT408" in codes(req(estimate={"cost": 300000, "benefit": 299999}))
    assert "MIT408" not in codes(req(estimate={"cost": 300000, "benefit": 300000}))
    settings = Settings.model_validate({"rules": {"investment_threshold": 500000}})
    assert "MIT408" not in codes(req(estimate={"cost": 300000}), settings)


def plan(**fields: Any) -> Plan:
    return Plan.model_validate({"id": "PLAN-0001", "title": "Loyalty", "status": "draft", **fields})


def test_pilot_expected_above_the_threshold() -> None:
    rollout = {"name": "Launch", "kind": "rollout", "start": "2026-05-01", "end": "2026-06-01"}
    pilot = {**rollout, "name": "Pilot", "kind": "pilot"}
    assert "MIT409" in codes(plan(budget={"total": 1000001}, phases=[rollout]))
    assert "MIT409" not in codes(plan(budget={"total": 1000001}, phases=[pilot, rollout]))
    assert "MIT409" not in codes(plan(budget={"total": 1000000}))


def test_process_rules() -> None:
    approved = {**SUBMITTED, "status": "approved", "feasibility": {"technical": "high"}}
    assert "MIT410" in codes(Requirement.model_validate(approved))
    with_approval = {**approved, "approval": {"by": "Chen Jie", "date": "2026-02-20"}}
    assert "MIT410" not in codes(Requirement.model_validate(with_approval))
    assert "MIT411" in codes(Requirement.model_validate({**SUBMITTED, "status": "analysis"}))
    # From approval on MIT301 requires owners.it: MIT411 does not repeat it.
    assert "MIT411" not in codes(Requirement.model_validate(approved))


def test_missing_tests() -> None:
    submitted = {**SUBMITTED, "acceptance_criteria": []}
    assert "MIT412" in codes(Requirement.model_validate(submitted))
    assert "MIT412" not in codes(req())
    security = Requirement.model_validate({**SUBMITTED, "type": "security"})
    assert "MIT413" in codes(security)
    tested = {**SUBMITTED, "type": "compliance", "testing": {"security": True}}
    assert "MIT413" not in codes(Requirement.model_validate(tested))
    personal = Requirement.model_validate({**SUBMITTED, "tags": ["web", "gdpr"]})
    (finding,) = [f for f in findings_for(personal, Settings()) if f.code == "MIT414"]
    assert finding.loc == ("tags", 1)


def test_plan_risks() -> None:
    migration = {
        "name": "Move data",
        "kind": "migration",
        "start": "2026-06-01",
        "end": "2026-06-02",
    }
    risky = {"description": "Data lost", "likelihood": "high", "impact": "high"}
    found = findings_for(plan(phases=[migration], risks=[risky]), Settings())
    assert [(f.code, f.loc) for f in found] == [
        ("MIT416", ("risks", 0)),
        ("MIT415", ("phases", 0)),
    ]
    safe = {**risky, "mitigation": "Backup first; 回滚脚本", "owner": "Wang Fang"}
    assert codes(plan(phases=[migration], risks=[safe])) == []
    assert "MIT416" in codes(req(risks=[risky]))


def test_rush_follows_the_workflow_overrides_of_open() -> None:
    # A team whose workflow ends at 'submitted' (nothing moves on from it): such an
    # item is closed, and a closed request is never a rush.
    closed = Settings.model_validate(
        {"workflows": {"requirement": {"transitions": {"draft": ["submitted"], "submitted": []}}}}
    )
    item = req(status="submitted", due="2026-03-13", estimate={"effort_days": 20})
    assert "MIT406" in codes(item)
    assert "MIT406" not in codes(item, closed)
