"""Template contexts: plain dicts of strings, numbers, lists and None, built from the models.

Templates never see a model: every value is already formatted (dates as ISO
strings, money with thousands separators), every enum value comes with its
display name, and every reference to another item comes with a relative link
when that item has a document. ``docs/templates.md`` documents the shapes.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Any

from mitrm.core.checking import default_open
from mitrm.core.models import ChangeRequest, Item, Kind, Plan, Requirement
from mitrm.core.models.common import Risk
from mitrm.core.models.requirement import Scoring
from mitrm.core.render import checklists

Ctx = dict[str, Any]


_FOLDERS = {kind: kind.folder for kind in Kind}
_SCORING_FIELDS = tuple(sorted(Scoring.model_fields))


def doc_path(item: Item, suffix: str = "") -> str:
    """Where the document of ``item`` goes, relative to the output folder."""
    return f"{_FOLDERS[item.kind]}/{item.id}{suffix}.md"


def relative(from_doc: str, to_doc: str) -> str:
    """The link from one document to another, both relative to the output folder."""
    # Up to the output folder, then down: always right, and much cheaper than relpath.
    src_dir = from_doc.rpartition("/")[0]
    dst_dir, _, name = to_doc.rpartition("/")
    if src_dir == dst_dir:
        return name
    return "../" * (src_dir.count("/") + 1 if src_dir else 0) + to_doc


def number(value: Decimal | float | int | None) -> str | None:
    """A number as people write it: no exponent, no trailing zeros after the point."""
    if value is None:
        return None
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        text = format(value, "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text
    return str(value)


def money(value: Decimal | None, currency: str) -> str | None:
    """An amount with thousands separators and its currency: ``120,000 CNY``."""
    if value is None:
        return None
    text = f"{value:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text} {currency}"


def percent(part: Decimal, whole: Decimal) -> str | None:
    """``part`` as a whole-number percentage of ``whole``; None when ``whole`` is zero."""
    if not whole:
        return None
    ratio = part * 100 / whole
    try:
        value = ratio.quantize(Decimal(1))
    except ArithmeticError:  # more digits than the context holds (a cost of 1e-400)
        return f"{ratio:.2E}%"
    return f"{value}%"


@dataclass
class Catalog:
    """Every valid item of the repo, with the look-ups documents need (built once)."""

    requirements: list[Requirement]
    plans: list[Plan]
    changes: list[ChangeRequest]
    lang: str
    labels: Mapping[str, str]
    enums: Mapping[str, Mapping[str, str]]
    currency: str
    sources: Mapping[str, str] = field(default_factory=dict)
    source_prefix: str | None = None
    open_statuses: frozenset[str] = default_open(Kind.REQUIREMENT)
    """The requirement statuses that count as open (workflow.open_of)."""
    priorities: Mapping[str, Ctx] = field(default_factory=dict)
    """Each requirement's place in the ranked backlog (see ``priority_context``)."""

    def __post_init__(self) -> None:
        self.by_id: dict[str, Item] = {}
        for item in (*self.requirements, *self.plans, *self.changes):
            self.by_id.setdefault(item.id, item)
        self.req_by_id = {r.id: r for r in self.requirements}
        self.plans_of: dict[str, list[Plan]] = defaultdict(list)
        for plan in self.plans:
            for rid in dict.fromkeys(rid for _, rid in plan.references()):
                self.plans_of[rid].append(plan)
        self.changes_of: dict[str, list[ChangeRequest]] = defaultdict(list)
        for change in self.changes:
            for target in dict.fromkeys(change.targets):
                self.changes_of[target].append(change)
        self.dependents: dict[str, list[Requirement]] = defaultdict(list)
        for req in self.requirements:
            for dep in dict.fromkeys(req.depends_on):
                self.dependents[dep].append(req)

    # --- small pieces --------------------------------------------------------------

    def enum(self, group: str, value: Enum | None) -> Ctx | None:
        """``{"value": ..., "label": ...}`` for an enum value, None when unset."""
        if value is None:
            return None
        raw = str(value._value_)
        return {"value": raw, "label": self.enums[group].get(raw, raw)}

    def status(self, item: Item) -> Ctx | None:
        """The status of any item with its display name."""
        group = {"requirement": "requirement_status", "plan": "plan_status"}.get(
            item.kind.value, "change_status"
        )
        return self.enum(group, getattr(item, "status", None))

    def ref(self, item_id: str, from_doc: str) -> Ctx:
        """Another item, as a reference: id, title, kind, status and link (None if unknown)."""
        item = self.by_id.get(item_id)
        if item is None:
            return {"id": item_id, "title": None, "kind": None, "status": None, "link": None}
        return {
            "id": item_id,
            "title": item.title,
            "kind": item.kind.value,
            "status": self.status(item),
            "link": relative(from_doc, doc_path(item)),
        }

    def source_link(self, item: Item, from_doc: str) -> Ctx | None:
        """The item's YAML file: its repo-relative path and a link from ``from_doc``."""
        path = self.sources.get(item.id)
        if path is None:
            return None
        link = None
        if self.source_prefix is not None:
            depth = from_doc.count("/")
            link = posixpath.normpath(posixpath.join(*([".."] * depth), self.source_prefix, path))
        return {"path": path, "link": link}

    def risks(self, risks: Iterable[Risk]) -> list[Ctx]:
        """Risks with their ratings' display names."""
        return [
            {
                "description": risk.description,
                "likelihood": self.enum("level", risk.likelihood),
                "impact": self.enum("level", risk.impact),
                "mitigation": risk.mitigation,
                "owner": risk.owner,
                "category": risk.category,
            }
            for risk in risks
        ]

    def common(self, item: Item, path: str) -> Ctx:
        """The fields every item's context has."""
        approval = item.approval
        return {
            "id": item.id,
            "title": item.title,
            "kind": item.kind.value,
            "status": self.status(item),
            "tags": list(item.tags),
            "approval": None
            if approval is None
            else {"by": approval.by, "date": approval.date.isoformat(), "note": approval.note},
            "path": path,
            "source": self.source_link(item, path),
        }

    # --- documents -----------------------------------------------------------------

    def requirement(self, req: Requirement) -> Ctx:
        """The context of a requirement's document and readiness checklist."""
        path = doc_path(req)
        ctx = self.common(req, path)
        source = req.source
        owners = req.owners
        estimate = req.estimate
        currency = (estimate.currency if estimate else None) or self.currency
        readiness = checklists.readiness(req, self.labels)
        done, total = checklists.summary(readiness)
        testing = req.testing
        ctx.update(
            {
                "type": self.enum("requirement_type", req.type),
                "origin": None
                if source is None
                else {
                    "channel": self.enum("channel", source.channel),
                    "department": source.department,
                    "requester": source.requester,
                    "reference": source.reference,
                },
                "owners": {
                    "business": owners.business if owners else None,
                    "it": owners.it if owners else None,
                },
                "created": req.created.isoformat() if req.created else None,
                "due": req.due.isoformat() if req.due else None,
                "description": req.description,
                "background": req.background,
                "business_goal": req.business_goal,
                "features": list(req.features),
                "kpis": [
                    {
                        "name": kpi.name,
                        "baseline": number(kpi.baseline),
                        "target": number(kpi.target),
                        "unit": kpi.unit,
                        "measurement": kpi.measurement,
                        "by": kpi.by.isoformat() if kpi.by else None,
                    }
                    for kpi in req.kpis
                ],
                "acceptance_criteria": list(req.acceptance_criteria),
                "feasibility": None
                if req.feasibility is None
                else {
                    "technical": self.enum("level", req.feasibility.technical),
                    "economic": self.enum("level", req.feasibility.economic),
                    "operational": self.enum("level", req.feasibility.operational),
                    "notes": req.feasibility.notes,
                },
                "estimate": None if estimate is None else self._estimate(estimate, currency),
                "scoring": None if req.scoring is None else self._scoring(req.scoring),
                "priority": self.priorities.get(req.id),
                "risks": self.risks(req.risks),
                "depends_on": [self.ref(rid, path) for rid in req.depends_on],
                "required_by": [self.ref(r.id, path) for r in self.dependents.get(req.id, [])],
                "compliance": list(req.compliance),
                "testing": None
                if testing is None
                else {
                    "functional": testing.functional,
                    "performance": testing.performance,
                    "security": testing.security,
                    "compatibility": testing.compatibility,
                    "data_protection_review": testing.data_protection_review,
                    "notes": testing.notes,
                    "planned": [
                        self.labels[f"test_{name}"]
                        for name, on in (
                            ("functional", testing.functional),
                            ("performance", testing.performance),
                            ("security", testing.security),
                            ("compatibility", testing.compatibility),
                            ("data_protection", testing.data_protection_review),
                        )
                        if on
                    ],
                },
                "training": None
                if req.training is None
                else {
                    "needed": req.training.needed,
                    "audience": list(req.training.audience),
                    "plan": req.training.plan,
                },
                "plans": [self.ref(p.id, path) for p in self.plans_of.get(req.id, [])],
                "changes": [self.ref(c.id, path) for c in self.changes_of.get(req.id, [])],
                "readiness": {
                    "checks": readiness,
                    "smart": readiness[:5],
                    "other": readiness[5:],
                    "done": done,
                    "total": total,
                    "summary": self.labels["readiness_summary"].format(done=done, total=total),
                    "link": relative(path, doc_path(req, "-readiness")),
                    "document": relative(doc_path(req, "-readiness"), path),
                },
            }
        )
        return ctx

    def _scoring(self, scoring: Scoring) -> Ctx:
        found: Ctx = {}
        for name in _SCORING_FIELDS:
            value = getattr(scoring, name)
            if value is None:
                continue
            if isinstance(value, Enum):
                found[name] = self.enums["priority"][value._value_]
            else:
                found[name] = number(value) if isinstance(value, Decimal) else value
        return found

    def _estimate(self, estimate: Any, currency: str) -> Ctx:
        cost, benefit = estimate.cost, estimate.benefit
        roi = None
        if cost and benefit is not None:
            roi = percent(benefit - cost, cost)
        return {
            "effort_days": number(estimate.effort_days),
            "cost": money(cost, currency),
            "benefit": money(benefit, currency),
            "currency": currency,
            "benefit_period_months": estimate.benefit_period_months,
            "confidence": self.enum("level", estimate.confidence),
            "roi": roi,
        }

    def plan(self, plan: Plan) -> Ctx:
        """The context of a plan's document and implementation checklist."""
        path = doc_path(plan)
        ctx = self.common(plan, path)
        steps = checklists.implementation(plan, self.req_by_id, self.labels)
        flat = [check for step in steps for check in step["checks"]]
        done, total = checklists.summary(flat)
        phases = sorted(plan.phases, key=lambda p: (p.start, p.end))
        milestones = sorted(plan.milestones, key=lambda m: m.date)
        ctx.update(
            {
                "owner": plan.owner,
                "description": plan.description,
                "start": plan.start.isoformat() if plan.start else None,
                "end": plan.end.isoformat() if plan.end else None,
                "requirements": [self.ref(rid, path) for rid in plan.requirements],
                "out_of_scope": list(plan.out_of_scope),
                "phases": [
                    {
                        "name": phase.name,
                        "kind": self.enum("phase_kind", phase.kind),
                        "start": phase.start.isoformat(),
                        "end": phase.end.isoformat(),
                        "description": phase.description,
                        "requirements": [self.ref(rid, path) for rid in phase.requirements],
                    }
                    for phase in phases
                ],
                "milestones": [
                    {
                        "name": m.name,
                        "date": m.date.isoformat(),
                        "done": m.done,
                        "requirements": [self.ref(rid, path) for rid in m.requirements],
                    }
                    for m in milestones
                ],
                "budget": self._budget(plan),
                "resources": [
                    {
                        "kind": self.enum("resource_kind", res.kind),
                        "name": res.name,
                        "quantity": number(res.quantity),
                        "notes": res.notes,
                    }
                    for res in plan.resources
                ],
                "risks": self.risks(plan.risks),
                "support": None
                if plan.support is None
                else {
                    "model": plan.support.model,
                    "hours": plan.support.hours,
                    "tiers": [
                        {"name": t.name, "scope": t.scope, "response_time": t.response_time}
                        for t in plan.support.tiers
                    ],
                },
                "tco": self._tco(plan),
                "changes": [self.ref(c.id, path) for c in self.changes_of.get(plan.id, [])],
                "checklist": {
                    "steps": steps,
                    "done": done,
                    "total": total,
                    "summary": self.labels["readiness_summary"].format(done=done, total=total),
                    "link": relative(path, doc_path(plan, "-checklist")),
                    "document": relative(doc_path(plan, "-checklist"), path),
                },
            }
        )
        return ctx

    def _currency(self, plan: Plan) -> str:
        return (plan.budget.currency if plan.budget else None) or self.currency

    def _budget(self, plan: Plan) -> Ctx | None:
        budget = plan.budget
        if budget is None:
            return None
        currency = self._currency(plan)
        by_category: dict[str, list[Decimal]] = {}
        for line in budget.lines:
            sums = by_category.setdefault(line.category.value, [Decimal(0), Decimal(0)])
            sums[0] += line.amount
            sums[1] += line.spent or Decimal(0)
        allocated = sum((line.amount for line in budget.lines), Decimal(0))
        spent = sum((line.spent or Decimal(0) for line in budget.lines), Decimal(0))
        return {
            "currency": currency,
            "total": money(budget.total, currency),
            "lines": [
                {
                    "category": self.enums["budget_category"][line.category.value],
                    "amount": money(line.amount, currency),
                    "spent": money(line.spent, currency),
                    "remaining": money(line.amount - (line.spent or Decimal(0)), currency),
                    "description": line.description,
                }
                for line in budget.lines
            ],
            "by_category": [
                {
                    "category": self.enums["budget_category"][category],
                    "amount": money(sums[0], currency),
                    "spent": money(sums[1], currency),
                    "remaining": money(sums[0] - sums[1], currency),
                }
                for category, sums in sorted(by_category.items())
            ],
            "allocated": money(allocated, currency),
            "unallocated": money(budget.total - allocated, currency),
            "spent": money(spent, currency),
            "remaining": money(budget.total - spent, currency),
            "used": percent(spent, budget.total),
        }

    def _tco(self, plan: Plan) -> Ctx | None:
        if not plan.tco:
            return None
        currency = self._currency(plan)
        years = sorted(plan.tco, key=lambda y: y.year)
        return {
            "years": [
                {"year": y.year, "cost": money(y.cost, currency), "notes": y.notes} for y in years
            ],
            "total": money(sum((y.cost for y in years), Decimal(0)), currency),
        }

    def change(self, change: ChangeRequest) -> Ctx:
        """The context of a change request's document."""
        path = doc_path(change)
        ctx = self.common(change, path)
        impact = change.impact
        decision = change.decision
        currency = (impact.currency if impact else None) or self.currency
        ctx.update(
            {
                "targets": [self.ref(target, path) for target in change.targets],
                "reason": self.enum("change_reason", change.reason),
                "requested_by": change.requested_by,
                "created": change.created.isoformat() if change.created else None,
                "description": change.description,
                "proposed_change": change.proposed_change,
                "impact": None
                if impact is None
                else {
                    "cost": money(impact.cost, currency),
                    "currency": currency,
                    "schedule_days": impact.schedule_days,
                    "quality": impact.quality,
                    "risk": self.enum("level", impact.risk),
                    "scope": impact.scope,
                },
                "decision": None
                if decision is None
                else {
                    "outcome": self.enum("outcome", decision.outcome),
                    "by": decision.by,
                    "date": decision.date.isoformat(),
                    "rationale": decision.rationale,
                },
            }
        )
        return ctx
