"""Render core: checklists ticked from the data, complete translations, stable contexts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mitrm.core.models import ChangeRequest, Plan, Requirement
from mitrm.core.render import documents, i18n, make_catalog
from mitrm.core.render.checklists import implementation, readiness
from mitrm.core.render.context import relative
from mitrm.core.render.portfolio import default_as_of

L = i18n.labels("en")

FULL: dict[str, Any] = {
    "id": "REQ-0001",
    "title": "Faster checkout",
    "type": "feature",
    "status": "approved",
    "source": {"channel": "customer"},
    "owners": {"business": "Li", "it": "Wang"},
    "created": "2026-01-01",
    "due": "2026-06-30",
    "description": "Checkout in under 2 s.",
    "business_goal": "Raise mobile conversion",
    "features": ["One-page checkout"],
    "kpis": [
        {
            "name": "Conversion",
            "baseline": 2.1,
            "target": 2.6,
            "unit": "%",
            "measurement": "A/B test, weekly",
        }
    ],
    "acceptance_criteria": ["LCP under 2 s"],
    "feasibility": {"technical": "high", "economic": "medium", "operational": "high"},
    "estimate": {"effort_days": 40, "cost": 100000, "benefit": 250000},
    "scoring": {"value": 5, "difficulty": 2},
    "risks": [{"description": "Payment outage", "mitigation": "Feature flag"}],
    "compliance": ["PII"],
    "testing": {"functional": True, "performance": True, "security": True},
    "training": {"needed": False},
}


def _req(**changes: Any) -> Requirement:
    data = {**FULL, **changes}
    return Requirement.model_validate({k: v for k, v in data.items() if v is not None})


def test_a_complete_requirement_ticks_every_readiness_box() -> None:
    checks = readiness(_req(), L)
    assert len(checks) == 13
    assert [c for c in checks if not c["ok"]] == []


def test_every_unticked_readiness_box_says_what_is_missing() -> None:
    bare = Requirement.model_validate(
        {"id": "REQ-0002", "title": "Something", "type": "feature", "status": "draft"}
    )
    checks = readiness(bare, L)
    assert all(not c["ok"] and c["missing"] for c in checks)
    missing = {c["key"]: c["missing"] for c in checks}
    assert missing["smart_specific"] == "no description; no system features listed"
    assert missing["smart_time_bound"] == "no due date"
    assert missing["check_it_owner"] == "no IT owner named"
    assert missing["check_feasibility"] == "not rated: Technical, Economic, Operational"


def test_readiness_names_the_kpi_and_risk_that_fall_short() -> None:
    req = _req(
        kpis=[{"name": "Share", "target": 3}],
        risks=[{"description": "Churn"}],
        feasibility={"technical": "low", "economic": "high", "operational": "high"},
        training={"needed": True},
    )
    missing = {c["key"]: c["missing"] for c in readiness(req, L) if not c["ok"]}
    assert missing == {
        "smart_measurable": "KPI 'Share' has no baseline",
        "smart_achievable": "technical feasibility is rated low",
        "check_risks": "risk 'Churn' has no mitigation",
        "check_training": "training needed but no plan or audience",
        "check_data": "KPI 'Share' does not say how it is measured",
    }


def test_readiness_reasons_are_translated() -> None:
    bare = Requirement.model_validate(
        {"id": "REQ-0002", "title": "x", "type": "feature", "status": "draft"}
    )
    checks = readiness(bare, i18n.labels("zh"))
    assert checks[4]["label"] == "有时限：有截止日期"
    assert checks[4]["missing"] == "没有截止日期"


PLAN: dict[str, Any] = {
    "id": "PLAN-0001",
    "title": "Roll-out",
    "status": "approved",
    "owner": "Wang",
    "requirements": ["REQ-0001"],
    "start": "2026-01-01",
    "end": "2026-12-31",
    "phases": [
        {"name": "Pilot", "kind": "pilot", "start": "2026-01-01", "end": "2026-03-31"},
        {"name": "Migrate", "kind": "migration", "start": "2026-04-01", "end": "2026-05-31"},
        {"name": "Roll-out", "kind": "rollout", "start": "2026-06-01", "end": "2026-12-31"},
    ],
    "milestones": [
        {"name": "Pilot checked", "date": "2026-04-05", "done": True},
        {"name": "Migration checked", "date": "2026-06-03"},
        {"name": "Review", "date": "2026-07-01"},
    ],
    "budget": {
        "total": 1000,
        "lines": [{"category": "training", "amount": 100}, {"category": "people", "amount": 800}],
    },
    "resources": [{"kind": "software", "name": "CRM"}],
    "risks": [{"description": "Data loss", "mitigation": "Backups", "owner": "Wang"}],
    "support": {"tiers": [{"name": "L1", "response_time": "1h"}, {"name": "L2"}]},
    "tco": [{"year": 1, "cost": 10}, {"year": 2, "cost": 10}, {"year": 3, "cost": 10}],
}


def _flat(plan: Plan, reqs: dict[str, Requirement]) -> dict[str, dict[str, Any]]:
    return {c["key"]: c for step in implementation(plan, reqs, L) for c in step["checks"]}


def test_a_complete_plan_ticks_every_implementation_box() -> None:
    req = _req(testing={"security": True, "performance": True, "data_protection_review": True})
    checks = _flat(Plan.model_validate(PLAN), {"REQ-0001": req})
    assert {k: c["missing"] for k, c in checks.items() if not c["ok"]} == {}
    steps = implementation(Plan.model_validate(PLAN), {"REQ-0001": req}, L)
    assert [s["label"] for s in steps] == [
        "Requirement analysis",
        "Solution selection",
        "Cost-benefit analysis",
        "Data integration",
        "Training and tiered support",
        "Feedback loop",
        "Planning",
        "Execution monitoring",
        "Evaluation",
    ]


def test_a_bare_plan_says_what_each_step_lacks() -> None:
    plan = Plan.model_validate(
        {"id": "PLAN-0002", "title": "x", "status": "draft", "requirements": ["REQ-0404"]}
    )
    checks = _flat(plan, {})
    assert all(not c["ok"] for c in checks.values())
    assert checks["impl_requirements_approved"]["missing"] == "unknown requirements: REQ-0404"
    assert checks["impl_cleaning"]["missing"] == "no phase of kind 'migration'"
    assert checks["impl_planning"]["missing"] == ("missing: start, end, phases, milestones, budget")


def test_a_requirement_not_yet_approved_keeps_analysis_open() -> None:
    req = _req(status="analysis")
    checks = _flat(Plan.model_validate(PLAN), {"REQ-0001": req})
    assert checks["impl_requirements_approved"]["missing"] == "not approved yet: REQ-0001"


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_label_and_enum_value_is_translated(lang: str) -> None:
    labels = i18n.labels(lang)
    assert all(text.strip() for text in labels.values())
    names = i18n.enum_names(lang)
    for group, enum in i18n.enum_groups().items():
        assert set(names[group]) == {m.value for m in enum}, group
    assert labels.keys() == i18n.labels("en").keys()


def test_chinese_labels_are_chinese() -> None:
    zh = i18n.labels("zh")
    assert zh["status"] == "状态"
    assert i18n.enum_names("zh")["requirement_status"]["in_progress"] == "进行中"


def test_links_between_documents() -> None:
    assert relative("requirements/REQ-1.md", "requirements/REQ-2.md") == "REQ-2.md"
    assert relative("requirements/REQ-1.md", "plans/PLAN-1.md") == "../plans/PLAN-1.md"
    assert relative("index.md", "plans/PLAN-1.md") == "plans/PLAN-1.md"
    assert relative("plans/PLAN-1.md", "index.md") == "../index.md"


def _catalog(*reqs: Requirement) -> Any:
    change = ChangeRequest.model_validate(
        {"id": "CR-0001", "title": "c", "status": "draft", "targets": ["REQ-0001", "REQ-0404"]}
    )
    return make_catalog(
        requirements=list(reqs),
        plans=[Plan.model_validate(PLAN)],
        changes=[change],
        lang="en",
        currency="CNY",
    )


def test_documents_come_in_a_stable_order_whatever_the_input_order() -> None:
    a, b = _req(), _req(id="REQ-0002", depends_on=["REQ-0001"])
    first = documents(_catalog(a, b))
    second = documents(_catalog(b, a))
    assert [d.path for d in first] == [d.path for d in second]
    assert [d.context for d in first] == [d.context for d in second]
    assert [d.path for d in first] == [
        "requirements/REQ-0001.md",
        "requirements/REQ-0001-readiness.md",
        "requirements/REQ-0002.md",
        "requirements/REQ-0002-readiness.md",
        "plans/PLAN-0001.md",
        "plans/PLAN-0001-checklist.md",
        "changes/CR-0001.md",
        "index.md",
    ]


def test_references_link_known_items_and_name_unknown_ones() -> None:
    docs = {d.path: d.context for d in documents(_catalog(_req()))}
    targets = docs["changes/CR-0001.md"]["change"]["targets"]
    assert targets[0]["link"] == "../requirements/REQ-0001.md"
    assert targets[1] == {
        "id": "REQ-0404",
        "title": None,
        "kind": None,
        "status": None,
        "link": None,
    }
    req = docs["requirements/REQ-0001.md"]["req"]
    assert [p["id"] for p in req["plans"]] == ["PLAN-0001"]
    assert [c["id"] for c in req["changes"]] == ["CR-0001"]
    assert req["estimate"]["roi"] == "150%"
    assert req["estimate"]["cost"] == "100,000 CNY"


def test_the_portfolio_without_ranking_or_metrics_says_so() -> None:
    index = documents(_catalog(_req()))[-1].context["portfolio"]
    assert index["backlog"] is None
    assert index["metrics"] is None
    assert index["quality"] is None
    assert index["quadrant"][0]["id"] == "REQ-0001"


def test_the_as_of_date_comes_from_the_data() -> None:
    req = _req(created="2026-03-01", approval={"by": "X", "date": "2026-04-02"})
    assert default_as_of([req], [], []) == dt.date(2026, 4, 2)
    assert default_as_of([], [], []) is None
