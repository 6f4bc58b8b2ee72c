"""``mitrm list`` and ``mitrm show``: browse the items."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from mitrm.cli import completion as complete
from mitrm.cli.context import state
from mitrm.cli.formats import BomOpt, ListFormat
from mitrm.cli.helps import HELP
from mitrm.cli.output import csv_for_excel, emit, emit_json, stdout
from mitrm.cli.streams import printable
from mitrm.core.filters import Filter, matches
from mitrm.core.vocabulary import named_value
from mitrm.errors import UnknownIdError, UsageError
from mitrm.i18n import _, ngettext
from mitrm.io import safefile
from mitrm.io.repository import load_repository
from mitrm.io.yamlfile import MAX_BYTES

if TYPE_CHECKING:
    from mitrm.core.models import Item
    from mitrm.core.repository import Repository


def register(app: typer.Typer) -> None:
    """Add the commands to ``app``."""
    app.command("list", help=_(HELP["list"]))(list_items)
    app.command("show", help=_(HELP["show"]))(show)


KindOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--kind",
        "-k",
        metavar="KIND",
        help=_("requirement, plan or change (repeatable)."),
        autocompletion=complete.kinds,
    ),
]
StatusOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--status", "-s", metavar="STATUS", help=_("Repeatable."), autocompletion=complete.statuses
    ),
]
TypeOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--type",
        "-t",
        metavar="TYPE",
        help=_("Requirement type (repeatable)."),
        autocompletion=complete.requirement_types,
    ),
]
TagOpt = Annotated[
    list[str] | None,
    typer.Option("--tag", metavar="TAG", help=_("Has this tag (repeatable: all).")),
]
OwnerOpt = Annotated[
    str | None,
    typer.Option(
        "--owner", metavar="NAME", help=_("Business or IT owner, requester or plan owner.")
    ),
]


def list_items(
    ctx: typer.Context,
    kind: KindOpt = None,
    status: StatusOpt = None,
    type_: TypeOpt = None,
    tag: TagOpt = None,
    owner: OwnerOpt = None,
    fmt: Annotated[
        ListFormat | None,
        typer.Option(
            "--format", "-f", help=_("table (default on a terminal), json, csv, markdown.")
        ),
    ] = None,
    bom: BomOpt = False,
) -> int:
    """List items, filtered by kind, status, type, tag and owner."""
    csv_for_excel(bom)
    # Chinese names and synonyms select the canonical values the files hold.
    statuses = ("requirement_status", "plan_status", "change_status")
    status = [named_value(statuses, s) for s in status] if status else status
    type_ = [named_value(["requirement_type"], t) for t in type_] if type_ else type_

    wanted = Filter.build(kinds=kind, statuses=status, types=type_, tags=tag, owner=owner)
    run = state(ctx)
    root = run.root()
    repo = load_repository(root, settings=run.settings(root))
    items = [item for item in repo.items() if matches(item, wanted)]
    fmt = fmt or ListFormat.TABLE
    header = ["id", "kind", "status", "type", "title", "due", "owner"]
    rows = [_row(item) for item in items]
    if fmt is ListFormat.JSON:
        emit_json({"items": [_json(item, repo) for item in items], "count": len(items)})
    else:
        emit(fmt, header, rows)
    broken = sum(1 for record in repo.records if record.model is None)
    if broken:
        sys.stderr.write(
            ngettext(
                "note: {n} file is not valid and not listed; run 'mitrm validate'",
                "note: {n} files are not valid and not listed; run 'mitrm validate'",
                broken,
            ).format(n=broken)
            + "\n"
        )
    return 0


def _owner(item: Item) -> str | None:
    owners = getattr(item, "owners", None)
    if owners is not None:
        return str(owners.business or owners.it or "") or None
    return getattr(item, "owner", None) or getattr(item, "requested_by", None)


def _row(item: Item) -> list[Any]:
    return [
        item.id,
        item.kind.value,
        getattr(item, "status").value,  # noqa: B009 - every kind has a status
        getattr(getattr(item, "type", None), "value", None),
        item.title,
        getattr(item, "due", None) or getattr(item, "end", None),
        _owner(item),
    ]


def _json(item: Item, repo: Repository) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": item.id,
        "kind": item.kind.value,
        "path": repo.path_of(item.id),
    }
    data.update(item.model_dump(mode="json", exclude={"id"}, exclude_defaults=True))
    return data


def show(
    ctx: typer.Context,
    item_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help=_("The item's id, e.g. REQ-0007."), autocompletion=complete.item_ids
        ),
    ],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help=_("text (the file as written) or json."))
    ] = "text",
) -> int:
    """Show one item: its file as written, or its fields as JSON."""
    if fmt not in ("text", "json"):
        raise UsageError(_("--format must be text or json, not '{fmt}'").format(fmt=fmt))
    run = state(ctx)
    root = run.root()
    repo = load_repository(root, settings=run.settings(root))
    record = repo.get(item_id)
    if record is None:
        raise UnknownIdError(
            _("no item has the id '{id}'").format(id=item_id), hint=_("see 'mitrm list'")
        )
    if fmt == "json":
        if record.model is None:
            raise UsageError(
                _("{path} is not a valid item").format(path=record.path),
                hint=_("run 'mitrm validate {path}'").format(path=record.path),
            )
        emit_json(_json(record.model, repo))
        return 0
    try:
        text = safefile.read_text(root / record.path, MAX_BYTES, errors="replace")
    except OSError as exc:
        raise UsageError(
            _("{path}: cannot read the file: {reason}").format(
                path=record.path, reason=exc.strerror
            )
        ) from None
    console = stdout()
    if console.is_terminal:
        # Highlighting (28 ms of imports) only for a terminal; piped output is the file as is.
        from rich.syntax import Syntax

        console.rule(printable(record.path))
        console.print(Syntax(printable(text), "yaml", word_wrap=True, background_color="default"))
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0
