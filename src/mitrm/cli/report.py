"""``mitrm report``: everything CI publishes, in one folder."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from mitrm.cli.browse import _json
from mitrm.cli.context import state, write_lock
from mitrm.cli.helps import HELP
from mitrm.cli.prioritize_output import ranking_json
from mitrm.cli.progress import QUIET_HELP, show_progress
from mitrm.cli.render import (
    _as_of,
    _language,
    _note_invalid,
    publish,
    rank,
    rendered_documents,
)
from mitrm.core.diagnostics import count
from mitrm.core.history import render_markdown
from mitrm.core.render.context import doc_path
from mitrm.core.render.i18n import labels
from mitrm.core.render.portfolio import default_as_of
from mitrm.core.reportpages import backlog_page, validation_page
from mitrm.core.site import Site
from mitrm.i18n import N_, _, pgettext, speaking, translate
from mitrm.io.documents import compared, site_pages
from mitrm.io.generated import Claim
from mitrm.io.git import adapter as git
from mitrm.io.history import changelog_for, history_facts
from mitrm.io.repository import load_repository, today

if TYPE_CHECKING:
    from mitrm.cli.render import Findings
    from mitrm.core.models import Settings
    from mitrm.core.repository import Repository
    from mitrm.io.generated import Rendered
    from mitrm.io.history import HistoryFacts

PAGES = [
    ("page_backlog", "backlog.md"),
    ("page_changelog", "changelog.md"),
    ("page_validation", "validation.md"),
    ("page_items", "items.json"),
    ("page_priorities", "priorities.json"),
]

# Written by ``_extra_pages``, beside the documents; the Markdown ones get an HTML page.
EXTRA_FILES = (
    "backlog.md",
    "changelog.md",
    "validation.md",
    "validation.json",
    "items.json",
    "priorities.json",
)
SITE_FILES = (
    "backlog.html",
    "changelog.html",
    "validation.html",
    "assets/site.css",
    "assets/site.js",
)
# The links in every page's header: (page, label key).
NAV = (
    ("backlog.md", "nav_backlog"),
    ("changelog.md", "nav_changelog"),
    ("validation.md", "nav_validation"),
)


def register(app: typer.Typer) -> None:
    """Add the command to ``app``."""
    app.command("report", help=_(HELP["report"]))(report)


def report(
    ctx: typer.Context,
    out: Annotated[
        Path, typer.Option("--out", "-o", help=_("The folder to write."), file_okay=False)
    ] = Path("report"),
    lang: Annotated[
        str | None,
        typer.Option("--lang", metavar="en|zh", help=_("Language (default: mitrm.yaml).")),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            help=_(
                "Date the report counts from: YYYY-MM-DD or 'today' (default: the latest "
                "date recorded in the items, so the same commit gives the same report)."
            ),
        ),
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help=_("Write nothing; exit 1 if the folder is out of date."))
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help=_("Overwrite files in the folder mitrm did not write."))
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help=_(QUIET_HELP))] = False,
) -> int:
    """Write the publishable report: portfolio, documents, backlog, change log, validation, JSON."""
    show_progress(quiet=quiet)
    language = _language(lang)
    run = state(ctx)
    root = run.root()
    settings = run.settings(root)
    if not check:
        ctx.with_resource(write_lock(root))  # held until the command ends
    language = language or settings.language.value
    repo = load_repository(root, settings=settings)
    when = (
        _as_of(as_of)
        or default_as_of(repo.requirements(), repo.plans(), repo.changes())
        or today()  # no date anywhere in the items: nothing depends on it
    )
    out_dir = out.resolve()
    facts = history_facts(root, settings, as_of=when)
    notes = [translate(language, facts.note)] if facts.note else []
    if facts.shallow and facts.note:
        sys.stderr.write(f"warning: {_(facts.note)}\n")
    # Ranked first (each requirement document shows its rank); the checks run
    # beside the workers that render the documents, in the report's language.
    with speaking(language):
        ranking = rank(settings, repo, when=when)
    site = _site(settings, language)
    # Everything written goes through the claim: a failure anywhere undoes it.
    with Claim(out_dir) as claim:
        rendered = rendered_documents(
            root,
            settings,
            repo,
            out_dir=out_dir,
            language=language,
            as_of=when,
            facts=facts,
            ranking=ranking,
            pages=PAGES,
            notes=notes,
            claim=None if check else claim,
            also=EXTRA_FILES + SITE_FILES,
            site=site,
            # The other pages are made while the workers render the documents.
            beside=lambda findings: _extra_pages(
                root,
                settings,
                repo,
                out_dir,
                language=language,
                git=facts,
                findings=findings,
                site=site,
            ),
        )
        _note_invalid(repo, full=True)
        return publish(
            root,
            out_dir,
            rendered,
            full=True,
            check=check,
            force=force,
            verb=N_("wrote"),
            noun="file",
            before=claim.before,
        )


def _extra_pages(
    root: Path,
    settings: Settings,
    repo: Repository,
    out_dir: Path,
    *,
    language: str,
    git: HistoryFacts,
    findings: Findings,
    site: Site,
) -> list[Rendered]:
    """backlog.md, changelog.md, validation.md/json, items.json and priorities.json, the
    HTML pages of the Markdown ones and the site's assets."""
    links = {item.id: doc_path(item) for item in repo.items()}
    ranking, checked = findings.ranking, findings.checked
    diagnostics = checked.diagnostics
    errors, warnings = count(diagnostics)
    items = sorted(repo.items(), key=_id_key)
    pages = {
        "backlog.md": backlog_page(ranking, lang=language, links=links),
        "changelog.md": _changelog(root, settings, enabled=git.metrics is not None, note=git.note),
        "validation.md": validation_page(diagnostics, files=checked.files, lang=language),
        "validation.json": _dump(
            {
                "diagnostics": [d.as_json() for d in diagnostics],
                "summary": {"files": checked.files, "errors": errors, "warnings": warnings},
            }
        ),
        "items.json": _dump({"items": [_json(item, repo) for item in items], "count": len(items)}),
        "priorities.json": _dump(ranking_json(ranking, None)),
    }
    markdown = {rel: text for rel, text in pages.items() if rel.endswith(".md")}
    return [compared(out_dir, rel, text) for rel, text in pages.items()] + site_pages(
        out_dir, markdown, site
    )


def _site(settings: Settings, language: str) -> Site:
    """The parts every page of the HTML site shares."""
    names = labels(language)
    nav = (("index.md", names["nav_portfolio"]), *((rel, names[key]) for rel, key in NAV))
    return Site(lang=language, project=settings.project, nav=nav)


def _id_key(item: Any) -> tuple[str, str]:
    return (item.kind.value, item.id)


def _changelog(root: Path, settings: Settings, *, enabled: bool, note: str | None) -> str:
    if not enabled:
        heading = pgettext("doc:changelog", "Change log")
        why = _(note) if note else _("no git history")  # the notes are marked in io.insights
        return f"# {heading}\n\n" + _("No change log: {reason}.").format(reason=why) + "\n"
    log = changelog_for(root, settings, since=git.latest_tag(root, "HEAD"))[0]
    return render_markdown(log)


def _dump(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False, default=str) + "\n"
