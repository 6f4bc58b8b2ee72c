"""The readiness and implementation checklists: boxes ticked from the data, with what is missing."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from mitrm.core.models import Plan, Requirement
from mitrm.core.models.common import Level
from mitrm.core.models.plan import BudgetCategory, PhaseKind, ResourceKind
from mitrm.core.models.requirement import RequirementType

Check = dict[str, Any]
"""One box: ``key``, ``label``, ``ok``, ``missing`` (why it is not ticked, or None) and
``fill``: the fields to fill, each with a ``mitrm set`` (or ``mitrm status``) command."""

_APPROVED_OR_LATER = {"approved", "planned", "in_progress", "testing", "released", "closed"}
_AB_WORDS = re.compile(r"a\s*/\s*b|\bab\s*test|attribution|归因|分流|对照实验", re.IGNORECASE)
_CONSISTENCY_DAYS = 14


def _check(
    labels: Mapping[str, str], key: str, missing: list[str], fill: list[Fill] | None = None
) -> Check:
    fills = list(dict.fromkeys(fill or [])) if missing else []
    return {
        "key": key,
        "label": labels[key],
        "ok": not missing,
        "missing": "; ".join(missing) if missing else None,
        "fill": [{"field": field, "command": command} for field, command in fills[:_FILLS]],
    }


Fill = tuple[str, str]
"""(field, command that fills it)."""
_FILLS = 3  # more commands than this in one box stop being read


def _set(item_id: str, field: str, value: str, *, append: bool = False) -> Fill:
    """The field and a ``mitrm set`` command that fills it with an example ``value``."""
    return field, f"mitrm set {item_id} {field}{'+=' if append else '='}{value}"


_TEXT = '"…"'  # an example text the user replaces


def readiness(req: Requirement, labels: Mapping[str, str]) -> list[Check]:
    """The readiness checklist of one requirement; SMART first, then the other checks."""
    L = labels
    rid = req.id
    checks: list[Check] = []

    specific = []
    fill: list[Fill] = []
    if not req.description:
        specific.append(L["why_no_description"])
        fill.append(_set(rid, "description", _TEXT))
    if not req.features:
        specific.append(L["why_no_features"])
        fill.append(_set(rid, "features", _TEXT, append=True))
    checks.append(_check(L, "smart_specific", specific, fill))

    measurable = [] if req.kpis else [L["why_no_kpis"]]
    fill = [] if req.kpis else [_new_kpi(rid)]
    for index, kpi in enumerate(req.kpis):
        if kpi.baseline is None:
            measurable.append(L["why_kpi_no_baseline"].format(name=kpi.name))
            fill.append(_set(rid, f"kpis.{index}.baseline", "2.1"))
        if kpi.target is None:
            measurable.append(L["why_kpi_no_target"].format(name=kpi.name))
            fill.append(_set(rid, f"kpis.{index}.target", "3"))
    checks.append(_check(L, "smart_measurable", measurable, fill))

    achievable = []
    fill = []
    if req.estimate is None or req.estimate.effort_days is None:
        achievable.append(L["why_no_effort"])
        fill.append(_set(rid, "estimate.effort_days", "20"))
    if req.feasibility is not None and req.feasibility.technical is Level.LOW:
        achievable.append(L["why_technical_low"])
        fill.append(_set(rid, "feasibility.technical", "medium"))
    checks.append(_check(L, "smart_achievable", achievable, fill))
    checks.append(
        _check(
            L,
            "smart_relevant",
            [] if req.business_goal else [L["why_no_goal"]],
            [_set(rid, "business_goal", _TEXT)],
        )
    )
    checks.append(
        _check(
            L,
            "smart_time_bound",
            [] if req.due else [L["why_no_due"]],
            [_set(rid, "due", "YYYY-MM-DD")],
        )
    )

    checks.append(
        _check(
            L,
            "check_acceptance",
            [] if req.acceptance_criteria else [L["why_no_acceptance"]],
            [_set(rid, "acceptance_criteria", _TEXT, append=True)],
        )
    )
    it_owner = req.owners is not None and bool(req.owners.it)
    checks.append(
        _check(
            L,
            "check_it_owner",
            [] if it_owner else [L["why_no_it_owner"]],
            [_set(rid, "owners.it", _TEXT)],
        )
    )

    feasibility = req.feasibility
    unrated = [
        L[name]
        for name in ("technical", "economic", "operational")
        if feasibility is None or getattr(feasibility, name) is None
    ]
    checks.append(
        _check(
            L,
            "check_feasibility",
            [L["why_feasibility_missing"].format(fields=L["list_sep"].join(unrated))]
            if unrated
            else [],
            [
                _set(rid, f"feasibility.{name}", "medium")
                for name in ("technical", "economic", "operational")
                if feasibility is None or getattr(feasibility, name) is None
            ],
        )
    )

    risks = [] if req.risks else [L["why_no_risks"]]
    fill = [] if req.risks else [_new_risk(rid)]
    for index, risk in enumerate(req.risks):
        if not risk.mitigation:
            risks.append(L["why_risk_no_mitigation"].format(name=risk.description))
            fill.append(_set(rid, f"risks.{index}.mitigation", _TEXT))
    checks.append(_check(L, "check_risks", risks, fill))

    reviewed = bool(req.compliance) or bool(req.testing and req.testing.data_protection_review)
    checks.append(
        _check(
            L,
            "check_compliance",
            [] if reviewed else [L["why_no_compliance"]],
            [
                _set(rid, "compliance", "PII", append=True),
                _set(rid, "testing.data_protection_review", "true"),
            ],
        )
    )

    testing = req.testing
    planned = testing is not None and any(
        (testing.functional, testing.performance, testing.security, testing.compatibility)
    )
    checks.append(
        _check(
            L,
            "check_tests",
            [] if planned else [L["why_no_tests"]],
            [_set(rid, "testing.functional", "true")],
        )
    )

    training = req.training
    if training is None or training.needed is None:
        training_gaps = [L["why_training_unknown"]]
        fill = [_set(rid, "training.needed", "true")]
    elif training.needed and not (training.plan or training.audience):
        training_gaps = [L["why_training_no_plan"]]
        fill = [
            _set(rid, "training.plan", _TEXT),
            _set(rid, "training.audience", _TEXT, append=True),
        ]
    else:
        training_gaps, fill = [], []
    checks.append(_check(L, "check_training", training_gaps, fill))

    data = [] if req.kpis else [L["why_no_kpis"]]
    fill = [] if req.kpis else [_new_kpi(rid)]
    for index, kpi in enumerate(req.kpis):
        if not kpi.measurement:
            data.append(L["why_kpi_no_measurement"].format(name=kpi.name))
            fill.append(_set(rid, f"kpis.{index}.measurement", _TEXT))
    checks.append(_check(L, "check_data", data, fill))
    return checks


def _new_kpi(item_id: str) -> Fill:
    return _set(
        item_id, "kpis", """'{name: "…", baseline: 2.1, target: 3, unit: "%"}'""", append=True
    )


def _new_risk(item_id: str) -> Fill:
    return _set(item_id, "risks", """'{description: "…", mitigation: "…"}'""", append=True)


def _ids(ids: list[str]) -> str:
    return ", ".join(ids)


def implementation(
    plan: Plan, requirements: Mapping[str, Requirement], labels: Mapping[str, str]
) -> list[dict[str, Any]]:
    """The implementation checklist of one plan: steps, each with its ticked-from-data boxes.

    ``requirements`` maps ids to the repo's valid requirements; the plan's
    scope is looked up there.
    """
    L = labels
    pid = plan.id
    in_scope = [requirements[rid] for rid in plan.requirements if rid in requirements]
    unknown = [rid for rid in plan.requirements if rid not in requirements]

    def step(key: str, checks: list[Check]) -> dict[str, Any]:
        return {"key": key, "label": L[key], "checks": checks}

    def scope_gap(ok: list[Requirement], why: str) -> list[str]:
        if not in_scope:
            return [L["why_no_requirements"]]
        return [] if ok else [why]

    def on_scope(field: str, value: str) -> list[Fill]:
        if not in_scope:
            return [_set(pid, "requirements", "REQ-0001", append=True)]
        return [_set(r.id, field, value) for r in in_scope]

    analysis = []
    analysis_fill: list[Fill] = []
    if not plan.requirements:
        analysis.append(L["why_no_requirements"])
        analysis_fill.append(_set(pid, "requirements", "REQ-0001", append=True))
    if unknown:
        analysis.append(L["why_unknown_reqs"].format(ids=_ids(unknown)))
        analysis_fill.append(("requirements", f"mitrm show {unknown[0]}"))
    waiting = [r.id for r in in_scope if r.status._value_ not in _APPROVED_OR_LATER]
    if waiting:
        analysis.append(L["why_not_approved"].format(ids=_ids(waiting)))
        analysis_fill += [("status", f"mitrm status {rid} approved") for rid in waiting]

    security = [r for r in in_scope if r.testing and r.testing.security]
    protection = [
        r for r in in_scope if r.compliance and r.testing and r.testing.data_protection_review
    ]
    apis = any(r.type is RequirementType.INTEGRATION for r in in_scope) or any(
        res.kind in (ResourceKind.SOFTWARE, ResourceKind.SERVICE) for res in plan.resources
    )
    performance = [r for r in in_scope if r.testing and r.testing.performance]

    tco_years = len({year.year for year in plan.tco})
    no_benefit = [r.id for r in in_scope if r.estimate is None or r.estimate.benefit is None]

    steps = [
        step("step_analysis", [_check(L, "impl_requirements_approved", analysis, analysis_fill)]),
        step(
            "step_selection",
            [
                _check(
                    L,
                    "impl_security",
                    scope_gap(security, L["why_no_security_test"]),
                    on_scope("testing.security", "true"),
                ),
                _check(
                    L,
                    "impl_data_protection",
                    scope_gap(protection, L["why_no_data_protection"]),
                    on_scope("testing.data_protection_review", "true"),
                ),
                _check(
                    L,
                    "impl_apis",
                    [] if apis else [L["why_no_apis"]],
                    [_set(pid, "resources", """'{name: "…", kind: software}'""", append=True)],
                ),
                _check(
                    L,
                    "impl_scalability",
                    scope_gap(performance, L["why_no_performance_test"]),
                    on_scope("testing.performance", "true"),
                ),
            ],
        ),
        step(
            "step_cost_benefit",
            [
                _check(
                    L,
                    "impl_tco",
                    [] if tco_years >= 3 else [L["why_tco_years"].format(n=tco_years)],
                    [_new_tco_year(plan)],
                ),
                _check(
                    L,
                    "impl_benefit",
                    [L["why_no_requirements"]]
                    if not in_scope
                    else (
                        [L["why_missing_for"].format(ids=_ids(no_benefit))] if no_benefit else []
                    ),
                    [_set(rid, "estimate.benefit", "500000") for rid in no_benefit]
                    or on_scope("estimate.benefit", "500000"),
                ),
            ],
        ),
        step("step_data", _data_checks(plan, L)),
        step("step_training_support", _support_checks(plan, in_scope, L)),
        step("step_feedback", _feedback_checks(plan, L)),
        step("step_planning", _planning_checks(plan, L)),
        step(
            "step_monitoring",
            [_check(L, "impl_monitoring", _progress(plan, L), _progress_fill(plan))],
        ),
        step("step_evaluation", _evaluation_checks(in_scope, L)),
    ]
    return steps


def _data_checks(plan: Plan, L: Mapping[str, str]) -> list[Check]:
    phases = sorted(plan.phases, key=lambda p: (p.start, p.end, p.name))
    migrations = [p for p in phases if p.kind is PhaseKind.MIGRATION]
    pilots = [p for p in phases if p.kind is PhaseKind.PILOT]
    later = [p for p in phases if p.kind in (PhaseKind.ROLLOUT, PhaseKind.MIGRATION)]
    pilot_first: list[str] = []
    if not pilots:
        pilot_first.append(L["why_no_pilot"])
    elif later and not any(
        pilot.end <= big.start for pilot in pilots for big in later if big is not pilot
    ):
        pilot_first.append(L["why_pilot_not_first"])
    checked = pilots + migrations
    consistency: list[str] = [] if checked else [L["why_no_pilot_or_migration"]]
    for phase in checked:
        window_end = phase.end + dt.timedelta(days=_CONSISTENCY_DAYS)
        if not any(phase.end <= m.date <= window_end for m in plan.milestones):
            consistency.append(L["why_no_check_after"].format(name=phase.name))
    pid = plan.id
    return [
        _check(
            L,
            "impl_cleaning",
            [] if migrations else [L["why_no_migration_phase"]],
            [_new_phase(pid, "migration")],
        ),
        _check(L, "impl_pilot_first", pilot_first, [_new_phase(pid, "pilot")]),
        _check(L, "impl_consistency", consistency, [_new_milestone(pid)]),
    ]


def _new_phase(plan_id: str, kind: str) -> Fill:
    value = f"'{{name: \"…\", kind: {kind}, start: YYYY-MM-DD, end: YYYY-MM-DD}}'"
    return _set(plan_id, "phases", value, append=True)


def _new_milestone(plan_id: str) -> Fill:
    return _set(plan_id, "milestones", """'{name: "…", date: YYYY-MM-DD}'""", append=True)


def _new_tco_year(plan: Plan) -> Fill:
    year = max((y.year for y in plan.tco), default=0) + 1
    return _set(plan.id, "tco", f"'{{year: {year}, cost: 100000}}'", append=True)


def _new_tier(plan_id: str) -> Fill:
    return _set(plan_id, "support.tiers", """'{name: L2, response_time: 4h}'""", append=True)


def _support_checks(
    plan: Plan,
    in_scope: list[Requirement],
    L: Mapping[str, str],
) -> list[Check]:
    budgeted = plan.budget is not None and any(
        line.category is BudgetCategory.TRAINING for line in plan.budget.lines
    )
    planned = any(r.training and (r.training.plan or r.training.audience) for r in in_scope)
    tiers = len(plan.support.tiers) if plan.support else 0
    training = [_set(plan.id, "budget.lines", "'{category: training, amount: 50000}'", append=True)]
    return [
        _check(L, "impl_training", [] if budgeted or planned else [L["why_no_training"]], training),
        _check(
            L,
            "impl_tiers",
            [] if tiers >= 2 else [L["why_tiers"].format(n=tiers)],
            [_new_tier(plan.id)],
        ),
    ]


def go_live(plan: Plan) -> dt.date | None:
    """The start of the first roll-out phase, else the plan's end."""
    rollouts = sorted(p.start for p in plan.phases if p.kind is PhaseKind.ROLLOUT)
    return rollouts[0] if rollouts else plan.end


def _feedback_checks(plan: Plan, L: Mapping[str, str]) -> list[Check]:
    live = go_live(plan)
    if live is None:
        short = [L["why_no_go_live_date"]]
    elif any(m.date > live for m in plan.milestones):
        short = []
    else:
        short = [L["why_no_go_live"].format(date=live.isoformat())]
    support = plan.support is not None and any(t.response_time for t in plan.support.tiers)
    years = len({year.year for year in plan.tco})
    return [
        _check(
            L,
            "impl_feedback_short",
            short,
            [_new_milestone(plan.id)] if live else [_new_phase(plan.id, "rollout")],
        ),
        _check(
            L,
            "impl_feedback_medium",
            [] if support else [L["why_no_support"]],
            [_set(plan.id, "support.tiers.0.response_time", "4h")]
            if plan.support and plan.support.tiers
            else [_new_tier(plan.id)],
        ),
        _check(
            L,
            "impl_feedback_long",
            [] if years >= 3 else [L["why_tco_years"].format(n=years)],
            [_new_tco_year(plan)],
        ),
    ]


def _planning_checks(plan: Plan, L: Mapping[str, str]) -> list[Check]:
    missing = [
        name
        for name, present in (
            ("start", plan.start),
            ("end", plan.end),
            ("phases", plan.phases),
            ("milestones", plan.milestones),
            ("budget", plan.budget),
        )
        if not present
    ]
    incomplete = [r.description for r in plan.risks if not (r.mitigation and r.owner)]
    risks = [] if plan.risks else [L["why_no_risks"]]
    risk_fill = [] if plan.risks else [_new_risk(plan.id)]
    if incomplete:
        risks.append(L["why_risks_incomplete"].format(names=", ".join(incomplete)))
    for index, risk in enumerate(plan.risks):
        for field in ("mitigation", "owner"):
            if not getattr(risk, field):
                risk_fill.append(_set(plan.id, f"risks.{index}.{field}", _TEXT))
    examples = {
        "start": _set(plan.id, "start", "YYYY-MM-DD"),
        "end": _set(plan.id, "end", "YYYY-MM-DD"),
        "phases": _new_phase(plan.id, "pilot"),
        "milestones": _new_milestone(plan.id),
        "budget": _set(plan.id, "budget.total", "1000000"),
    }
    return [
        _check(
            L,
            "impl_planning",
            [L["why_missing_fields"].format(fields=", ".join(missing))] if missing else [],
            [examples[name] for name in missing],
        ),
        _check(L, "impl_risks", risks, risk_fill),
    ]


def _progress(plan: Plan, L: Mapping[str, str]) -> list[str]:
    done = any(m.done for m in plan.milestones)
    spent = plan.budget is not None and any(
        line.spent is not None and line.spent > Decimal(0) for line in plan.budget.lines
    )
    return [] if done or spent else [L["why_no_progress"]]


def _progress_fill(plan: Plan) -> list[Fill]:
    fill = [_set(plan.id, f"milestones.{i}.done", "true") for i, _ in enumerate(plan.milestones)]
    if plan.budget is not None and plan.budget.lines:
        fill.append(_set(plan.id, "budget.lines.0.spent", "10000"))
    return fill[:1] + fill[-1:] if len(fill) > 1 else fill


def _evaluation_checks(in_scope: list[Requirement], L: Mapping[str, str]) -> list[Check]:
    if not in_scope:
        gaps = [L["why_no_requirements"]]
        ab = [L["why_no_requirements"]]
    else:
        lacking = [
            r.id
            for r in in_scope
            if not r.kpis
            or any(k.baseline is None or k.target is None or not k.measurement for k in r.kpis)
        ]
        gaps = [L["why_missing_for"].format(ids=_ids(lacking))] if lacking else []
        named = any(_AB_WORDS.search(k.measurement or "") for r in in_scope for k in r.kpis)
        ab = [] if named else [L["why_no_ab"]]
    kpi_fill: list[Fill] = []
    for req in in_scope:
        if not req.kpis:
            kpi_fill.append(_new_kpi(req.id))
        for index, kpi in enumerate(req.kpis):
            for field, value in (("baseline", "2.1"), ("target", "3"), ("measurement", _TEXT)):
                if getattr(kpi, field) in (None, ""):
                    kpi_fill.append(_set(req.id, f"kpis.{index}.{field}", value))
    with_kpis = [(r.id, i) for r in in_scope for i, _ in enumerate(r.kpis)]
    ab_fill = [_set(rid, f"kpis.{i}.measurement", '"A/B test …"') for rid, i in with_kpis[:1]]
    return [
        _check(L, "impl_kpis", gaps, kpi_fill),
        _check(L, "impl_ab", ab, ab_fill or [_new_kpi(in_scope[0].id)] if in_scope else []),
    ]


def summary(checks: list[Check]) -> tuple[int, int]:
    """(ticked, total) of a flat list of checks."""
    return sum(1 for c in checks if c["ok"]), len(checks)
