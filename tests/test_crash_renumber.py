"""``kill -9`` of ``mitrm renumber`` at every step: a re-run (or any write command) completes it."""

from __future__ import annotations

import importlib
import json
import os
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import CliRun, DataRepo
from crash_helpers import Forked, fork_mitrm


@pytest.fixture(autouse=True)
def _imported() -> None:
    """The edit code imported before forking, as a started command would have it."""
    for module in ("mitrm.cli.edit", "mitrm.io.roundtrip", "mitrm.core.editing"):
        importlib.import_module(module)


PLAN = """\
id: PLAN-0001
title: Checkout plan
status: draft
requirements: [REQ-0003, REQ-0004]   # in scope
phases:
  - name: Pilot
    kind: pilot
    start: 2026-01-05
    end: 2026-02-28
    requirements:
      - REQ-0003     # pilot first
"""

CHANGE = """\
id: CR-0001
title: Earlier launch
status: draft
targets:
- REQ-0003
- PLAN-0001
reason: competitor
"""

RENUMBER = ("renumber", "REQ-0003", "REQ-0010")


def _setup(repo: DataRepo) -> None:
    repo.requirement("REQ-0003", "Coupon engine")
    repo.requirement("REQ-0004", "Search", depends_on="[REQ-0003]  # coupons first")
    repo.write("plans/PLAN-0001-checkout.yaml", PLAN)
    repo.write("changes/CR-0001-earlier.yaml", CHANGE)
    repo.commit(message="items")


def _items(root: Path) -> dict[str, bytes]:
    """Every file in the item folders, hidden ones included."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for folder in ("requirements", "plans", "changes")
        for p in sorted((root / folder).rglob("*"))
        if p.is_file()
    }


def _start(root: Path, pause: int) -> Forked:
    return fork_mitrm(["-C", str(root), *RENUMBER], pause=pause)


def _reference(git_repo: DataRepo, tmp_path: Path) -> tuple[list[str], dict[str, bytes]]:
    """The pause points of an uninterrupted run and the files it leaves."""
    copy = tmp_path / "reference"
    shutil.copytree(git_repo.root, copy, symlinks=True)
    code, err = _start(copy, 0).finish()
    assert code == 0, err
    points = [
        line.removeprefix("mitrm-pause: ")
        for line in err.splitlines()
        if line.startswith("mitrm-pause: ")
    ]
    return points, _items(copy)


def test_renumber_killed_at_every_step_is_completed_by_running_it_again(
    git_repo: DataRepo, cli: CliRun, tmp_path: Path
) -> None:
    _setup(git_repo)
    before = _items(git_repo.root)
    points, expected = _reference(git_repo, tmp_path)
    # The journal, then each of the 4 files written (temporary file, then in place),
    # then the old file removed.
    assert len(points) == 11, points
    assert "requirements/REQ-0010-coupon-engine.yaml" in expected
    copies = []
    for point in range(1, len(points) + 1):
        copy = tmp_path / f"killed-{point}"
        shutil.copytree(git_repo.root, copy, symlinks=True)
        copies.append((point, copy, _start(copy, point)))  # all at once: 2 cores, 11 runs
    for point, copy, run in copies:
        name = run.kill_at(point)
        now = _items(copy)
        stray = [rel for rel in now if rel.rsplit("/", 1)[-1].startswith(".")]
        assert not stray, f"killed at {name!r}: temporary files left in item folders: {stray}"
        if point <= 2:  # the journal not yet acted on: the repo is as it was
            assert now == before, name
        again = cli("-C", str(copy), *RENUMBER)
        assert again.exit_code == 0, (name, again.stderr)
        assert again.stdout == "requirements/REQ-0010-coupon-engine.yaml\n", name
        assert _items(copy) == expected, f"killed at {name!r}, then run again"
        checked = cli("-C", str(copy), "validate")
        assert checked.exit_code == 0 and "0 errors" in checked.stderr + checked.stdout, name
        cache = copy / ".git" / "mitrm"
        assert not (cache / "journal.json").exists(), name
        assert os.listdir(cache / "tmp") == [], name


def test_any_write_command_completes_an_interrupted_renumber(
    git_repo: DataRepo, cli: CliRun, tmp_path: Path
) -> None:
    _setup(git_repo)
    points, expected = _reference(git_repo, tmp_path)
    middle = points.index("edited requirements/REQ-0004-search.yaml") + 1
    _start(git_repo.root, middle).kill_at(middle)
    assert (git_repo.root / "requirements" / "REQ-0003-coupon-engine.yaml").exists()
    result = cli("-C", str(git_repo.root), "set", "PLAN-0001", "owner=Wang Fang")
    assert result.exit_code == 0, result.stderr
    assert "completed 'mitrm renumber REQ-0003 REQ-0010', which was interrupted" in result.stderr
    plan = yaml.safe_load((git_repo.root / "plans/PLAN-0001-checkout.yaml").read_text("utf-8"))
    assert plan["requirements"] == ["REQ-0010", "REQ-0004"]
    assert plan["owner"] == "Wang Fang"
    assert not (git_repo.root / "requirements" / "REQ-0003-coupon-engine.yaml").exists()
    assert cli("-C", str(git_repo.root), "validate").exit_code == 0
    # Run again afterwards, the renumber itself finds nothing left to do.
    again = cli("-C", str(git_repo.root), *RENUMBER)
    assert again.exit_code == 2
    assert "no item has the id 'REQ-0003'" in again.stderr
    assert (
        _items(git_repo.root)["changes/CR-0001-earlier.yaml"]
        == (expected["changes/CR-0001-earlier.yaml"])
    )


def test_an_interrupted_renumber_never_overwrites_a_file_edited_since(
    git_repo: DataRepo, cli: CliRun, tmp_path: Path
) -> None:
    _setup(git_repo)
    points, _expected = _reference(git_repo, tmp_path)
    _start(git_repo.root, 2).kill_at(2)
    assert points[1] == "journal written"
    plan = git_repo.root / "plans/PLAN-0001-checkout.yaml"
    edited = PLAN.replace("Checkout plan", "Checkout plan, edited by hand")
    plan.write_text(edited, encoding="utf-8")
    result = cli("-C", str(git_repo.root), "set", "REQ-0004", "tags+=later")
    assert result.exit_code == 0, result.stderr
    assert "plans/PLAN-0001-checkout.yaml changed since" in result.stderr
    assert "left every file as it is" in result.stderr
    assert plan.read_text(encoding="utf-8") == edited
    assert (git_repo.root / "requirements" / "REQ-0003-coupon-engine.yaml").exists()
    assert not (git_repo.root / "requirements" / "REQ-0010-coupon-engine.yaml").exists()
    cache = git_repo.root / ".git" / "mitrm"
    assert not (cache / "journal.json").exists()
    assert list(cache.glob("journal-*.failed.json"))  # kept for inspection
    # Nothing was half done: the renumber itself can still be run.
    assert cli("-C", str(git_repo.root), *RENUMBER).exit_code == 0
    assert cli("-C", str(git_repo.root), "validate").exit_code == 0


def test_a_damaged_or_escaping_journal_is_set_aside_and_writes_nothing(
    git_repo: DataRepo, cli: CliRun, tmp_path: Path
) -> None:
    _setup(git_repo)
    cache = git_repo.root / ".git" / "mitrm"
    cache.mkdir()
    outside = tmp_path / "outside.txt"
    journal = {
        "version": 1,
        "root": os.path.realpath(git_repo.root),
        "command": "mitrm renumber REQ-0003 REQ-0010",
        "args": {},
        "edits": [{"path": "../outside.txt", "before": None, "after": "owned\n", "mode": 420}],
    }
    (cache / "journal.json").write_text(json.dumps(journal), encoding="utf-8")
    result = cli("-C", str(git_repo.root), "set", "REQ-0004", "tags+=x")
    assert result.exit_code == 0, result.stderr
    assert "journal of an interrupted edit that cannot be read" in result.stderr
    assert not outside.exists()
    assert not (cache / "journal.json").exists()
    (cache / "journal.json").write_text("{not json", encoding="utf-8")
    result = cli("-C", str(git_repo.root), "set", "REQ-0004", "tags+=y")
    assert result.exit_code == 0, result.stderr
    assert "cannot be read" in result.stderr
    assert len(list(cache.glob("journal-*.failed.json"))) >= 1
