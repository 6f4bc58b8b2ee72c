"""Files for ``mitrm new`` and the edit commands: find items by id, allocate ids, create files."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mitrm import __version__
from mitrm.core.ids import file_name, format_id, highest_number, id_of_name, shard_folder
from mitrm.core.models import Kind, Settings
from mitrm.errors import UsageError
from mitrm.io.atomic import create_exclusive
from mitrm.io.cache import cache_dir
from mitrm.io.discovery import discover
from mitrm.io.gitrefs import names_on_branches
from mitrm.io.yamlfile import parse_bytes

SCHEMA_URL = "https://raw.githubusercontent.com/mitrm/mitrm/v{version}/schemas"
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
    """Every file holding ``item_id``: by file name first, then by reading the files."""
    named = [
        Found(item.path, item.kind)
        for item in discover(root)
        if id_of_name(item.path.rsplit("/", 1)[-1], item_id.split("-", 1)[0]) == item_id
    ]
    if named:
        return named
    found = []
    for path, kind, data in files_mentioning(root, item_id):
        value = data.get("id") if data else None
        if isinstance(value, str) and value.strip() == item_id:
            found.append(Found(path, kind))
    return found


def files_mentioning(root: Path, text: str) -> Iterator[tuple[str, Kind, dict[str, Any] | None]]:
    """Item files whose bytes contain ``text``, parsed (None when unreadable or invalid).

    A file that does not contain an id cannot hold or refer to it, so most
    files are only read, never parsed.
    """
    needle = text.encode("utf-8")
    for item in discover(root):
        if item.outside:
            continue
        try:
            raw = (root / item.path).read_bytes()
        except OSError:
            yield item.path, item.kind, None
            continue
        if needle in raw:
            yield item.path, item.kind, parse_bytes(raw, item.path).data


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
    return f"{SCHEMA_URL.format(version=__version__)}/{name}"


def _relative(target: Path, folder: Path) -> str:
    return Path(os.path.relpath(target, folder)).as_posix()


def taken_names(root: Path, kind: Kind) -> list[str]:
    """File names of ``kind`` in the working tree and on every local and remote branch."""
    names = [item.path for item in discover(root) if item.kind is kind]
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


def _exists(root: Path, kind: Kind, item_id: str, prefix: str) -> bool:
    base = root / kind.folder
    for _folder, _dirs, files in os.walk(base):
        if any(id_of_name(name, prefix) == item_id for name in files):
            return True
    return False


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
            if _exists(root, kind, item_id, scheme.prefix):
                number += 1
                continue
            path = folder / file_name(item_id, slug)
            try:
                create_exclusive(path, render(item_id, folder))
            except FileExistsError:
                number += 1
                continue
            except OSError as exc:
                raise UsageError(f"cannot create {path}: {exc.strerror}") from exc
            return item_id, path
        finally:
            with contextlib.suppress(OSError):
                lock.unlink()
    raise UsageError("no free id found after 1000 attempts")  # pragma: no cover
