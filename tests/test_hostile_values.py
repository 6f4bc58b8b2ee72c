"""Odd values and names in a data repo are data or usage errors, never "a bug in mitrm"."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import DRAFT_REQUIREMENT, CliRun, DataRepo

FAR = """\
id: REQ-0002
title: Far away
type: feature
status: submitted
source: {{channel: internal, department: E, requester: L}}
owners: {{business: A}}
business_goal: Goal
created: 2026-01-01
due: {due}
description: far
estimate: {{effort_days: 600000, cost: 1e-400, benefit: 10}}
scoring: {{value: 3, urgency: 3}}
"""


def _no_crash(cli: CliRun, root: Path, *commands: list[str]) -> None:
    for command in commands:
        done = cli(*command, cwd=root)
        assert done.exit_code in (0, 1), (command, done.stderr)
        assert "internal error" not in done.stderr


def test_a_file_name_that_is_not_utf8_is_reported_and_skipped(
    git_repo: DataRepo, cli: CliRun
) -> None:
    git_repo.requirement("REQ-0001")
    bad = os.fsencode(git_repo.root / "requirements") + b"/REQ-0002-caf\xe9.yaml"
    with open(bad, "wb") as handle:
        handle.write(b"id: REQ-0002\ntitle: x\n")
    git_repo.commit(message="a name in Latin-1")
    done = cli("validate", cwd=git_repo.root)
    assert done.exit_code == 1
    assert (
        "requirements/REQ-0002-caf\\xe9.yaml:1:1: error MIT012 file name is not UTF-8 text; "
        "rename the file (it is not read)" in done.stderr
    )
    _no_crash(
        cli,
        git_repo.root,
        ["list"],
        ["prioritize"],
        ["render"],
        ["history", "REQ-0001"],
        ["history", "--metrics"],
        ["set", "REQ-0001", "title=Still fine"],
    )
    done = cli(
        "new", "requirement", "--no-input", "--title", "Next", "--type", "feature",
        "--channel", "internal", "--department", "E", "--requester", "L",
        "--description", "d", cwd=git_repo.root,
    )  # fmt: skip
    assert done.exit_code == 0, done.stderr


def test_an_id_of_4301_digits_is_a_data_error_not_a_crash(data_repo: DataRepo, cli: CliRun) -> None:
    data_repo.requirement("REQ-0001")
    huge = "REQ-" + "1" * 4301
    data_repo.write(
        "requirements/REQ-0002-huge.yaml", DRAFT_REQUIREMENT.format(id=huge, title="Huge")
    )
    done = cli("validate", cwd=data_repo.root)
    assert done.exit_code == 1
    assert "requirements/REQ-0002-huge.yaml:1:5: error MIT202" in done.stderr
    _no_crash(cli, data_repo.root, ["list"], ["prioritize"], ["render"])
    done = cli(
        "new", "requirement", "--no-input", "--title", "Next", "--type", "feature",
        "--channel", "internal", "--department", "E", "--requester", "L",
        "--description", "d", cwd=data_repo.root,
    )  # fmt: skip
    assert done.exit_code == 0, done.stderr
    assert "REQ-0003" in done.stdout


def test_renumber_to_an_id_too_long_for_a_file_name_is_a_usage_error(
    data_repo: DataRepo, cli: CliRun
) -> None:
    path = data_repo.requirement("REQ-0001")
    before = path.read_bytes()
    done = cli("renumber", "REQ-0001", "REQ-" + "9" * 300, cwd=data_repo.root)
    assert done.exit_code == 2
    assert "file systems allow 255. Nothing was changed" in done.stderr
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


@pytest.mark.parametrize("due", ["9999-12-31", "2027-01-01", "0001-01-03"])
def test_far_away_dates_and_tiny_costs_never_crash(
    git_repo: DataRepo, cli: CliRun, due: str
) -> None:
    git_repo.requirement("REQ-0001")
    git_repo.commit({"requirements/REQ-0002-far.yaml": FAR.format(due=due)}, "far")
    _no_crash(
        cli,
        git_repo.root,
        ["validate"],
        ["render"],
        ["prioritize"],
        ["prioritize", "--budget", "100"],
        ["prioritize", "--explain", "REQ-0002"],
        ["history", "REQ-0002"],
        ["history", "--metrics"],
    )
    text = (git_repo.root / "docs/generated/requirements/REQ-0002.md").read_text()
    assert "| 1.00E+403% |" in text  # the ROI of a cost of 1e-400, not an error


def test_commits_dated_far_in_the_future_never_crash_history(
    git_repo: DataRepo, cli: CliRun
) -> None:
    git_repo.requirement("REQ-0001")
    git_repo.commit(message="first")
    path = git_repo.root / "requirements/REQ-0001-faster-checkout.yaml"
    path.write_text(path.read_text().replace("described.", "described again."))
    git_repo.run_git("add", "-A")
    env = {**os.environ, "GIT_COMMITTER_DATE": "@9999999999999 +0000"}
    env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"]
    subprocess.run(
        ["git", "commit", "-q", "-m", "from the future"], cwd=git_repo.root, env=env, check=True
    )
    _no_crash(
        cli,
        git_repo.root,
        ["history", "REQ-0001"],
        ["history", "--metrics"],
        ["changelog", "HEAD~1..HEAD"],
        ["validate"],
        ["render"],
        ["prioritize"],
    )


def test_an_impossible_date_can_be_fixed_with_set(data_repo: DataRepo, cli: CliRun) -> None:
    path = data_repo.requirement("REQ-0001", due="2026-02-30")
    done = cli("validate", cwd=data_repo.root)
    assert "error MIT102 field 'due' must be a date written YYYY-MM-DD (got '2026-02-30')" in (
        done.stderr
    )
    done = cli("status", "REQ-0001", "submitted", cwd=data_repo.root)
    assert done.exit_code in (0, 1, 2), done.stderr
    assert "internal error" not in done.stderr
    done = cli("renumber", "REQ-0001", "REQ-0009", cwd=data_repo.root)
    assert done.exit_code == 0, done.stderr
    done = cli("set", "REQ-0009", "due=2027-01-31", cwd=data_repo.root)
    assert done.exit_code == 0, done.stderr
    fixed = data_repo.root / "requirements/REQ-0009-faster-checkout.yaml"
    assert "due: 2027-01-31\n" in fixed.read_text()
    assert not path.exists()


def test_set_writes_numbers_as_given(data_repo: DataRepo, cli: CliRun) -> None:
    path = data_repo.requirement("REQ-0001")
    done = cli(
        "set",
        "REQ-0001",
        "estimate.effort_days=0.00001",
        "estimate.cost=12345678901234567.89",
        cwd=data_repo.root,
    )
    assert done.exit_code == 0, done.stderr
    text = path.read_text()
    assert "  effort_days: 0.00001\n" in text
    assert "  cost: 12345678901234567.89\n" in text
    assert "estimate.cost = 12345678901234567.89" in done.stderr
    assert cli("validate", cwd=data_repo.root).exit_code == 0
