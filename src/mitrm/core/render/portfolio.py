"""The portfolio report's context: counts, backlog, value vs effort, budgets, due dates, quality."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from mitrm.core.checking import list_waivers
from mitrm.core.diagnostics import Diagnostic, count
from mitrm.core.models import ChangeRequest, Plan, Requirement
from mitrm.core.models.change import ChangeStatus
from mitrm.core.models.plan import PlanStatus
from mitrm.core.models.requirement import RequirementStatus
from mitrm.core.prioritization import note_text
from mitrm.core.render import checklists
from mitrm.core.render.context import Catalog, Ctx, doc_path, money, number, percent

INDEX = "index.md"
BACKLOG_TOP = 20
QUADRANT_POINTS = 30
QUALITY_ROWS = 50


def default_as_of(
    requirements: Iterable[Requirement], plans: Iterable[Plan], changes: Iterable[ChangeRequest]
) -> dt.date | None:
    """The latest date recorded in the data (created, approved, decided).

    The report is "as of" this date unless the user asks for another, so that
    the same data always renders the same report.
    """
    dates: list[dt.date] = []
    for req in requirements:
        dates += [d for d in (req.created, req.approval and req.approval.date) if d]
    for plan in plans:
        dates += [m.date for m in plan.milestones if m.done]
        if plan.approval:
            dates.append(plan.approval.date)
    for change in changes:
        dates += [d for d in (change.created, change.decision and change.decision.date) if d]
        if change.approval:
            dates.append(change.approval.date)
    return max(dates) if dates else None


def _counts(values: Iterable[str], order: Iterable[str], names: Mapping[str, str]) -> list[Ctx]:
    found = Counter(values)
    return [
        {"status": {"value": value, "label": names[value]}, "count": found[value]}
        for value in order
        if found[value]
    ]


def _quadrant(catalog: Catalog) -> list[Ctx]:
    candidates: list[tuple[Requirement, int, Decimal | None, int | None]] = []
    for req in catalog.requirements:
        scoring = req.scoring
        if (
            req.status._value_ not in catalog.open_statuses
            or scoring is None
            or scoring.value is None
        ):
            continue
        effort = req.estimate.effort_days if req.estimate else None
        if effort is None and scoring.difficulty is None:
            continue
        candidates.append((req, scoring.value, effort, scoring.difficulty))
    candidates.sort(
        key=lambda c: (-c[1], c[2] if c[2] is not None else Decimal(c[3] or 0), c[0].id)
    )
    chosen = candidates[:QUADRANT_POINTS]
    largest = max((c[2] for c in chosen if c[2] is not None), default=Decimal(0))
    places = []
    for _, value, effort, difficulty in chosen:
        if effort is not None and largest:
            x = float(effort / largest)
        else:
            x = ((difficulty or 3) - 0.5) / 5
        places.append((x, (value - 0.5) / 5))
    points = []
    for (req, value, effort, difficulty), place in zip(chosen, spread(places), strict=True):
        points.append(
            {
                "id": req.id,
                "title": req.title,
                "value": value,
                "effort_days": number(effort),
                "difficulty": difficulty,
                "x": None if place is None else f"{place[0]:.2f}",
                "y": None if place is None else f"{place[1]:.2f}",
                "link": doc_path(req),
            }
        )
    return points


# Mermaid centres each id under its point: about 0.12 of the chart's width for
# "REQ-0001". Points keep this far from the sides so that no id is clipped, and
# labels in one row keep this far apart so that none overprints another.
LABEL_WIDTH = 0.13
_MARGIN = 0.07
# Rows within one value level (values are whole points 1-5, 0.2 apart): ties and
# near neighbours move to the next row up or down rather than onto each other.
_ROWS = (0.0, 0.05, -0.05, 0.09, -0.09)


def spread(places: list[tuple[float, float]]) -> list[tuple[float, float] | None]:
    """Chart positions for ``places`` (x, y in 0-1) whose labels do not overprint.

    x is kept inside the margins; points of one value level that would be closer
    than a label's width share it in rows a little above and below. Places come
    highest value first, and each takes the first row with room; a point that
    finds none (a crowded level, on a large backlog) gets None: it is left out of
    the chart and listed only in the table under it.
    """
    found = [(min(max(x, _MARGIN), 1 - _MARGIN), y) for x, y in places]
    rows: dict[tuple[float, int], list[float]] = {}
    result: list[tuple[float, float] | None] = []
    for x, y in found:
        level = round(y, 2)
        for row, offset in enumerate(_ROWS):
            if not 0.03 <= level + offset <= 0.97:
                continue  # off the chart: Mermaid would clip it
            taken = rows.setdefault((level, row), [])
            if all(abs(x - other) >= LABEL_WIDTH for other in taken):
                taken.append(x)
                result.append((x, level + offset))
                break
        else:
            result.append(None)
    return result


def _plans(catalog: Catalog) -> list[Ctx]:
    rows = []
    for plan in catalog.plans:
        budget = plan.budget
        currency = (budget.currency if budget else None) or catalog.currency
        spent = (
            sum((line.spent or Decimal(0) for line in budget.lines), Decimal(0)) if budget else None
        )
        steps = checklists.implementation(plan, catalog.req_by_id, catalog.labels)
        done, total = checklists.summary([c for s in steps for c in s["checks"]])
        rows.append(
            {
                "id": plan.id,
                "title": plan.title,
                "status": catalog.status(plan),
                "link": doc_path(plan),
                "checklist_link": doc_path(plan, "-checklist"),
                "checklist_done": done,
                "checklist_total": total,
                "start": plan.start.isoformat() if plan.start else None,
                "end": plan.end.isoformat() if plan.end else None,
                "total": money(budget.total, currency) if budget else None,
                "spent": money(spent, currency) if budget else None,
                "used": percent(spent, budget.total) if budget and spent is not None else None,
            }
        )
    return rows


def _due(catalog: Catalog, as_of: dt.date | None) -> Ctx:
    buckets: dict[str, list[Ctx]] = {"overdue": [], "next_30": [], "next_90": []}
    if as_of is None:
        return {"as_of": None, **buckets}
    entries: list[tuple[dt.date, str, Ctx]] = []
    for req in catalog.requirements:
        if req.due and req.status._value_ in catalog.open_statuses:
            entries.append((req.due, req.id, _due_entry(catalog, req.id, None, req.due)))
    for plan in catalog.plans:
        if plan.status in (PlanStatus.COMPLETED, PlanStatus.CANCELLED):
            continue
        for milestone in plan.milestones:
            if not milestone.done:
                entry = _due_entry(catalog, plan.id, milestone.name, milestone.date)
                entries.append((milestone.date, plan.id, entry))
    for when, _, entry in sorted(entries, key=lambda e: (e[0], e[1], e[2]["milestone"] or "")):
        days = (when - as_of).days
        if days < 0:
            buckets["overdue"].append(entry)
        elif days <= 30:
            buckets["next_30"].append(entry)
        elif days <= 90:
            buckets["next_90"].append(entry)
    return {"as_of": as_of.isoformat(), **buckets}


def _due_entry(catalog: Catalog, item_id: str, milestone: str | None, when: dt.date) -> Ctx:
    ref = catalog.ref(item_id, INDEX)
    ref.update({"date": when.isoformat(), "milestone": milestone})
    return ref


def _quality(diagnostics: Sequence[Diagnostic] | None) -> Ctx | None:
    if diagnostics is None:
        return None
    errors, warnings = count(diagnostics)
    rows = [
        {
            "path": d.path,
            "line": max(d.line, 1),
            "column": max(d.column, 1),
            "severity": d.severity.value,
            "code": d.code,
            "message": d.message,
            "item": d.item,
        }
        for d in sorted(diagnostics, key=Diagnostic.sort_key)[:QUALITY_ROWS]
    ]
    return {
        "errors": errors,
        "warnings": warnings,
        "diagnostics": rows,
        "more": max(len(diagnostics) - QUALITY_ROWS, 0),
    }


def _backlog(catalog: Catalog, backlog: Sequence[Mapping[str, Any]] | None) -> list[Ctx] | None:
    if backlog is None:
        return None
    rows = []
    for entry in list(backlog)[:BACKLOG_TOP]:
        row = dict(sorted(entry.items()))
        item_id = str(row.get("id", ""))
        item = catalog.by_id.get(item_id)
        row.setdefault("title", item.title if item else None)
        row["link"] = doc_path(item) if item else None
        why = row.pop("why", None)
        types = catalog.enums.get("requirement_type") if catalog.lang != "en" else None
        row["note"] = note_text(why, lang=catalog.lang, types=types) if why else ""
        rows.append(row)
    return rows


def _waivers(catalog: Catalog) -> list[Ctx]:
    rows = []
    for entry in list_waivers(catalog.by_id.values()):
        item = catalog.by_id.get(entry.item)
        rows.append(
            {
                "id": entry.item,
                "link": doc_path(item) if item else None,
                "rule": entry.rule,
                "reason": entry.reason,
                "by": entry.by,
                "until": entry.until.isoformat() if entry.until else None,
            }
        )
    return rows


def portfolio(
    catalog: Catalog,
    *,
    as_of: dt.date | None,
    backlog: Sequence[Mapping[str, Any]] | None = None,
    metrics: Mapping[str, Any] | None = None,
    quality: Sequence[Diagnostic] | None = None,
    pages: Sequence[tuple[str, str]] = (),
    notes: Sequence[str] = (),
) -> Ctx:
    """The context of ``index.md``; ``backlog``, ``metrics`` and ``quality`` may be None.

    ``pages`` are (label key, relative link) of further pages a report adds;
    ``notes`` are plain sentences such as "not a git repository: documents only".
    """
    enums = catalog.enums
    requirements = [
        {
            "id": req.id,
            "title": req.title,
            "status": catalog.status(req),
            "due": req.due.isoformat() if req.due else None,
            "link": doc_path(req),
            "readiness_link": doc_path(req, "-readiness"),
        }
        for req in catalog.requirements
    ]
    changes = [
        {
            "id": change.id,
            "title": change.title,
            "status": catalog.status(change),
            "link": doc_path(change),
            "targets": [catalog.ref(t, INDEX) for t in change.targets],
        }
        for change in catalog.changes
    ]
    return {
        "path": INDEX,
        "as_of": as_of.isoformat() if as_of else None,
        "counts": {
            "requirements": _counts(
                (r.status._value_ for r in catalog.requirements),
                (s.value for s in RequirementStatus),
                enums["requirement_status"],
            ),
            "plans": _counts(
                (p.status._value_ for p in catalog.plans),
                (s.value for s in PlanStatus),
                enums["plan_status"],
            ),
            "changes": _counts(
                (c.status._value_ for c in catalog.changes),
                (s.value for s in ChangeStatus),
                enums["change_status"],
            ),
        },
        "totals": {
            "requirements": len(catalog.requirements),
            "plans": len(catalog.plans),
            "changes": len(catalog.changes),
        },
        "backlog": _backlog(catalog, backlog),
        "quadrant": _quadrant(catalog),
        "plans": _plans(catalog),
        "due": _due(catalog, as_of),
        "metrics": None if metrics is None else dict(sorted(metrics.items())),
        "pages": [{"label": label, "link": link} for label, link in pages],
        "waivers": _waivers(catalog),
        "notes": list(notes),
        "quality": _quality(quality),
        "requirements": requirements,
        "changes": changes,
    }
