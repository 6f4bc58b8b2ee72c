"""``mitrm render`` and ``mitrm templates``: Markdown documents and checklists from templates."""

from __future__ import annotations

import datetime as dt
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mitrm.cli.context import state, write_lock
from mitrm.cli.helps import HELP
from mitrm.cli.output import ListFormat, emit, emit_json
from mitrm.cli.prioritize_output import num
from mitrm.cli.progress import QUIET_HELP, show_progress
from mitrm.core.checking import workflow_for
from mitrm.core.models import Kind
from mitrm.core.prioritization import rank_backlog, why_facts
from mitrm.core.render import (
    PortfolioInputs,
    document_paths,
    items,
    make_catalog,
    portfolio_document,
)
from mitrm.core.render.portfolio import INDEX, default_as_of
from mitrm.core.site import html_path
from mitrm.errors import DataError, UnknownIdError, UsageError
from mitrm.i18n import N_, _, ngettext, speaking
from mitrm.io import generated
from mitrm.io.atomic import create_exclusive, write_atomic
from mitrm.io.documents import render_items, render_one
from mitrm.io.generated import Claim, refuse_links
from mitrm.io.history import check_with_history, history_facts
from mitrm.io.repository import load_repository, settings_folder, today
from mitrm.io.template_limits import Limits
from mitrm.io.templates import SUFFIX, Templates

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from mitrm.core.models import Settings
    from mitrm.core.prioritization import Ranking
    from mitrm.core.repository import Repository
    from mitrm.core.site import Site
    from mitrm.io.generated import Changes, Rendered
    from mitrm.io.history import HistoryFacts
    from mitrm.io.repository import CheckResult


def register(app: typer.Typer) -> None:
    """Add ``render`` and the ``templates`` group to ``app``."""
    app.command("render", help=_(HELP["render"]))(render)
    templates = typer.Typer(
        name="templates",
        help=_(HELP["templates"]),
        no_args_is_help=True,
    )
    templates.command(
        "list", help=_("List the templates: built-in ones, and which the data repo overrides.")
    )(list_templates)
    templates.command(
        "export",
        help=_("Copy a built-in template into the repo's templates folder, to customise it."),
    )(export_template)
    app.add_typer(templates)


def _language(lang: str | None) -> str | None:
    """The --lang value checked (None: the language of mitrm.yaml)."""
    language = lang.lower() if lang else None
    if language is not None and language not in ("en", "zh"):
        raise UsageError(_("--lang must be en or zh, not '{value}'").format(value=lang))
    return language


def _as_of(value: str | None) -> dt.date | None:
    if value is None:
        return None
    if value == "today":
        return today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(
            _("--as-of must be a date (YYYY-MM-DD) or 'today', not '{value}'").format(value=value)
        ) from None


def portfolio_inputs(
    root: Path,
    settings: Settings,
    repo: Repository,
    *,
    as_of: dt.date | None,
    facts: HistoryFacts | None = None,
    findings: Findings | None = None,
    pages: Sequence[tuple[str, str]] = (),
    notes: Sequence[str] = (),
    ranking: Ranking | None = None,
) -> PortfolioInputs:
    """Everything the portfolio report shows besides the items themselves.

    The ranked backlog comes from the scoring model of ``mitrm prioritize``,
    ranked as of the report's date so that the same commit renders the same
    report; flow metrics come from the git history when there is one; quality
    from the same checks as ``mitrm validate``.
    """
    if as_of is None:
        as_of = default_as_of(repo.requirements(), repo.plans(), repo.changes())
    # Without any date in the items nothing depends on "today"; the real date is fine.
    when = as_of or today()
    findings = findings or find(root, settings, repo, when=when, ranking=ranking)
    ranking = findings.ranking
    backlog = [
        {
            "rank": entry.rank,
            "id": entry.id,
            "title": entry.title,
            "score": num(entry.score.value),
            "why": why_facts(entry),
        }
        for entry in ranking.entries
    ]
    if facts is None:
        facts = history_facts(root, settings, as_of=when)
        if facts.note and facts.shallow:
            sys.stderr.write(f"warning: {_(facts.note)}\n")
    quality = findings.checked.diagnostics
    return PortfolioInputs(
        backlog=backlog,
        # Called in the document's language: the metrics' names are text of the document.
        metrics=None
        if facts.metrics is None
        else {_(name): value for name, value in facts.metrics.items()},
        quality=quality,
        as_of=as_of,
        pages=pages,
        notes=notes,
    )


@dataclass
class Findings:
    """The ranking and the checks of one run, computed once and shared by every page."""

    ranking: Ranking
    checked: CheckResult


def find(
    root: Path,
    settings: Settings,
    repo: Repository,
    *,
    when: dt.date,
    ranking: Ranking | None = None,
) -> Findings:
    """Rank the backlog (unless ``ranking`` is given) and check every file (history
    findings included) as of ``when``."""
    ranking = ranking or rank(settings, repo, when=when)
    scores = {e.id: e.score.value for e in ranking.entries if e.score.value is not None}
    checked = check_with_history(root, settings=settings, today=when, scores=scores)
    return Findings(ranking, checked)


def rank(settings: Settings, repo: Repository, *, when: dt.date) -> Ranking:
    """The ranked backlog as of ``when``, as ``mitrm prioritize`` ranks it."""
    return rank_backlog(
        repo.requirements(),
        settings=settings.scoring,
        today=when,
        open_statuses=workflow_for(Kind.REQUIREMENT, settings).open,
    )


def report_date(repo: Repository, as_of: dt.date | None) -> dt.date:
    """The date the documents count from: ``as_of``, else the latest date in the items."""
    if as_of is not None:
        return as_of
    # Without any date in the items nothing depends on "today"; the real date is fine.
    return default_as_of(repo.requirements(), repo.plans(), repo.changes()) or today()


def _shown(path: Path, root: Path) -> str:
    """``path`` relative to the data repo's root when it is inside it (as diagnostics are)."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def render(
    ctx: typer.Context,
    ids: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="ID",
            show_default=False,
            help=_("Render only these items (no portfolio report)."),
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help=_("Output folder (default: render.out in mitrm.yaml)."),
            file_okay=False,
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option("--check", help=_("Write nothing; exit 1 listing files that would change.")),
    ] = False,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="en|zh",
            help=_("Document language (default: language in mitrm.yaml)."),
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            help=_(
                "Date the portfolio's due-date windows count from: YYYY-MM-DD or 'today' "
                "(default: the latest date recorded in the items, so output stays reproducible)."
            ),
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help=_("Overwrite files in the output folder mitrm did not write.")
        ),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help=_(QUIET_HELP))] = False,
) -> int:
    """Write Markdown documents, checklists and the portfolio report from the templates."""
    show_progress(quiet=quiet)

    language = _language(lang)
    when = _as_of(as_of)
    run = state(ctx)
    root = run.root()
    settings = run.settings(root)
    if not check:
        ctx.with_resource(write_lock(root))  # held until the command ends
    language = language or settings.language.value
    repo = load_repository(root, settings=settings)
    for item_id in ids or []:
        record = repo.get(item_id)
        if record is None:
            raise UnknownIdError(
                _("no item has the id '{id}'").format(id=item_id), hint=_("see 'mitrm list'")
            )
        if record.model is None:
            raise DataError(
                _("{path}: {id} is not valid and cannot be rendered").format(
                    path=record.path, id=item_id
                ),
                hint=_("run 'mitrm validate {path}'").format(path=record.path),
            )
    default = settings_folder(root, settings, ("render", "out")) if out is None else out
    out_dir = default.resolve()
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(
            _("{folder} is not a folder").format(folder=out_dir), hint=_("choose another --out")
        )
    full = not ids
    # Everything written goes through the claim: a failure anywhere undoes it.
    with Claim(out_dir) as claim:
        rendered = rendered_documents(
            root,
            settings,
            repo,
            out_dir=out_dir,
            language=language,
            ids=ids,
            as_of=when,
            claim=None if check else claim,
        )
        _note_invalid(repo, full=full)
        return publish(
            root,
            out_dir,
            rendered,
            full=full,
            check=check,
            force=force,
            verb=N_("rendered"),
            before=claim.before,
        )


def rendered_documents(
    root: Path,
    settings: Settings,
    repo: Repository,
    *,
    out_dir: Path,
    language: str,
    ids: list[str] | None = None,
    as_of: dt.date | None = None,
    facts: HistoryFacts | None = None,
    findings: Findings | None = None,
    ranking: Ranking | None = None,
    pages: Sequence[tuple[str, str]] = (),
    notes: Sequence[str] = (),
    claim: Claim | None = None,
    also: Sequence[str] = (),
    site: Site | None = None,
    beside: Callable[[Findings], list[Rendered]] | None = None,
) -> list[Rendered]:
    """Every document (or those of ``ids``), compared with what ``out_dir`` holds.

    With a ``claim``, documents not in ``out_dir`` yet are written while rendering,
    on all cores, when the claim allows it (``also`` names the other files the
    caller will write there, for that check); the caller undoes them if it fails.
    With a ``site``, every document's HTML page is written beside it. ``beside``
    (the report's other pages) runs in this process while the workers render, with
    the ranking and the checks, and what it returns is added to the documents (not
    with ``ids``).
    """
    # Ranked first: each requirement document shows its rank (the checks that use
    # the scores still run beside the workers).
    if ranking is None:
        with speaking(language):  # the scores' notes are text of the documents
            ranking = (
                findings.ranking
                if findings
                else rank(settings, repo, when=report_date(repo, as_of))
            )
    catalog = make_catalog(
        ranking=ranking,
        requirements=repo.requirements(),
        plans=repo.plans(),
        changes=repo.changes(),
        lang=language,
        currency=settings.currency,
        sources={r.id: r.path for r in repo.records if r.id and r.model is not None},
        source_prefix=Path(os.path.relpath(root, out_dir)).as_posix(),
        open_statuses=workflow_for(Kind.REQUIREMENT, settings).open,
    )
    limits = Limits(
        seconds=settings.render.time_limit, chars=settings.render.size_limit * 1024 * 1024
    )
    templates = Templates(settings_folder(root, settings, ("templates",)), limits=limits)
    chosen = items(catalog, ids or None)
    planned = [path for item in chosen for path in document_paths(item)]
    planned += [] if ids else [INDEX]
    if site is not None:
        planned += [html_path(path) for path in planned]
    planned += also
    refuse_links(out_dir, planned, shown=_shown(out_dir, root))
    journal = None
    if claim is not None and claim.take(planned):
        journal = claim.journal

    def inputs() -> tuple[PortfolioInputs, list[Rendered]]:
        # The quality warnings and the other pages of the report are in its
        # language, not the user's.
        with speaking(language):
            when = report_date(repo, as_of)
            found = findings or find(root, settings, repo, when=when, ranking=ranking)
            more = beside(found) if beside is not None else []
            return portfolio_inputs(
                root,
                settings,
                repo,
                as_of=as_of,
                facts=facts,
                findings=found,
                pages=pages,
                notes=notes,
            ), more

    # The portfolio's inputs (ranking, checks, history) are gathered while the
    # workers render the items' documents.
    rendered, side = render_items(
        catalog,
        templates,
        chosen,
        project=settings.project,
        out=out_dir,
        journal=journal,
        beside=None if ids else inputs,
        site=site,
    )
    if side is not None:
        portfolio, more = side
        index = portfolio_document(catalog, project=settings.project, inputs=portfolio)
        rendered += render_one(templates, index, out_dir, site=site)
        rendered += more
    return rendered


def _note_invalid(repo: Repository, *, full: bool) -> None:
    invalid = sum(1 for record in repo.records if record.model is None)
    if invalid and full:
        sys.stderr.write(
            ngettext(
                "note: {n} file not valid and not rendered; run 'mitrm validate'",
                "note: {n} files not valid and not rendered; run 'mitrm validate'",
                invalid,
            ).format(n=invalid)
            + "\n"
        )


def publish(
    root: Path,
    out_dir: Path,
    rendered: list[Rendered],
    *,
    full: bool,
    check: bool,
    force: bool,
    verb: str,
    noun: str = "document",
    before: set[str] | None = None,
) -> int:
    """Write what changed into ``out_dir`` (or, with ``check``, only list it); return the code."""
    changes, files = generated.compare(out_dir, rendered, full=full, before=before)
    shown = _shown(out_dir, root)
    if check:
        return _report_check(shown, changes)
    if changes.foreign and not force:
        for rel in changes.foreign:
            sys.stderr.write(
                _("{path}: exists and was not generated by mitrm").format(path=f"{shown}/{rel}")
                + "\n"
            )
        raise UsageError(
            _("refusing to overwrite {n} file(s) in {folder} that mitrm did not write").format(
                n=len(changes.foreign), folder=shown
            ),
            hint=_("move them away, choose another --out, or pass --force"),
        )
    created = [rel for rel in changes.create if rel not in files]  # while rendering
    touched = sorted(created + generated.apply(out_dir, files, changes, force=force))
    stale = set(changes.stale)
    written = [rel for rel in touched if rel != generated.MANIFEST and rel not in stale]
    for rel in touched:
        if rel != generated.MANIFEST:
            done = _("removed {path}") if rel in stale else _("wrote {path}")
            sys.stdout.write(done.format(path=f"{shown}/{rel}") + "\n")
    what = (
        ngettext("{n} document", "{n} documents", len(rendered))
        if noun == "document"
        else ngettext("{n} file", "{n} files", len(rendered))
    ).format(n=len(rendered))
    sys.stderr.write(
        _(
            "{verb} {what} into {folder}: {written} written, {unchanged} unchanged, "
            "{removed} removed"
        ).format(
            verb=_(verb),
            what=what,
            folder=shown,
            written=len(written),
            unchanged=len(rendered) - len(written),
            removed=len(stale),
        )
        + "\n"
    )
    return 0


def _report_check(shown: str, changes: Changes) -> int:
    if changes.clean():
        sys.stderr.write(_("{folder}: all documents are up to date").format(folder=shown) + "\n")
        return 0
    for rel, why in sorted(
        [(rel, _("would be created")) for rel in changes.create]
        + [(rel, _("differs from what would be rendered")) for rel in changes.update]
        + [(rel, _("is stale: its item is gone")) for rel in changes.stale]
        + [(rel, _("exists and was not generated by mitrm")) for rel in changes.foreign]
    ):
        sys.stderr.write(f"{shown}/{rel}: {why}\n")
    count = len(changes.create) + len(changes.update) + len(changes.stale) + len(changes.foreign)
    sys.stderr.write(
        ngettext(
            "{n} file out of date; run 'mitrm render'",
            "{n} files out of date; run 'mitrm render'",
            count,
        ).format(n=count)
        + "\n"
    )
    return 1


def list_templates(
    ctx: typer.Context,
    fmt: Annotated[
        ListFormat | None,
        typer.Option("--format", "-f", help=_("table (default), json, csv, markdown.")),
    ] = None,
) -> int:
    """List the templates: built-in ones, and which the data repo overrides."""
    run = state(ctx)
    root = run.root()
    settings = run.settings(root)
    templates = Templates(settings_folder(root, settings, ("templates",)))
    infos = templates.available()
    rows = []
    for info in infos:
        if info.overridden:
            where = f"{settings.templates}/{info.name}"
            origin = "repo (overrides built-in)" if info.builtin else "repo"
        else:
            where, origin = "(built-in)", "built-in"
        rows.append([info.name, origin, where])
    if fmt is ListFormat.JSON:
        emit_json({"templates": [{"name": r[0], "source": r[1], "path": r[2]} for r in rows]})
    else:
        emit(fmt or ListFormat.TABLE, ["name", "source", "path"], rows)
    return 0


def export_template(
    ctx: typer.Context,
    name: Annotated[
        str, typer.Argument(help=_("A built-in template's name, e.g. requirement.md.j2."))
    ],
    to_stdout: Annotated[
        bool, typer.Option("--stdout", help=_("Print the template instead of writing it."))
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help=_("Overwrite the repo's template of that name."))
    ] = False,
) -> int:
    """Copy a built-in template into the repo's templates folder, to customise it."""
    if not name.endswith(SUFFIX) and "." not in name:
        name += SUFFIX
    text = Templates(None).builtin_source(name)
    if to_stdout:
        sys.stdout.write(text)
        return 0
    run = state(ctx)
    root = run.root()
    settings = run.settings(root)
    ctx.with_resource(write_lock(root))
    target = settings_folder(root, settings, ("templates",)) / name
    folder = target.parent
    if folder.exists() and not folder.is_dir():
        raise UsageError(
            _("{path} is a file; the templates folder must be a folder").format(
                path=_shown(folder, root)
            ),
            hint=_("rename it, or set 'templates' in mitrm.yaml to another folder"),
        )
    try:
        if force:
            write_atomic(target, text)
        else:
            create_exclusive(target, text)
    except FileExistsError:
        raise UsageError(
            _("{path} already exists").format(path=_shown(target, root)),
            hint=_("pass --force to replace it"),
        ) from None
    except OSError as exc:
        raise UsageError(
            _("cannot write {path}: {reason}").format(
                path=_shown(target, root), reason=exc.strerror or exc
            )
        ) from None
    sys.stdout.write(f"{_shown(target, root)}\n")
    return 0
