"""``mitrm prioritize``: rank open requirements, explain a score, choose within a budget."""

from __future__ import annotations

import datetime as dt
import gc
import sys
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Annotated

import typer

from mitrm.cli import completion as complete
from mitrm.cli import prioritize_output as out
from mitrm.cli.context import state
from mitrm.cli.formats import BomOpt
from mitrm.cli.helps import HELP
from mitrm.cli.output import ListFormat, csv_for_excel
from mitrm.core.checking import workflow_for
from mitrm.core.filters import Filter, matches
from mitrm.core.models import Kind
from mitrm.core.prioritization import Limit, is_open, prepare, rank_prepared, select_within
from mitrm.core.prioritization.sensitivity import sensitivity as analyse
from mitrm.errors import UsageError
from mitrm.i18n import _, ngettext
from mitrm.io.repository import load_repository
from mitrm.io.repository import today as today_or_fixed

if TYPE_CHECKING:
    from mitrm.core.repository import Repository


def register(app: typer.Typer) -> None:
    """Add the command to ``app``."""
    app.command("prioritize", help=_(HELP["prioritize"]))(prioritize)


def _amount(text: str, option: str) -> Decimal:
    cleaned = text.replace(",", "").replace("_", "").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value < 0 or value > Decimal("1e15"):
        raise UsageError(
            _("{option} must be a number from 0 to 10^15 (got '{value}')").format(
                option=option, value=text
            )
        )
    return value


def _weights(pairs: list[str] | None) -> dict[str, float]:
    found: dict[str, float] = {}
    for pair in pairs or ():
        name, sep, value = pair.partition("=")
        try:
            if not sep:
                raise ValueError
            weight = float(value)
            if not 0 <= weight <= 1000:  # also refuses nan and inf
                raise ValueError
            found[name.strip()] = weight
        except ValueError:
            raise UsageError(
                _(
                    "--weight must be NAME=NUMBER with a number from 0 to 1000, "
                    "e.g. --weight roi=3 (got '{value}')"
                ).format(value=pair)
            ) from None
    return found


def prioritize(
    ctx: typer.Context,
    model: Annotated[
        str | None,
        typer.Option(
            "--model",
            "-m",
            metavar="MODEL",
            help=_("weighted, rice, wsjf, ice or moscow (default: mitrm.yaml)."),
            autocompletion=complete.scoring_models,
        ),
    ] = None,
    explain: Annotated[
        str | None,
        typer.Option(
            "--explain",
            metavar="ID",
            help=_("Show every term of one item's score."),
            autocompletion=complete.requirement_ids,
        ),
    ] = None,
    budget: Annotated[
        str | None,
        typer.Option("--budget", metavar="AMOUNT", help=_("Choose the best set whose cost fits.")),
    ] = None,
    capacity: Annotated[
        str | None,
        typer.Option(
            "--capacity", metavar="DAYS", help=_("Choose the best set whose effort fits.")
        ),
    ] = None,
    weight: Annotated[
        list[str] | None,
        typer.Option(
            "--weight", "-w", metavar="NAME=VALUE", help=_("What-if weight (repeatable).")
        ),
    ] = None,
    sensitivity: Annotated[
        bool,
        typer.Option(
            "--sensitivity", help=_("How stable the top 10 is when each weight moves +/-20 %.")
        ),
    ] = False,
    impute: Annotated[
        str | None,
        typer.Option("--impute", metavar="median", help=_("Fill missing inputs with the median.")),
    ] = None,
    status: Annotated[
        list[str] | None,
        typer.Option(
            "--status",
            "-s",
            metavar="STATUS",
            help=_("Open status (repeatable)."),
            autocompletion=complete.statuses,
        ),
    ] = None,
    type_: Annotated[
        list[str] | None,
        typer.Option(
            "--type",
            "-t",
            metavar="TYPE",
            help=_("Requirement type (repeatable)."),
            autocompletion=complete.requirement_types,
        ),
    ] = None,
    tag: Annotated[
        list[str] | None,
        typer.Option("--tag", metavar="TAG", help=_("Has this tag (repeatable: all).")),
    ] = None,
    owner: Annotated[
        str | None,
        typer.Option("--owner", metavar="NAME", help=_("Business or IT owner, or requester.")),
    ] = None,
    top: Annotated[
        int | None,
        typer.Option("--top", "-n", min=1, metavar="N", help=_("Show only the first N ranked.")),
    ] = None,
    today: Annotated[
        str | None,
        typer.Option("--today", metavar="YYYY-MM-DD", help=_("Date for due-date urgency.")),
    ] = None,
    fmt: Annotated[
        ListFormat | None,
        typer.Option("--format", "-f", help=_("table (default), json, csv, markdown.")),
    ] = None,
    bom: BomOpt = False,
) -> int:
    """Score and rank the open requirements (docs/scoring.md explains every model)."""
    csv_for_excel(bom)
    fmt = fmt or ListFormat.TABLE
    day = today_or_fixed()
    if today is not None:
        try:
            day = dt.date.fromisoformat(today)
        except ValueError:
            raise UsageError(
                _("--today must be a date written YYYY-MM-DD (got '{value}')").format(value=today)
            ) from None
    what_if = _weights(weight)
    limits = _limits(budget, capacity)
    if explain is not None and (limits or sensitivity):
        raise UsageError(
            _("--explain shows one item; leave out --budget, --capacity, --sensitivity")
        )
    wanted = Filter.build(
        kinds=["requirement"], statuses=status, types=type_, tags=tag, owner=owner
    )
    run = state(ctx)
    root = run.root()
    settings = run.settings(root)
    repo = load_repository(root, settings=settings, checks=False)
    # Nearly everything built from here on lives to the end of this short run:
    # cyclic garbage collection would only walk the same objects again and again.
    gc.disable()
    everything = repo.requirements()
    chosen = [req for req in everything if matches(req, wanted)]
    open_statuses = workflow_for(Kind.REQUIREMENT, settings).open
    prepared = prepare(
        chosen,
        settings=settings.scoring,
        today=day,
        model=model,
        impute=impute,
        open_elsewhere=[req.id for req in everything if is_open(req, open_statuses)],
        open_statuses=open_statuses,
    )
    ranking = rank_prepared(prepared, weights=what_if)
    if explain is not None:
        return out.explain(ranking, explain, everything, prepared, fmt)
    _note_invalid(repo)
    if sensitivity:
        result = analyse(prepared, ranking, top=top or 10)
        out.sensitivity(ranking, result, fmt)
        return 0
    if limits:
        built = [_limit(name, amount, settings.currency) for name, amount in limits]
        selection = select_within(
            ranking,
            limits=built,
            everything={req.id: req for req in everything},
            currency=settings.currency,
        )
        out.selection(ranking, selection, fmt, top)
        return 0
    out.ranking(ranking, fmt, top)
    return 0


def _limits(budget: str | None, capacity: str | None) -> list[tuple[str, Decimal]]:
    found = []
    if budget is not None:
        found.append(("budget", _amount(budget, "--budget")))
    if capacity is not None:
        found.append(("capacity", _amount(capacity, "--capacity")))
    return found


def _limit(name: str, amount: Decimal, currency: str) -> Limit:
    return Limit(name, amount, currency if name == "budget" else "days")


def _note_invalid(repo: Repository) -> None:
    broken = sum(
        1 for record in repo.records if record.model is None and record.kind.value == "requirement"
    )
    if broken:
        sys.stderr.write(
            ngettext(
                "note: {n} requirement file is not valid and not ranked; run 'mitrm validate'",
                "note: {n} requirement files are not valid and not ranked; run 'mitrm validate'",
                broken,
            ).format(n=broken)
            + "\n"
        )
