"""`validate --hook`: the repo as the commit will hold it; errors anywhere, warnings for PATHs."""

from __future__ import annotations

from pathlib import Path

from conftest import MINIMAL_SETTINGS, CliRun, DataRepo

VAGUE = "Better and faster and more attractive"


def _lines(stderr: str, code: str) -> list[str]:
    return [line for line in stderr.splitlines() if f" {code} " in line]


def test_errors_from_every_file_warnings_only_for_the_paths(
    git_repo: DataRepo, cli: CliRun
) -> None:
    git_repo.requirement("REQ-0001", VAGUE)  # a warning in a file not committed now
    git_repo.requirement("REQ-0002", "Base")
    git_repo.requirement("REQ-0003", "Uses base", depends_on="[REQ-0002]")
    git_repo.commit(message="start")
    git_repo.run_git("rm", "-q", "requirements/REQ-0002-base.yaml")
    new = git_repo.requirement("REQ-0004", "Fine")
    git_repo.run_git("add", "-A")
    result = cli("validate", "--hook", str(new), cwd=git_repo.root)
    assert result.exit_code == 1
    assert (
        _lines(result.stderr, "MIT203")[0].startswith("requirements/REQ-0003-uses-base.yaml:")
        and "REQ-0002" in _lines(result.stderr, "MIT203")[0]
    )
    assert "MIT401" not in result.stderr
    assert "checked 3 files: 1 error, 0 warnings" in result.stderr
    # without --hook the paths limit the report, as before
    plain = cli("validate", str(new), cwd=git_repo.root)
    assert plain.exit_code == 0 and "MIT203" not in plain.stderr


def test_no_paths_means_errors_only(git_repo: DataRepo, cli: CliRun) -> None:
    git_repo.requirement("REQ-0001", VAGUE)
    git_repo.commit(message="start")
    result = cli("validate", "--hook", "--strict", cwd=git_repo.root)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "checked 1 file: 0 errors, 0 warnings\n"
    touched = cli("validate", "--hook", "--strict", "requirements", cwd=git_repo.root)
    assert touched.exit_code == 1 and _lines(touched.stderr, "MIT401")


def test_files_git_does_not_track_are_left_out(git_repo: DataRepo, cli: CliRun) -> None:
    git_repo.requirement("REQ-0001", "Base")
    git_repo.requirement("REQ-0002", "Uses base", depends_on="[REQ-0001]")
    git_repo.commit(message="start")
    # unstaged from the index but still on disk: the commit will not hold it
    git_repo.run_git("rm", "-q", "--cached", "requirements/REQ-0001-base.yaml")
    result = cli("validate", "--hook", cwd=git_repo.root)
    assert result.exit_code == 1
    assert "REQ-0001" in _lines(result.stderr, "MIT203")[0]
    git_repo.run_git("add", "requirements/REQ-0001-base.yaml")
    # a broken draft nobody staged does not block the commit
    git_repo.write("requirements/REQ-0009-wip.yaml", "id: REQ-0009\ntitle: [\n")
    assert cli("validate", "--hook", cwd=git_repo.root).exit_code == 0
    assert cli("validate", cwd=git_repo.root).exit_code == 1


def test_duplicate_ids_and_cycles_anywhere_block(git_repo: DataRepo, cli: CliRun) -> None:
    git_repo.requirement("REQ-0001", "One", depends_on="[REQ-0002]")
    git_repo.requirement("REQ-0002", "Two")
    git_repo.commit(message="start")
    two = git_repo.requirement("REQ-0002", "Two", depends_on="[REQ-0001]")
    git_repo.run_git("add", "-A")
    cycle = cli("validate", "--hook", str(two), cwd=git_repo.root)
    assert cycle.exit_code == 1 and _lines(cycle.stderr, "MIT204")
    git_repo.requirement("REQ-0002", "Two")
    copy = git_repo.write(
        "requirements/REQ-0003-copy.yaml",
        (git_repo.root / "requirements/REQ-0001-one.yaml").read_text(encoding="utf-8"),
    )
    git_repo.run_git("add", "-A")
    twice = cli("validate", "--hook", str(copy), cwd=git_repo.root)
    assert twice.exit_code == 1 and _lines(twice.stderr, "MIT201")


def test_a_data_repo_in_a_subfolder_is_found_without_paths(tmp_path: Path, cli: CliRun) -> None:
    top = DataRepo(tmp_path / "mono", git=True)
    top.write("product/reqs/mitrm.yaml", MINIMAL_SETTINGS)
    top.write("product/reqs/requirements/REQ-0001-a.yaml", "id: REQ-0001\ntitle: [\n")
    top.run_git("init", "-q", "-b", "main")
    top.run_git("add", "-A")
    result = cli("validate", "--hook", cwd=top.root)
    assert result.exit_code == 1
    assert "requirements/REQ-0001-a.yaml:" in result.stderr
    top.write("marketing/mitrm.yaml", MINIMAL_SETTINGS)
    top.run_git("add", "-A")
    two = cli("validate", "--hook", cwd=top.root)
    assert two.exit_code == 2
    assert "2 data repos in this git repository" in two.stderr and "args: [-C" in two.stderr


def test_unstaged_changes_are_named(git_repo: DataRepo, cli: CliRun) -> None:
    git_repo.requirement("REQ-0001", "Base")
    git_repo.commit(message="start")
    git_repo.requirement("REQ-0001", "Base", tags="[x]")
    result = cli("validate", "--hook", cwd=git_repo.root)
    assert result.exit_code == 0
    assert (
        "note: 1 file(s) differ from what is staged (requirements/REQ-0001-base.yaml); "
        "checked as they are in the working tree" in result.stderr
    )


def test_hook_needs_git(data_repo: DataRepo, cli: CliRun) -> None:
    data_repo.requirement("REQ-0001")
    result = cli("validate", "--hook", cwd=data_repo.root)
    assert result.exit_code == 2
    assert "not in a git repository" in result.stderr


def test_no_data_repo_is_a_usage_error(tmp_path: Path, cli: CliRun) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    assert cli("validate", "--hook", cwd=plain).exit_code == 2
    repo = DataRepo(tmp_path / "code", git=True)
    repo.write("README.md", "no items here\n")
    repo.run_git("init", "-q", "-b", "main")
    result = cli("validate", "--hook", cwd=repo.root)
    assert result.exit_code == 2 and "no mitrm.yaml found" in result.stderr


def test_only_item_files_and_settings_count_as_unstaged(git_repo: DataRepo, cli: CliRun) -> None:
    git_repo.requirement("REQ-0001", "Base")
    git_repo.commit({"README.md": "# Requirements\n"}, "start")
    git_repo.write("README.md", "# Our requirements\n")
    result = cli("validate", "--hook", cwd=git_repo.root)
    assert result.exit_code == 0
    assert "note:" not in result.stderr
