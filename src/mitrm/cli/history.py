"""``mitrm history`` and ``mitrm changelog``: the items' change log, read from git."""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from mitrm.cli import completion as complete
from mitrm.cli.context import state
from mitrm.cli.helps import HELP
from mitrm.cli.output import emit_json
from mitrm.cli.progress import QUIET_HELP, show_progress
from mitrm.core.history import (
    change_json,
    describe,
    flow_metrics,
    render_markdown,
    render_text,
    text_diff,
    to_json,
    unapproved_changes,
)
from mitrm.core.history import item_metrics as compute
from mitrm.errors import UsageError
from mitrm.i18n import _
from mitrm.io.history import changelog_for, item_history, load_history, parse_range
from mitrm.io.repository import today

if TYPE_CHECKING:
    from mitrm.core.history import Event, History, ItemMetrics


class HistoryFormat(str, Enum):
    """Output formats of ``mitrm history``."""

    TEXT = "text"
    JSON = "json"


class ChangelogFormat(str, Enum):
    """Output formats of ``mitrm changelog``."""

    MARKDOWN = "markdown"
    JSON = "json"
    TEXT = "text"


def register(app: typer.Typer) -> None:
    """Add the commands to ``app``."""
    app.command("history", help=_(HELP["history"]))(history)
    app.command("changelog", help=_(HELP["changelog"]))(changelog)


def _warn_shallow(history: History) -> None:
    if history.shallow:
        sys.stderr.write(
            _(
                "warning: this is a shallow clone: the history is cut, so items first appear "
                "where the clone begins"
            )
            + "\n"
            + _(
                "hint: fetch all of it with 'git fetch --unshallow' "
                "(in CI: actions/checkout with 'fetch-depth: 0')"
            )
            + "\n"
        )


def history(
    ctx: typer.Context,
    item_id: Annotated[
        str | None,
        typer.Argument(
            metavar="ID",
            help=_("The item, e.g. REQ-0007 (omit with --metrics)."),
            autocompletion=complete.item_ids,
        ),
    ] = None,
    diff: Annotated[
        bool, typer.Option("--diff", help=_("Show the text diff of changed text fields."))
    ] = False,
    metrics: Annotated[
        bool,
        typer.Option(
            "--metrics",
            help=_("Flow metrics: time in each status, lead time, churn after approval."),
        ),
    ] = False,
    fmt: Annotated[
        HistoryFormat, typer.Option("--format", "-f", help=_("text or json."))
    ] = HistoryFormat.TEXT,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help=_(QUIET_HELP))] = False,
) -> int:
    """Show an item's change log from git: commits and field-level changes."""
    show_progress(quiet=quiet)
    run = state(ctx)
    root = run.root()
    # history reads only git: the settings are not needed, and validating them
    # would cost a warm run a third of its time
    settings = None
    if item_id is None:
        if not metrics:
            raise UsageError(
                _("name an item, or ask for --metrics of the whole repository"),
                hint=_("mitrm history REQ-0001, or mitrm history --metrics"),
            )
        hist = load_history(root, settings)
        _warn_shallow(hist)
        _repo_metrics(hist, fmt)
        return 0
    hist, timeline, pending = item_history(root, item_id, settings)
    _warn_shallow(hist)
    warnings = unapproved_changes(hist, item=item_id)
    item_metrics = None
    if metrics:
        item_metrics = compute(hist, item_id, today=_now())
    if fmt is HistoryFormat.JSON:
        _item_json(hist, item_id, timeline, pending, item_metrics, warnings)
    else:
        _item_text(hist, item_id, timeline, pending, item_metrics, diff=diff)
        for warning in warnings:
            sys.stderr.write(warning.text() + "\n")
    return 0


def _now() -> int:
    if os.environ.get("MITRM_TODAY"):
        return int(dt.datetime.combine(today(), dt.time(), tzinfo=dt.timezone.utc).timestamp())
    return int(time.time())


def _item_text(
    hist: History,
    item_id: str,
    timeline: list[Event],
    pending: Event | None,
    metrics: ItemMetrics | None,
    *,
    diff: bool,
) -> None:
    last = pending or (timeline[-1] if timeline else None)
    out: list[str] = []
    if last is not None:
        now = _("removed") if last.action == "removed" else (last.status or "?")
        title = f" {last.title}" if last.title else ""
        out.append(
            _("{id}{title} ({kind}, now {status})").format(
                id=item_id, title=title, kind=last.kind or _("item"), status=now
            )
        )
    events = ([pending] if pending else []) + list(reversed(timeline))
    for event in events:
        out.append("")
        if event is pending:
            out.append(_("uncommitted  (working tree, not committed yet)"))
        else:
            commit = hist.commit(event.sha)
            if commit is not None:
                date = commit.date.strftime("%Y-%m-%d %H:%M")
                out.append(f"{date}  {event.sha[:10]}  {commit.author}  {commit.subject}")
            else:
                out.append(event.sha[:10])
        out += ["  " + line for line in _event_lines(event)]
        for change in event.changes:
            out.append(f"  {describe(change)}")
            if (
                diff
                and change.kind in ("text", "added", "removed")
                and (isinstance(change.old, str) or isinstance(change.new, str))
            ):
                out += [f"    {line}" for line in text_diff(change)]
    if metrics is not None:
        out += ["", *_metrics_lines(metrics)]
    sys.stdout.write("\n".join(out) + "\n")


def _event_lines(event: Event) -> list[str]:
    if event.problem is not None:
        return [
            _("{path}: not readable in this version ({problem})").format(
                path=event.path, problem=event.problem
            )
        ]
    if event.action == "added":
        if event.old_path is not None and any(c.path == "id" for c in event.changes):
            # A new id for an item already there (mitrm renumber): the id change follows.
            moved = f": {event.old_path} -> {event.path}" if event.old_path != event.path else ""
            return [_("renumbered") + moved]
        return [
            _("added as {status}: {path}").format(
                status=event.status or _("no status"), path=event.path
            )
        ]
    if event.action == "seen":
        return [
            _("first seen here (the shallow clone's history starts here): {path}").format(
                path=event.path
            )
        ]
    if event.action == "removed":
        return [_("removed: {path}").format(path=event.path)]
    if event.action == "renamed":
        return [_("moved: {old} -> {new}").format(old=event.old_path, new=event.path)]
    return []


def _days(value: float) -> str:
    return f"{value:.1f} d"


def _metrics_lines(metrics: ItemMetrics) -> list[str]:
    lines = [_("Flow")]
    spent = ", ".join(f"{status} {_days(days)}" for status, days in metrics.time_in_status.items())
    lines.append("  " + _("time in status: {spent}").format(spent=spent or _("(none)")))
    lead = metrics.lead_time_days
    lines.append(
        "  "
        + _("lead time (submitted -> released): {days}").format(
            days=_days(lead) if lead is not None else _("not released yet")
        )
    )
    lines.append("  " + _("changes after approval: {n}").format(n=metrics.churn))
    return lines


def _metrics_json(metrics: ItemMetrics) -> dict[str, Any]:
    return {
        "kind": metrics.kind,
        "status": metrics.status,
        "time_in_status_days": {k: round(v, 3) for k, v in metrics.time_in_status.items()},
        "lead_time_days": None
        if metrics.lead_time_days is None
        else round(metrics.lead_time_days, 3),
        "churn_after_approval": metrics.churn,
    }


def event_json(hist: History, event: Event) -> dict[str, Any]:
    """One event as JSON (docs/history.md)."""
    commit = hist.commit(event.sha)
    return {
        "sha": event.sha,
        "date": commit.date.isoformat() if commit else None,
        "author": commit.author if commit else None,
        "email": commit.email if commit else None,
        "message": commit.message.strip() if commit else None,
        "action": event.action,
        "path": event.path,
        "old_path": event.old_path,
        "title": event.title,
        "status": event.status,
        "changes": [change_json(c) for c in event.changes],
        "problem": event.problem,
    }


def _item_json(
    hist: History,
    item_id: str,
    timeline: list[Event],
    pending: Event | None,
    metrics: ItemMetrics | None,
    warnings: list[Any],
) -> None:
    last = pending or (timeline[-1] if timeline else None)
    document: dict[str, Any] = {
        "id": item_id,
        "kind": last.kind if last else None,
        "title": last.title if last else None,
        "status": last.status if last and last.action != "removed" else None,
        "shallow": hist.shallow,
        "uncommitted": event_json(hist, pending) if pending else None,
        "events": [event_json(hist, e) for e in reversed(timeline)],
        "warnings": [w.as_json() for w in warnings],
    }
    if metrics is not None:
        document["metrics"] = _metrics_json(metrics)
    emit_json(document)


def _repo_metrics(hist: History, fmt: HistoryFormat) -> None:
    flow = flow_metrics(hist, today=_now())
    warnings = unapproved_changes(hist)
    leads = [m.lead_time_days for m in flow.items.values() if m.lead_time_days is not None]
    if fmt is HistoryFormat.JSON:
        emit_json(
            {
                "head": hist.head,
                "commits": len(hist.order),
                "shallow": hist.shallow,
                "median_lead_time_days": None
                if flow.median_lead_time_days is None
                else round(flow.median_lead_time_days, 3),
                "lead_time_items": len(leads),
                "throughput": flow.throughput,
                "churn": flow.churn,
                "items": {k: _metrics_json(v) for k, v in sorted(flow.items.items())},
                "warnings": [w.as_json() for w in warnings],
            }
        )
        return
    out = [
        _("{items} items in {commits} commits").format(
            items=len(flow.items), commits=len(hist.order)
        )
    ]
    median = flow.median_lead_time_days
    out.append(
        _("median lead time (submitted -> released): {value}").format(
            value=_("{days} over {n} items").format(days=_days(median), n=len(leads))
            if median is not None
            else _("none released")
        )
    )
    out += ["", _("throughput (items released per month):")]
    none = ["  " + _("(none)")]
    out += [f"  {month}  {count}" for month, count in flow.throughput.items()] or none
    out += ["", _("churn: approved items changed afterwards (commits), most first:")]
    ranked = sorted(flow.churn.items(), key=lambda kv: (-kv[1], kv[0]))
    out += [f"  {item}  {count}" for item, count in ranked[:20]] or none
    if len(ranked) > 20:
        out.append(
            "  " + _("... and {n} more (--format json lists all)").format(n=len(ranked) - 20)
        )
    sys.stdout.write("\n".join(out) + "\n")
    for warning in warnings:
        sys.stderr.write(warning.text() + "\n")


def changelog(
    ctx: typer.Context,
    revisions: Annotated[
        str | None,
        typer.Argument(metavar="REV..REV", help=_("The range (default: the latest tag to HEAD).")),
    ] = None,
    fmt: Annotated[
        ChangelogFormat, typer.Option("--format", "-f", help=_("markdown, json or text."))
    ] = ChangelogFormat.MARKDOWN,
) -> int:
    """What changed in the items between two revisions, grouped by kind and change type."""
    run = state(ctx)
    root = run.root()
    settings = None
    since, until = parse_range(root, revisions)
    log, hist = changelog_for(root, settings, since=since, until=until)
    _warn_shallow(hist)
    if log.whole_history:
        sys.stderr.write(_("note: no tag found; the changelog covers the whole history") + "\n")
    if fmt is ChangelogFormat.JSON:
        emit_json(to_json(log))
    elif fmt is ChangelogFormat.TEXT:
        sys.stdout.write(render_text(log))
    else:
        sys.stdout.write(render_markdown(log))
    return 0
