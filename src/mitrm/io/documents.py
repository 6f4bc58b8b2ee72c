"""Render every document and compare it with the file on disk, on all cores for large repos.

Each worker builds the contexts of its share of the items, renders them and
compares the text with the file already in the output folder, so an unchanged
tree sends back only "same" and never the text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mitrm.core.models import Item
from mitrm.core.render import TEMPLATES, Document, item_documents
from mitrm.core.render.context import Catalog
from mitrm.errors import DataError
from mitrm.io.repository import _map, default_jobs
from mitrm.io.templates import Templates


@dataclass(frozen=True, slots=True)
class Rendered:
    """One rendered document; ``text`` is None when the file on disk already holds it."""

    path: str
    text: str | None
    exists: bool


@dataclass(frozen=True, slots=True)
class _Failed:
    """A template error in a worker, sent back whole (an exception would lose its hint)."""

    message: str
    hint: str | None


# The job of forked workers, inherited rather than pickled.
_JOB: list[tuple[Catalog, Templates, str | None, Path]] = []


def compared(out: Path, rel: str, text: str) -> Rendered:
    """``text`` for ``out/rel``, or None in its place when the file already holds it."""
    try:
        current = (out / rel).read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return Rendered(rel, text, exists=False)
    except OSError:
        return Rendered(rel, text, exists=True)
    same = current == text.encode("utf-8")
    return Rendered(rel, None if same else text, exists=True)


def _render_doc(templates: Templates, out: Path, doc: Document) -> Rendered:
    text = templates.render(doc.template, doc.context, item=doc.item)
    return compared(out, doc.path, text)


def _render_item(item: Item) -> list[Rendered] | _Failed:
    catalog, templates, project, out = _JOB[0]
    try:
        return [
            _render_doc(templates, out, doc)
            for doc in item_documents(catalog, item, project=project)
        ]
    except DataError as exc:
        return _Failed(exc.message, exc.hint)


def render_items(
    catalog: Catalog,
    templates: Templates,
    items: Sequence[Item],
    *,
    project: str | None,
    out: Path,
    jobs: int | None = None,
) -> list[Rendered]:
    """Render the documents of ``items``, in order, comparing each with ``out``."""
    for name in TEMPLATES:
        templates.get(name)  # syntax errors surface here, before any worker starts
    _JOB[:] = [(catalog, templates, project, out)]
    try:
        shares = _map(_render_item, list(items), jobs or default_jobs())
    finally:
        _JOB.clear()
    found: list[Rendered] = []
    for share in shares:
        if isinstance(share, _Failed):
            raise DataError(share.message, hint=share.hint)
        found.extend(share)
    return found


def render_one(templates: Templates, doc: Document, out: Path) -> Rendered:
    """Render a single document (the portfolio report) and compare it with ``out``."""
    return _render_doc(templates, out, doc)
