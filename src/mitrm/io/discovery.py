"""Find the data repo's root and its item files."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from mitrm.errors import RepoNotFoundError
from mitrm.i18n import _

if TYPE_CHECKING:  # imported where used: finding the root must not load pydantic
    from mitrm.core.models import Kind

SETTINGS_FILE = "mitrm.yaml"
_SUFFIXES = (".yaml", ".yml")


def find_root(start: Path | None = None) -> Path:
    """Walk up from ``start`` (default: the working directory) to the folder with mitrm.yaml."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / SETTINGS_FILE).is_file():
            return folder
    raise RepoNotFoundError(
        _("no {file} found in {folder} or any folder above it").format(
            file=SETTINGS_FILE, folder=here
        ),
        hint=_("run 'mitrm init' to create a data repo here, or pass -C DIR"),
    )


def repo_root(repo: Path | None) -> Path:
    """The root for ``-C DIR`` (which must hold mitrm.yaml) or found by walking up."""
    if repo is None:
        return find_root()
    folder = repo.resolve()
    if not folder.is_dir():
        raise RepoNotFoundError(_("{folder} is not a folder").format(folder=repo))
    if not (folder / SETTINGS_FILE).is_file():
        raise RepoNotFoundError(
            _("{folder} has no {file}").format(folder=repo, file=SETTINGS_FILE),
            hint=_("run 'mitrm init {folder}' to create one").format(folder=repo),
        )
    return folder


class ItemFile(NamedTuple):
    """One discovered item file (a named tuple: a warm run builds 10,000 of them)."""

    path: str  # relative to the root, POSIX separators
    kind: Kind
    outside: bool = False  # a symlink that leads outside the repo
    stat: tuple[int, int, int] | None = None  # size, mtime_ns, inode
    problem: str | None = None  # why the file is not read at all (a name that is not UTF-8)


def utf8_name(rel: str) -> bool:
    """Whether ``rel`` (as the OS gave it) is UTF-8 text, as every path mitrm shows must be."""
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes arrive as lone surrogates
        return False
    return True


def shown_name(rel: str) -> str:
    """``rel`` with the bytes that are not UTF-8 written as ``\\xNN``."""
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def walk(root: Path) -> Iterator[tuple[str, Kind, os.DirEntry[str]]]:
    """Every item file under the kinds' folders, subfolders included, in no set order:
    its path relative to the root, its kind and its directory entry (no stat made)."""
    from mitrm.core.models import Kind

    for kind in Kind:
        folders = [(str(root / kind.folder), kind.folder)]
        while folders:
            folder, rel_dir = folders.pop()
            try:
                entries = list(os.scandir(folder))
            except OSError:  # a kind without its folder, or one that cannot be read
                continue
            for entry in entries:
                name = entry.name
                if name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    folders.append((entry.path, f"{rel_dir}/{name}"))
                elif name.endswith(_SUFFIXES):
                    yield f"{rel_dir}/{name}", kind, entry


def discover(root: Path) -> list[ItemFile]:
    """Every item file under the kinds' folders, subfolders included, in a stable order."""
    found: list[ItemFile] = []
    root_real = os.path.realpath(root)
    for rel, kind, entry in walk(root):
        if not utf8_name(rel):
            problem = _("file name is not UTF-8 text; rename the file (it is not read)")
            found.append(ItemFile(shown_name(rel), kind, problem=problem))
            continue
        outside = False
        stat = None
        if entry.is_symlink():
            target = os.path.realpath(entry.path)
            outside = os.path.commonpath([root_real, target]) != root_real
        else:
            try:
                info = entry.stat()
                stat = (info.st_size, info.st_mtime_ns, info.st_ino)
            except OSError:
                pass
        found.append(ItemFile(rel, kind, outside, stat))
    found.sort()  # by path, which is first and unique
    return found
