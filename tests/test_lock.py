"""The write lock: concurrent write commands lose nothing; a held lock is exit 2, not a hang."""

from __future__ import annotations

import importlib
import multiprocessing
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml

from conftest import CliRun, DataRepo
from crash_helpers import fork_mitrm
from mitrm.cli.app import main


def _mitrm(root: Path, *args: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "mitrm", "-C", str(root), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
    )


_HOLDER = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
fcntl.flock(fd, fcntl.LOCK_EX)
os.write(fd, b"pid 4242: mitrm set REQ-0004 tags+=slow")
print("held", flush=True)
sys.stdin.read()  # until the test kills it
"""


@contextmanager
def _held(root: Path) -> Iterator[None]:
    """Hold the repo's lock from another process, as another mitrm command would."""
    lock = root / ".git" / "mitrm" / "lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(lock)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    try:
        yield
    finally:
        # Killed rather than sent end of input: a forked test child may hold its stdin.
        holder.kill()
        holder.communicate()


def _set_in_child(root: str, tag: str) -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    try:
        main(["-C", root, "set", "REQ-0004", f"tags+={tag}"])
    except SystemExit as exc:
        os._exit(exc.code if isinstance(exc.code, int) else 3)
    os._exit(0)


def test_ten_parallel_sets_keep_all_ten_tags(git_repo: DataRepo) -> None:
    path = git_repo.requirement("REQ-0004", "Search")
    # Forked processes with the edit code already imported: ten real processes at once.
    for module in (
        "mitrm.io.roundtrip",
        "mitrm.core.editing.edits",
        "mitrm.core.checking.validation",
    ):
        importlib.import_module(module)
    fork = multiprocessing.get_context("fork")
    runs = [
        fork.Process(target=_set_in_child, args=(str(git_repo.root), f"t{n}")) for n in range(10)
    ]
    for run in runs:
        run.start()
    for run in runs:
        run.join(timeout=120)
        assert run.exitcode == 0
    tags = yaml.safe_load(path.read_text(encoding="utf-8"))["tags"]
    assert sorted(tags) == sorted(f"t{n}" for n in range(10))


def test_a_held_lock_is_exit_2_with_a_plain_message(
    git_repo: DataRepo, cli: CliRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = git_repo.requirement("REQ-0004", "Search")
    before = path.read_bytes()
    monkeypatch.setenv("MITRM_LOCK_TIMEOUT", "0.3")
    with _held(git_repo.root):
        result = cli("-C", str(git_repo.root), "set", "REQ-0004", "tags+=late")
        renumber = cli("-C", str(git_repo.root), "renumber", "REQ-0004", "REQ-0009")
        render = cli("-C", str(git_repo.root), "render")
    assert result.exit_code == 2, result.stderr
    assert "another mitrm command is changing this repo" in result.stderr
    assert "mitrm set REQ-0004 tags+=slow" in result.stderr  # who holds it
    assert "gave up waiting after 0.3 s" in result.stderr
    assert "MITRM_LOCK_TIMEOUT" in result.stderr
    assert "Traceback" not in result.stderr
    assert renumber.exit_code == 2 and render.exit_code == 2
    assert path.read_bytes() == before
    assert not (git_repo.root / "docs").exists()
    # Released: the same command now goes through.
    assert cli("-C", str(git_repo.root), "set", "REQ-0004", "tags+=late").exit_code == 0


def test_a_command_waits_for_the_lock_rather_than_failing_at_once(git_repo: DataRepo) -> None:
    path = git_repo.requirement("REQ-0004", "Search")
    importlib.import_module("mitrm.io.roundtrip")
    with _held(git_repo.root):
        run = fork_mitrm(["-C", str(git_repo.root), "set", "REQ-0004", "tags+=patient"])
        time.sleep(0.5)
        assert os.waitpid(run.pid, os.WNOHANG) == (0, 0)  # still waiting while it is held
    code, err = run.finish()
    assert code == 0, err
    assert "patient" in path.read_text(encoding="utf-8")


def test_read_only_commands_take_no_lock(
    git_repo: DataRepo, cli: CliRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    git_repo.requirement("REQ-0004", "Search")
    monkeypatch.setenv("MITRM_LOCK_TIMEOUT", "0")
    with _held(git_repo.root):
        for args in (
            ["validate"],
            ["list"],
            ["show", "REQ-0004"],
            ["prioritize"],
            ["render", "--check"],
        ):
            result = cli("-C", str(git_repo.root), *args)
            assert "another mitrm command" not in result.stderr, args
            assert result.exit_code in (0, 1), (args, result.stderr)


def test_a_bad_lock_timeout_is_a_usage_error(
    git_repo: DataRepo, cli: CliRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    git_repo.requirement("REQ-0004", "Search")
    monkeypatch.setenv("MITRM_LOCK_TIMEOUT", "soon")
    result = cli("-C", str(git_repo.root), "set", "REQ-0004", "tags+=x")
    assert result.exit_code == 2
    assert "MITRM_LOCK_TIMEOUT must be a number of seconds" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["set", "REQ-0004", "tags+=x"],
        ["status", "REQ-0004", "submitted"],
        ["renumber", "REQ-0004", "REQ-0009"],
        ["render"],
        ["new", "requirement", "--no-input", "--title", "T", "--type", "feature",
         "--channel", "internal", "--description", "Words here"],
        ["init", "{root}/sub"],
    ],
)  # fmt: skip
def test_git_mitrm_being_a_file_is_exit_2(git_repo: DataRepo, cli: CliRun, args: list[str]) -> None:
    path = git_repo.requirement("REQ-0004", "Search")
    before = path.read_bytes()
    (git_repo.root / ".git" / "mitrm").write_text("not a folder\n", encoding="utf-8")
    result = cli("-C", str(git_repo.root), *[a.format(root=git_repo.root) for a in args])
    assert result.exit_code == 2, result.stderr
    assert ".git/mitrm is a file" in result.stderr
    assert "bug in mitrm" not in result.stderr
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]
    # Read-only commands still work without their caches.
    assert cli("-C", str(git_repo.root), "validate").exit_code == 0
