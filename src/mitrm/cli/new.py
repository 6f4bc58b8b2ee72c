"""``mitrm new``: draft a requirement, plan or change request as a valid, commented file."""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from mitrm.cli.context import state, write_lock
from mitrm.cli.editor import edit_until_valid, editor_command
from mitrm.cli.helps import HELP
from mitrm.cli.output import emit_json
from mitrm.cli.prompt import is_tty, read_line
from mitrm.core.editing import (
    PERSON_FIELDS,
    QUESTIONS,
    item_data,
    menu,
    missing,
    parse_answer,
    render,
)
from mitrm.core.ids import slugify
from mitrm.core.models import Kind
from mitrm.core.vocabulary import shown
from mitrm.errors import SettingsError, UsageError
from mitrm.i18n import _
from mitrm.io.drafts import create_item, schema_ref
from mitrm.io.git import user_name
from mitrm.io.repository import load_repository
from mitrm.io.repository import today as current_day

if TYPE_CHECKING:
    import datetime as dt

    from mitrm.core.editing import Question
    from mitrm.core.models import Settings


class KindArg(str, Enum):
    """The kinds ``mitrm new`` drafts (mirrors core's Kind without importing the models)."""

    REQUIREMENT = "requirement"
    PLAN = "plan"
    CHANGE = "change"


# Options whose name differs from the question they answer (lists take one id per option).
_FLAGS = {"targets": "--target", "requirements": "--requirement"}
_TRUE = ("1", "true", "yes", "on")


def register(app: typer.Typer) -> None:
    """Add the command to ``app``."""
    app.command("new", help=_(HELP["new"]))(new)


def _opt(help_text: str, metavar: str = "TEXT") -> Any:
    return typer.Option(help=help_text, show_default=False, metavar=metavar)


def new(
    ctx: typer.Context,
    kind_arg: Annotated[
        KindArg,
        typer.Argument(metavar="KIND", help=_("What to draft: requirement, plan or change.")),
    ],
    title: Annotated[str | None, _opt(_("Title (all kinds)."))] = None,
    type_: Annotated[
        str | None,
        typer.Option(
            "--type",
            help=_("Requirement type: feature, improvement, defect, security..."),
            show_default=False,
            metavar="TYPE",
        ),
    ] = None,
    channel: Annotated[
        str | None, _opt(_("Requirement source channel: internal, customer, partner..."), "CHANNEL")
    ] = None,
    department: Annotated[str | None, _opt(_("Requesting department."))] = None,
    requester: Annotated[str | None, _opt(_("Who asked (default: git config user.name)."))] = None,
    description: Annotated[str | None, _opt(_("Description (all kinds)."))] = None,
    business_goal: Annotated[str | None, _opt(_("Requirement business goal."))] = None,
    due: Annotated[str | None, _opt(_("Requirement due date."), "YYYY-MM-DD")] = None,
    owner: Annotated[str | None, _opt(_("Plan owner (default: git config user.name)."))] = None,
    requirement: Annotated[
        list[str] | None, _opt(_("Plan: a requirement in scope (repeatable)."), "ID")
    ] = None,
    start: Annotated[str | None, _opt(_("Plan start date."), "YYYY-MM-DD")] = None,
    end: Annotated[str | None, _opt(_("Plan end date."), "YYYY-MM-DD")] = None,
    target: Annotated[
        list[str] | None, _opt(_("Change: a requirement or plan it changes (repeatable)."), "ID")
    ] = None,
    reason: Annotated[
        str | None, _opt(_("Change reason: market, competitor, regulation, business..."), "REASON")
    ] = None,
    proposed_change: Annotated[str | None, _opt(_("Change: the proposed change."))] = None,
    requested_by: Annotated[
        str | None, _opt(_("Change: who asks (default: git config user.name)."))
    ] = None,
    tag: Annotated[list[str] | None, _opt(_("A tag (repeatable)."), "TAG")] = None,
    slug: Annotated[
        str | None, _opt(_("File name after the id (default: from the title)."), "SLUG")
    ] = None,
    no_input: Annotated[
        bool, typer.Option("--no-input", help=_("Never ask; fail (exit 2) if a field is missing."))
    ] = False,
    interactive: Annotated[
        bool,
        typer.Option(
            "--interactive",
            "-i",
            help=_("Ask even when stdin is not a terminal (also MITRM_FORCE_PROMPT=1)."),
        ),
    ] = False,
    edit: Annotated[
        bool, typer.Option("--edit", help=_("Open the new file in $EDITOR, then validate it."))
    ] = False,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help=_("text (the path) or json."), metavar="FORMAT")
    ] = "text",
) -> int:
    """Draft a new item: asks on a terminal, takes every field as an option, prints the path."""
    kind = Kind(kind_arg.value)
    if fmt not in ("text", "json"):
        raise UsageError(_("--format must be text or json, not '{fmt}'").format(fmt=fmt))
    run = state(ctx)
    root = run.root()
    settings = run.settings(root)
    given: dict[str, Any] = {
        "title": title,
        "type": type_,
        "channel": channel,
        "department": department,
        "requester": requester,
        "description": description,
        "business_goal": business_goal,
        "due": due,
        "owner": owner,
        "requirements": ",".join(requirement) if requirement else None,
        "start": start,
        "end": end,
        "targets": ",".join(target) if target else None,
        "reason": reason,
        "proposed_change": proposed_change,
        "requested_by": requested_by,
    }
    names = {q.name for q in QUESTIONS[kind]}
    stray = [name for name, value in given.items() if value is not None and name not in names]
    if stray:
        raise UsageError(
            _("{options} does not apply to a {kind}").format(
                options=", ".join(_flag(n) for n in stray), kind=shown("kind", kind.value)
            ),
            hint=_("see 'mitrm new {kind} --help'").format(kind=kind.value),
        )
    today = current_day()
    asking = not no_input and (
        interactive or os.environ.get("MITRM_FORCE_PROMPT", "").lower() in _TRUE or is_tty()
    )
    if edit:
        editor_command()  # a missing editor is reported before anything is created
    values = _answers(root, settings, kind, given, asking=asking, today=today)
    if tag:
        values["tags"] = [t.strip() for t in tag if t.strip()]
    return _create(
        root, settings, kind, values, slug=slug, today=today, edit=edit, asking=asking, fmt=fmt
    )


def _flag(name: str) -> str:
    return _FLAGS.get(name, "--" + name.replace("_", "-"))


def _answers(
    root: Path,
    settings: Settings,
    kind: Kind,
    given: dict[str, Any],
    *,
    asking: bool,
    today: dt.date,
) -> dict[str, Any]:
    """Every answer: options first, then prompts (or defaults), each checked."""
    known: dict[str, set[str]] = {}
    values: dict[str, Any] = {}
    defaults = _defaults(root, settings, kind)
    for q in QUESTIONS[kind]:
        ids = _known_ids(root, settings, kind, known) if q.ask.value == "ids" else set()
        raw = given.get(q.name)
        if raw is not None:
            try:
                values[q.name] = parse_answer(q, raw, known_ids=ids, today=today, values=values)
            except ValueError as exc:
                raise UsageError(f"{_flag(q.name)}: {exc}") from None
            continue
        default = defaults.get(q.name)
        if asking:
            values[q.name] = _ask(q, default, known_ids=ids, today=today, values=values)
        elif default is not None:
            try:
                values[q.name] = parse_answer(q, default, known_ids=ids, today=today)
            except ValueError as exc:
                if q.name in PERSON_FIELDS:
                    continue
                raise SettingsError(f"mitrm.yaml drafting.defaults.{q.name}: {exc}") from None
    gaps = missing(kind, values)
    if gaps:
        raise UsageError(
            _("missing {options}; nothing was created").format(
                options=", ".join(_flag(q.name) for q in gaps)
            ),
            hint=_("pass them as options, or run on a terminal without --no-input to be asked"),
        )
    return values


def _defaults(root: Path, settings: Settings, kind: Kind) -> dict[str, str]:
    names = {q.name for q in QUESTIONS[kind]}
    found = {k: v for k, v in settings.drafting.defaults.items() if k in names}
    person = next((name for name in PERSON_FIELDS if name in names), None)
    if person and person not in found:
        git_name = user_name(root)
        if git_name:
            found[person] = git_name
    return found


def _known_ids(root: Path, settings: Settings, kind: Kind, cache: dict[str, set[str]]) -> set[str]:
    if "ids" not in cache:
        repo = load_repository(root, settings=settings)
        wanted = {Kind.REQUIREMENT} if kind is Kind.PLAN else {Kind.REQUIREMENT, Kind.PLAN}
        cache["ids"] = {r.id for r in repo.records if r.id and r.kind in wanted}
    return cache["ids"]


def _ask(
    q: Question,
    default: str | None,
    *,
    known_ids: set[str],
    today: dt.date,
    values: dict[str, Any],
) -> Any:
    """Ask until the answer is acceptable."""
    err = sys.stderr
    if q.choices:
        err.write(_("{question}: {choices}").format(question=_(q.label), choices=menu(q)) + "\n")
    while True:
        shown = f" [{default}]" if default else ("" if q.required else _(" (optional)"))
        asked = _(q.label) if not q.choices else _("Choose")
        err.write(_("{question}: ").format(question=asked + shown))
        err.flush()
        line = read_line()
        if line is None:
            err.write("\n")
            raise UsageError(
                _("input ended before '{field}' was answered; nothing was created").format(
                    field=q.name
                )
            )
        text = line.rstrip("\r\n")
        if not text.strip() and default:
            text = default
        try:
            return parse_answer(q, text, known_ids=known_ids, today=today, values=values)
        except ValueError as exc:
            err.write(_("  {problem}; please try again").format(problem=exc) + "\n")


def _create(
    root: Path,
    settings: Settings,
    kind: Kind,
    values: dict[str, Any],
    *,
    slug: str | None,
    today: dt.date,
    edit: bool,
    asking: bool,
    fmt: str,
) -> int:
    def text(item_id: str, folder: Path) -> str:
        data = item_data(kind, item_id, values, created=today)
        ref = schema_ref(root, settings, kind, folder)
        return render(kind, data, schema_ref=ref, currency=settings.currency)

    name = slugify(slug) if slug else slugify(str(values["title"]))

    # Only the creation holds the lock: prompts and the editor may take minutes.
    with write_lock(root):
        item_id, path = create_item(root, settings, kind, slug=name, render=text, today=today)
    code = 0
    if edit:
        code = edit_until_valid(root, settings, kind, path, asking=asking)
        if code == 130:
            return code
        if not path.exists():
            return code
    rel = path.relative_to(root).as_posix()
    if fmt == "json":
        emit_json({"id": item_id, "path": rel, "kind": kind.value})
    else:
        sys.stdout.write(_shown(path) + "\n")
        if code == 0:
            sys.stderr.write(
                _("created {kind} {id}").format(kind=shown("kind", kind.value), id=item_id) + "\n"
            )
    return code


def _shown(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(path)
