"""Every report-producing command gives the same bytes on a fresh clone (empty cache) and warm."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from conftest import CliRun, DataRepo
from mitrm.io import repository

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "acme"
COUPON = "requirements/REQ-0012-coupon-engine.yaml"


def _history(repo: DataRepo) -> None:
    """The example backlog, then an approved requirement re-estimated four times (no CR)."""
    for folder in ("requirements", "plans", "changes"):
        shutil.rmtree(repo.root / folder)
        shutil.copytree(EXAMPLE / folder, repo.root / folder)
    shutil.copy(EXAMPLE / "mitrm.yaml", repo.root / "mitrm.yaml")
    repo.commit(message="import the backlog")
    repo.run_git("tag", "v1")
    path = repo.root / COUPON
    for cost in (830000, 840000, 850000, 860000):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("cost: 8", f"cost: {cost}  # was 8", 1), encoding="utf-8")
        repo.commit(message=f"re-estimate the coupon engine at {cost}")


def _clone(source: Path, target: Path, *args: str) -> Path:
    subprocess.run(
        ["git", "clone", "-q", *args, f"file://{source}", str(target)],
        check=True,
        capture_output=True,
    )
    return target


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _outputs(cli: CliRun, root: Path, run: str, *, cold: bool) -> dict[str, object]:
    """What each report-producing command shows a user, by command (``cold``: each one
    starts from an empty cache, as in a fresh clone)."""
    out, public = root / f"out-{run}", root / f"public-{run}"
    commands = {
        "validate": ("validate",),
        "validate json": ("validate", "--format", "json"),
        "validate one file": ("validate", str(root / COUPON)),
        "render": ("render", "--out", str(out)),
        "render --check": ("render", "--check", "--out", str(root / "out-cold")),
        "report": ("report", "--out", str(public)),
        "report --check": ("report", "--check", "--out", str(root / "public-cold")),
        "prioritize": ("prioritize",),
        "prioritize json": ("prioritize", "--format", "json"),
        "list": ("list", "--format", "json"),
        "show": ("show", "REQ-0012", "--format", "json"),
        "history": ("history", "REQ-0012"),
        "history --metrics": ("history", "--metrics", "--format", "json"),
        "changelog": ("changelog", "v1..HEAD", "--format", "markdown"),
    }
    seen: dict[str, object] = {}
    for name, args in commands.items():
        if cold:
            shutil.rmtree(root / ".git" / "mitrm", ignore_errors=True)
        result = cli("-C", str(root), *args)
        shown = result.stdout + "\n" + result.stderr
        if name in ("render", "report"):  # the folders written differ by name only
            shown = shown.replace(f"out-{run}", "OUT").replace(f"public-{run}", "PUBLIC")
        seen[name] = (result.exit_code, shown)
    seen["render files"] = _tree(out)
    seen["report files"] = _tree(public)
    return seen


def test_fresh_clone_and_warm_cache_give_the_same_bytes(
    git_repo: DataRepo, cli: CliRun, tmp_path: Path
) -> None:
    _history(git_repo)
    clone = _clone(git_repo.root, tmp_path / "clone")
    assert not (clone / ".git" / "mitrm").exists()
    cold = _outputs(cli, clone, "cold", cold=True)
    warm = _outputs(cli, clone, "warm", cold=False)
    assert (clone / ".git" / "mitrm" / "history.pickle").is_file()
    for name in cold:
        assert warm[name] == cold[name], name
    # the history findings are there on the first run of a fresh clone
    _, text = cold["validate"]  # type: ignore[misc]
    assert f"{COUPON}:1:1: warning MIT601 REQ-0012 changed after approval" in text
    assert "warning MIT419" in text
    assert any(b"MIT601" in data for data in cold["render files"].values())  # type: ignore[union-attr]
    assert b"MIT601" in cold["report files"]["validation.json"]  # type: ignore[index]


def test_a_cache_brought_up_to_date_gives_what_a_fresh_clone_gives(
    git_repo: DataRepo, cli: CliRun, tmp_path: Path
) -> None:
    _history(git_repo)
    clone = _clone(git_repo.root, tmp_path / "clone")
    before = cli("-C", str(clone), "validate")  # caches the history at this HEAD
    assert "REQ-0012 changed after approval" in before.stderr
    # a change request approves changes to REQ-0012: every MIT601 on it goes
    example = EXAMPLE / "changes" / "CR-0001-competitor-flash-sale-checkout-earlier.yaml"
    change = example.read_text(encoding="utf-8")
    assert "status: approved" in change
    change = change.replace("CR-0001", "CR-0009", 1).replace("REQ-0001", "REQ-0012")
    git_repo.commit({"changes/CR-0009-coupon-estimate.yaml": change}, "approve the re-estimate")
    subprocess.run(["git", "pull", "-q"], cwd=clone, check=True, capture_output=True)
    fresh = _clone(git_repo.root, tmp_path / "fresh")
    brought = cli("-C", str(clone), "validate", "--format", "json")
    first = cli("-C", str(fresh), "validate", "--format", "json")
    assert brought.stdout == first.stdout
    assert "REQ-0012 changed after approval" not in first.stdout


def test_no_cache_still_reads_the_history(git_repo: DataRepo, cli: CliRun, tmp_path: Path) -> None:
    _history(git_repo)
    clone = _clone(git_repo.root, tmp_path / "clone")
    result = cli("-C", str(clone), "validate", "--no-cache")
    assert "MIT601" in result.stderr and "MIT419" in result.stderr
    assert not (clone / ".git" / "mitrm").exists()


def test_history_rules_off_leave_git_alone(git_repo: DataRepo, cli: CliRun, tmp_path: Path) -> None:
    _history(git_repo)
    clone = _clone(git_repo.root, tmp_path / "clone")
    result = cli("-C", str(clone), "validate", "--ignore", "MIT419", "--ignore", "MIT6")
    assert "MIT601" not in result.stderr and "MIT419" not in result.stderr
    assert not (clone / ".git" / "mitrm" / "history.pickle").exists()


def test_a_shallow_clone_says_so_once_and_always_the_same(
    git_repo: DataRepo, cli: CliRun, tmp_path: Path
) -> None:
    _history(git_repo)
    clone = _clone(git_repo.root, tmp_path / "shallow", "--depth", "2")
    runs = [cli("-C", str(clone), "validate") for _ in range(2)]
    assert runs[0].stderr == runs[1].stderr
    assert runs[0].stderr.count("note: shallow clone") == 1
    assert "fetch-depth: 0" in runs[0].stderr
    # the last commit is the only change seen after approval: one MIT601, no MIT419 (limit 3)
    assert runs[0].stderr.count("warning MIT601") == 1
    assert "warning MIT419" not in runs[0].stderr
    as_json = cli("-C", str(clone), "validate", "--format", "json")
    assert as_json.stderr.count("note: shallow clone") == 1
    report = cli("-C", str(clone), "report", "--out", str(tmp_path / "public"))
    assert report.stderr.count("shallow clone") == 1


def test_a_restored_ci_cache_spares_a_fresh_clone_the_checks_and_changes_nothing(
    git_repo: DataRepo, cli: CliRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A CI job: a fresh clone (new inodes and times) with the last job's cache restored.
    _history(git_repo)
    monkeypatch.setenv("MITRM_CACHE_DIR", str(tmp_path / "last-job"))
    last = _clone(git_repo.root, tmp_path / "last")
    expected = cli("-C", str(last), "validate", "--format", "json")
    shutil.copytree(tmp_path / "last-job", tmp_path / "restored")
    monkeypatch.setenv("MITRM_CACHE_DIR", str(tmp_path / "restored"))
    checked: list[str] = []
    check = repository._check

    def spy(root: Path, settings: Any, items: list[Any], jobs: int | None) -> Any:
        checked.extend(item.path for item in items)
        return check(root, settings, items, jobs)

    monkeypatch.setattr(repository, "_check", spy)
    clone = _clone(git_repo.root, tmp_path / "clone")
    assert cli("-C", str(clone), "validate", "--format", "json").stdout == expected.stdout
    assert checked == []  # every verdict found by the files' content
    path = clone / COUPON
    path.write_text(path.read_text(encoding="utf-8") + "# reviewed\n", encoding="utf-8")
    again = cli("-C", str(clone), "validate", "--format", "json")
    assert checked == [COUPON]
    monkeypatch.setenv("MITRM_CACHE_DIR", str(tmp_path / "empty"))
    assert cli("-C", str(clone), "validate", "--format", "json").stdout == again.stdout
