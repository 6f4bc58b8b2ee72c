"""``mitrm renumber``: a new id, the file renamed, every reference updated, nothing else."""

from __future__ import annotations

import difflib
import re
import stat
from pathlib import Path

from conftest import CliRun, DataRepo

PLAN = """\
# The checkout plan.
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
milestones:
  - {name: Pilot live, date: 2026-02-01, requirements: [REQ-0003]}
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


def _setup(repo: DataRepo) -> None:
    repo.requirement("REQ-0003", "Coupon engine")
    repo.requirement("REQ-0004", "Search", depends_on="[REQ-0003]  # coupons first")
    repo.write("plans/PLAN-0001-checkout.yaml", PLAN)
    repo.write("changes/CR-0001-earlier.yaml", CHANGE)


def _changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_renumber_renames_and_rewrites_every_reference(data_repo: DataRepo, cli: CliRun) -> None:
    _setup(data_repo)
    root = data_repo.root
    before = {p: p.read_text(encoding="utf-8") for p in root.rglob("*.yaml")}
    result = cli("-C", str(root), "renumber", "REQ-0003", "REQ-0010")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "requirements/REQ-0010-coupon-engine.yaml\n"
    assert not (root / "requirements/REQ-0003-coupon-engine.yaml").exists()
    moved = (root / "requirements/REQ-0010-coupon-engine.yaml").read_text(encoding="utf-8")
    old_item = before[root / "requirements/REQ-0003-coupon-engine.yaml"]
    assert _changed_lines(old_item, moved) == ["-id: REQ-0003", "+id: REQ-0010"]
    dep = root / "requirements/REQ-0004-search.yaml"
    assert _changed_lines(before[dep], dep.read_text(encoding="utf-8")) == [
        "-depends_on: [REQ-0003]  # coupons first",
        "+depends_on: [REQ-0010]  # coupons first",
    ]
    plan = (root / "plans/PLAN-0001-checkout.yaml").read_text(encoding="utf-8")
    assert plan == PLAN.replace("REQ-0003", "REQ-0010")
    change = (root / "changes/CR-0001-earlier.yaml").read_text(encoding="utf-8")
    assert change == CHANGE.replace("REQ-0003", "REQ-0010")
    assert "updated references in 3 file(s)" in result.stderr
    check = cli("-C", str(root), "validate")
    assert check.exit_code == 0, check.stderr


def test_without_new_the_next_free_id_is_taken(data_repo: DataRepo, cli: CliRun) -> None:
    _setup(data_repo)
    result = cli("-C", str(data_repo.root), "renumber", "REQ-0003")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "requirements/REQ-0005-coupon-engine.yaml\n"


def test_refusals_change_nothing(data_repo: DataRepo, cli: CliRun) -> None:
    _setup(data_repo)
    root = data_repo.root
    before = {p: p.read_bytes() for p in root.rglob("*.yaml")}
    for args, message in [
        (["REQ-0003", "REQ-0004"], "'REQ-0004' already exists: requirements/REQ-0004-search.yaml"),
        (
            ["REQ-0003", "PLAN-0009"],
            "'PLAN-0009' is not a requirement id; it must look like REQ-0001",
        ),
        (["REQ-0003", "REQ-12"], "'REQ-12' is not a requirement id"),
        (["REQ-0003", "REQ-0003"], "already has this id"),
        (["REQ-0099", "REQ-0100"], "no item has the id 'REQ-0099'"),
    ]:
        result = cli("-C", str(root), "renumber", *args)
        assert result.exit_code == 2, (args, result.stderr)
        assert message in result.stderr
    (root / "plans/PLAN-0001-checkout.yaml").chmod(stat.S_IRUSR)
    result = cli("-C", str(root), "renumber", "REQ-0003", "REQ-0010")
    assert result.exit_code == 2
    assert "plans/PLAN-0001-checkout.yaml is read-only; nothing was changed" in result.stderr
    (root / "plans/PLAN-0001-checkout.yaml").chmod(0o644)
    assert {p: p.read_bytes() for p in root.rglob("*.yaml")} == before


def test_a_duplicate_after_a_merge_follows_the_validate_hint(
    git_repo: DataRepo, cli: CliRun
) -> None:
    git_repo.requirement("REQ-0001", "Checkout")
    git_repo.commit(message="base")
    git_repo.run_git("checkout", "-q", "-b", "search")
    git_repo.requirement("REQ-0002", "Search")
    git_repo.commit(message="search")
    git_repo.run_git("checkout", "-q", "main")
    git_repo.requirement("REQ-0002", "Coupons", depends_on="[REQ-0001]")
    git_repo.commit(message="coupons")
    git_repo.run_git("merge", "-q", "--no-edit", "search")
    root = git_repo.root
    result = cli("-C", str(root), "validate")
    assert result.exit_code == 1
    line = next(
        line for line in result.stderr.splitlines() if "REQ-0002-search" in line.split(":")[0]
    )
    command = re.search(r"'(mitrm renumber [^']+)'", line)
    assert command is not None, line
    args = command.group(1).split()[2:]
    assert args == ["REQ-0002", "NEW_ID", "--file", "requirements/REQ-0002-search.yaml"]
    ambiguous = cli("-C", str(root), "renumber", "REQ-0002")
    assert ambiguous.exit_code == 2 and "is used by 2 files" in ambiguous.stderr
    result = cli("-C", str(root), "renumber", *[a for a in args if a != "NEW_ID"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "requirements/REQ-0003-search.yaml\n"
    assert cli("-C", str(root), "validate").exit_code == 0
    assert Path(root / "requirements/REQ-0002-coupons.yaml").is_file()
