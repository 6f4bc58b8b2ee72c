"""``mitrm history`` on real temporary git repositories."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import CliRun, DataRepo
from mitrm.io.history.loading import load_history
from mitrm.io.yamlblocks import split_blocks

PATH = "requirements/REQ-0001-checkout.yaml"


def req(
    status: str = "draft",
    cost: int = 80000,
    *,
    title: str = "Faster checkout",
    item: str = "REQ-0001",
    extra: str = "",
) -> str:
    """A requirement file's text."""
    return (
        f"id: {item}\ntitle: {title}\ntype: feature\nstatus: {status}\n"
        "source:\n  channel: internal\n  requester: Li Wei\n"
        f"description: Make checkout fast.\nestimate:\n  cost: {cost}\n{extra}"
    )


def history_json(cli: CliRun, root: Path, *args: str) -> dict[str, object]:
    result = cli("history", *args, "--format", "json", cwd=root)
    assert result.exit_code == 0, result.stderr
    document: dict[str, object] = json.loads(result.stdout)
    return document


def test_history_lists_commits_newest_first_with_field_changes(
    git_repo: DataRepo, cli: CliRun
) -> None:
    git_repo.commit({PATH: req("submitted")}, "Add checkout")
    git_repo.commit({PATH: req("approved", 120000)}, "Approve checkout")
    result = cli("history", "REQ-0001", cwd=git_repo.root)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("REQ-0001 Faster checkout (requirement, now approved)")
    assert out.index("Approve checkout") < out.index("Add checkout")
    assert "  status: submitted -> approved\n" in out
    assert "  estimate.cost: 80000 -> 120000\n" in out
    assert f"added as submitted: {PATH}" in out
    assert "Test User" in out


def test_history_json_has_every_event(git_repo: DataRepo, cli: CliRun) -> None:
    first = git_repo.commit({PATH: req("submitted")}, "Add")
    second = git_repo.commit({PATH: req("approved")}, "Approve\n\nwith a body")
    document = history_json(cli, git_repo.root, "REQ-0001")
    events = document["events"]
    assert isinstance(events, list)
    assert [e["sha"] for e in events] == [second, first]
    assert events[0]["message"] == "Approve\n\nwith a body"
    assert events[0]["changes"] == [
        {"field": "status", "type": "changed", "old": "submitted", "new": "approved"}
    ]
    assert events[1]["action"] == "added"
    assert document["uncommitted"] is None


def test_renames_are_followed_by_id(git_repo: DataRepo, cli: CliRun) -> None:
    git_repo.commit({PATH: req()}, "Add")
    (git_repo.root / "requirements" / "2026").mkdir()
    git_repo.run_git("mv", PATH, "requirements/2026/")
    moved = "requirements/2026/REQ-0001-checkout.yaml"
    git_repo.commit({moved: req("submitted")}, "Shard and submit")
    out = cli("history", "REQ-0001", cwd=git_repo.root).stdout
    assert f"moved: {PATH} -> {moved}" in out
    assert "status: draft -> submitted" in out
    assert "added as draft" in out


def test_a_renumbered_item_keeps_the_history_of_its_old_id(git_repo: DataRepo, cli: CliRun) -> None:
    git_repo.write("mitrm.yaml", "project: Test\n")
    git_repo.commit({PATH: req()}, "Add")
    git_repo.commit({PATH: req("submitted")}, "Submit")
    result = cli("renumber", "REQ-0001", "REQ-0042", cwd=git_repo.root)
    assert result.exit_code == 0, result.stderr
    git_repo.commit(message="Renumber")
    git_repo.commit({PATH: req(title="Old id, new item")}, "Reuse the old id")
    out = cli("history", "REQ-0042", cwd=git_repo.root).stdout
    assert out.index("Renumber") < out.index("Submit") < out.index("Add")
    assert (
        f"renumbered: {PATH} -> requirements/REQ-0042-checkout.yaml\n  id: REQ-0001 -> REQ-0042"
    ) in out
    assert "status: draft -> submitted" in out
    assert "Reuse the old id" not in out
    reused = cli("history", "REQ-0001", cwd=git_repo.root).stdout
    assert "Reuse the old id" in reused


def test_merge_commits(git_repo: DataRepo, cli: CliRun) -> None:
    other = "requirements/REQ-0002-crm.yaml"
    git_repo.commit({PATH: req(), other: req(item="REQ-0002", title="CRM sync")}, "Add both")
    git_repo.run_git("checkout", "-q", "-b", "side")
    git_repo.commit({PATH: req("submitted")}, "Submit on a branch")
    git_repo.run_git("checkout", "-q", "main")
    git_repo.commit({other: req("submitted", item="REQ-0002", title="CRM sync")}, "Submit CRM")
    git_repo.run_git("merge", "-q", "--no-edit", "side")
    first = history_json(cli, git_repo.root, "REQ-0001")["events"]
    assert isinstance(first, list)
    assert [e["message"] for e in first] == ["Submit on a branch", "Add both"]
    # a merge that resolves a conflict is itself a change
    git_repo.run_git("checkout", "-q", "-b", "left")
    git_repo.commit({PATH: req("submitted", 1)}, "Left cost")
    git_repo.run_git("checkout", "-q", "main")
    git_repo.commit({PATH: req("submitted", 2)}, "Right cost")
    subprocess.run(["git", "merge", "-q", "left"], cwd=git_repo.root, capture_output=True)
    git_repo.commit({PATH: req("submitted", 3)}, "Merge left, cost 3")
    events = history_json(cli, git_repo.root, "REQ-0001")["events"]
    assert isinstance(events, list)
    assert events[0]["message"] == "Merge left, cost 3"
    assert events[0]["changes"] == [
        {"field": "estimate.cost", "type": "changed", "old": 2, "new": 3}
    ]


def test_a_version_that_was_invalid_yaml(git_repo: DataRepo, cli: CliRun) -> None:
    git_repo.commit({PATH: req("submitted")}, "Add")
    git_repo.commit({PATH: req("submitted") + "tags: [oops\n"}, "Break it")
    cli("history", "REQ-0001", cwd=git_repo.root)  # the fix below extends this cache
    git_repo.commit({PATH: req("approved")}, "Fix and approve")
    result = cli("history", "REQ-0001", cwd=git_repo.root)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    broken = out[out.index("Break it") :]
    assert "not readable in this version (line " in broken
    assert "MIT001" in broken
    # the fix is compared with the last readable version
    fixed = out[out.index("Fix and approve") : out.index("Break it")]
    assert "status: submitted -> approved" in fixed
    assert "tags" not in fixed


def test_an_item_deleted_and_re_added(git_repo: DataRepo, cli: CliRun) -> None:
    git_repo.commit({PATH: req("submitted")}, "Add")
    (git_repo.root / PATH).unlink()
    git_repo.commit({}, "Drop it")
    git_repo.commit({"requirements/REQ-0001-back.yaml": req("draft")}, "Bring it back")
    events = history_json(cli, git_repo.root, "REQ-0001")["events"]
    assert isinstance(events, list)
    assert [(e["action"], e["message"]) for e in events] == [
        ("added", "Bring it back"),
        ("removed", "Drop it"),
        ("added", "Add"),
    ]


def test_detached_head_shows_history_up_to_it(git_repo: DataRepo, cli: CliRun) -> None:
    git_repo.commit({PATH: req("draft")}, "Add")
    older = git_repo.commit({PATH: req("submitted")}, "Submit")
    git_repo.commit({PATH: req("approved")}, "Approve")
    cli("history", "REQ-0001", cwd=git_repo.root)  # warm the cache at main
    git_repo.run_git("checkout", "-q", "--detach", older)
    out = cli("history", "REQ-0001", cwd=git_repo.root).stdout
    assert "Submit" in out and "Approve" not in out
    assert "now submitted" in out


def test_shallow_clone_warns_that_history_is_cut(
    git_repo: DataRepo, cli: CliRun, tmp_path: Path
) -> None:
    git_repo.commit({PATH: req("draft")}, "Add")
    git_repo.commit({PATH: req("submitted")}, "Submit")
    git_repo.commit({PATH: req("approved")}, "Approve")
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "2", f"file://{git_repo.root}", str(clone)],
        check=True,
        capture_output=True,
    )
    result = cli("history", "REQ-0001", cwd=clone)
    assert result.exit_code == 0
    assert "warning: this is a shallow clone" in result.stderr
    assert "fetch-depth: 0" in result.stderr
    assert "first seen here" in result.stdout
    assert "Add" not in result.stdout.split("\n", 1)[1]


def test_not_a_git_repository(data_repo: DataRepo, cli: CliRun) -> None:
    data_repo.requirement("REQ-0001")
    result = cli("history", "REQ-0001", cwd=data_repo.root)
    assert result.exit_code == 2
    assert "not in a git repository" in result.stderr
    assert "Traceback" not in result.stderr
    assert cli("changelog", cwd=data_repo.root).exit_code == 2
    assert cli("list", cwd=data_repo.root).exit_code == 0


def test_uncommitted_changes_come_first(git_repo: DataRepo, cli: CliRun) -> None:
    git_repo.commit({PATH: req("submitted")}, "Add")
    git_repo.write(PATH, req("submitted", 95000))
    out = cli("history", "REQ-0001", cwd=git_repo.root).stdout
    body = out.split("\n\n", 1)[1]
    assert body.startswith("uncommitted  (working tree, not committed yet)\n")
    assert "estimate.cost: 80000 -> 95000" in body.split("\n\n")[0]
    git_repo.write("requirements/REQ-0009-new.yaml", req(item="REQ-0009"))
    out = cli("history", "REQ-0009", cwd=git_repo.root).stdout
    assert "uncommitted" in out and "added as draft" in out


def test_unknown_id(git_repo: DataRepo, cli: CliRun) -> None:
    git_repo.commit({PATH: req()}, "Add")
    result = cli("history", "REQ-0404", cwd=git_repo.root)
    assert result.exit_code == 2
    assert "no item 'REQ-0404'" in result.stderr


def test_messages_that_look_like_log_records_survive(git_repo: DataRepo, cli: CliRun) -> None:
    git_repo.commit({PATH: req()}, "Add")
    tricky = "Weird\n\n" + "a" * 40 + "\n:100644 100644 " + "b" * 40 + " M\trequirements/x.yaml\n"
    sha = git_repo.commit({PATH: req("submitted")}, tricky)
    events = history_json(cli, git_repo.root, "REQ-0001")["events"]
    assert isinstance(events, list)
    assert events[0]["sha"] == sha
    assert events[0]["message"] == tricky.strip()
    assert len(events) == 2


def test_data_repo_inside_a_larger_git_repository(tmp_path: Path, cli: CliRun) -> None:
    top = tmp_path / "mono"
    data = top / "product" / "reqs"
    (data / "requirements").mkdir(parents=True)
    (data / "mitrm.yaml").write_text("project: T\n", encoding="utf-8")
    repo = DataRepo(top, git=True)
    for args in (
        ["init", "-q", "-b", "main"],
        ["config", "user.name", "A"],
        ["config", "user.email", "a@x"],
        ["config", "commit.gpgSign", "false"],
    ):
        repo.run_git(*args)
    repo.commit({f"product/reqs/{PATH}": req()}, "Add")
    repo.commit({f"product/reqs/{PATH}": req("submitted")}, "Submit")
    out = cli("history", "REQ-0001", cwd=data).stdout
    assert f"added as draft: {PATH}" in out
    assert "status: draft -> submitted" in out


def test_cache_is_extended_and_never_trusted_when_wrong(git_repo: DataRepo, cli: CliRun) -> None:
    git_repo.commit({PATH: req("draft")}, "Add")
    git_repo.commit({PATH: req("submitted")}, "Submit")
    assert "Submit" in cli("history", "REQ-0001", cwd=git_repo.root).stdout
    cache = git_repo.root / ".git" / "mitrm" / "history.pickle"
    assert cache.is_file()
    # one more commit: the cached history is extended to it
    git_repo.commit({PATH: req("analysis")}, "Analyse")
    assert "status: submitted -> analysis" in cli("history", "REQ-0001", cwd=git_repo.root).stdout
    # rewritten history: the cached head is no ancestor any more, so it is rebuilt
    git_repo.write(PATH, req("rejected"))
    git_repo.run_git("commit", "-q", "-a", "--amend", "-m", "Reject instead")
    out = cli("history", "REQ-0001", cwd=git_repo.root).stdout
    assert "Analyse" not in out and "submitted -> rejected" in out
    # a damaged cache is rebuilt
    cache.write_bytes(b"\x80\x05garbage")
    out = cli("history", "REQ-0001", cwd=git_repo.root).stdout
    assert "Reject instead" in out
    assert load_history(git_repo.root).head == git_repo.run_git("rev-parse", "HEAD").strip()


def test_repository_metrics(git_repo: DataRepo, cli: CliRun) -> None:
    git_repo.commit({PATH: req("submitted")}, "Add")
    git_repo.commit({PATH: req("approved")}, "Approve")
    git_repo.commit({PATH: req("approved", 1)}, "Cheaper")
    git_repo.commit({PATH: req("released", 1)}, "Ship")
    document = history_json(cli, git_repo.root, "--metrics")
    assert document["churn"] == {"REQ-0001": 1}
    assert document["lead_time_items"] == 1
    assert isinstance(document["throughput"], dict) and sum(document["throughput"].values()) == 1
    warnings = document["warnings"]
    assert isinstance(warnings, list) and warnings[0]["code"] == "MIT601"
    result = cli("history", "--metrics", cwd=git_repo.root)
    assert "median lead time (submitted -> released): 0.0 d over 1 items" in result.stdout
    assert "MIT601" in result.stderr
    assert cli("history", cwd=git_repo.root).exit_code == 2


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("id: A-1\nstatus: draft\nkpis:\n  - name: x\n", True),
        ("# comment\nid: A-1\n\nstatus: draft # trailing\n", True),
        ("id: A-1\nbase: &b {x: 1}\nother: *b\n", False),
        ("---\nid: A-1\n", False),
        ("{id: A-1}\n", False),
        ("id: A-1\nid: A-2\n", False),
    ],
)
def test_blocks_are_cut_only_when_safe(text: str, safe: bool) -> None:
    blocks = split_blocks(text)
    assert (blocks is not None) is safe
    if blocks is not None:
        assert "".join(blocks.values()).strip().endswith(text.strip().split("\n")[-1].strip())


def test_blob_reader_falls_back_for_git_without_batch_command(git_repo: DataRepo) -> None:
    from mitrm.io.git import adapter as git

    sha = git_repo.commit({PATH: req()}, "Add")
    blob = git_repo.run_git("rev-parse", f"{sha}:{PATH}").strip()
    with git.CatFile(git_repo.root) as reader:
        # what an old git does with an option it does not know: exit at once
        reader.close()
        reader._proc = reader._start(["--no-such-option"])
        found = reader.read_many([blob, "0" * 40])
    assert found[blob] == req().encode()
    assert found["0" * 40] is None


def test_a_repository_without_commits(git_repo: DataRepo, cli: CliRun) -> None:
    git_repo.write(PATH, req())
    result = cli("history", "REQ-0001", cwd=git_repo.root)
    assert result.exit_code == 0, result.stderr
    assert "uncommitted" in result.stdout and "added as draft" in result.stdout
    result = cli("changelog", cwd=git_repo.root)
    assert result.exit_code == 2
    assert "no commits yet" in result.stderr


def test_file_names_in_any_language(git_repo: DataRepo, cli: CliRun) -> None:
    path = "requirements/会员 积分/REQ-0001-会员积分.yaml"
    git_repo.commit({path: req(title="会员积分")}, "新增：会员积分")
    git_repo.commit({path: req("submitted", title="会员积分")}, "提交")
    out = cli("history", "REQ-0001", cwd=git_repo.root).stdout
    assert f"added as draft: {path}" in out
    assert "提交" in out and "status: draft -> submitted" in out


def test_diff_and_item_metrics(git_repo: DataRepo, cli: CliRun) -> None:
    long = "description: |\n  Make checkout fast.\n  On every phone.\n"
    git_repo.commit({PATH: req("submitted").replace("description: Make checkout fast.\n", long)})
    git_repo.commit(
        {PATH: req("approved").replace("description: Make checkout fast.\n",
                                       long.replace("every phone", "every phone and tablet"))},
        "Approve, wider scope",
    )  # fmt: skip
    out = cli("history", "REQ-0001", "--diff", "--metrics", cwd=git_repo.root).stdout
    assert "description: text changed (+1 -1 lines)" in out
    assert "    -On every phone.\n    +On every phone and tablet.\n" in out
    assert "time in status: submitted " in out and "changes after approval: 0" in out
    document = history_json(cli, git_repo.root, "REQ-0001", "--metrics")
    metrics = document["metrics"]
    assert isinstance(metrics, dict)
    assert set(metrics["time_in_status_days"]) == {"submitted", "approved"}
    assert metrics["lead_time_days"] is None


def test_not_an_id(git_repo: DataRepo, cli: CliRun) -> None:
    git_repo.commit({PATH: req()}, "Add")
    result = cli("history", "REQ-*", cwd=git_repo.root)
    assert result.exit_code == 2
    assert "'REQ-*' is not an item id" in result.stderr


def test_incremental_digest_equals_a_full_one(git_repo: DataRepo, cli: CliRun) -> None:
    from mitrm.core.history.metrics import approved_churn, unapproved_changes
    from mitrm.io.git import adapter as git
    from mitrm.io.history.cache import HistoryCache

    other = "requirements/REQ-0002-crm.yaml"
    crm = {"item": "REQ-0002", "title": "CRM sync"}
    git_repo.commit({PATH: req("approved"), other: req("approved", **crm)}, "Add approved")
    git_repo.commit({PATH: req("approved", 1)}, "Change one")
    cli("history", "REQ-0001", cwd=git_repo.root)
    git_repo.commit({other: req("approved", 2, **crm)}, "Change the other")
    cli("history", "REQ-0001", cwd=git_repo.root)  # extends the cache and its digest
    info = git.repo_info(git_repo.root)
    assert info.head is not None
    found = HistoryCache(git_repo.root, info).digest(info.head)
    assert found is not None
    full = load_history(git_repo.root, cache=False)
    assert found[0] == approved_churn(full) == {"REQ-0001": 1, "REQ-0002": 1}
    assert sorted(d.text() for d in found[1]) == sorted(d.text() for d in unapproved_changes(full))
    # a change request changes what is allowed: everything is redone
    change = "id: CR-0001\ntitle: x\nstatus: approved\ntargets: [REQ-0002]\n"
    git_repo.commit({"changes/CR-0001-x.yaml": change}, "Approve a change")
    cli("history", "REQ-0001", cwd=git_repo.root)
    info = git.repo_info(git_repo.root)
    assert info.head is not None
    found = HistoryCache(git_repo.root, info).digest(info.head)
    assert found is not None
    assert [d.item for d in found[1]] == ["REQ-0001"]


def test_history_and_changelog_in_chinese(
    git_repo: DataRepo, cli: CliRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MITRM_LANG", "zh")
    git_repo.commit({PATH: req("submitted")}, "Add checkout")
    git_repo.commit({PATH: req("approved", 120000, extra="tags: [mobile]\n")}, "Approve")
    out = cli("history", "REQ-0001", cwd=git_repo.root).stdout
    assert out.startswith("REQ-0001 Faster checkout（requirement，当前状态 approved）")
    assert f"  新增，状态为 submitted：{PATH}\n" in out
    assert "  status: submitted -> approved\n" in out  # field names and values stay
    assert "  tags: +mobile\n" in out  # list changes read the same in every language
    long_text = "description: |\n  Make checkout fast.\n  On 4G too.\n  And in the app.\n"
    git_repo.commit(
        {PATH: req("approved", 120000).replace("description: Make checkout fast.\n", long_text)},
        "Text",
    )
    out = cli("history", "REQ-0001", cwd=git_repo.root).stdout
    assert "  description：文本已修改（+" in out and " 行）\n" in out
    log = cli("changelog", "--format", "text", cwd=git_repo.root)
    assert log.exit_code == 0, log.stderr
    assert "注意：没有找到标签；变更记录涵盖全部历史" in log.stderr
    lines = log.stdout.splitlines()
    assert lines[0].startswith("截至 ") and lines[0].endswith(
        " 的全部历史 的变更：3 次提交，1 个条目"
    )
    assert "需求" in lines and "  新增：" in lines
