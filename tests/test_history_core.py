"""Pure history logic: field diffs, their wording, timelines and flow metrics (no git)."""

from __future__ import annotations

import datetime as dt

from mitrm.core.history.metrics import (
    approved_churn,
    flow_metrics,
    item_metrics,
    unapproved_changes,
)
from mitrm.core.history.timeline import (
    ABSENT,
    Commit,
    Event,
    FieldChange,
    History,
    compose,
    describe,
    diff_values,
    status_intervals,
    text_diff,
)

DAY = 86400


def test_scalar_change_is_old_to_new() -> None:
    changes = diff_values({"status": "submitted"}, {"status": "approved"})
    assert [describe(c) for c in changes] == ["status: submitted -> approved"]


def test_nested_change_has_a_dotted_path() -> None:
    old = {"estimate": {"cost": 80000, "effort_days": 20}}
    new = {"estimate": {"cost": 120000, "effort_days": 20}}
    assert [describe(c) for c in diff_values(old, new)] == ["estimate.cost: 80000 -> 120000"]


def test_added_and_removed_fields() -> None:
    changes = diff_values({"due": dt.date(2026, 1, 31)}, {"owners": {"it": "Wang Fang"}})
    assert [describe(c) for c in changes] == [
        "due: removed (was 2026-01-31)",
        "owners: added {it: Wang Fang}",
    ]
    assert [c.kind for c in changes] == ["removed", "added"]


def test_list_of_values_shows_items_added_and_removed() -> None:
    changes = diff_values({"tags": ["web", "app"]}, {"tags": ["web", "gdpr"]})
    assert [describe(c) for c in changes] == ["tags: +gdpr -app"]


def test_list_of_mappings_diffs_by_position_and_names_new_entries() -> None:
    old = {"kpis": [{"name": "Conversion", "target": 3.5}]}
    new = {"kpis": [{"name": "Conversion", "target": 4.0}, {"name": "Basket size"}]}
    assert [describe(c) for c in diff_values(old, new)] == [
        "kpis.0.target: 3.5 -> 4.0",
        "kpis.1: added Basket size",
    ]


def test_long_text_is_summarised_and_diffed_on_demand() -> None:
    old = {"description": "Make checkout fast.\nOn the web."}
    new = {"description": "Make checkout fast.\nOn the web and in the app.\nBy June."}
    (change,) = diff_values(old, new)
    assert change.kind == "text"
    assert describe(change) == "description: text changed (+2 -1 lines)"
    assert "+On the web and in the app." in text_diff(change)
    assert "-On the web." in text_diff(change)


def test_equal_values_of_another_type_still_differ() -> None:
    # YAML 'true' vs the number 1: a real change even though 1 == True in Python
    assert diff_values({"x": True}, {"x": 1}) == [FieldChange("x", True, 1)]
    assert diff_values({"a": {"b": [1, 2]}}, {"a": {"b": [1, 2]}}) == []


def test_compose_keeps_first_old_and_last_new_and_drops_round_trips() -> None:
    steps = [
        FieldChange("status", "draft", "submitted"),
        FieldChange("estimate.cost", 100, 200),
        FieldChange("status", "submitted", "approved"),
        FieldChange("estimate.cost", 200, 100),
        FieldChange("due", ABSENT, dt.date(2026, 5, 1)),
    ]
    assert compose(steps) == [
        FieldChange("status", "draft", "approved"),
        FieldChange("due", ABSENT, dt.date(2026, 5, 1)),
    ]


# --- timelines and metrics on hand-made histories -------------------------------


def _history(*steps: tuple[str, int, str, str, str | None, tuple[FieldChange, ...]]) -> History:
    """Build a history from (item, day, action, kind, status, changes) steps."""
    history = History()
    commits = []
    events = []
    for number, (item, day, action, kind, status, changes) in enumerate(steps):
        sha = f"{number:040x}"
        commits.append(Commit(sha, (), "Li Wei", "li@example.com", day * DAY, f"step {number}"))
        targets: tuple[str, ...] = ()
        if kind == "change":
            targets = next(c.new for c in changes if c.path == "targets") if changes else ()
        events.append(
            Event(
                item,
                sha,
                action,
                kind,
                f"{kind}s/{item}.yaml",
                None,
                item,
                status,
                changes,
                None,
                targets,
            )
        )
    history.extend(commits, events, commits[-1].sha)
    return history


def _status(old: str, new: str) -> tuple[FieldChange, ...]:
    return (FieldChange("status", old, new),)


def _flow() -> History:
    return _history(
        ("REQ-1", 0, "added", "requirement", "draft", ()),
        ("REQ-1", 2, "changed", "requirement", "submitted", _status("draft", "submitted")),
        ("REQ-1", 12, "changed", "requirement", "approved", _status("submitted", "approved")),
        (
            "REQ-1",
            15,
            "changed",
            "requirement",
            "approved",
            (FieldChange("estimate.cost", 80000, 120000),),
        ),
        ("REQ-1", 20, "changed", "requirement", "released", _status("approved", "released")),
        ("REQ-2", 40, "added", "requirement", "submitted", ()),
        ("REQ-2", 50, "changed", "requirement", "released", _status("submitted", "released")),
        ("REQ-3", 41, "added", "requirement", "approved", ()),
        (
            "REQ-3",
            45,
            "changed",
            "requirement",
            "approved",
            (FieldChange("tags", ["a"], ["a", "b"]),),
        ),
    )


def test_status_intervals_close_at_the_next_change_and_today() -> None:
    history = _flow()
    spans = status_intervals(history.timeline("REQ-1"), history.when, until=30 * DAY)
    assert [(s, a // DAY, b // DAY) for s, a, b in spans] == [
        ("draft", 0, 2),
        ("submitted", 2, 12),
        ("approved", 12, 20),
        ("released", 20, 30),
    ]


def test_item_metrics_time_in_status_lead_time_and_churn() -> None:
    metrics = item_metrics(_flow(), "REQ-1", today=30 * DAY)
    assert metrics.time_in_status == {
        "draft": 2.0,
        "submitted": 10.0,
        "approved": 8.0,
        "released": 10.0,
    }
    assert metrics.lead_time_days == 18.0
    assert metrics.churn == 1


def test_repo_metrics_median_lead_time_and_throughput_per_month() -> None:
    flow = flow_metrics(_flow(), today=60 * DAY)
    # REQ-1: 18 days, REQ-2: 10 days
    assert flow.median_lead_time_days == 14.0
    assert flow.throughput == {"1970-01": 1, "1970-02": 1}


def test_churn_ignores_bookkeeping_fields_and_changes_before_approval() -> None:
    # REQ-3 only changed its tags after approval: bookkeeping, not churn
    assert approved_churn(_flow()) == {"REQ-1": 1}


def test_change_after_approval_without_change_request_warns() -> None:
    warnings = unapproved_changes(_flow())
    assert [(w.code, w.item, w.severity.value) for w in warnings] == [
        ("MIT601", "REQ-1", "warning")
    ]
    assert "estimate.cost" in warnings[0].message


def test_an_approved_change_request_naming_the_item_silences_the_warning() -> None:
    steps = [
        ("REQ-1", 0, "added", "requirement", "approved", ()),
        ("CR-1", 1, "added", "change", "submitted", (FieldChange("targets", ABSENT, ("REQ-1",)),)),
        ("REQ-1", 2, "changed", "requirement", "approved", (FieldChange("estimate.cost", 1, 2),)),
    ]
    assert len(unapproved_changes(_history(*steps))) == 1
    steps.append(
        ("CR-1", 3, "changed", "change", "approved", (FieldChange("targets", ABSENT, ("REQ-1",)),))
    )
    assert unapproved_changes(_history(*steps)) == []


def test_a_removed_and_re_added_item_starts_over() -> None:
    history = _history(
        ("REQ-1", 0, "added", "requirement", "approved", ()),
        ("REQ-1", 1, "removed", "requirement", None, ()),
        ("REQ-1", 2, "added", "requirement", "draft", ()),
        ("REQ-1", 3, "changed", "requirement", "draft", (FieldChange("title", "a", "b"),)),
    )
    assert approved_churn(history) == {}
    spans = status_intervals(history.timeline("REQ-1"), history.when, until=4 * DAY)
    assert [(s, a // DAY, b // DAY) for s, a, b in spans] == [("approved", 0, 1), ("draft", 2, 4)]


def test_history_core_stays_pure() -> None:
    import subprocess
    import sys

    code = (
        "import sys; import mitrm.core.history.timeline, mitrm.core.history.metrics; "
        "import mitrm.core.history.changelog; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('git', 'typer', 'rich', 'subprocess') or m.startswith('mitrm.io')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
