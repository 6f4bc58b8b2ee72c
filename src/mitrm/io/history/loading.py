"""Item history for the commands: loaded through the cache, uncommitted changes, changelogs."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mitrm.core.diagnostics import Diagnostic
from mitrm.core.history import ABSENT, WORKTREE, Event, History, diff_values
from mitrm.errors import UnknownIdError, UsageError
from mitrm.i18n import _
from mitrm.io import safefile
from mitrm.io.git import adapter as git
from mitrm.io.history.build import FOLDERS, build_history, kind_of, text_of
from mitrm.io.yamlfile import MAX_BYTES, Loaded, parse_bytes

if TYPE_CHECKING:
    from mitrm.core.history import Changelog
    from mitrm.core.models import Settings

__all__ = ["FOLDERS", "changelog", "changelog_for", "item_history", "load_history",
           "parse_range", "working_changes"]  # fmt: skip


_ID = re.compile(r"^[A-Z][A-Z0-9]*-[0-9]+$")


def _names(name: str, item: str) -> bool:
    """Whether a file name begins with ``item`` (REQ-0001 is not REQ-00011)."""
    return name.startswith(item) and not name[len(item) : len(item) + 1].isdigit()


def load_history(
    root: Path,
    settings: Settings | None = None,
    *,
    rev: str | None = None,
    cache: bool = True,
    info: git.RepoInfo | None = None,
) -> History:
    """The item history up to HEAD (or ``rev``), from the cache extended to it when possible.

    Raises NotAGitRepoError (exit 2) outside git. A repository without commits
    has an empty history.
    """
    from mitrm.io.history.cache import HistoryCache

    info = info or git.repo_info(root)
    if info.head is None:
        return History(shallow=info.shallow)
    target = info.head if rev is None else git.resolve(root, rev)
    store = HistoryCache(root, info) if cache and target == info.head else None
    if store is not None:
        cached = store.load()
        if cached is not None:
            history, state = cached
            if history.head == target:
                return history
            if history.head and git.is_ancestor(root, history.head, target):
                since, known = history.head, len(history.order)
                history, state = build_history(
                    root, info, until=target, since=since, base=history, state=state
                )
                touched = history.touched(history.order[known:])
                store.save(history, state, since=since, touched=touched)
                return history
    history, state = build_history(root, info, until=target)
    if store is not None:
        store.save(history, state)
    return history


def working_changes(
    root: Path, history: History, item: str, *, info: git.RepoInfo | None = None
) -> Event | None:
    """The item's uncommitted changes (against HEAD) as an event with sha ``worktree``."""
    info = info or git.repo_info(root)
    timeline = history.timeline(item)
    last = timeline[-1] if timeline else None
    head_path = last.path if last is not None and last.action != "removed" else None
    # only the item's own paths: git then compares a handful of files, not the repo
    specs = [f":(glob){folder}/**/{item}*" for folder in FOLDERS]
    if head_path is not None:
        specs.append(f":(literal){head_path}")
    changed = git.status_paths(root, specs, prefix=info.prefix)
    paths = {path for _, path in changed}
    candidates = [
        path for path in paths if path == head_path or _names(path.rsplit("/", 1)[-1], item)
    ]
    if not candidates:
        return None
    current_path = next((p for p in candidates if (root / p).is_file()), None)
    old_data: dict[str, Any] | None = None
    if head_path is not None and info.head is not None:
        raw = git.blob_at(root, info.head, head_path)
        if raw is not None:
            old_data = parse_bytes(raw, head_path).data
    if current_path is None:
        if head_path is None:
            return None
        kind = kind_of(head_path) or ""
        return Event(item, WORKTREE, "removed", kind, head_path, None, last.title if last else None)
    try:
        loaded = parse_bytes(safefile.read_bytes(root / current_path, MAX_BYTES), current_path)
    except OSError as exc:
        code = exc.code if isinstance(exc, safefile.RefusedFileError) else "MIT012"
        loaded = Loaded(None, None, [Diagnostic(current_path, code, str(exc.strerror))])
    kind = kind_of(current_path) or ""
    problem = None
    if loaded.data is None:
        first = loaded.diagnostics[0] if loaded.diagnostics else None
        problem = (
            _("line {line}: {code} {message}").format(
                line=first.line, code=first.code, message=first.message
            )
            if first
            else _("unreadable")
        )
    data = loaded.data or {}
    if data and data.get("id") not in (None, item):
        return None
    title, status = text_of(data.get("title", ABSENT)), text_of(data.get("status", ABSENT))
    if head_path is None:
        return Event(item, WORKTREE, "added", kind, current_path, None, title, status, (), problem)
    changes = tuple(diff_values(old_data or {}, data)) if problem is None else ()
    renamed = current_path != head_path
    if not changes and not renamed and problem is None:
        return None
    return Event(
        item,
        WORKTREE,
        "renamed" if renamed else "changed",
        kind,
        current_path,
        head_path if renamed else None,
        title,
        status,
        changes,
        problem,
    )


def item_history(
    root: Path, item: str, settings: Settings | None = None
) -> tuple[History, list[Event], Event | None]:
    """The history, one item's timeline and its uncommitted change; UnknownIdError if none."""
    if not _ID.match(item):
        raise UnknownIdError(
            _("'{id}' is not an item id").format(id=item), hint=_("ids look like REQ-0007")
        )
    info = git.repo_info(root)
    history = load_history(root, settings, info=info)
    timeline = history.lineage(item)
    pending = working_changes(root, history, item, info=info)
    if not timeline and pending is None:
        raise UnknownIdError(
            _("no item '{id}' in the history or the working tree").format(id=item),
            hint=_("ids are case-sensitive; 'mitrm list' shows the items"),
        )
    return history, timeline, pending


def parse_range(root: Path, text: str | None) -> tuple[str | None, str]:
    """(since, until) of ``REV..REV``, ``REV`` (to HEAD) or nothing (latest tag to HEAD)."""
    if text is None:
        return git.latest_tag(root, "HEAD") if git.repo_info(root).head else None, "HEAD"
    if "..." in text:
        raise UsageError(
            _("'{text}' is a symmetric range; give REV..REV").format(text=text),
            hint="mitrm changelog v1.0..v1.1",
        )
    if ".." in text:
        left, right = text.split("..", 1)
        return left or "HEAD", right or "HEAD"
    return text, "HEAD"


def changelog_for(
    root: Path, settings: Settings | None = None, *, since: str | None, until: str = "HEAD"
) -> tuple[Changelog, History]:
    """The changelog of ``since..until`` and the history it was read from."""
    from mitrm.core.history import build_changelog

    info = git.repo_info(root)
    if info.head is None:
        raise UsageError(_("the repository has no commits yet"), hint=_("commit the items first"))
    until_sha = git.resolve(root, until)
    since_sha = git.resolve(root, since) if since is not None else None
    if until_sha == info.head or git.is_ancestor(root, until_sha, info.head):
        history = load_history(root, settings)
    else:
        history = load_history(root, settings, rev=until_sha)
    spec = [until_sha] if since_sha is None else [f"{since_sha}..{until_sha}"]
    commits = git.rev_list(root, spec)
    log = build_changelog(
        history, commits, since=since, until=until, since_sha=since_sha, until_sha=until_sha
    )
    return log, history


def changelog(
    root: Path, settings: Settings | None = None, *, since: str | None, until: str = "HEAD"
) -> Changelog:
    """What changed in the items between two revisions (``since`` None: all history)."""
    return changelog_for(root, settings, since=since, until=until)[0]
