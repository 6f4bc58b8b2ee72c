"""Item history as data: commits, field-level changes, per-item timelines (pure).

The git adapter (``mitrm.io.git.adapter``) and the history builder (``mitrm.io.history.build``)
fill these types; everything here works on plain lists and dicts, so tests need
no git.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from mitrm.i18n import _, ngettext

# A text value longer than this, or with a line break, is summarised as "changed".
LONG_TEXT = 60
WORKTREE = "worktree"
"""The pseudo-sha of uncommitted changes in the working tree."""


class _Absent:
    """The value of a field that is not there (distinct from an explicit null)."""

    _instance: _Absent | None = None

    def __new__(cls) -> _Absent:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "ABSENT"

    def __reduce__(self) -> str:
        return "ABSENT"

    def __bool__(self) -> bool:
        return False


ABSENT: Any = _Absent()


@dataclass(frozen=True, slots=True)
class Commit:
    """One commit: who, when (seconds since the epoch, UTC) and why."""

    sha: str
    parents: tuple[str, ...]
    author: str
    email: str
    when: int
    message: str

    @property
    def subject(self) -> str:
        """The first line of the message."""
        return self.message.split("\n", 1)[0].strip()

    @property
    def date(self) -> dt.datetime:
        """``when`` as an aware UTC datetime (clamped to years 1-9999: git takes any date)."""
        return utc_datetime(self.when)


_MIN_STAMP = -62135596800  # 0001-01-01T00:00:00Z
_MAX_STAMP = 253402300799  # 9999-12-31T23:59:59Z


def utc_datetime(stamp: float) -> dt.datetime:
    """A Unix time as an aware UTC datetime, clamped to what datetime can hold."""
    return dt.datetime.fromtimestamp(min(max(stamp, _MIN_STAMP), _MAX_STAMP), dt.timezone.utc)


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field that differs between two versions of an item.

    ``path`` is dotted with list indexes (``kpis.0.target``); a list of plain
    values (tags, features) is one change holding both lists. ``old`` or ``new``
    is ``ABSENT`` when the field was added or removed.
    """

    path: str
    old: Any
    new: Any

    @property
    def kind(self) -> str:
        """``added``, ``removed``, ``text`` (long text changed) or ``changed``."""
        if self.old is ABSENT:
            return "added"
        if self.new is ABSENT:
            return "removed"
        if is_long_text(self.old) or is_long_text(self.new):
            return "text"
        return "changed"


@dataclass(frozen=True, slots=True)
class Event:
    """What one commit did to one item.

    ``action``: added, changed, removed, renamed (path changed, maybe fields too),
    or ``seen`` (first version at a shallow clone's cut, not a real addition).
    ``problem`` is set when this version of the file could not be read (invalid
    YAML in that commit); its changes are then empty.
    """

    item: str
    sha: str
    action: str
    kind: str
    path: str
    old_path: str | None = None
    title: str | None = None
    status: str | None = None
    changes: tuple[FieldChange, ...] = ()
    problem: str | None = None
    targets: tuple[str, ...] = ()  # a change request's targets in this version

    def status_change(self) -> tuple[Any, Any] | None:
        """(old, new) status if this event changed it."""
        for change in self.changes:
            if change.path == "status":
                return change.old, change.new
        return None


Row = tuple[Any, ...]
"""An event or commit as a plain tuple: what the cache stores (see ``History.rows``)."""


def event_row(event: Event) -> Row:
    """An event as a plain tuple (changes as (path, old, new) tuples)."""
    return (
        event.item, event.sha, event.action, event.kind, event.path, event.old_path,
        event.title, event.status, tuple((c.path, c.old, c.new) for c in event.changes),
        event.problem, event.targets,
    )  # fmt: skip


def event_from_row(row: Row) -> Event:
    """The inverse of :func:`event_row`."""
    return Event(
        row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7],
        tuple(FieldChange(*change) for change in row[8]), row[9], row[10],
    )  # fmt: skip


class History:
    """Every item's events along the history up to ``head``, oldest first.

    Built whole by the git loader, or restored from a cache where each item's
    events stay encoded until asked for: a warm ``mitrm history ID`` decodes one
    item, not ten thousand.
    """

    def __init__(
        self,
        *,
        head: str | None = None,
        shallow: bool = False,
        boundary: frozenset[str] = frozenset(),
        decode: Callable[[bytes], list[Row]] | None = None,
    ) -> None:
        self.head = head
        self.shallow = shallow
        self.boundary = boundary
        self.order: list[str] = []
        # sha -> (parents, author, email, when, message, ids of the items it touched),
        # encoded in a restored history until asked for
        self._commit_rows: dict[str, Row | bytes] = {}
        self._when: dict[str, int] = {}
        self._commits: dict[str, Commit] = {}
        self._items: dict[str, list[Event] | bytes] = {}
        # change request id -> (latest status, None once removed; its targets)
        self._requests: dict[str, tuple[str | None, tuple[str, ...]]] = {}
        self._decode = decode

    # --- reading ---------------------------------------------------------------

    def commit(self, sha: str) -> Commit | None:
        """The commit ``sha``, if it is in this history."""
        found = self._commits.get(sha)
        if found is None:
            row = self._commit_row(sha)
            if row is None:
                return None
            found = Commit(sha, row[0], row[1], row[2], row[3], row[4])
            self._commits[sha] = found
        return found

    def _commit_row(self, sha: str) -> Row | None:
        row = self._commit_rows.get(sha)
        if isinstance(row, bytes):
            if self._decode is None:
                raise ValueError("history rows cannot be decoded")
            row = self._decode(row)[0]
            self._commit_rows[sha] = row
        return row

    @property
    def commits(self) -> dict[str, Commit]:
        """Every commit by sha (built on first use)."""
        for sha in self._commit_rows:
            self.commit(sha)
        return self._commits

    def when(self, sha: str) -> int:
        """The author time of commit ``sha`` (0 if unknown)."""
        return self._when.get(sha, 0)

    def items(self) -> list[str]:
        """The ids of every item in the history."""
        return list(self._items)

    def timeline(self, item: str) -> list[Event]:
        """Every event of ``item``, oldest first (renames followed: identity is the id)."""
        found = self._items.get(item)
        if found is None:
            return []
        if isinstance(found, bytes):
            if self._decode is None:
                raise ValueError("history rows cannot be decoded")
            found = [event_from_row(row) for row in self._decode(found)]
            self._items[item] = found
        return list(found)

    def lineage(self, item: str) -> list[Event]:
        """``item``'s timeline joined to those of the ids it had before, oldest first.

        ``mitrm renumber`` (or a hand edit) changes an id in place: that commit
        removes the old id and adds the new one, with an ``id`` change. The old
        id's events up to that commit are this item's too; a later item that
        reuses the old id is not.
        """
        events = self.timeline(item)
        seen = {item}
        while events and events[0].action == "added":
            first = events[0]
            old = next((c.old for c in first.changes if c.path == "id"), None)
            if not isinstance(old, str) or old in seen:
                break
            seen.add(old)
            before: list[Event] = []
            for event in self.timeline(old):
                if event.sha == first.sha:
                    break
                before.append(event)
            events = before + events
        return events

    def by_item(self) -> dict[str, list[Event]]:
        """Events grouped by item id, oldest first (decodes every item)."""
        return {item: self.timeline(item) for item in self._items}

    def touched(self, shas: Iterable[str]) -> set[str]:
        """The ids of the items that the commits ``shas`` changed."""
        found: set[str] = set()
        for sha in shas:
            row = self._commit_row(sha)
            if row is not None:
                found.update(row[5])
        return found

    def change_requests(self) -> dict[str, tuple[str | None, tuple[str, ...]]]:
        """Each change request's latest status (None once removed) and targets."""
        return dict(self._requests)

    # --- building --------------------------------------------------------------

    def extend(self, commits: Sequence[Commit], events: Iterable[Event], head: str) -> None:
        """Append later commits and their events (a fresh build or an incremental update)."""
        touched: dict[str, list[str]] = {}
        for event in events:
            found = self._items.get(event.item)
            if isinstance(found, bytes) or found is None:
                found = self.timeline(event.item) if found is not None else []
                self._items[event.item] = found
            found.append(event)
            ids = touched.setdefault(event.sha, [])
            if event.item not in ids:
                ids.append(event.item)
            if event.kind == "change" and event.problem is None:
                status = None if event.action == "removed" else event.status
                self._requests[event.item] = (status, event.targets)
        for commit in commits:
            self._commit_rows[commit.sha] = (
                commit.parents, commit.author, commit.email, commit.when, commit.message,
                tuple(touched.get(commit.sha, ())),
            )  # fmt: skip
            self._commits[commit.sha] = commit
            self._when[commit.sha] = commit.when
            self.order.append(commit.sha)
        self.head = head

    def rows(self, encode: Callable[[list[Row]], bytes]) -> dict[str, Any]:
        """Everything as plain data, each item's events encoded by ``encode``."""
        items = {
            item: found if isinstance(found, bytes) else encode([event_row(e) for e in found])
            for item, found in self._items.items()
        }
        commits = {
            sha: row if isinstance(row, bytes) else encode([row])
            for sha, row in self._commit_rows.items()
        }
        return {
            "head": self.head,
            "shallow": self.shallow,
            "boundary": self.boundary,
            "order": self.order,
            "when": self._when,
            "commits": commits,
            "items": items,
            "requests": self._requests,
        }

    @classmethod
    def from_rows(cls, data: dict[str, Any], decode: Callable[[bytes], list[Row]]) -> History:
        """The inverse of :meth:`rows`; items are decoded only when asked for."""
        history = cls(
            head=data["head"], shallow=data["shallow"], boundary=data["boundary"], decode=decode
        )
        history.order = data["order"]
        history._commit_rows = data["commits"]
        history._when = data["when"]
        history._items = data["items"]
        history._requests = data["requests"]
        return history


def is_long_text(value: Any) -> bool:
    """Whether a value is text shown as "changed" rather than old -> new."""
    return isinstance(value, str) and (len(value) > LONG_TEXT or "\n" in value.strip())


def _scalar_list(value: Any) -> bool:
    return isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value)


def same(old: Any, new: Any) -> bool:
    """Equal and of the same types all the way down (``true`` is not ``1`` in an item)."""
    if type(old) is not type(new):
        return False
    if isinstance(old, dict):
        return old.keys() == new.keys() and all(same(v, new[k]) for k, v in old.items())
    if isinstance(old, (list, tuple)):
        return len(old) == len(new) and all(map(same, old, new))
    return bool(old == new)


def diff_values(old: Any, new: Any, path: str = "") -> list[FieldChange]:
    """Field-level changes from ``old`` to ``new`` (parsed item data, or parts of it)."""
    if isinstance(old, dict) and isinstance(new, dict):
        changes: list[FieldChange] = []
        for key in list(old) + [k for k in new if k not in old]:
            sub = f"{path}.{key}" if path else str(key)
            changes += diff_values(old.get(key, ABSENT), new.get(key, ABSENT), sub)
        return changes
    if (
        isinstance(old, list)
        and isinstance(new, list)
        and not (_scalar_list(old) and _scalar_list(new))
    ):
        changes = []
        for index in range(max(len(old), len(new))):
            before = old[index] if index < len(old) else ABSENT
            after = new[index] if index < len(new) else ABSENT
            sub = f"{path}.{index}" if path else str(index)
            if before is ABSENT or after is ABSENT:
                if before is not after:
                    changes.append(FieldChange(sub, before, after))
            else:
                changes += diff_values(before, after, sub)
        return changes
    if same(old, new):
        return []
    return [FieldChange(path, old, new)]


def compose(changes: Iterable[FieldChange]) -> list[FieldChange]:
    """The net effect of successive changes: first old, last new, per path; no-ops dropped."""
    first: dict[str, Any] = {}
    last: dict[str, Any] = {}
    for change in changes:
        first.setdefault(change.path, change.old)
        last[change.path] = change.new
    return [
        FieldChange(path, first[path], last[path])
        for path in first
        if not same(first[path], last[path])
    ]


def word(value: Any) -> str:
    """A value in a few words for a change line."""
    if value is ABSENT or value is None:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, str):
        line = value.strip().split("\n", 1)[0]
        return line if len(line) <= LONG_TEXT else line[: LONG_TEXT - 3] + "..."
    if isinstance(value, list):
        return "[" + ", ".join(word(v) for v in value) + "]" if value else "[]"
    if isinstance(value, dict):
        for key in ("name", "title", "description", "rule", "by"):
            if key in value:
                return word(value[key])
        shown = ", ".join(f"{k}: {word(v)}" for k, v in list(value.items())[:3])
        return "{" + shown + (", ..." if len(value) > 3 else "") + "}"
    return str(value)


def describe(change: FieldChange) -> str:
    """One line for a change: ``status: submitted -> approved``, ``tags: +gdpr``..."""
    old, new = change.old, change.new
    if (
        _scalar_list(old if old is not ABSENT else [])
        and _scalar_list(new if new is not ABSENT else [])
        and (isinstance(old, list) or isinstance(new, list))
    ):
        before = old if isinstance(old, list) else []
        after = new if isinstance(new, list) else []
        added = [word(v) for v in after if v not in before]
        removed = [word(v) for v in before if v not in after]
        parts = [f"+{v}" for v in added] + [f"-{v}" for v in removed]
        shown = " ".join(parts) if parts else _("reordered")
        return f"{change.path}: {shown}"
    kind = change.kind
    if kind == "added":
        return (
            _("{field}: added {value}").format(field=change.path, value=word(new))
            if not is_long_text(new)
            else _("{field}: added ({lines})").format(field=change.path, lines=_lines(new))
        )
    if kind == "removed":
        return (
            _("{field}: removed (was {value})").format(field=change.path, value=word(old))
            if not is_long_text(old)
            else _("{field}: removed").format(field=change.path)
        )
    if kind == "text":
        return _("{field}: text changed ({delta})").format(
            field=change.path, delta=text_delta(old, new)
        )
    return f"{change.path}: {word(old)} -> {word(new)}"


def _lines(text: str) -> str:
    count = len(text.strip().splitlines())
    return ngettext("{n} line", "{n} lines", count).format(n=count)


def text_delta(old: Any, new: Any) -> str:
    """``+2 -1 lines`` between two texts."""
    before = str(old).splitlines() if isinstance(old, str) else []
    after = str(new).splitlines() if isinstance(new, str) else []
    plus = minus = 0
    # line opcodes only: ndiff's character-level matching costs far more
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after).get_opcodes():
        if tag != "equal":
            minus += i2 - i1
            plus += j2 - j1
    return _("+{plus} -{minus} lines").format(plus=plus, minus=minus)


def text_diff(change: FieldChange) -> list[str]:
    """The unified diff of a text change, without headers (for ``--diff``)."""
    before = change.old.splitlines() if isinstance(change.old, str) else []
    after = change.new.splitlines() if isinstance(change.new, str) else []
    lines = list(difflib.unified_diff(before, after, lineterm="", n=1))
    return [line for line in lines[2:]]


def status_intervals(
    events: Sequence[Event], when: Callable[[str], int], *, until: int
) -> list[tuple[str, int, int]]:
    """(status, start, end) spans of one item's timeline; ``until`` closes the last one."""
    spans: list[tuple[str, int, int]] = []
    current: str | None = None
    start = 0
    for event in events:
        at = when(event.sha)
        status = None if event.action == "removed" else event.status
        if event.problem is not None and event.action != "removed":
            continue
        if status == current:
            continue
        if current is not None:
            spans.append((current, start, max(start, at)))
        current, start = status, at
    if current is not None:
        spans.append((current, start, max(start, until)))
    return spans
