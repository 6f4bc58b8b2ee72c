"""Shell completion of values: item ids, statuses, types, scoring models and rule codes.

Typer calls these while the user presses Tab, so they never raise (a problem
means "no suggestions") and read only file names, never file contents.
"""

from __future__ import annotations

import re
from pathlib import Path

import typer

from mitrm.core.checking import every_code
from mitrm.core.checking import statuses as of_kind
from mitrm.core.ids import id_key
from mitrm.core.models import Kind
from mitrm.core.models.requirement import RequirementType
from mitrm.core.prioritization import MODELS
from mitrm.errors import MitrmError
from mitrm.i18n import _
from mitrm.io.discovery import repo_root, walk
from mitrm.io.repository import load_settings

_ID_IN_NAME = re.compile(r"^([A-Za-z][A-Za-z0-9]*-[0-9]+)")


def _root(ctx: typer.Context) -> Path | None:
    repo = ctx.find_root().params.get("repo")
    try:
        return repo_root(Path(repo) if repo else None)
    except (MitrmError, OSError):
        return None


def _matching(values: list[str], incomplete: str) -> list[str]:
    wanted = incomplete.casefold()
    return [value for value in values if value.casefold().startswith(wanted)]


def item_ids(ctx: typer.Context, incomplete: str) -> list[str]:
    """The ids of the repo's items, from their file names."""
    root = _root(ctx)
    if root is None:
        return []
    found = set()
    for rel, _kind, _entry in walk(root):
        match = _ID_IN_NAME.match(rel.rsplit("/", 1)[-1])
        if match:
            found.add(match.group(1))
    return _matching(sorted(found, key=id_key), incomplete)


def requirement_ids(ctx: typer.Context, incomplete: str) -> list[str]:
    """The ids of the repo's requirements (for ``prioritize --explain``)."""
    root = _root(ctx)
    if root is None:
        return []
    found = set()
    for rel, kind, _entry in walk(root):
        match = _ID_IN_NAME.match(rel.rsplit("/", 1)[-1])
        if match and kind is Kind.REQUIREMENT:
            found.add(match.group(1))
    return _matching(sorted(found, key=id_key), incomplete)


def statuses(ctx: typer.Context, incomplete: str) -> list[str]:
    """Statuses: of the item named on the line (``mitrm status ID``), else of every kind."""
    kinds = list(Kind)
    item_id = ctx.params.get("item_id")
    if isinstance(item_id, str) and "-" in item_id:
        kind = _kind_of(ctx, item_id)
        if kind is not None:
            kinds = [kind]
    if ctx.command.name == "prioritize":
        kinds = [Kind.REQUIREMENT]
    values = list(dict.fromkeys(s for kind in kinds for s in of_kind(kind)))
    return _matching(values, incomplete)


def _kind_of(ctx: typer.Context, item_id: str) -> Kind | None:
    root = _root(ctx)
    prefix = item_id.rsplit("-", 1)[0].upper()
    if root is None:
        return None
    try:
        ids = load_settings(root).ids
    except (MitrmError, OSError):  # a broken mitrm.yaml: the command itself reports it
        return None
    return next((k for k in Kind if ids.for_kind(k).prefix == prefix), None)


def requirement_types(incomplete: str) -> list[str]:
    """The requirement types."""
    return _matching([t.value for t in RequirementType], incomplete)


def kinds(incomplete: str) -> list[str]:
    """The kinds of item."""
    return _matching(["requirement", "plan", "change"], incomplete)


def scoring_models(incomplete: str) -> list[tuple[str, str]]:
    """The scoring models, each with its formula."""
    return [(name, model.formula) for name, model in MODELS.items() if name.startswith(incomplete)]


def rule_codes(incomplete: str) -> list[tuple[str, str]]:
    """Diagnostic codes (MIT101 ...), each with what it reports."""
    codes = every_code()
    wanted = incomplete.upper()
    return [(code, _(codes[code].summary)) for code in sorted(codes) if code.startswith(wanted)]
