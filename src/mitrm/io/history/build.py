"""Turn git's log and old file versions into item events, parsing only what changed.

Two versions of a file share their text before the first and after the last
difference; only the top-level fields in between are read, each distinct text
once, by the quick reader where it can (``yamlblocks``) and by the YAML loader
otherwise. Files that cannot be cut safely (anchors, flow style, document
markers, conflict markers, not UTF-8) are parsed whole.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from mitrm.core.history import ABSENT, Commit, Event, FieldChange, History, diff_values
from mitrm.i18n import N_, _
from mitrm.io import progress
from mitrm.io.git import adapter as git
from mitrm.io.yamlblocks import UNSURE, read_block, split_blocks
from mitrm.io.yamlfile import (
    DuplicateKeyError,
    KeyNotTextError,
    RefusedTagError,
    TooLargeError,
    load_yaml,
    parse_bytes,
)

# folder -> kind, as in mitrm.core.models.Kind (not imported: it pulls in pydantic,
# which a warm ``mitrm history`` cannot afford)
FOLDERS: dict[str, str] = {"requirements": "requirement", "plans": "plan", "changes": "change"}
_ID_IN_NAME = re.compile(r"^([A-Z][A-Z0-9]*-[0-9]+)")
_PARSE_ERRORS = (
    yaml.YAMLError,
    DuplicateKeyError,
    RefusedTagError,
    KeyNotTextError,
    TooLargeError,
    RecursionError,
)


class _Whole(Exception):
    """A block cannot be read alone: parse the whole file."""


@dataclass(slots=True)
class _Version:
    """One blob: its text, the fields read from it so far, or its whole parse."""

    raw: bytes
    text: str | None  # None when it must be parsed whole (not UTF-8, conflict markers)
    fields: dict[str, Any] = field(default_factory=dict)
    whole: bool = False  # block reading proved unsafe: use ``data``
    data: dict[str, Any] | None = None
    problem: str | None = None
    parsed: bool = False


_MISSING: Any = object()
_FIELD_LINES: dict[str, re.Pattern[str]] = {}
_TOP_START = re.compile(r"^[^ \t#\n\r]", re.MULTILINE)


def _field_block(text: str, key: str) -> str | None:
    """The text of top-level field ``key`` (its line and the indented ones after it)."""
    pattern = _FIELD_LINES.get(key)
    if pattern is None:
        pattern = re.compile(rf"^{re.escape(key)}[ \t]*:(?:[ \t]|$)", re.MULTILINE)
        _FIELD_LINES[key] = pattern
    match = pattern.search(text)
    if match is None:
        return None
    after = _TOP_START.search(text, match.end())
    return text[match.start() : after.start() if after else len(text)]


def _top(text: str, index: int) -> bool:
    """Whether a top-level field (or the end) starts at ``index``."""
    return index >= len(text) or text[index] not in " \t#\r\n"


def _common_prefix(a: str, b: str, limit: int) -> int:
    low, high = 0, limit
    while low < high:  # bisect with slice comparisons: C speed, not a Python loop per char
        mid = (low + high + 1) // 2
        if a[:mid] == b[:mid]:
            low = mid
        else:
            high = mid - 1
    return low


def _common_suffix(a: str, b: str, limit: int) -> int:
    low, high = 0, limit
    while low < high:
        mid = (low + high + 1) // 2
        if a[len(a) - mid :] == b[len(b) - mid :]:
            low = mid
        else:
            high = mid - 1
    return low


def changed_region(old: str, new: str) -> tuple[str, str]:
    """The stretch of top-level fields that differs between two texts, in each text.

    Text before the first and after the last difference is shared; the stretch
    is widened to whole top-level fields so that each side can be cut into
    blocks on its own.
    """
    shortest = min(len(old), len(new))
    prefix = _common_prefix(old, new, shortest)
    suffix = _common_suffix(old, new, shortest - prefix)
    start = old.rfind("\n", 0, prefix) + 1
    while start > 0 and not (_top(old, start) and _top(new, start)):
        start = old.rfind("\n", 0, start - 1) + 1
    shift = len(new) - len(old)
    end = len(old) - suffix
    while end < len(old):
        if (
            (end == 0 or old[end - 1] == "\n")
            and (end + shift == 0 or new[end + shift - 1] == "\n")
            and _top(old, end)
        ):
            break
        found = old.find("\n", end)
        end = len(old) if found < 0 else found + 1
    return old[start:end], new[start : end + shift]


def _region_blocks(region: str) -> dict[str, str] | None:
    """The blocks of a changed region; {} if it holds only comments or blank lines."""
    blocks = split_blocks(region)
    if blocks is None and all(
        not line.strip() or line.startswith("#") for line in region.split("\n")
    ):
        return {}
    return blocks


@dataclass
class EventBuilder:
    """Turns log entries into events, keeping what later increments need."""

    root: Path
    boundary: frozenset[str] = frozenset()
    last_valid: dict[str, str] = field(default_factory=dict)  # item id -> blob
    versions: dict[str, _Version] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)  # block text -> parsed value
    reader: git.CatFile | None = None

    def wanted(self, entries: Sequence[git.LogEntry]) -> list[str]:
        """The blobs ``entries`` need that have not been read yet."""
        wanted: list[str] = []
        for entry in entries:
            for change in entry.changes:
                if kind_of(change.new_path) or kind_of(change.old_path):
                    for blob in (change.old_blob, change.new_blob):
                        if blob != git.EMPTY and blob not in self.versions:
                            wanted.append(blob)
        return wanted

    def build(
        self, entries: Sequence[git.LogEntry], read: dict[str, bytes | None] | None = None
    ) -> list[Event]:
        """The events of ``entries`` (oldest first), given the blobs already ``read``."""
        for blob, raw in (read or {}).items():
            if blob not in self.versions:
                self.versions[blob] = self._version(raw or b"")
        missing = self.wanted(entries)
        if missing:
            if self.reader is None:
                raise RuntimeError("no blob reader")
            for blob, raw in self.reader.read_many(missing).items():
                self.versions[blob] = self._version(raw or b"")
        events: list[Event] = []
        for entry in entries:
            for change in entry.changes:
                events += self._events(entry.commit, change)
        return events

    def _version(self, raw: bytes) -> _Version:
        try:
            text = raw.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError:
            return _Version(raw, None)
        if "<<<<<<<" in text:
            return _Version(raw, None)
        return _Version(raw, text)

    def _whole(self, version: _Version, path: str) -> _Version:
        if not version.parsed:
            loaded = parse_bytes(version.raw, path)
            version.parsed = True
            version.whole = True
            version.data = loaded.data
            if loaded.data is None:
                first = loaded.diagnostics[0] if loaded.diagnostics else None
                version.problem = (
                    _("line {line}: {code} {message}").format(
                        line=first.line, code=first.code, message=first.message
                    )
                    if first is not None
                    else _("the file could not be read")
                )
        return version

    def _read(self, block: str, key: str) -> Any:
        """The value of one block; _Whole if it cannot be read on its own."""
        try:
            return self.values[block]
        except KeyError:
            pass
        value = read_block(block)
        if value is UNSURE:
            try:
                parsed = load_yaml(block)
            except _PARSE_ERRORS:
                raise _Whole from None
            if not isinstance(parsed, dict) or len(parsed) != 1 or key not in parsed:
                raise _Whole
            value = parsed[key]
        self.values[block] = value
        return value

    def _get(self, version: _Version, key: str, path: str) -> Any:
        """One top-level field of a version (ABSENT if it has none)."""
        if version.text is not None and not version.whole:
            found = version.fields.get(key, _MISSING)
            if found is not _MISSING:
                return found
            block = _field_block(version.text, key)
            try:
                if block is not None:
                    found = self._read(block, key)
                elif split_blocks(version.text) is not None:
                    found = ABSENT
                else:
                    raise _Whole
            except _Whole:
                version.whole = True
            else:
                version.fields[key] = found
                return found
        self._whole(version, path)
        if version.data is None:
            return ABSENT
        return version.data.get(key, ABSENT)

    def _problem(self, version: _Version, path: str) -> str | None:
        """Why a version cannot be read, as far as it has been read."""
        if version.text is None:
            self._whole(version, path)
        return version.problem

    def _diff(self, old: _Version, new: _Version, old_path: str, path: str) -> list[FieldChange]:
        if old.text is not None and new.text is not None and not (old.whole or new.whole):
            region_old, region_new = changed_region(old.text, new.text)
            before_blocks = _region_blocks(region_old)
            after_blocks = _region_blocks(region_new)
            if before_blocks is not None and after_blocks is not None:
                keys = [k for k in after_blocks if before_blocks.get(k) != after_blocks[k]]
                keys += [k for k in before_blocks if k not in after_blocks]
                try:
                    before = {
                        k: self._read(before_blocks[k], k) for k in keys if k in before_blocks
                    }
                    after = {k: self._read(after_blocks[k], k) for k in keys if k in after_blocks}
                except _Whole:
                    pass
                else:
                    # fields outside the changed ones read the same in both versions
                    if not new.fields:
                        for key, value in old.fields.items():
                            new.fields[key] = after.get(key, ABSENT) if key in keys else value
                    for key in keys:
                        new.fields[key] = after.get(key, ABSENT)
                    return diff_values(before, after)
        self._whole(old, old_path)
        self._whole(new, path)
        if old.problem is not None or new.problem is not None:
            return []
        return diff_values(old.data or {}, new.data or {})

    def _identity(self, version: _Version | None, path: str) -> str | None:
        if version is not None:
            value = self._get(version, "id", path)
            if isinstance(value, str) and _ID_IN_NAME.match(value):
                return value
        match = _ID_IN_NAME.match(path.rsplit("/", 1)[-1])
        return match.group(1) if match else None

    def _events(self, commit: Commit, change: git.FileChange) -> list[Event]:
        new_kind = kind_of(change.new_path)
        old_kind = kind_of(change.old_path)
        old = self.versions.get(change.old_blob) if change.old_blob != git.EMPTY else None
        new = self.versions.get(change.new_blob) if change.new_blob != git.EMPTY else None
        old_id = self._identity(old, change.old_path) if old is not None and old_kind else None
        if change.status == "C":
            old_id = None
        early: list[FieldChange] | None = None
        if old_id is not None and new is not None and new_kind:
            # diff first: the new version then takes its unchanged fields from the old one
            early = self._changes(old_id, old, new, change)
        new_id = self._identity(new, change.new_path) if new is not None and new_kind else None
        events: list[Event] = []
        if old_id is not None and old_id != new_id:
            events.append(self._removed(commit, old_id, old_kind or "", change.old_path, old))
        if new_id is None or new is None:
            return events
        title = text_of(self._get(new, "title", change.new_path))
        status = text_of(self._get(new, "status", change.new_path))
        targets: tuple[str, ...] = ()
        if new_kind == "change":
            found = self._get(new, "targets", change.new_path)
            if isinstance(found, list):
                targets = tuple(str(t) for t in found)
        problem = self._problem(new, change.new_path)
        if problem is not None:
            title = status = None
        if old_id != new_id:
            action = "seen" if commit.sha in self.boundary else "added"
            changes: list[FieldChange] = []
            if old_id is not None:
                changes.append(FieldChange("id", old_id, new_id))
            event = Event(
                new_id,
                commit.sha,
                action,
                new_kind or "",
                change.new_path,
                change.old_path if old_id is not None else None,
                title,
                status,
                tuple(changes),
                problem,
                targets,
            )
        else:
            if problem is not None:
                changes = []
            elif early is not None:
                changes = early
            else:
                changes = self._changes(new_id, old, new, change)
            problem = self._problem(new, change.new_path)
            if problem is not None:
                title = status = None
                changes = []
            renamed = change.old_path != change.new_path
            event = Event(
                new_id,
                commit.sha,
                "renamed" if renamed else "changed",
                new_kind or "",
                change.new_path,
                change.old_path if renamed else None,
                title,
                status,
                tuple(changes),
                problem,
                targets,
            )
            if problem is None and not changes and not renamed:
                return events
        if problem is None:
            self.last_valid[new_id] = change.new_blob
        events.append(event)
        return events

    def _changes(
        self, item: str, old: _Version | None, new: _Version, change: git.FileChange
    ) -> list[FieldChange]:
        base, base_path = old, change.old_path
        for _attempt in range(2):
            if base is not None and self._problem(base, base_path) is not None:
                # diff against the last version of the item that could be read
                base = self._blob(self.last_valid.get(item))
            if base is None:
                return []
            changes = self._diff(base, new, base_path, change.new_path)
            if base.problem is None:
                return changes
        return []

    def _blob(self, blob: str | None) -> _Version | None:
        """A version by blob name, read from git if this batch did not need it."""
        if blob is None:
            return None
        if blob not in self.versions and self.reader is not None:
            raw = self.reader.read_many([blob]).get(blob)
            if raw is None:
                return None
            self.versions[blob] = self._version(raw)
        return self.versions.get(blob)

    def _removed(
        self, commit: Commit, item: str, kind: str, path: str, old: _Version | None
    ) -> Event:
        title = None
        if old is not None and self._problem(old, path) is None:
            title = text_of(self._get(old, "title", path))
        self.last_valid.pop(item, None)
        return Event(item, commit.sha, "removed", kind, path, None, title, None)

    def full_data(self, blob: str, path: str) -> dict[str, Any] | None:
        """The whole parsed data of a blob already read."""
        version = self.versions.get(blob)
        if version is None:
            return None
        return self._whole(version, path).data


def text_of(value: Any) -> str | None:
    """A field value as text, None when absent or null."""
    return None if value is ABSENT or value is None else str(value)


def kind_of(path: str) -> str | None:
    """The kind of item a data path holds, None for any other file."""
    if not path.endswith((".yaml", ".yml")):
        return None
    folder = path.split("/", 1)[0]
    return FOLDERS.get(folder) if "/" in path else None


def _digest(
    builder: EventBuilder,
    history: History,
    batch: list[git.LogEntry],
    read: dict[str, bytes | None],
    until: str,
) -> None:
    events = builder.build(batch, read)
    history.extend([entry.commit for entry in batch], events, until)
    # each batch's blobs are done with; only the last readable ones are kept
    keep = set(builder.last_valid.values())
    keep.update(change.new_blob for entry in batch for change in entry.changes)
    builder.versions = {k: v for k, v in builder.versions.items() if k in keep}


def build_history(
    root: Path,
    info: git.RepoInfo,
    *,
    until: str,
    since: str | None = None,
    base: History | None = None,
    state: dict[str, str] | None = None,
) -> tuple[History, dict[str, str]]:
    """History up to ``until``: a fresh build, or ``base`` extended from ``since``."""
    boundary = git.shallow_boundary(info)
    builder = EventBuilder(root, boundary=boundary, last_valid=dict(state or {}))
    history = base if base is not None else History(shallow=info.shallow, boundary=boundary)
    # While Python digests one batch, git reads the next batch's blobs: git
    # resolves deltas on the other core instead of making Python wait.
    with (
        git.CatFile(root) as reader,
        git.CatFile(root) as ahead,
        ThreadPoolExecutor(1) as pool,
        progress.stage(N_("reading the history (commits)")),
    ):
        builder.reader = reader
        pending: tuple[list[git.LogEntry], Future[dict[str, bytes | None]]] | None = None
        for batch in git.log_batches(
            root, until=until, since=since, paths=list(FOLDERS), prefix=info.prefix
        ):
            following = pool.submit(ahead.read_many, builder.wanted(batch))
            if pending is not None:
                _digest(builder, history, pending[0], pending[1].result(), until)
                progress.tick(len(pending[0]))
            pending = (batch, following)
        if pending is not None:
            _digest(builder, history, pending[0], pending[1].result(), until)
            progress.tick(len(pending[0]))
    history.head = until
    history.shallow = info.shallow
    history.boundary = boundary
    return history, builder.last_valid
