"""Progress bars: on a terminal for long work, never with --quiet, never in a pipe."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DRAFT_REQUIREMENT, DataRepo
from test_fit import ROOT, on_terminal

ITEMS = 400


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("progress") / "repo"
    (repo / "requirements").mkdir(parents=True)
    (repo / "mitrm.yaml").write_text("project: Many\n", encoding="utf-8")
    for i in range(1, ITEMS + 1):
        text = DRAFT_REQUIREMENT.format(id=f"REQ-{i:04d}", title=f"Item {i}")
        (repo / "requirements" / f"REQ-{i:04d}-item.yaml").write_text(text, encoding="utf-8")
    return repo


@pytest.fixture(autouse=True)
def _show_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # The bar shows for any stage, however short, so that a small repo shows it.
    monkeypatch.setenv("MITRM_PROGRESS_DELAY", "0")


def _piped(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [sys.executable, "-m", "mitrm", *args], cwd=cwd, env=env, capture_output=True, text=True
    )


def test_render_shows_progress_on_a_terminal(many: Path, tmp_path: Path) -> None:
    lines = on_terminal(["render", "--out", str(tmp_path / "a")], many, 100)
    shown = "\n".join(lines)
    assert "rendering documents" in shown
    assert f"/{ITEMS}" in shown  # counted against the number of items
    assert f"rendered {2 * ITEMS + 1} documents" in shown


def test_quiet_shows_none(many: Path, tmp_path: Path) -> None:
    lines = on_terminal(["render", "--quiet", "--out", str(tmp_path / "b")], many, 100)
    shown = "\n".join(lines)
    assert "rendering documents" not in shown and "reading items" not in shown
    assert f"rendered {2 * ITEMS + 1} documents" in shown


def test_nothing_changes_in_a_pipe(many: Path, tmp_path: Path) -> None:
    loud = _piped(["render", "--out", str(tmp_path / "c")], many)
    quiet = _piped(["render", "--quiet", "--out", str(tmp_path / "d")], many)
    assert loud.returncode == quiet.returncode == 0
    assert "rendering documents" not in loud.stderr
    assert loud.stderr.replace("/c", "/d") == quiet.stderr
    assert loud.stdout.replace("/c/", "/d/") == quiet.stdout
    first = {
        p.relative_to(tmp_path / "c"): p.read_bytes()
        for p in (tmp_path / "c").rglob("*")
        if p.is_file()
    }
    second = {
        p.relative_to(tmp_path / "d"): p.read_bytes()
        for p in (tmp_path / "d").rglob("*")
        if p.is_file()
    }
    assert first == second


def test_history_on_a_cold_cache_shows_progress(git_repo: DataRepo) -> None:
    git_repo.requirement("REQ-0001", "Checkout")
    git_repo.commit(message="add")
    git_repo.commit(
        {"requirements/REQ-0002-x.yaml": DRAFT_REQUIREMENT.format(id="REQ-0002", title="X")},
        message="more",
    )
    lines = on_terminal(["history", "REQ-0001"], git_repo.root, 100)
    assert "reading the history (commits)" in "\n".join(lines)
    assert any(line.startswith("REQ-0001 Checkout") for line in lines)
    for cached in (git_repo.root / ".git" / "mitrm").glob("history*"):
        cached.unlink()  # cold again
    quiet = on_terminal(["history", "--quiet", "REQ-0001"], git_repo.root, 100)
    assert "reading the history" not in "\n".join(quiet)
    assert any(line.startswith("REQ-0001 Checkout") for line in quiet)
