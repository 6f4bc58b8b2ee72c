"""Flow metrics from item history: time in status, lead time, throughput, churn (pure)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from mitrm.core.checking import CODES
from mitrm.core.diagnostics import Diagnostic, Severity
from mitrm.core.history.timeline import Event, History, status_intervals, utc_datetime
from mitrm.i18n import _

DAY = 86400.0

UNAPPROVED_CHANGE = CODES["MIT601"]

# Statuses at or past approval: a change here needs a change request.
APPROVED_OR_LATER: dict[str, frozenset[str]] = {
    "requirement": frozenset(
        {"approved", "planned", "in_progress", "testing", "released", "closed"}
    ),
    "plan": frozenset({"approved", "in_progress", "on_hold", "completed"}),
}
# Fields whose change is bookkeeping, not a change of what was agreed.
NEUTRAL_FIELDS = frozenset({"status", "approval", "waivers", "tags", "owners"})
# Change request states that allow the change they describe.
CR_ALLOWS = frozenset({"approved", "implemented"})
LEAD_START = "submitted"
LEAD_END = "released"


@dataclass
class ItemMetrics:
    """One item's flow: days in each status, lead time, churn after approval."""

    item: str
    kind: str
    status: str | None
    time_in_status: dict[str, float] = field(default_factory=dict)
    submitted: int | None = None
    released: int | None = None
    churn: int = 0

    @property
    def lead_time_days(self) -> float | None:
        """Days from first submitted to first released, if both happened."""
        if self.submitted is None or self.released is None:
            return None
        return max(0.0, (self.released - self.submitted) / DAY)


@dataclass
class FlowMetrics:
    """Per-item metrics and the repository's lead time, throughput and churn."""

    items: dict[str, ItemMetrics]
    median_lead_time_days: float | None
    throughput: dict[str, int]  # "YYYY-MM" -> items released that month
    churn: dict[str, int]  # approved items changed afterwards -> number of changing commits


def _substantive(event: Event) -> bool:
    return any(change.path.split(".", 1)[0] not in NEUTRAL_FIELDS for change in event.changes)


def _after_approval(events: Sequence[Event]) -> list[Event]:
    """The events of one item that changed agreed content while it stood approved or later."""
    found: list[Event] = []
    approved = False
    for event in events:
        if event.action == "removed":
            approved = False
            continue
        if event.problem is not None:
            continue
        if approved and event.action in ("changed", "renamed") and _substantive(event):
            found.append(event)
        approved = event.status in APPROVED_OR_LATER.get(event.kind, frozenset())
    return found


def approved_churn(history: History, *, items: Iterable[str] | None = None) -> dict[str, int]:
    """For each approved item changed afterwards: how many commits changed it.

    ``items`` limits the count to those ids (an incremental update).
    """
    churn: dict[str, int] = {}
    for item in history.items() if items is None else items:
        count = len({event.sha for event in _after_approval(history.timeline(item))})
        if count:
            churn[item] = count
    return churn


def item_metrics(history: History, item: str, *, today: int) -> ItemMetrics:
    """The flow metrics of one item; ``today`` (epoch seconds) closes its current status.

    An item renumbered keeps the time it spent under its earlier ids."""
    events = history.lineage(item)
    last = events[-1] if events else None
    result = ItemMetrics(
        item,
        last.kind if last else "",
        last.status if last and last.action != "removed" else None,
    )
    for status, start, end in status_intervals(events, history.when, until=today):
        result.time_in_status[status] = result.time_in_status.get(status, 0.0) + (end - start) / DAY
        if status == LEAD_START and result.submitted is None:
            result.submitted = start
        if status == LEAD_END and result.released is None:
            result.released = start
    result.churn = len({event.sha for event in _after_approval(events)})
    return result


def flow_metrics(history: History, *, today: int | None = None) -> FlowMetrics:
    """Every item's metrics, the median lead time and releases per month."""
    import statistics  # not at module level: it costs a warm single-item run 10 ms

    if today is None:
        today = int(dt.datetime.now(dt.timezone.utc).timestamp())
    items = {item: item_metrics(history, item, today=today) for item in history.items()}
    leads = [m.lead_time_days for m in items.values() if m.lead_time_days is not None]
    throughput: dict[str, int] = {}
    for metrics in items.values():
        if metrics.released is not None:
            month = utc_datetime(metrics.released).strftime("%Y-%m")
            throughput[month] = throughput.get(month, 0) + 1
    return FlowMetrics(
        items=items,
        median_lead_time_days=statistics.median(leads) if leads else None,
        throughput=dict(sorted(throughput.items())),
        churn={item: m.churn for item, m in items.items() if m.churn},
    )


def _allowed_by(history: History) -> set[str]:
    """Ids named by a change request whose latest known status allows the change."""
    allowed: set[str] = set()
    for status, targets in history.change_requests().values():
        if status in CR_ALLOWS:
            allowed.update(targets)
    return allowed


def unapproved_changes(
    history: History, *, item: str | None = None, items: Iterable[str] | None = None
) -> list[Diagnostic]:
    """Warnings (MIT601) for approved items changed without an approved change request.

    ``item`` or ``items`` limit the check to those ids.
    """
    allowed = _allowed_by(history)
    found: list[Diagnostic] = []
    wanted = [item] if item is not None else history.items() if items is None else items
    for item_id in wanted:
        if item_id in allowed:
            continue
        for event in _after_approval(history.timeline(item_id)):
            fields = sorted(
                {c.path for c in event.changes if c.path.split(".", 1)[0] not in NEUTRAL_FIELDS}
            )
            found.append(
                Diagnostic(
                    event.path,
                    UNAPPROVED_CHANGE.code,
                    _(
                        "{id} changed after approval in {commit} ({fields}) without an approved "
                        "change request naming it"
                    ).format(id=item_id, commit=event.sha[:10], fields=", ".join(fields)),
                    severity=Severity.WARNING,
                    item=item_id,
                )
            )
    return found
