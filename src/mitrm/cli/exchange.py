"""``mitrm export`` and ``mitrm import``: items to spreadsheets and ReqIF, and back."""

from __future__ import annotations

import io
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from mitrm.cli.browse import KindOpt, OwnerOpt, StatusOpt, TagOpt, TypeOpt
from mitrm.cli.context import state, write_lock
from mitrm.cli.helps import HELP
from mitrm.cli.streams import printable
from mitrm.core.editing import field_order
from mitrm.core.exchange.creating import new_item_text, split_new
from mitrm.core.exchange.exporting import build_sheet
from mitrm.core.exchange.importing import Existing, plan_import
from mitrm.core.filters import Filter, matches
from mitrm.core.ids import file_name, id_number, shard_folder, slugify
from mitrm.core.models import Kind
from mitrm.errors import DataError, UsageError
from mitrm.i18n import _, ngettext, pgettext
from mitrm.io.atomic import create_exclusive, write_atomic
from mitrm.io.drafts import create_item, kind_of_id, schema_ref
from mitrm.io.exchange.reqiffile import read_reqif, write_reqif
from mitrm.io.exchange.sheetfiles import read_tables, write_csv, write_output
from mitrm.io.exchange.xlsxfile import CellTooLong, write_xlsx
from mitrm.io.git.adapter import run
from mitrm.io.repository import _today as today
from mitrm.io.repository import load_repository
from mitrm.io.roundtrip import check_writable, open_item

if TYPE_CHECKING:
    import datetime as dt

    from mitrm.core.diagnostics import Loc
    from mitrm.core.exchange.importplan import Change, Create, ImportPlan
    from mitrm.core.models import Settings
    from mitrm.core.record import Record
    from mitrm.io.roundtrip import Editable


class ExportFormat(str, Enum):
    """File formats of ``mitrm export``."""

    XLSX = "xlsx"
    CSV = "csv"
    REQIF = "reqif"


def register(app: typer.Typer) -> None:
    """Add the commands to ``app``."""
    app.command("export", help=_(HELP["export"]))(export)
    app.command("import", help=_(HELP["import"]))(import_file)


def export(
    ctx: typer.Context,
    kind: KindOpt = None,
    status: StatusOpt = None,
    type_: TypeOpt = None,
    tag: TagOpt = None,
    owner: OwnerOpt = None,
    fmt: Annotated[
        ExportFormat | None,
        typer.Option(
            "--format",
            "-f",
            help=_("xlsx, csv or reqif (default: from the -o file name, else xlsx)."),
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            dir_okay=False,
            help=_("The file to write (default: stdout, except for xlsx on a terminal)."),
        ),
    ] = None,
) -> int:
    """Write items to a spreadsheet (XLSX, CSV with BOM) or a ReqIF 1.2 file.

    XLSX: one sheet per kind, headers in the repo's language, drop-downs for
    every closed vocabulary. CSV holds one kind (--kind, default requirement).
    Every row records what it was exported from, so that 'mitrm import' can
    refuse rows whose item changed since. docs/spreadsheets.md explains it all.
    """
    if fmt is None:
        suffix = output.suffix.lower().lstrip(".") if output else ""
        fmt = ExportFormat(suffix) if suffix in {f.value for f in ExportFormat} else None
        fmt = fmt or ExportFormat.XLSX
    wanted = Filter.build(kinds=kind, statuses=status, types=type_, tags=tag, owner=owner)
    kinds = sorted(wanted.kinds, key=list(Kind).index) or list(Kind)
    if fmt is ExportFormat.CSV:
        if len(wanted.kinds) > 1:
            raise UsageError(_("a CSV file holds one kind; give one --kind, or use --format xlsx"))
        kinds = kinds if wanted.kinds else [Kind.REQUIREMENT]
    if output is None and fmt is not ExportFormat.CSV and sys.stdout.isatty():
        raise UsageError(
            _("a {format} file is not for the terminal; name it with -o FILE").format(
                format=fmt.value
            ),
            hint=f"mitrm export -o items.{fmt.value}",
        )
    run = state(ctx)
    root = run.root()
    settings = run.settings(root)
    repo = load_repository(root, settings=settings, checks=False)
    records = [
        r
        for r in repo.records
        if r.model is not None
        and r.data is not None
        and r.kind in kinds
        and matches(r.model, wanted)
    ]
    commit = _head(root)
    if fmt is ExportFormat.REQIF:
        payload = write_reqif(
            [(r.kind, r.data) for r in records if r.data],
            settings=settings,
            stamp=_stamp(root, commit),
        )
    else:
        payload = _sheets(fmt, kinds, records, settings, commit, to_stdout=output is None)
    _deliver(output, payload)
    broken = sum(1 for r in repo.records if r.model is None and r.kind in kinds)
    count = len(records)
    where = output if output is not None else "stdout"
    sys.stderr.write(
        ngettext("exported {n} item to {where}", "exported {n} items to {where}", count).format(
            n=count, where=where
        )
        + "\n"
    )
    if broken:
        sys.stderr.write(
            ngettext(
                "note: {n} file not valid and not exported; run 'mitrm validate'",
                "note: {n} files not valid and not exported; run 'mitrm validate'",
                broken,
            ).format(n=broken)
            + "\n"
        )
    return 0


def _sheets(
    fmt: ExportFormat,
    kinds: list[Kind],
    records: list[Record],
    settings: Settings,
    commit: str | None,
    *,
    to_stdout: bool,
) -> bytes:
    sheets = [
        build_sheet(
            kind,
            [r.data for r in records if r.kind is kind and r.data is not None],
            lang=settings.language.value,
            commit=commit,
        )
        for kind in kinds
    ]
    buffer = io.BytesIO()
    if fmt is ExportFormat.CSV:
        if to_stdout:
            # Text that reaches stdout shows control characters as \xNN (a terminal
            # must not take item text for commands); a file written with -o is exact.
            sheet = sheets[0]
            sheet.rows = [
                [printable(cell) if isinstance(cell, str) else cell for cell in row]
                for row in sheet.rows
            ]
        write_csv(buffer, sheets[0])
        return buffer.getvalue()
    try:
        write_xlsx(buffer, sheets)
    except CellTooLong as exc:
        sheet = next(s for s in sheets if s.title == exc.sheet)
        item_id, field = sheet.rows[exc.row - 1][0], sheet.headers[exc.col]
        raise UsageError(
            _(
                "{id}: '{field}' is longer than a spreadsheet cell holds (32,767 "
                "characters); nothing was written"
            ).format(id=item_id, field=field),
            hint=_("export it as CSV or ReqIF, or leave the item out with the filters"),
        ) from None
    return buffer.getvalue()


def _head(root: Path) -> str | None:
    """The commit the working tree sits on (None outside git)."""
    try:
        done = run(root, "rev-parse", "--verify", "-q", "HEAD", check=False)
    except OSError:
        return None
    if done.returncode != 0:
        return None
    return done.stdout.decode("ascii", "replace").strip() or None


def _stamp(root: Path, commit: str | None) -> str:
    """The time of the commit exported from: the same file for the same commit."""
    if commit is not None:
        done = run(root, "show", "-s", "--format=%cI", commit, check=False)
        if done.returncode == 0 and done.stdout.strip():
            return done.stdout.decode("ascii", "replace").strip()
    return "1970-01-01T00:00:00+00:00"


def _deliver(output: Path | None, payload: bytes) -> None:
    if output is None:
        sys.stdout.flush()
        binary = getattr(sys.stdout, "buffer", None)
        if binary is None:
            raise UsageError(_("standard output is closed; the export cannot be written"))
        try:
            binary.write(payload)
            binary.flush()
        except BrokenPipeError:
            raise  # the reader went away: a normal end (mitrm export | head)
        except (OSError, ValueError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            raise UsageError(
                _("cannot write the export to stdout: {reason}").format(reason=reason)
            ) from None
        return
    try:
        write_output(output, payload)
    except OSError as exc:
        raise UsageError(
            _("cannot write {path}: {reason}").format(path=output, reason=exc.strerror)
        ) from exc


def import_file(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(help=_("An .xlsx, .ods, .csv or .reqif file."), dir_okay=False),
    ],
    apply: Annotated[
        bool, typer.Option("--apply", help=_("Write the changes (default: show them only)."))
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help=_("Apply rows whose item changed in the repo since the export.")
        ),
    ] = False,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            "-k",
            metavar="KIND",
            help=_("The kind of a sheet not named for one (default: from its headers)."),
        ),
    ] = None,
) -> int:
    """Read rows from a spreadsheet or ReqIF file into items: a diff first, --apply writes.

    Rows with an id update that item (only the changed lines of its file
    change); rows without one become new items. A row whose item changed in
    the repo since the export is refused unless --force. Any bad cell is
    reported as FILE:Sheet!C7 and nothing is written (exit 1).
    """
    default_kind = next(iter(Filter.build(kinds=[kind]).kinds)) if kind else None
    run = state(ctx)
    root = run.root()
    settings = run.settings(root)
    if apply:  # held from reading the items to the last file written
        ctx.with_resource(write_lock(root))
    shown = str(file)
    if file.suffix.lower() in (".reqif", ".xml"):
        tables, escaped = read_reqif(file, shown, settings=settings), False
    else:
        tables, escaped = read_tables(file, shown)
    repo = load_repository(root, settings=settings, checks=False)
    existing = {}
    for record in repo.records:
        if record.id and isinstance(record.data, dict) and record.id not in existing:
            existing[record.id] = Existing(record.kind, record.path, record.data)
    plan = plan_import(
        tables,
        source=file.name,
        existing=existing,
        settings=settings,
        default_kind=default_kind,
        force=force,
        today=today(),
        kind_of_id=lambda item_id: kind_of_id(settings, item_id),
        escaped=escaped,
    )
    if plan.problems:
        for problem in plan.problems:
            sys.stderr.write(problem.text() + "\n")
        count = len(plan.problems)
        raise DataError(
            ngettext(
                "{n} problem in {file}; nothing was written",
                "{n} problems in {file}; nothing was written",
                count,
            ).format(n=count, file=file.name),
            hint=_("fix the cells named above and import again"),
        )
    _show_plan(plan)
    if not plan.updates and not plan.creates:
        sys.stderr.write(_("nothing to change: every row matches its item") + "\n")
        return 0
    asked = not apply and sys.stdin.isatty() and sys.stdout.isatty() and _confirm()
    if not apply and not asked:
        sys.stderr.write(_("nothing written; run again with --apply to write these changes") + "\n")
        return 0
    if apply:
        _write(root, settings, plan, today=today())
    else:
        with write_lock(root):  # confirmed on a terminal: the lock for the writing only
            _write(root, settings, plan, today=today())
    return 0


def _confirm() -> bool:
    sys.stderr.write(_("write these changes? [y/N] "))
    sys.stderr.flush()
    answer = sys.stdin.readline()
    return answer.strip().casefold() in ("y", "yes", "是")


def _value(value: Any) -> str:
    if value is None:
        return _("(empty)")
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    text = str(value)
    return repr(text) if "\n" in text or text != text.strip() else text


def _show_plan(plan: ImportPlan) -> None:
    out = sys.stdout
    for update in plan.updates:
        out.write(
            _("{id} ({path}, from {place}):").format(
                id=update.item_id, path=update.path, place=update.place
            )
            + "\n"
        )
        for change in update.changes:
            out.write(f"  {change.name}: {_value(change.old)} -> {_value(change.new)}\n")
    for create in plan.creates:
        name = create.item_id or _("a new {kind}").format(kind=pgettext("kind", create.kind.label))
        out.write(_("{name} (new, from {place}):").format(name=name, place=create.place) + "\n")
        for key, value in create.data.items():
            if key == "id":
                continue
            if isinstance(value, dict):
                for sub, inner in value.items():
                    out.write(f"  {key}.{sub}: {_value(inner)}\n")
            else:
                out.write(f"  {key}: {_value(value)}\n")
    for where, item_id in plan.twins:
        out.write(
            _("already in the repo as {id}, not created again: the row at {place}").format(
                id=item_id, place=where
            )
            + "\n"
        )
    for kept in plan.kept:
        out.write(
            _("kept as the repo has it (changed there since the export): {place}").format(
                place=kept
            )
            + "\n"
        )
    for table in plan.skipped if plan.read else ():
        sys.stderr.write(
            _("note: sheet '{sheet}' skipped: no id or title column").format(sheet=table.title)
            + "\n"
        )
    if plan.ignored_headers:
        names = ", ".join(dict.fromkeys(plan.ignored_headers))
        sys.stderr.write(
            _(
                "note: columns not read (no such field; map them in mitrm.yaml "
                "spreadsheets.columns): {names}"
            ).format(names=names)
            + "\n"
        )
    sys.stderr.write(
        _("{changed} item(s) to change, {created} to create, {unchanged} unchanged").format(
            changed=len(plan.updates), created=len(plan.creates), unchanged=plan.unchanged
        )
        + "\n"
    )


def _write(root: Path, settings: Settings, plan: ImportPlan, *, today: dt.date) -> None:
    """Write every update (checked in memory first), then create the new items."""
    for folder in sorted({create.kind.folder for create in plan.creates}):
        _check_inside(root, folder)
    texts: list[tuple[Path, str]] = []
    for update in plan.updates:
        kind = update.kind

        def order(loc: Loc, kind: Kind = kind) -> list[str]:
            return field_order(kind, loc)

        editable = open_item(root, update.path, order=order)
        if editable.data != update.before:
            raise UsageError(
                _("{path} changed while the import was being prepared; nothing was written").format(
                    path=update.path
                ),
                hint=_("run the import again"),
            )
        for change in update.changes:
            _edit(editable, change)
        texts.append((editable.path, editable.checked(update.data)))
        check_writable(editable.path, update.path)
    for path, text in texts:
        write_atomic(path, text)
    for update in plan.updates:
        sys.stderr.write(
            _("updated {id}: {path}").format(id=update.item_id, path=update.path) + "\n"
        )
    for create in plan.creates:
        rel = _create(root, settings, create, today=today)
        sys.stderr.write(_("created {path}").format(path=rel) + "\n")


def _edit(editable: Editable, change: Change) -> None:
    if change.new is None:
        editable.remove(change.loc)
    else:
        editable.set(change.loc, change.new)


def _check_inside(root: Path, folder: str) -> None:
    """Refuse to create items when the kind's folder, or a subfolder new items may go
    into, is a link that leads outside the repo: the repo's content must not make
    mitrm write elsewhere."""
    top = root.resolve()
    base = root / folder
    candidates = [base]
    if base.is_dir():
        candidates += [entry for entry in base.iterdir() if entry.is_symlink()]
    for candidate in candidates:
        target = candidate.resolve()
        if target != top and top not in target.parents:
            rel = candidate.relative_to(root).as_posix()
            raise UsageError(
                _(
                    "{path} leads outside the data repo ({target}); no item was created there"
                ).format(path=rel, target=target),
                hint=_("replace the link {path} with a folder").format(path=rel),
            )


def _create(root: Path, settings: Settings, create: Create, *, today: dt.date) -> str:
    slug = slugify(str(create.data.get("title") or create.kind.value))
    simple, later = split_new(create.data)

    def text(item_id: str, folder: Path) -> str:
        data = {**simple, "id": item_id}
        return new_item_text(data, schema_ref=schema_ref(root, settings, create.kind, folder))

    if create.item_id is None:
        item_id, path = create_item(
            root, settings, create.kind, slug=slug, render=text, today=today
        )
    else:
        item_id = create.item_id
        scheme = settings.ids.for_kind(create.kind)
        number = id_number(item_id, scheme.prefix) or 0
        sub = shard_folder(settings.layout.shard, number, today)
        folder = root / create.kind.folder / sub if sub else root / create.kind.folder
        path = folder / file_name(item_id, slug)
        try:
            create_exclusive(path, text(item_id, folder))
        except FileExistsError:
            raise UsageError(
                _("{path} already exists").format(path=path.relative_to(root).as_posix())
            ) from None
        except OSError as exc:
            raise UsageError(
                _("cannot create {path}: {reason}").format(path=path, reason=exc.strerror)
            ) from exc
    rel = path.relative_to(root).as_posix()
    if later:
        kind = create.kind

        def order(loc: Loc, kind: Kind = kind) -> list[str]:
            return field_order(kind, loc)

        editable = open_item(root, rel, order=order)
        for loc, value in later:
            editable.set(loc, value)
        editable.save({**create.data, "id": item_id})
    return rel
