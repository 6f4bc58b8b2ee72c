"""What changed in the items over a range of commits, and its Markdown and text forms (pure)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from mitrm.core.history.timeline import ABSENT, FieldChange, History, compose, describe
from mitrm.i18n import N_, _, ngettext

CHANGE_TYPES = ("added", "removed", "status", "changed")
TYPE_TITLES = {
    "added": N_("Added"),
    "removed": N_("Removed"),
    "status": N_("Status changes"),
    "changed": N_("Changed"),
}
KIND_TITLES = {
    "requirement": N_("Requirements"),
    "plan": N_("Plans"),
    "change": N_("Change requests"),
}


@dataclass
class Entry:
    """One item's net change over the range."""

    item: str
    kind: str
    change: str  # one of CHANGE_TYPES
    title: str | None
    status_from: str | None
    status_to: str | None
    changes: list[FieldChange] = field(default_factory=list)
    commits: list[str] = field(default_factory=list)
    problem: str | None = None


@dataclass
class Changelog:
    """The entries of a range, with what the range was."""

    since: str | None
    until: str
    since_sha: str | None
    until_sha: str
    commits: int
    entries: list[Entry]
    whole_history: bool = False
    shallow: bool = False

    def grouped(self) -> dict[str, dict[str, list[Entry]]]:
        """kind -> change type -> entries, in a fixed order, empty groups left out."""
        groups: dict[str, dict[str, list[Entry]]] = {}
        for kind in KIND_TITLES:
            for change in CHANGE_TYPES:
                found = [e for e in self.entries if e.kind == kind and e.change == change]
                if found:
                    groups.setdefault(kind, {})[change] = found
        return groups


def build_changelog(
    history: History,
    commits: Collection[str],
    *,
    since: str | None,
    until: str,
    since_sha: str | None,
    until_sha: str,
) -> Changelog:
    """Net per-item changes over the events whose commit is in ``commits``."""
    wanted = set(commits)
    entries: list[Entry] = []
    for item in sorted(history.touched(wanted)):
        events = history.timeline(item)
        inside = [e for e in events if e.sha in wanted]
        if not inside:
            continue
        first, last = inside[0], inside[-1]
        existed = first.action not in ("added", "seen")
        exists = last.action != "removed"
        status_to = last.status if exists else None
        net = compose(c for e in inside for c in e.changes if e.action != "removed")
        status_from: str | None = None
        for change in net:
            if change.path == "status":
                status_from = None if change.old is ABSENT else str(change.old)
        if existed and exists:
            status_change = next((c for c in net if c.path == "status"), None)
            change_type = "status" if status_change is not None else "changed"
            if not net and first.action != "renamed" and last.problem is None:
                continue
        elif exists:
            change_type = "added"
        elif existed:
            change_type = "removed"
        else:
            continue
        before = _status_before(events, first)
        entries.append(
            Entry(
                item=item,
                kind=last.kind,
                change=change_type,
                title=last.title or next((e.title for e in reversed(events) if e.title), None),
                status_from=status_from if status_from is not None else before,
                status_to=status_to,
                changes=[c for c in net if c.path != "status"] if change_type != "added" else [],
                commits=list(dict.fromkeys(e.sha for e in inside)),
                problem=last.problem,
            )
        )
    entries.sort(key=lambda e: e.item)
    return Changelog(
        since=since,
        until=until,
        since_sha=since_sha,
        until_sha=until_sha,
        commits=len(wanted),
        entries=entries,
        whole_history=since is None,
        shallow=history.shallow,
    )


def _status_before(events: list[Any], first: Any) -> str | None:
    index = events.index(first)
    for event in reversed(events[:index]):
        if event.action == "removed":
            return None
        if event.status is not None:
            return str(event.status)
    return None


def _range_label(log: Changelog) -> str:
    if log.whole_history:
        return _("the whole history up to {until}").format(until=log.until)
    return f"{log.since}..{log.until}"


def _headline(entry: Entry) -> str:
    title = f" {entry.title}" if entry.title else ""
    if entry.change == "added":
        status = entry.status_to or _("no status")
        return f"{entry.item}{title} ({status})"
    if entry.change == "status":
        before = entry.status_from or _("(none)")
        return f"{entry.item}{title}: {before} -> {entry.status_to}"
    return f"{entry.item}{title}"


def render_markdown(log: Changelog) -> str:
    """Release-notes Markdown: kinds as sections, change types as sub-sections."""
    lines = ["# " + _("Changes in {range}").format(range=_range_label(log)), ""]
    lines.append(_counts(log) + _("."))
    if log.whole_history:
        lines += ["", _("No tag found: this covers the whole history.")]
    if log.shallow:
        lines += ["", _("The repository is a shallow clone: older history is cut.")]
    groups = log.grouped()
    if not groups:
        lines += ["", _("No item changed.")]
    for kind, by_type in groups.items():
        lines += ["", f"## {_(KIND_TITLES[kind]) if kind in KIND_TITLES else kind}"]
        for change, entries in by_type.items():
            lines += ["", f"### {_(TYPE_TITLES[change])} ({len(entries)})", ""]
            for entry in entries:
                title = f" {_md(entry.title)}" if entry.title else ""
                if entry.change == "added":
                    status = entry.status_to or _("no status")
                    head = f"- **{entry.item}**{title} ({status})"
                elif entry.change == "status":
                    before = entry.status_from or _("(none)")
                    head = f"- **{entry.item}**{title}: {before} -> {entry.status_to}"
                else:
                    head = f"- **{entry.item}**{title}"
                lines.append(head)
                lines += [f"  - {_md(describe(c))}" for c in entry.changes]
                if entry.problem:
                    lines.append(
                        "  - "
                        + _("file not readable at the end of the range: {problem}").format(
                            problem=_md(entry.problem)
                        )
                    )
    return "\n".join(lines) + "\n"


def _counts(log: Changelog) -> str:
    """``3 commits, 2 items``."""
    return _("{commits}, {items}").format(
        commits=ngettext("{n} commit", "{n} commits", log.commits).format(n=log.commits),
        items=ngettext("{n} item", "{n} items", len(log.entries)).format(n=len(log.entries)),
    )


def _md(text: str) -> str:
    for char in "\\`*_[]<|":
        text = text.replace(char, "\\" + char)
    return text


def render_text(log: Changelog) -> str:
    """Plain text for a terminal."""
    lines = [_("Changes in {range}: {counts}").format(range=_range_label(log), counts=_counts(log))]
    if log.whole_history:
        lines.append(_("(no tag found: the whole history)"))
    for kind, by_type in log.grouped().items():
        lines.append("")
        lines.append(_(KIND_TITLES[kind]) if kind in KIND_TITLES else kind)
        for change, entries in by_type.items():
            lines.append("  " + _("{title}:").format(title=_(TYPE_TITLES[change])))
            for entry in entries:
                lines.append(f"    {_headline(entry)}")
                lines += [f"      {describe(c)}" for c in entry.changes]
    return "\n".join(lines) + "\n"


def json_value(value: Any) -> Any:
    """A value made JSON-ready (dates as ISO text, absent as null)."""
    if value is ABSENT:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_value(v) for v in value]
    return value


def change_json(change: FieldChange) -> dict[str, Any]:
    """One field change as JSON."""
    return {
        "field": change.path,
        "type": change.kind,
        "old": json_value(change.old),
        "new": json_value(change.new),
    }


def to_json(log: Changelog) -> dict[str, Any]:
    """The JSON document of ``mitrm changelog --format json`` (docs/history.md)."""
    summary: dict[str, dict[str, int]] = {}
    for entry in log.entries:
        per_kind = summary.setdefault(entry.kind, dict.fromkeys(CHANGE_TYPES, 0))
        per_kind[entry.change] += 1
    return {
        "range": {
            "since": log.since,
            "until": log.until,
            "since_sha": log.since_sha,
            "until_sha": log.until_sha,
            "whole_history": log.whole_history,
            "shallow": log.shallow,
        },
        "commits": log.commits,
        "summary": summary,
        "items": [
            {
                "id": e.item,
                "kind": e.kind,
                "change": e.change,
                "title": e.title,
                "status": {"from": e.status_from, "to": e.status_to},
                "changes": [change_json(c) for c in e.changes],
                "commits": e.commits,
                "problem": e.problem,
            }
            for e in log.entries
        ],
    }
