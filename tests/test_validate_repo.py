"""Rules across files, output formats, path selection and the cache of `mitrm validate`."""

from __future__ import annotations

import json
import os

import pytest

from conftest import CliRun, DataRepo


def _problems(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if " MIT" in line]


def test_clean_repo_exits_zero(data_repo: DataRepo, cli: CliRun) -> None:
    data_repo.requirement("REQ-0001")
    data_repo.requirement("REQ-0002", "Search")
    result = cli("-C", str(data_repo.root), "validate")
    assert result.exit_code == 0
    assert result.stderr == "checked 2 files: 0 errors, 0 warnings\n"
    assert result.stdout == ""


def test_duplicate_ids_name_both_files_and_renumber(data_repo: DataRepo, cli: CliRun) -> None:
    data_repo.requirement("REQ-0001", "Checkout")
    data_repo.requirement("REQ-0001", "Search")
    result = cli("-C", str(data_repo.root), "validate")
    lines = _problems(result.stderr)
    assert result.exit_code == 1
    assert len(lines) == 2
    assert "MIT201 id 'REQ-0001' is also used by requirements/REQ-0001-search.yaml" in lines[0]
    assert "mitrm renumber REQ-0001 NEW_ID" in lines[0]


def test_unresolved_and_wrong_kind_references(data_repo: DataRepo, cli: CliRun) -> None:
    data_repo.requirement("REQ-0001", depends_on="[REQ-0009, PLAN-0001]")
    data_repo.write(
        "plans/PLAN-0001-p.yaml",
        "id: PLAN-0001\ntitle: P\nstatus: draft\nrequirements: [REQ-0001]\n"
        "milestones:\n  - {name: M1, date: 2026-01-01, requirements: [REQ-0007]}\n",
    )
    data_repo.write(
        "changes/CR-0001-c.yaml",
        "id: CR-0001\ntitle: C\nstatus: draft\ntargets: [PLAN-0001, REQ-0404]\nreason: market\n",
    )
    lines = _problems(cli("-C", str(data_repo.root), "validate").stderr)
    assert lines == [
        "changes/CR-0001-c.yaml:4:22: error MIT203 'REQ-0404' does not exist: no requirement "
        "has this id",
        "plans/PLAN-0001-p.yaml:6:49: error MIT203 'REQ-0007' does not exist: no requirement "
        "has this id",
        "requirements/REQ-0001-faster-checkout.yaml:10:14: error MIT203 'REQ-0009' does not "
        "exist: no requirement has this id",
        "requirements/REQ-0001-faster-checkout.yaml:10:24: error MIT208 'depends_on' must name "
        "a requirement, but 'PLAN-0001' is a plan",
    ]


def test_dependency_cycle_is_named(data_repo: DataRepo, cli: CliRun) -> None:
    data_repo.requirement("REQ-0001", "A", depends_on="[REQ-0002]")
    data_repo.requirement("REQ-0002", "B", depends_on="[REQ-0003]")
    data_repo.requirement("REQ-0003", "C", depends_on="[REQ-0001]")
    data_repo.requirement("REQ-0004", "D", depends_on="[REQ-0004]")
    lines = _problems(cli("-C", str(data_repo.root), "validate").stderr)
    cycle = "dependency cycle: REQ-0001 -> REQ-0002 -> REQ-0003 -> REQ-0001"
    assert sum(cycle in line for line in lines) == 3
    assert any("dependency cycle: REQ-0004 -> REQ-0004" in line for line in lines)


def test_plan_dates_and_budget(data_repo: DataRepo, cli: CliRun) -> None:
    data_repo.write(
        "plans/PLAN-0001-p.yaml",
        """\
        id: PLAN-0001
        title: Rollout
        status: draft
        start: 2026-01-01
        end: 2026-06-30
        phases:
          - {name: Pilot, kind: pilot, start: 2025-12-01, end: 2026-02-01}
          - {name: Rollout, kind: rollout, start: 2026-03-01, end: 2026-02-01}
        milestones:
          - {name: Go-live, date: 2026-07-15}
        budget:
          total: 100000
          lines:
            - {category: people, amount: 80000}
            - {category: software, amount: 30000}
        """,
    )
    lines = _problems(cli("-C", str(data_repo.root), "validate").stderr)
    text = "\n".join(lines)
    assert "7:39: error MIT205 phase 'Pilot' starts (2025-12-01) before the plan" in text
    assert "8:60: error MIT205 phase 'Rollout' ends (2026-02-01) before it starts" in text
    assert "10:27: error MIT205 milestone 'Go-live' (2026-07-15) is outside the plan" in text
    assert "12:10: error MIT206 budget lines add up to 110,000, more than the total 100,000" in text


def test_paths_report_only_those_files_but_resolve_everything(
    data_repo: DataRepo, cli: CliRun
) -> None:
    data_repo.requirement("REQ-0001", "A", depends_on="[REQ-0002]")
    data_repo.requirement("REQ-0002", "B")
    data_repo.write("requirements/REQ-0003-broken.yaml", "id: [\n")
    chosen = data_repo.root / "requirements" / "REQ-0001-a.yaml"
    result = cli("-C", str(data_repo.root), "validate", str(chosen))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "checked 1 file: 0 errors, 0 warnings\n"
    folder = cli("validate", "requirements", cwd=data_repo.root)
    assert folder.exit_code == 1
    assert "checked 3 files: 1 error, 0 warnings" in folder.stderr


def test_path_outside_the_repo_is_a_usage_error(data_repo: DataRepo, cli: CliRun) -> None:
    result = cli("-C", str(data_repo.root), "validate", "/nonexistent/x.yaml")
    assert result.exit_code == 2
    assert "error: /nonexistent/x.yaml: no such file or folder" in result.stderr


def test_json_format_is_the_documented_document(data_repo: DataRepo, cli: CliRun) -> None:
    data_repo.requirement("REQ-0001", depends_on="[REQ-0002]")
    result = cli("-C", str(data_repo.root), "validate", "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document == {
        "diagnostics": [
            {
                "path": "requirements/REQ-0001-faster-checkout.yaml",
                "line": 10,
                "column": 14,
                "severity": "error",
                "code": "MIT203",
                "message": "'REQ-0002' does not exist: no requirement has this id",
                "item": "REQ-0001",
            }
        ],
        "summary": {"files": 1, "errors": 1, "warnings": 0},
    }


def test_github_format_prints_workflow_commands(data_repo: DataRepo, cli: CliRun) -> None:
    data_repo.requirement("REQ-0001", depends_on="[REQ-0002]")
    result = cli("-C", str(data_repo.root), "validate", "--format", "github")
    assert result.stdout == (
        "::error file=requirements/REQ-0001-faster-checkout.yaml,line=10,col=14,title=MIT203"
        "::MIT203 'REQ-0002' does not exist: no requirement has this id\n"
    )


def test_no_repo_suggests_init(tmp_path: object, cli: CliRun) -> None:
    result = cli("validate", cwd=tmp_path)  # type: ignore[arg-type]
    assert result.exit_code == 2
    assert "error: no mitrm.yaml found" in result.stderr
    assert "hint: run 'mitrm init'" in result.stderr


def test_found_by_walking_up(data_repo: DataRepo, cli: CliRun) -> None:
    data_repo.requirement("REQ-0001")
    result = cli("validate", cwd=data_repo.root / "requirements")
    assert result.exit_code == 0


def test_items_in_subfolders_are_found(data_repo: DataRepo, cli: CliRun) -> None:
    data_repo.write(
        "requirements/2026/q1/REQ-0001-a.yaml",
        (data_repo.requirement("REQ-0001", "A")).read_text(encoding="utf-8"),
    )
    os.remove(data_repo.root / "requirements" / "REQ-0001-a.yaml")
    result = cli("-C", str(data_repo.root), "list", "--format", "csv")
    assert result.stdout.splitlines()[1].startswith("REQ-0001,requirement,draft")


def test_cache_follows_edits_and_survives_corruption(data_repo: DataRepo, cli: CliRun) -> None:
    path = data_repo.requirement("REQ-0001")
    assert cli("-C", str(data_repo.root), "validate").exit_code == 0
    path.write_text(path.read_text(encoding="utf-8").replace("draft", "drafty"), encoding="utf-8")
    again = cli("-C", str(data_repo.root), "validate")
    assert again.exit_code == 1
    assert "MIT104 field 'status'" in again.stderr
    from mitrm.io.cache import cache_dir

    for cached in cache_dir(data_repo.root).glob("*.pickle"):
        cached.write_bytes(b"not a pickle")
    third = cli("-C", str(data_repo.root), "validate")
    assert third.exit_code == 1
    assert "MIT104 field 'status'" in third.stderr


def test_cache_lives_in_dot_git_not_the_working_tree(git_repo: DataRepo, cli: CliRun) -> None:
    git_repo.requirement("REQ-0001")
    before = set(git_repo.root.rglob("*"))
    assert cli("-C", str(git_repo.root), "validate").exit_code == 0
    created = set(git_repo.root.rglob("*")) - before
    assert created
    assert all(".git" in path.relative_to(git_repo.root).parts[0] for path in created)


def test_strict_turns_warnings_into_errors(data_repo: DataRepo, cli: CliRun) -> None:
    data_repo.requirement("REQ-0001")
    assert cli("-C", str(data_repo.root), "validate", "--strict").exit_code == 0


def test_paths_find_a_data_repo_below_the_working_directory(
    data_repo: DataRepo, cli: CliRun
) -> None:
    # pre-commit runs hooks from the git root, which may hold the data repo in a subfolder
    path = data_repo.requirement("REQ-0001")
    result = cli(
        "validate", str(path.relative_to(data_repo.root.parent)), cwd=data_repo.root.parent
    )
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "checked 1 file: 0 errors, 0 warnings\n"


def test_settings_path_reports_on_the_whole_repo(data_repo: DataRepo, cli: CliRun) -> None:
    data_repo.requirement("REQ-0001", "A")
    data_repo.requirement("REQ-0002", "B")
    result = cli("validate", "mitrm.yaml", cwd=data_repo.root)
    assert result.exit_code == 0
    assert result.stderr == "checked 2 files: 0 errors, 0 warnings\n"


def test_new_settings_replace_the_old_cache(git_repo: DataRepo, cli: CliRun) -> None:
    git_repo.requirement("REQ-0001")
    assert cli("-C", str(git_repo.root), "validate").exit_code == 0
    git_repo.write("mitrm.yaml", "project: Renamed\n")
    assert cli("-C", str(git_repo.root), "validate").exit_code == 0
    caches = list((git_repo.root / ".git" / "mitrm").glob("verdicts-*.pickle"))
    assert len(caches) == 1


def test_small_changes_go_to_a_delta_and_are_seen(git_repo: DataRepo, cli: CliRun) -> None:
    first = git_repo.requirement("REQ-0001", "A")
    git_repo.requirement("REQ-0002", "B")
    assert cli("-C", str(git_repo.root), "validate").exit_code == 0
    cache = git_repo.root / ".git" / "mitrm"
    base = next(cache.glob("verdicts-*.pickle"))
    before = base.read_bytes()
    first.write_text(first.read_text("utf-8").replace("status: draft", "status: drafty"), "utf-8")
    broken = cli("-C", str(git_repo.root), "validate")
    assert broken.exit_code == 1
    assert base.read_bytes() == before  # only the delta was written
    assert list(cache.glob("verdicts-*.pickle.delta"))
    again = cli("-C", str(git_repo.root), "validate")
    assert "MIT104 field 'status'" in again.stderr
    first.write_text(first.read_text("utf-8").replace("drafty", "draft"), "utf-8")
    assert cli("-C", str(git_repo.root), "validate").exit_code == 0


def test_rules_across_files_follow_edits_that_keep_or_change_what_they_read(
    git_repo: DataRepo, cli: CliRun
) -> None:
    first = git_repo.requirement("REQ-0001", "A", depends_on="[REQ-0009]")
    git_repo.requirement("REQ-0002", "B")
    shown = "requirements/REQ-0001-a.yaml"
    result = cli("-C", str(git_repo.root), "validate")
    assert f"{shown}:10:14: error MIT203 'REQ-0009' does not exist" in result.stderr
    # A comment on top moves every line down, and the rules across files read the same.
    first.write_text("# moved\n" + first.read_text("utf-8"), "utf-8")
    moved = cli("-C", str(git_repo.root), "validate")
    assert f"{shown}:11:14: error MIT203 'REQ-0009' does not exist" in moved.stderr
    # A change to what they read is seen at once, even with the summaries' cache lost.
    for lost in (git_repo.root / ".git" / "mitrm").glob("summaries-*.pickle*"):
        lost.unlink()
    first.write_text(first.read_text("utf-8").replace("REQ-0009", "REQ-0002"), "utf-8")
    fixed = cli("-C", str(git_repo.root), "validate")
    assert fixed.exit_code == 0, fixed.stderr
    git_repo.write("requirements/REQ-0002-b.yaml", "")
    gone = cli("-C", str(git_repo.root), "validate")
    assert f"{shown}:11:14: error MIT203 'REQ-0002' does not exist" in gone.stderr
    assert len(list((git_repo.root / ".git" / "mitrm").glob("across-*.pickle"))) == 1


def test_a_summary_lost_from_the_cache_is_found_again_from_the_file(
    git_repo: DataRepo, cli: CliRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = git_repo.requirement("REQ-0001", "A")
    git_repo.requirement("REQ-0002", "B")
    assert cli("-C", str(git_repo.root), "validate").exit_code == 0
    for lost in (git_repo.root / ".git" / "mitrm").glob("summaries-*.pickle*"):
        lost.unlink()
    # Changed in place with its size, inode and mtime kept: only reading it tells.
    stat = path.stat()
    text = path.read_bytes()
    with path.open("r+b") as handle:
        handle.write(text.replace(b"status: draft", b"status: drafX"))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    monkeypatch.setenv("MITRM_TODAY", "2031-01-01")  # another day: the rules across files run
    result = cli("-C", str(git_repo.root), "validate")
    assert "internal error" not in result.stderr
    assert result.exit_code == 1
    assert "MIT104 field 'status'" in result.stderr
