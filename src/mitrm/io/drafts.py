"""Files for ``mitrm new`` and the edit commands: find items by id, allocate ids, create files."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mitrm.core.ids import file_name, format_id, highest_number, id_of_name, shard_folder
from mitrm.core.models import Kind, Settings
from mitrm.core.scaffold import schema_url
from mitrm.errors import UsageError
from mitrm.i18n import _
from mitrm.io import safefile
from mitrm.io.atomic import create_exclusive
from mitrm.io.cache import cache_dir
from mitrm.io.discovery import utf8_name, walk
from mitrm.io.git import names_on_branches
from mitrm.io.yamlfile import MAX_BYTES, parse_bytes

# A reservation older than this is from a run that died; its id may be taken again.
_STALE_SECONDS = 600


@dataclass(frozen=True)
class Found:
    """An item file found by its id."""

    path: str
    kind: Kind


def kind_of_id(settings: Settings, item_id: str) -> Kind | None:
    """The kind whose id prefix ``item_id`` carries."""
    prefix = item_id.split("-", 1)[0]
    return next((k for k in Kind if settings.ids.for_kind(k).prefix == prefix), None)


def find_by_id(root: Path, settings: Settings, item_id: str) -> list[Found]:
    """Every file holding ``item_id``: by file name first, then by reading the files.

    A file named for the id but holding another one (a copy not renamed yet) is
    not taken: the id inside the file is the item's id.
    """
    prefix = item_id.split("-", 1)[0]
    named = [
        Found(rel, kind)
        for rel, kind in item_names(root)
        if id_of_name(rel.rsplit("/", 1)[-1], prefix) == item_id
    ]
    named = [found for found in named if _holds(root / found.path, found.path, item_id)]
    if named:
        return named
    found = []
    for path, kind, data in files_mentioning(root, item_id):
        value = data.get("id") if data else None
        if isinstance(value, str) and value.strip() == item_id:
            found.append(Found(path, kind))
    return found


def _holds(path: Path, rel: str, item_id: str) -> bool:
    """Whether the file holds ``item_id`` (a file that cannot be read as an item does:
    its name is all there is to go by)."""
    try:
        data = parse_bytes(safefile.read_bytes(path, MAX_BYTES), rel).data
    except OSError:
        return True
    value = data.get("id") if data else None
    return not isinstance(value, str) or value.strip() == item_id


def item_names(root: Path) -> Iterator[tuple[str, Kind]]:
    """Relative path and kind of every item file."""
    for rel, kind, _entry in walk(root):
        if utf8_name(rel):  # others are reported by validate and never read
            yield rel, kind


def files_mentioning(root: Path, *texts: str) -> Iterator[tuple[str, Kind, dict[str, Any] | None]]:
    """Item files whose bytes contain any of ``texts``, parsed (None when unreadable or invalid).

    A file that does not contain an id cannot hold or refer to it, so most
    files are only read, never parsed. Links that lead outside the repo are
    not read (as ``mitrm validate`` does).
    """
    needles = [text.encode("utf-8") for text in texts]
    inside = os.path.realpath(root)
    for rel, kind, entry in walk(root):
        if not utf8_name(rel):
            continue
        full = entry.path
        if entry.is_symlink() and os.path.commonpath([inside, os.path.realpath(full)]) != inside:
            continue
        try:
            raw = safefile.read_bytes(full, MAX_BYTES)
        except OSError:
            yield rel, kind, None
            continue
        if any(needle in raw for needle in needles):
            yield rel, kind, parse_bytes(raw, rel).data


def schema_ref(root: Path, settings: Settings, kind: Kind, folder: Path) -> str:
    """What the modeline of a new file in ``folder`` points at.

    ``drafting.schemas`` in mitrm.yaml wins (a URL, or a folder relative to the
    repo root); else a ``schemas/`` folder in the repo or above it inside the
    same git work tree (as in this project's examples); else the published
    schemas of this mitrm version.
    """
    name = f"{kind.value}.schema.json"
    configured = settings.drafting.schemas
    if configured:
        if "://" in configured:
            return f"{configured.rstrip('/')}/{name}"
        return _relative(root / configured / name, folder)
    for base in (root, *root.parents):
        candidate = base / "schemas" / name
        if candidate.is_file():
            return _relative(candidate, folder)
        if (base / ".git").exists():
            break
    return schema_url(name)


def _relative(target: Path, folder: Path) -> str:
    return Path(os.path.relpath(target, folder)).as_posix()


def taken_names(root: Path, kind: Kind) -> list[str]:
    """File names of ``kind`` in the working tree and added on other local or remote branches."""
    names = [name for _folder, _dirs, files in os.walk(root / kind.folder) for name in files]
    names += names_on_branches(root, [kind.folder])
    return names


def _reserve(root: Path, item_id: str) -> Path | None:
    """Claim ``item_id`` for this run (None if another run holds it)."""
    folder = cache_dir(root) / "reserved"
    folder.mkdir(parents=True, exist_ok=True)
    lock = folder / item_id
    try:
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        with contextlib.suppress(OSError):
            age = dt.datetime.now().timestamp() - lock.stat().st_mtime
            if age > _STALE_SECONDS:
                lock.unlink()
        return None
    os.close(fd)
    return lock


def _exists(folder: Path, item_id: str, prefix: str) -> bool:
    """Whether ``folder`` holds a file of ``item_id`` now.

    Runs creating the same id put it in the same folder (the shard follows the
    number), so this folder is the only place a concurrent run can have used.
    """
    try:
        names = os.listdir(folder)
    except OSError:
        return False
    return any(id_of_name(name, prefix) == item_id for name in names)


def refuse_outside(root: Path, folder: Path) -> None:
    """UsageError when ``folder`` (a new item's folder) leads outside the repo through a
    link: what a data repo holds must never make mitrm write elsewhere."""
    top = root.resolve()
    target = folder.resolve()
    if target == top or top in target.parents:
        return
    shown = folder.relative_to(root).as_posix() if folder.is_relative_to(root) else str(folder)
    raise UsageError(
        _("{path} leads outside the data repo ({target}); no item was created there").format(
            path=shown, target=target
        ),
        hint=_("replace the link {path} with a folder").format(path=shown),
    )


def create_item(
    root: Path,
    settings: Settings,
    kind: Kind,
    *,
    slug: str,
    render: Callable[[str, Path], str],
    today: dt.date,
) -> tuple[str, Path]:
    """Allocate the next free id and create its file exclusively; return (id, path).

    Safe when several ``mitrm new`` run at once: each id is claimed before its
    file is written, and a claimed or existing id moves on to the next number.
    ``render(id, folder)`` gives the file's text.
    """
    scheme = settings.ids.for_kind(kind)
    number = highest_number(taken_names(root, kind), scheme.prefix) + 1
    for _attempt in range(1000):
        item_id = format_id(scheme, number)
        sub = shard_folder(settings.layout.shard, number, today)
        folder = root / kind.folder / sub if sub else root / kind.folder
        lock = _reserve(root, item_id)
        if lock is None:
            number += 1
            continue
        try:
            if _exists(folder, item_id, scheme.prefix):
                number += 1
                continue
            refuse_outside(root, folder)
            path = folder / file_name(item_id, slug)
            try:
                create_exclusive(path, render(item_id, folder))
            except FileExistsError:
                number += 1
                continue
            except OSError as exc:
                raise UsageError(
                    _("cannot create {path}: {reason}").format(path=path, reason=exc.strerror)
                ) from exc
            return item_id, path
        finally:
            with contextlib.suppress(OSError):
                lock.unlink()
    raise UsageError(_("no free id found after 1000 attempts"))  # pragma: no cover
