"""A journal of planned edits to several files, replayed after a crash (renumber).

A command that changes several files (``mitrm renumber``) writes the whole plan,
each file's content before (as a digest) and after, to ``journal.json`` in the
cache folder, atomically, before it touches the first file; then it makes the
edits and removes the journal. If it is killed half-way, the next write command
finds the journal (under the write lock) and completes the plan: an edit whose
file already holds the new content is done, one whose file still holds the old
content is made. A file that holds neither (edited by hand since) stops the
replay before anything is written; the journal is then set aside and the files
named, so that nothing the user wrote is overwritten.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from mitrm.errors import UsageError
from mitrm.i18n import _
from mitrm.io import crashpoints
from mitrm.io.atomic import create_exclusive, write_atomic

NAME = "journal.json"
_VERSION = 1


@dataclass(frozen=True)
class Edit:
    """One planned change of one file, relative to the repo root."""

    path: str
    before: bytes | None  # the file's content now; None: the file must not exist
    after: bytes | None  # its content afterwards; None: the file is removed
    mode: int = 0o644  # permission bits of a file that is created


@dataclass
class Outcome:
    """What replaying a journal did."""

    command: str
    args: dict[str, str]
    written: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # changed since: nothing was written
    set_aside: Path | None = None


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _current(path: Path) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def _state(path: Path, before: str | None, after: bytes | None) -> str:
    """``done``, ``todo`` or ``changed``: where one file stands against its edit."""
    current = _current(path)
    if current == after:
        return "done"
    if (current is None and before is None) or (
        current is not None and before is not None and _digest(current) == before
    ):
        return "todo"
    return "changed"


def _apply_one(path: Path, after: bytes | None, mode: int) -> None:
    if after is None:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    elif path.exists():
        write_atomic(path, after)
    else:
        create_exclusive(path, after, mode=mode)


def _inside(root: Path, rel: str) -> Path | None:
    """``root/rel`` when ``rel`` is a plain relative path that stays inside the repo."""
    pure = PurePosixPath(rel)
    if not rel or pure.is_absolute() or ".." in pure.parts or "\\" in rel:
        return None
    path = root / rel
    real_root = os.path.realpath(root)
    if os.path.commonpath([real_root, os.path.realpath(path.parent)]) != real_root:
        return None
    return path


def _write_error(rel: str, exc: OSError, *, journal: bool) -> UsageError:
    reason = exc.strerror or str(exc)
    if journal:
        return UsageError(
            _(
                "cannot write {path}: {reason}; the edit is recorded and the next write "
                "command completes it"
            ).format(path=rel, reason=reason),
            hint=_("free some space (or fix the permissions), then run the command again"),
        )
    return UsageError(
        _("cannot write {path}: {reason}; nothing was changed").format(path=rel, reason=reason)
    )


def run(
    root: Path, folder: Path, *, command: str, args: dict[str, str], edits: Sequence[Edit]
) -> None:
    """Make ``edits`` in order so that a crash at any point can be completed by :func:`recover`.

    Every file must still be as planned (UsageError, nothing written, if not).
    Call with the repo's write lock held.
    """
    planned: list[dict[str, Any]] = []
    for edit in edits:
        path = root / edit.path
        before = None if edit.before is None else _digest(edit.before)
        if _state(path, before, edit.after) == "changed":
            raise UsageError(
                _("{path} changed while the edit was planned; nothing was changed").format(
                    path=edit.path
                )
            )
        planned.append(
            {
                "path": edit.path,
                "before": before,
                "after": None if edit.after is None else edit.after.decode("utf-8"),
                "mode": edit.mode,
            }
        )
    document = {
        "version": _VERSION,
        "root": os.path.realpath(root),
        "command": command,
        "args": args,
        "started": time.time(),
        "edits": planned,
    }
    journal = folder / NAME
    try:
        write_atomic(journal, json.dumps(document, ensure_ascii=False, indent=1) + "\n")
    except OSError as exc:
        raise _write_error(str(journal), exc, journal=False) from None
    crashpoints.pause("journal written")
    for edit in edits:
        try:
            _apply_one(root / edit.path, edit.after, edit.mode)
        except OSError as exc:
            raise _write_error(edit.path, exc, journal=True) from None
        crashpoints.pause(f"edited {edit.path}")
    journal.unlink()


def _read(journal: Path) -> dict[str, Any] | None:
    """The journal's plan, or None when there is none or it cannot be understood."""
    try:
        document = json.loads(journal.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {}
    if (
        not isinstance(document, dict)
        or document.get("version") != _VERSION
        or not isinstance(document.get("edits"), list)
    ):
        return {}
    return document


def recover(root: Path, folder: Path) -> Outcome | None:
    """Complete the plan that a killed command left in ``folder``, if any.

    Call with the repo's write lock held. Returns None when there was nothing to do.
    """
    journal = folder / NAME
    document = _read(journal)
    if document is None:
        return None
    if document and document.get("root") != os.path.realpath(root):
        return None  # another repo's, in a shared MITRM_CACHE_DIR: its own commands do it
    raw_args = document.get("args")
    outcome = Outcome(
        command=str(document.get("command", "")),
        args={str(k): str(v) for k, v in raw_args.items()} if isinstance(raw_args, dict) else {},
    )
    steps: list[tuple[str, Path, bytes | None, int]] = []
    for entry in document.get("edits", []) if document else [None]:
        step = _step(root, entry)
        if step is None:
            outcome.set_aside = _set_aside(journal)
            return outcome
        rel, path, before, after, mode = step
        state = _state(path, before, after)
        if state == "changed":
            outcome.changed.append(rel)
        elif state == "todo":
            steps.append((rel, path, after, mode))
    if outcome.changed:
        outcome.set_aside = _set_aside(journal)
        return outcome
    for rel, path, after, mode in steps:
        try:
            _apply_one(path, after, mode)
        except OSError as exc:
            raise _write_error(rel, exc, journal=True) from None
        outcome.written.append(rel)
    journal.unlink()
    return outcome


def _step(root: Path, entry: Any) -> tuple[str, Path, str | None, bytes | None, int] | None:
    """One journal entry, checked; None when it is damaged or leads outside the repo."""
    if not isinstance(entry, dict):
        return None
    rel, before, after, mode = (entry.get(k) for k in ("path", "before", "after", "mode"))
    if not isinstance(rel, str) or not isinstance(mode, int):
        return None
    if not (before is None or isinstance(before, str)) or not (
        after is None or isinstance(after, str)
    ):
        return None
    path = _inside(root, rel)
    if path is None:
        return None
    return rel, path, before, None if after is None else after.encode("utf-8"), mode & 0o777


def _set_aside(journal: Path) -> Path | None:
    """Keep a journal that cannot be replayed for inspection, out of the way of the next command."""
    target = journal.with_name(f"journal-{int(time.time())}.failed.json")
    try:
        os.replace(journal, target)
    except OSError:
        return None
    return target
