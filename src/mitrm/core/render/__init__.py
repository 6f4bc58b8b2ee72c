"""Rendering: which documents exist, where they go, and the context each template receives.

Pure: data in, ``Document`` specs out. Turning a spec into text is the template
environment's job (``mitrm.io.templates``); writing files is ``mitrm.io.generated``'s.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mitrm.core.checking import default_open
from mitrm.core.diagnostics import Diagnostic
from mitrm.core.models import ChangeRequest, Item, Kind, Plan, Requirement
from mitrm.core.prioritization import Ranking
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
    pages: Sequence[tuple[str, str]] = ()
    notes: Sequence[str] = ()


def make_catalog(
    *,
    requirements: Sequence[Requirement],
    plans: Sequence[Plan],
    changes: Sequence[ChangeRequest],
    lang: str,
    currency: str,
    sources: Mapping[str, str] | None = None,
    source_prefix: str | None = None,
    open_statuses: frozenset[str] | None = None,
    ranking: Ranking | None = None,
) -> Catalog:
    """The items in a stable order (by id), with labels in ``lang``; with a ``ranking``,
    each requirement document shows its score, rank and model."""
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
        open_statuses=open_statuses
        if open_statuses is not None
        else default_open(Kind.REQUIREMENT),
        priorities={} if ranking is None else priority_context(ranking),
    )


def priority_context(ranking: Ranking) -> dict[str, Ctx]:
    """For each open requirement: its score, rank and the model that ranked it, or what
    it misses to be scored."""
    model = {"name": ranking.model, "formula": ranking.formula}
    found: dict[str, Ctx] = {}
    ranked = len(ranking.entries)
    for entry in ranking.entries:
        found[entry.id] = {
            "rank": entry.rank,
            "of": ranked,
            "score": _score_text(entry.score.value),
            "model": model,
            "missing": [],
        }
    for unscored in ranking.unscored:
        found[unscored.req.id] = {
            "rank": None,
            "of": ranked,
            "score": None,
            "model": model,
            "missing": list(unscored.missing),
        }
    return found


def _score_text(value: float | None) -> str | None:
    if value is None:
        return None
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text


def _base(catalog: Catalog, project: str | None, path: str, template: str) -> Ctx:
    return {
        "lang": catalog.lang,
        "L": catalog.labels,
        "E": catalog.enums,
        "project": project,
        "currency": catalog.currency,
        "doc": {"path": path, "template": template, "root": relative(path, INDEX)[: -len(INDEX)]},
    }


# Each kind's documents: (path suffix, template, context key).
_DOCUMENTS: dict[Kind, tuple[tuple[str, str, str], ...]] = {
    Kind.REQUIREMENT: (("", "requirement.md.j2", "req"), ("-readiness", "readiness.md.j2", "req")),
    Kind.PLAN: (("", "plan.md.j2", "plan"), ("-checklist", "implementation.md.j2", "plan")),
    Kind.CHANGE: (("", "change.md.j2", "change"),),
}


def document_paths(item: Item) -> list[str]:
    """Where the documents of ``item`` go, relative to the output folder (no rendering)."""
    return [doc_path(item, suffix) for suffix, _, _ in _DOCUMENTS[item.kind]]


def item_documents(catalog: Catalog, item: Item, *, project: str | None = None) -> list[Document]:
    """The documents of one item: a requirement and its readiness checklist, a plan and its
    implementation checklist, or a change request."""
    if isinstance(item, Requirement):
        ctx = catalog.requirement(item)
    elif isinstance(item, Plan):
        ctx = catalog.plan(item)
    elif isinstance(item, ChangeRequest):
        ctx = catalog.change(item)
    else:  # pragma: no cover - every kind is handled above
        return []
    found: list[Document] = []
    for suffix, template, key in _DOCUMENTS[item.kind]:
        path = doc_path(item, suffix)
        context = _base(catalog, project, path, template)
        context[key] = ctx
        found.append(Document(path=path, template=template, context=context, item=item.id))
    return found


def items(catalog: Catalog, ids: Sequence[str] | None = None) -> list[Item]:
    """The items to render, in document order: all of them, or those of ``ids``."""
    wanted = set(ids) if ids is not None else None
    return [
        item
        for item in (*catalog.requirements, *catalog.plans, *catalog.changes)
        if wanted is None or item.id in wanted
    ]


def portfolio_document(
    catalog: Catalog, *, project: str | None = None, inputs: PortfolioInputs | None = None
) -> Document:
    """The portfolio report (``index.md``)."""
    inputs = inputs or PortfolioInputs()
    ctx = portfolio(
        catalog,
        as_of=inputs.as_of,
        backlog=inputs.backlog,
        metrics=inputs.metrics,
        quality=inputs.quality,
        pages=inputs.pages,
        notes=inputs.notes,
    )
    context = _base(catalog, project, INDEX, "index.md.j2")
    context["portfolio"] = ctx
    return Document(path=INDEX, template="index.md.j2", context=context, item=None)


def documents(
    catalog: Catalog,
    *,
    project: str | None = None,
    ids: Sequence[str] | None = None,
    inputs: PortfolioInputs | None = None,
) -> list[Document]:
    """Every document of the repo (or only those of ``ids``, without the portfolio)."""
    found = [
        doc
        for item in items(catalog, ids)
        for doc in item_documents(catalog, item, project=project)
    ]
    if ids is None:
        found.append(portfolio_document(catalog, project=project, inputs=inputs))
    return found
