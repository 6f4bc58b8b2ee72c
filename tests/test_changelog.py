"""``mitrm changelog``: net changes per item over a range, grouped, as Markdown and JSON."""

from __future__ import annotations

import json

from conftest import CliRun, DataRepo
from mitrm.core.history.changelog import build_changelog, render_markdown, to_json
from mitrm.core.history.timeline import ABSENT, Commit, Event, FieldChange, History

PATH = "requirements/REQ-0001-checkout.yaml"


def _history() -> History:
    history = History()
    rows = [
        ("REQ-1", "added", "requirement", "draft", ()),
        ("REQ-2", "added", "requirement", "approved", ()),
        (
            "REQ-1",
            "changed",
            "requirement",
            "submitted",
            (FieldChange("status", "draft", "submitted"),),
        ),
        ("REQ-2", "changed", "requirement", "approved", (FieldChange("estimate.cost", 100, 150),)),
        ("REQ-3", "added", "requirement", "draft", ()),
        ("PLAN-1", "added", "plan", "draft", ()),
        (
            "REQ-2",
            "changed",
            "requirement",
            "approved",
            (FieldChange("estimate.cost", 150, 200), FieldChange("due", ABSENT, "2026-06-30")),
        ),
        (
            "REQ-1",
            "changed",
            "requirement",
            "approved",
            (FieldChange("status", "submitted", "approved"),),
        ),
        ("PLAN-1", "removed", "plan", None, ()),
    ]
    commits, events = [], []
    for number, (item, action, kind, status, changes) in enumerate(rows):
        sha = f"{number:040x}"
        commits.append(Commit(sha, (), "A", "a@x", number, f"c{number}"))
        events.append(
            Event(item, sha, action, kind, f"x/{item}.yaml", None, f"{item} title", status, changes)
        )
    history.extend(commits, events, commits[-1].sha)
    return history


def _range(history: History, start: int) -> set[str]:
    return set(history.order[start:])


def test_net_changes_over_a_range_are_grouped_by_type() -> None:
    history = _history()
    log = build_changelog(
        history,
        _range(history, 2),
        since="v1",
        until="HEAD",
        since_sha=history.order[1],
        until_sha=history.order[-1],
    )
    kinds = {(e.item, e.change) for e in log.entries}
    # PLAN-1 was added and removed inside the range: nothing to report
    assert kinds == {("REQ-1", "status"), ("REQ-2", "changed"), ("REQ-3", "added")}
    req1 = next(e for e in log.entries if e.item == "REQ-1")
    assert (req1.status_from, req1.status_to) == ("draft", "approved")
    req2 = next(e for e in log.entries if e.item == "REQ-2")
    assert [(c.path, c.old, c.new) for c in req2.changes] == [
        ("estimate.cost", 100, 200),
        ("due", ABSENT, "2026-06-30"),
    ]


def test_markdown_is_ready_for_release_notes() -> None:
    history = _history()
    log = build_changelog(
        history,
        _range(history, 2),
        since="v1",
        until="HEAD",
        since_sha=history.order[1],
        until_sha=history.order[-1],
    )
    text = render_markdown(log)
    assert text.startswith("# Changes in v1..HEAD\n\n7 commits, 3 items.\n")
    assert "## Requirements\n\n### Added (1)\n\n- **REQ-3** REQ-3 title (draft)\n" in text
    assert "- **REQ-1** REQ-1 title: draft -> approved\n" in text
    assert "  - estimate.cost: 100 -> 200\n" in text
    assert "## Plans" not in text


def test_removed_items_and_json_summary() -> None:
    history = _history()
    log = build_changelog(
        history, _range(history, 8), since="x", until="HEAD", since_sha="s", until_sha="u"
    )
    document = to_json(log)
    assert document["summary"] == {"plan": {"added": 0, "removed": 1, "status": 0, "changed": 0}}
    assert document["items"][0]["id"] == "PLAN-1"
    assert document["items"][0]["change"] == "removed"
    json.dumps(document)


def test_changelog_defaults_to_latest_tag(git_repo: DataRepo, cli: CliRun) -> None:
    base = "id: REQ-0001\ntitle: Checkout\ntype: feature\nstatus: {}\n"
    git_repo.commit({PATH: base.format("draft")}, "Add")
    git_repo.run_git("tag", "v1.0")
    git_repo.commit({PATH: base.format("submitted")}, "Submit")
    git_repo.commit(
        {
            "requirements/REQ-0002-crm.yaml": base.format("draft")
            .replace("0001", "0002")
            .replace("Checkout", "CRM")
        },
        "Add CRM",
    )
    result = cli("changelog", cwd=git_repo.root)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# Changes in v1.0..HEAD\n")
    assert "- **REQ-0001** Checkout: draft -> submitted" in result.stdout
    assert "### Added (1)\n\n- **REQ-0002** CRM (draft)" in result.stdout
    document = json.loads(cli("changelog", "v1.0..HEAD~1", "-f", "json", cwd=git_repo.root).stdout)
    assert [i["id"] for i in document["items"]] == ["REQ-0001"]
    assert document["commits"] == 1


def test_changelog_without_a_tag_covers_everything_and_says_so(
    git_repo: DataRepo, cli: CliRun
) -> None:
    git_repo.commit({PATH: "id: REQ-0001\ntitle: Checkout\nstatus: draft\n"}, "Add")
    result = cli("changelog", "-f", "text", cwd=git_repo.root)
    assert result.exit_code == 0
    assert "no tag found" in result.stderr
    assert "Changes in the whole history up to HEAD: 1 commit, 1 item" in result.stdout


def test_changelog_rejects_bad_ranges(git_repo: DataRepo, cli: CliRun) -> None:
    git_repo.commit({PATH: "id: REQ-0001\ntitle: Checkout\nstatus: draft\n"}, "Add")
    result = cli("changelog", "nope..HEAD", cwd=git_repo.root)
    assert result.exit_code == 2
    assert "unknown revision 'nope'" in result.stderr
    assert cli("changelog", "a...b", cwd=git_repo.root).exit_code == 2


def test_markdown_lints_clean() -> None:
    from pymarkdown.api import PyMarkdownApi

    history = _history()
    log = build_changelog(
        history, _range(history, 0), since=None, until="HEAD", since_sha=None, until_sha="u"
    )
    text = render_markdown(log)
    # long lines are fine in release notes; every other rule holds
    result = PyMarkdownApi().disable_rule_by_identifier("md013").scan_string(text)
    assert result.scan_failures == [], text
