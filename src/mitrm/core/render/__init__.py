"""Rendering: which documents exist, where they go, and the context each template receives.

Pure: data in, ``Document`` specs out. Turning a spec into text is the template
environment's job (``mitrm.io.templates``); writing files is ``mitrm.io.generated``'s.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mitrm.core.diagnostics import Diagnostic
from mitrm.core.models import ChangeRequest, Plan, Requirement
from mitrm.core.render import i18n
from mitrm.core.render.context import Catalog, Ctx, doc_path, relative
from mitrm.core.render.portfolio import INDEX, portfolio

TEMPLATES = (
    "requirement.md.j2",
    "readiness.md.j2",
    "plan.md.j2",
    "implementation.md.j2",
    "change.md.j2",
    "index.md.j2",
)
"""The built-in document templates, one per document kind."""


@dataclass(frozen=True)
class Document:
    """One document to render: where it goes (relative to the output folder) and how."""

    path: str
    template: str
    context: Ctx
    item: str | None = None


@dataclass(frozen=True)
class PortfolioInputs:
    """What the portfolio report shows besides the items; each part may be missing (None)."""

    backlog: Sequence[Mapping[str, Any]] | None = None
    metrics: Mapping[str, Any] | None = None
    quality: Sequence[Diagnostic] | None = None
    as_of: dt.date | None = None


def make_catalog(
    *,
    requirements: Sequence[Requirement],
    plans: Sequence[Plan],
    changes: Sequence[ChangeRequest],
    lang: str,
    currency: str,
    sources: Mapping[str, str] | None = None,
    source_prefix: str | None = None,
) -> Catalog:
    """The items in a stable order (by id), with labels in ``lang``."""
    return Catalog(
        requirements=sorted(requirements, key=lambda i: i.id),
        plans=sorted(plans, key=lambda i: i.id),
        changes=sorted(changes, key=lambda i: i.id),
        lang=lang,
        labels=i18n.labels(lang),
        enums=i18n.enum_names(lang),
        currency=currency,
        sources=dict(sources or {}),
        source_prefix=source_prefix,
    )


def _base(catalog: Catalog, project: str | None, path: str, template: str) -> Ctx:
    return {
        "lang": catalog.lang,
        "L": catalog.labels,
        "E": catalog.enums,
        "project": project,
        "currency": catalog.currency,
        "doc": {"path": path, "template": template, "root": relative(path, INDEX)[: -len(INDEX)]},
    }


def documents(
    catalog: Catalog,
    *,
    project: str | None = None,
    ids: Sequence[str] | None = None,
    inputs: PortfolioInputs | None = None,
) -> list[Document]:
    """Every document of the repo (or only those of ``ids``, without the portfolio)."""
    wanted = set(ids) if ids is not None else None
    found: list[Document] = []

    def add(path: str, template: str, key: str, value: Ctx, item: str | None) -> None:
        context = _base(catalog, project, path, template)
        context[key] = value
        found.append(Document(path=path, template=template, context=context, item=item))

    for req in catalog.requirements:
        if wanted is None or req.id in wanted:
            ctx = catalog.requirement(req)
            add(doc_path(req), "requirement.md.j2", "req", ctx, req.id)
            add(doc_path(req, "-readiness"), "readiness.md.j2", "req", ctx, req.id)
    for plan in catalog.plans:
        if wanted is None or plan.id in wanted:
            ctx = catalog.plan(plan)
            add(doc_path(plan), "plan.md.j2", "plan", ctx, plan.id)
            add(doc_path(plan, "-checklist"), "implementation.md.j2", "plan", ctx, plan.id)
    for change in catalog.changes:
        if wanted is None or change.id in wanted:
            add(doc_path(change), "change.md.j2", "change", catalog.change(change), change.id)
    if wanted is None:
        inputs = inputs or PortfolioInputs()
        ctx = portfolio(
            catalog,
            as_of=inputs.as_of,
            backlog=inputs.backlog,
            metrics=inputs.metrics,
            quality=inputs.quality,
        )
        add(INDEX, "index.md.j2", "portfolio", ctx, None)
    return found
