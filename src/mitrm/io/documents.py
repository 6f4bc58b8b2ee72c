"""Render every document and compare it with the file on disk, on all cores for large repos.

Each worker builds the contexts of its share of the items, renders them and
compares the text with the file already in the output folder, so an unchanged
tree sends back only "same" and never the text. When the render may create
files as it goes (see :func:`mitrm.io.generated.claim`), workers also write the
documents that do not exist yet, and send back only "created".
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from mitrm.core.models import Item
from mitrm.core.render import TEMPLATES, Document, item_documents
from mitrm.core.render.context import Catalog
from mitrm.core.site import ASSETS, Site, html_path, page
from mitrm.errors import DataError, UsageError
from mitrm.i18n import N_, _
from mitrm.io import generated, progress
from mitrm.io.generated import Rendered
from mitrm.io.repository import _map, default_jobs, map_beside
from mitrm.io.templates import Templates


@dataclass(frozen=True, slots=True)
class _Failed:
    """An error in a worker, sent back whole (an exception would lose its hint)."""

    message: str
    hint: str | None
    usage: bool = False


R = TypeVar("R")


def compared(out: Path, rel: str, text: str, *, journal: int | None = None) -> Rendered:
    """``text`` for ``out/rel``, or None in its place when the file already holds it.

    With a claim's ``journal``, a file that does not exist is written here and now.
    """
    try:
        current = _read_own(out / rel)
    except (FileNotFoundError, NotADirectoryError):
        if journal is None:
            return Rendered(rel, text, exists=False)
        if generated.create(out, rel, text.encode("utf-8"), journal):
            return Rendered(rel, None, exists=False, created=True)
        return compared(out, rel, text)  # something appeared since: compare with it
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise DataError(
                _(
                    "{path}...: the document's file name would be too long for the file "
                    "system (its item's id is far too long)"
                ).format(path=rel[:60]),
                hint=_("give the item a shorter id: mitrm validate shows it"),
            ) from None
        return Rendered(rel, text, exists=True)
    same = current == text.encode("utf-8")
    return Rendered(rel, None if same else text, exists=True)


_NOFOLLOW = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | os.O_NONBLOCK


def _read_own(path: Path) -> bytes:
    """The bytes of a document in the output folder; OSError for a link (never followed)
    or anything but a plain file, which then counts as different and is replaced."""
    fd = os.open(path, _NOFOLLOW)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise IsADirectoryError(path)
        with os.fdopen(os.dup(fd), "rb") as handle:
            return handle.read()
    finally:
        os.close(fd)


def _render_doc(
    templates: Templates, out: Path, doc: Document, *, journal: int | None, site: Site | None
) -> list[Rendered]:
    text = templates.render(doc.template, doc.context, item=doc.item)
    found = [compared(out, doc.path, text, journal=journal)]
    if site is not None:
        html = page(text, path=doc.path, site=site)
        found.append(compared(out, html_path(doc.path), html, journal=journal))
    return found


def _item_renderer(
    catalog: Catalog,
    templates: Templates,
    *,
    project: str | None,
    out: Path,
    journal: int | None,
    site: Site | None,
) -> Callable[[Item], list[Rendered] | _Failed]:
    """The rendering of one item's documents, for ``_map``'s workers (each its own copy)."""
    failed: list[_Failed] = []

    def _render_item(item: Item) -> list[Rendered] | _Failed:
        if failed:
            # One failure ends the render: the rest of this share is not worth the time
            # (a template that runs into its time limit would do so for every item).
            return failed[0]
        try:
            return [
                rendered
                for doc in item_documents(catalog, item, project=project)
                for rendered in _render_doc(templates, out, doc, journal=journal, site=site)
            ]
        except DataError as exc:
            failed.append(_Failed(exc.message, exc.hint))
            return failed[0]
        except OSError as exc:
            return _Failed(
                _("cannot write {path}: {reason}").format(
                    path=exc.filename or out, reason=exc.strerror or exc
                ),
                _("check the output folder (--out) and its permissions"),
                usage=True,
            )

    return _render_item


def render_items(
    catalog: Catalog,
    templates: Templates,
    items: Sequence[Item],
    *,
    project: str | None,
    out: Path,
    journal: int | None = None,
    jobs: int | None = None,
    beside: Callable[[], R] | None = None,
    site: Site | None = None,
) -> tuple[list[Rendered], R | None]:
    """Render the documents of ``items``, in order, comparing each with ``out``.

    With a claim's ``journal``, documents not yet in ``out`` are written as they
    are rendered (see :class:`mitrm.io.generated.Claim`).
    ``beside`` runs in this process meanwhile (see ``map_beside``); its result is
    returned with the documents. With a ``site``, each document's HTML page is
    rendered beside it.
    """
    for name in TEMPLATES:
        templates.get(name)  # syntax errors surface here, before any worker starts
    render = _item_renderer(
        catalog, templates, project=project, out=out, journal=journal, site=site
    )
    side: R | None = None
    with progress.stage(N_("rendering documents"), len(items)):
        if beside is None:
            shares = _map(render, list(items), jobs or default_jobs())
        else:
            shares, side = map_beside(render, list(items), jobs or default_jobs(), beside)
    found: list[Rendered] = []
    for share in shares:
        if isinstance(share, _Failed):
            error = UsageError if share.usage else DataError
            raise error(share.message, hint=share.hint)
        found.extend(share)
    return found, side


def render_one(
    templates: Templates, doc: Document, out: Path, *, site: Site | None = None
) -> list[Rendered]:
    """Render a single document (the portfolio report), and its page with a ``site``,
    and compare them with ``out``."""
    return _render_doc(templates, out, doc, journal=None, site=site)


def site_pages(out: Path, pages: dict[str, str], site: Site) -> list[Rendered]:
    """The HTML pages of Markdown ``pages`` (path -> text) and the site's assets, compared
    with ``out``."""
    found = [
        compared(out, html_path(rel), page(text, path=rel, site=site))
        for rel, text in pages.items()
    ]
    return found + [compared(out, rel, asset_text(rel)) for rel in ASSETS]


def asset_text(rel: str) -> str:
    """The text of one of the site's assets, shipped in the package."""
    from importlib.resources import files

    return (files("mitrm") / "data" / rel.rpartition("/")[2]).read_text(encoding="utf-8")
