"""``mitrm set``, ``mitrm status`` and ``mitrm renumber``: edit items in place."""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
import yaml

from mitrm.cli import completion as complete
from mitrm.cli.context import state, write_lock
from mitrm.cli.helps import HELP
from mitrm.cli.prompt import is_tty, read_line
from mitrm.core.checking import validate_item
from mitrm.core.diagnostics import Severity, format_loc
from mitrm.core.editing import (
    added_references,
    apply,
    approval_gaps,
    check_transition,
    field_order,
    parse_assignment,
    reference_locs,
    status_named,
    value_for,
    without_repeats,
)
from mitrm.core.ids import fits_scheme, format_id, highest_number, id_of_name, renamed
from mitrm.core.record import Record
from mitrm.core.vocabulary import shown
from mitrm.errors import DataError, UnknownIdError, UsageError
from mitrm.i18n import _
from mitrm.io import journal, yamlfile
from mitrm.io.cache import cache_dir
from mitrm.io.drafts import files_mentioning, find_by_id, item_names, taken_names
from mitrm.io.git import names_on_branches, user_name
from mitrm.io.repository import today
from mitrm.io.roundtrip import NumberText, check_writable, open_item

if TYPE_CHECKING:
    from mitrm.core.diagnostics import Diagnostic, Loc
    from mitrm.core.models import Kind, Settings
    from mitrm.io.drafts import Found
    from mitrm.io.journal import Outcome

IdArg = Annotated[
    str,
    typer.Argument(
        metavar="ID", help=_("The item's id, e.g. REQ-0007."), autocompletion=complete.item_ids
    ),
]
Assignments = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="FIELD=VALUE...",
        help=_(
            "Fields to set: due=2026-03-31, owners.it=Daniel, kpis.0.target=2.5; "
            "append to a list with +=: tags+=mobile; an empty value removes the field."
        ),
        show_default=False,
    ),
]


def register(app: typer.Typer) -> None:
    """Add the commands to ``app``."""
    app.command("set", help=_(HELP["set"]))(set_fields)
    app.command("status", help=_(HELP["status"]))(status)
    app.command("renumber", help=_(HELP["renumber"]))(renumber)


def set_fields(ctx: typer.Context, item_id: IdArg, assignments: Assignments = None) -> int:
    """Set fields of an item in place, keeping its comments, key order and layout."""
    if not assignments:
        raise UsageError(
            _("nothing to set"), hint=_("e.g. mitrm set {id} due=2026-03-31").format(id=item_id)
        )
    run = state(ctx)
    root = run.root()
    settings = run.settings(root)
    with write_lock(root):
        found = _one(root, settings, item_id)
        rel = _edit(root, settings, found, item_id, assignments, target=None)
    sys.stdout.write(rel + "\n")
    return 0


def status(
    ctx: typer.Context,
    item_id: IdArg,
    new_status: Annotated[
        str,
        typer.Argument(
            metavar="STATUS", help=_("The status to move to."), autocompletion=complete.statuses
        ),
    ],
    assignments: Assignments = None,
) -> int:
    """Move an item to another status, if the workflow allows it and its fields are there."""
    run = state(ctx)
    root = run.root()
    settings = run.settings(root)
    with write_lock(root):
        found = _one(root, settings, item_id)
        rel = _edit(root, settings, found, item_id, assignments or [], target=new_status)
    sys.stdout.write(rel + "\n")
    return 0


def _one(root: Path, settings: Settings, item_id: str) -> Found:
    found = find_by_id(root, settings, item_id)
    if not found:
        raise UnknownIdError(
            _("no item has the id '{id}'").format(id=item_id), hint=_("see 'mitrm list'")
        )
    if len(found) > 1:
        paths = ", ".join(f.path for f in found)
        raise UsageError(
            _("the id '{id}' is used by {n} files: {paths}").format(
                id=item_id, n=len(found), paths=paths
            ),
            hint=_("give one of them a new id first: mitrm renumber {id} --file {path}").format(
                id=item_id, path=found[-1].path
            ),
        )
    return found[0]


_NAME_MAX = 255  # bytes in one file name on the common file systems


def _parse_value(raw: str) -> Any:
    """A value from the command line, read as YAML."""
    try:
        value = yamlfile.load_yaml(raw)
        if type(value) is float and math.isfinite(value):
            return NumberText(value, raw.strip())
        return value
    except (
        yaml.YAMLError,
        yamlfile.DuplicateKeyError,
        yamlfile.RefusedTagError,
        yamlfile.KeyNotTextError,
        yamlfile.TooLargeError,
        TypeError,
        RecursionError,
    ):
        raise UsageError(
            _("'{value}' is not a value mitrm can read").format(value=raw),
            hint=_("quote text with spaces and colons, e.g. title='\"Q3: launch\"'"),
        ) from None


def _errors(kind: Kind, rel: str, data: dict[str, Any], settings: Settings) -> list[Diagnostic]:
    record = Record(path=rel, kind=kind, data=data)
    validate_item(record, settings=settings)
    return [d for d in record.diagnostics if d.severity is Severity.ERROR]


def _edit(
    root: Path,
    settings: Settings,
    found: Found,
    item_id: str,
    texts: list[str],
    *,
    target: str | None,
) -> str:
    """Apply assignments (and a status change) to one file, or refuse and write nothing."""
    assignments = [parse_assignment(text) for text in texts]
    editable = open_item(root, found.path, order=lambda loc: field_order(found.kind, loc))
    edits, present = without_repeats(
        found.kind,
        editable.data,
        [(a, value_for(found.kind, a, _parse_value)) for a in assignments],
    )
    for assignment, values in present:
        sys.stderr.write(
            _("{id}: {field} already holds {values}; not added again").format(
                id=item_id, field=format_loc(assignment.loc), values=_show(values)[1:-1]
            )
            + "\n"
        )
    if not edits and target is None:
        return found.path
    new_data = apply(editable.data, edits)
    current = str(editable.data.get("status"))
    recorded: list[tuple[Loc, Any]] = []
    if target is not None:
        target = status_named(found.kind, settings, target)
        if target == current:
            sys.stderr.write(_("{id} is already '{status}'").format(id=item_id, status=target))
            sys.stderr.write("\n")
            if not edits:
                return found.path
        else:
            check_transition(found.kind, settings, new_data, target, item_id=item_id)
            new_data["status"] = target
            for part in approval_gaps(found.kind, current, target, new_data):
                value = _approver(root, item_id, target) if part == "by" else today()
                recorded.append((("approval", part), value))
                approval = new_data.get("approval")
                new_data["approval"] = {**(approval if isinstance(approval, dict) else {})}
                new_data["approval"][part] = value
    before = {(d.code, d.message) for d in _errors(found.kind, found.path, editable.data, settings)}
    fresh = [
        d
        for d in _errors(found.kind, found.path, new_data, settings)
        if (d.code, d.message) not in before
    ]
    if fresh:
        lines = "; ".join(d.message for d in fresh)
        error = UsageError if all(d.code.startswith("MIT1") for d in fresh) else DataError
        raise error(
            _("{path}: {problems}; nothing was changed").format(path=found.path, problems=lines)
        )
    own = new_data.get("depends_on")
    if (
        isinstance(own, list)
        and item_id in own
        and item_id not in (editable.data.get("depends_on") or [])
    ):
        raise DataError(
            _(
                "{path}: {id} cannot depend on itself (a dependency cycle); nothing was changed"
            ).format(path=found.path, id=item_id)
        )
    check_writable(editable.path, found.path)
    _warn_unknown_references(root, settings, found.kind, editable.data, new_data)
    for assignment, value in edits:
        if assignment.append:
            editable.append(assignment.loc, value)
        elif value is None:
            editable.remove(assignment.loc)
        else:
            editable.set(assignment.loc, value)
    if target is not None and target != current:
        editable.set(("status",), target)
    for loc, value in recorded:
        editable.set(loc, value)
    editable.save(new_data)
    for assignment, value in edits:
        op = "+=" if assignment.append else "="
        shown = _("(removed)") if value is None else _show(value)
        sys.stderr.write(f"{item_id}: {format_loc(assignment.loc)} {op} {shown}\n")
    if target is not None and target != current:
        sys.stderr.write(f"{item_id}: status {current} -> {target}\n")
    for loc, value in recorded:
        sys.stderr.write(f"{item_id}: {format_loc(loc)} = {_show(value)} " + _("(recorded)") + "\n")
    return found.path


def _approver(root: Path, item_id: str, target: str) -> str:
    """Who approves: the git user, else the answer on a terminal; a usage error otherwise."""
    name = user_name(root)
    if name:
        return name
    if is_tty() or os.environ.get("MITRM_FORCE_PROMPT", "").lower() in ("1", "true", "yes", "on"):
        sys.stderr.write(_("Who approved {id}? ").format(id=item_id))
        sys.stderr.flush()
        answer = (read_line() or "").strip()
        if answer:
            return answer
    raise UsageError(
        _(
            "{id}: who approved it? git has no user.name to record in 'approval.by'; "
            "nothing was changed"
        ).format(id=item_id),
        hint=_("pass it: mitrm status {id} {status} approval.by='Your Name'").format(
            id=item_id, status=target
        ),
    )


def _warn_unknown_references(
    root: Path, settings: Settings, kind: Kind, before: dict[str, Any], after: dict[str, Any]
) -> None:
    """A reference to an id that does not exist (yet) is written, with a warning."""
    for ref in added_references(kind, before, after):
        if not find_by_id(root, settings, ref):
            sys.stderr.write(
                _(
                    "warning: '{id}' does not exist (yet); 'mitrm validate' reports it "
                    "(MIT203) until it does"
                ).format(id=ref)
                + "\n"
            )


def _show(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_show(v)}" for k, v in value.items()) + "}"
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def renumber(
    ctx: typer.Context,
    old: Annotated[
        str,
        typer.Argument(
            metavar="OLD", help=_("The id to change."), autocompletion=complete.item_ids
        ),
    ],
    new: Annotated[
        str | None,
        typer.Argument(metavar="NEW", help=_("The new id (default: the next free one).")),
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            help=_("Which file to renumber when OLD is used by several (after a merge)."),
            dir_okay=False,
            metavar="PATH",
        ),
    ] = None,
) -> int:
    """Change an item's id: rename its file (keeping the slug) and update every reference."""
    run = state(ctx)
    root = run.root()
    settings = run.settings(root)
    with write_lock(root) as recovered:
        if recovered is not None and _same_renumber(recovered, old, new):
            # Run again after a kill: the journal has just completed it.
            sys.stdout.write(f"{recovered.args.get('path', '')}\n")
            return 0
        return _renumber(root, settings, old, new, file)


def _same_renumber(outcome: Outcome, old: str, new: str | None) -> bool:
    args = outcome.args
    return (
        outcome.command.startswith("mitrm renumber")
        and not outcome.changed
        and outcome.set_aside is None
        and args.get("old") == old
        and new in (None, args.get("new"))
    )


def _renumber(root: Path, settings: Settings, old: str, new: str | None, file: Path | None) -> int:
    """Plan the renumbering, then make it through the journal (see io/journal.py)."""
    holders = find_by_id(root, settings, old)
    if not holders:
        raise UnknownIdError(
            _("no item has the id '{id}'").format(id=old), hint=_("see 'mitrm list'")
        )
    if file is not None:
        # As printed by 'mitrm validate' (relative to the repo root) or relative to here.
        wanted: set[str] = set()
        for candidate in (Path(os.path.abspath(file)), root / file):
            try:
                wanted.add(candidate.resolve().relative_to(root).as_posix())
            except ValueError:
                continue
        chosen = [h for h in holders if h.path in wanted]
        if not chosen:
            raise UsageError(
                _("{file} does not hold '{id}'; files with it: {paths}").format(
                    file=file, id=old, paths=", ".join(h.path for h in holders)
                )
            )
        holder = chosen[0]
    elif len(holders) > 1:
        raise UsageError(
            _("the id '{id}' is used by {n} files: {paths}").format(
                id=old, n=len(holders), paths=", ".join(h.path for h in holders)
            ),
            hint=_("choose one: mitrm renumber {id} NEW --file {path}").format(
                id=old, path=holders[-1].path
            ),
        )
    else:
        holder = holders[0]
    kind = holder.kind
    scheme = settings.ids.for_kind(kind)
    if new is None:
        new = format_id(scheme, highest_number(taken_names(root, kind), scheme.prefix) + 1)
    if not fits_scheme(new, scheme):
        example = format_id(scheme, 1)
        raise UsageError(
            _(
                "'{new}' is not a {kind} id; it must look like {example} (set in mitrm.yaml {key})"
            ).format(
                new=new, kind=shown("kind", kind.value), example=example, key=f"ids.{kind.value}"
            )
        )
    if new == old:
        raise UsageError(_("'{id}' already has this id").format(id=old))
    new_name = renamed(holder.path.rsplit("/", 1)[-1], old, new)
    if len(new_name.encode("utf-8")) > _NAME_MAX:
        raise UsageError(
            _(
                "'{id}...' would make a file name of {size} bytes; file systems allow "
                "{limit}. Nothing was changed"
            ).format(id=new[:24], size=len(new_name.encode("utf-8")), limit=_NAME_MAX),
            hint=_("choose a shorter id"),
        )
    # One pass over the files: those that hold NEW, and those that may refer to OLD.
    mentions = list(files_mentioning(root, old, new))
    clash = [
        rel
        for rel, _kind in item_names(root)
        if id_of_name(rel.rsplit("/", 1)[-1], scheme.prefix) == new
    ]
    clash += [
        rel for rel, _kind, data in mentions if data and str(data.get("id", "")).strip() == new
    ]
    if clash:
        raise UsageError(
            _("'{id}' already exists: {path}; nothing was changed").format(id=new, path=clash[0]),
            hint=_(
                "pick a free id, or leave NEW out to take the next free one: mitrm renumber {id}"
            ).format(id=old),
        )
    # Everything is computed and checked before the first write.
    item = open_item(root, holder.path)
    item.set(("id",), new)
    updates: dict[str, Any] = {}
    skipped: list[str] = []
    unread: list[str] = []
    for rel, kind_of_file, data in mentions:
        if data is None:
            unread.append(rel)
            continue
        locs = reference_locs(kind_of_file, data, old)
        if not locs:
            continue
        if len(holders) > 1:
            skipped.append(rel)
            continue
        editable = item if rel == holder.path else open_item(root, rel)
        for loc in locs:
            editable.set(loc, new)
        if editable is not item:
            updates[rel] = editable
    check_writable(item.path, holder.path)
    for rel, editable in updates.items():
        check_writable(editable.path, rel)
    old_path = root / holder.path
    new_path = old_path.with_name(renamed(old_path.name, old, new))
    new_rel = new_path.relative_to(root).as_posix()
    text = item.result().encode("utf-8")
    original = item.original().encode("utf-8")
    if new_path != old_path:
        if os.path.lexists(new_path):
            raise UsageError(_("{path} already exists; nothing was changed").format(path=new_rel))
        mode = old_path.stat().st_mode & 0o777
        edits = [journal.Edit(new_rel, None, text, mode)]
    else:
        edits = [journal.Edit(holder.path, original, text)]
    edits += [
        journal.Edit(rel, e.original().encode("utf-8"), e.result().encode("utf-8"))
        for rel, e in updates.items()
        if e.result() != e.original()
    ]
    if new_path != old_path:
        edits.append(journal.Edit(holder.path, original, None))  # last: its text lives on
    journal.run(
        root,
        cache_dir(root),
        command=f"mitrm renumber {old} {new}",
        args={"old": old, "new": new, "path": new_rel},
        edits=edits,
    )
    sys.stdout.write(new_rel + "\n")
    err = sys.stderr
    err.write(
        _("renumbered {old} -> {new}: {path} -> {new_path}").format(
            old=old, new=new, path=holder.path, new_path=new_rel
        )
        + "\n"
    )
    if updates:
        err.write(
            _("updated references in {n} file(s): {paths}").format(
                n=len(updates), paths=", ".join(sorted(updates))
            )
            + "\n"
        )
    if skipped:
        err.write(
            _(
                "note: left the references to '{id}' in {paths} as they are: "
                "'{id}' is still used by another file, so they may mean either item"
            ).format(id=old, paths=", ".join(skipped))
            + "\n"
        )
    if unread:
        err.write(
            _(
                "warning: {n} file(s) could not be read and were not checked for "
                "references: {paths}"
            ).format(n=len(unread), paths=", ".join(unread))
            + "\n"
        )
    on_branches = [
        n
        for n in names_on_branches(root, [kind.folder])
        if n.rsplit("/", 1)[-1].startswith(new + "-")
    ]
    if on_branches:
        err.write(
            _("note: '{id}' is also used on another branch ({path})").format(
                id=new, path=on_branches[0]
            )
            + "\n"
        )
    return 0
