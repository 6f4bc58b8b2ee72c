"""Shell completion of values: the callbacks, and one completion through the shell protocol."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from conftest import DataRepo
from mitrm.cli import completion
from mitrm.cli.app import app


def _context(repo: Path | None, command: str = "list", **params: object) -> typer.Context:
    """A context as typer builds it while completing: the root holds -C, the command its params."""
    from typer.main import get_command

    root_command = get_command(app)
    root = typer.Context(root_command, info_name="mitrm")  # type: ignore[arg-type]
    root.params = {"repo": repo}
    sub = root_command.get_command(root, command)  # type: ignore[attr-defined]
    ctx = typer.Context(sub, parent=root, info_name=command)
    ctx.params = dict(params)
    return ctx


@pytest.fixture
def repo(data_repo: DataRepo) -> DataRepo:
    data_repo.requirement("REQ-0001")
    data_repo.requirement("REQ-0012", "Search")
    data_repo.write("plans/PLAN-0003-rollout.yaml", "id: PLAN-0003\ntitle: R\nstatus: draft\n")
    data_repo.write("requirements/notes.txt", "not an item")
    return data_repo


def test_ids_come_from_the_file_names(repo: DataRepo) -> None:
    ctx = _context(repo.root)
    assert completion.item_ids(ctx, "") == ["PLAN-0003", "REQ-0001", "REQ-0012"]
    assert completion.item_ids(ctx, "req-001") == ["REQ-0012"]
    assert completion.requirement_ids(_context(repo.root, "prioritize"), "") == [
        "REQ-0001",
        "REQ-0012",
    ]
    # Outside any data repo there is nothing to suggest, and no error either.
    assert completion.item_ids(_context(repo.root / "requirements"), "") == []


def test_statuses_follow_the_item_on_the_line(repo: DataRepo) -> None:
    assert completion.statuses(_context(repo.root, "status", item_id="PLAN-0003"), "") == [
        "draft", "proposed", "approved", "in_progress", "on_hold", "completed", "cancelled",
    ]  # fmt: skip
    assert completion.statuses(_context(repo.root, "status", item_id="REQ-0001"), "a") == [
        "analysis",
        "approved",
    ]
    everything = completion.statuses(_context(repo.root, "list"), "")
    assert {"assessed", "on_hold", "deferred"} <= set(everything)
    assert "assessed" not in completion.statuses(_context(repo.root, "prioritize"), "")


def test_types_models_and_rule_codes() -> None:
    assert completion.requirement_types("s") == ["security"]
    assert [name for name, _ in completion.scoring_models("")] == [
        "weighted", "rice", "wsjf", "ice", "moscow",
    ]  # fmt: skip
    codes = dict(completion.rule_codes("mit40"))
    assert "MIT401" in codes and "MIT410" not in codes
    assert codes["MIT401"].startswith("vague expectation")
    assert dict(completion.rule_codes("MIT10"))["MIT104"] == "a value outside its allowed list"
    assert completion.kinds("p") == ["plan"]


def test_a_real_completion_through_the_shell_protocol(repo: DataRepo) -> None:
    env = {
        **os.environ,
        "_MITRM_COMPLETE": "complete_bash",
        "COMP_WORDS": f"mitrm -C {repo.root} show REQ-0",
        "COMP_CWORD": "4",
    }
    done = subprocess.run(
        [sys.executable, "-m", "mitrm"], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["REQ-0001", "REQ-0012"]


@pytest.mark.parametrize(
    ("typed", "offered"),
    [("MIT40", "MIT401"), ("MIT42", "MIT420"), ("MIT6", "MIT601"), ("MIT30", "MIT301")],
)
def test_rule_codes_complete_in_a_fresh_process(typed: str, offered: str, tmp_path: Path) -> None:
    # A fresh process imports nothing but the completion: every code must still be known.
    env = {
        **os.environ,
        "_MITRM_COMPLETE": "complete_bash",
        "COMP_WORDS": f"mitrm validate --select {typed}",
        "COMP_CWORD": "3",
    }
    done = subprocess.run(
        [sys.executable, "-m", "mitrm"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert offered in done.stdout.split()
