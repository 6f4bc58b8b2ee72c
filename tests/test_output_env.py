"""What reaches the terminal: item text escaped, and output failures are plain exit-2 errors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CliRun, DataRepo

RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Sets the window title, then a one-byte CSI, a carriage return and a DEL.
EVIL = "\x1b]0;pwned\x07 evil \x9b31m red\r\x7f"
EVIL_YAML = '"\\e]0;pwned\\a evil \\x9b31m red\\r\\x7f"'
SHOWN = "\\x1b]0;pwned\\x07 evil \\x9b31m red\\x0d\\x7f"


def _mitrm(
    root: Path, *args: str, env: dict[str, str] | None = None, **kwargs: object
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "mitrm", *args],
        cwd=root,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})},
        **kwargs,
    )


@pytest.fixture
def evil_repo(git_repo: DataRepo) -> DataRepo:
    git_repo.requirement("REQ-0001", "Plain title")
    path = git_repo.requirement("REQ-0002", "Evil")
    path.write_text(path.read_text().replace("title: Evil", f"title: {EVIL_YAML}"))
    git_repo.commit(message="add items")
    path.write_text(path.read_text().replace("Evil, described.", "Evil, described again."))
    git_repo.commit(message=f"submit {EVIL}")
    return git_repo


@pytest.mark.parametrize(
    "command",
    [
        ["list"],
        ["list", "--format", "csv"],
        ["list", "--format", "markdown"],
        ["show", "REQ-0002"],
        ["prioritize"],
        ["prioritize", "--explain", "REQ-0002"],
        ["history", "REQ-0002"],
        ["changelog", "HEAD~1..HEAD"],
    ],
)
def test_control_characters_in_item_text_never_reach_the_terminal_raw(
    evil_repo: DataRepo, cli: CliRun, command: list[str]
) -> None:
    done = cli(*command, cwd=evil_repo.root)
    assert done.exit_code == 0, done.stderr
    assert RAW_CONTROL.search(done.stdout) is None
    assert RAW_CONTROL.search(done.stderr) is None
    if command[0] in ("list", "prioritize") and len(command) == 1:
        assert SHOWN in done.stdout


def test_a_bad_value_with_control_characters_is_escaped_in_validate_messages(
    data_repo: DataRepo, cli: CliRun
) -> None:
    data_repo.requirement("REQ-0001", due='"\\e[2J2026"')
    done = cli("validate", cwd=data_repo.root)
    assert done.exit_code == 1
    assert "(got '\\x1b[2J2026')" in done.stderr
    assert RAW_CONTROL.search(done.stderr) is None


def test_a_file_name_with_an_escape_sequence_is_shown_escaped(
    data_repo: DataRepo, cli: CliRun
) -> None:
    data_repo.write("requirements/REQ-0001-\x1b[31mred.yaml", "id: REQ-0001\n")
    done = cli("validate", cwd=data_repo.root)
    assert done.exit_code == 1
    assert "requirements/REQ-0001-\\x1b[31mred.yaml:" in done.stderr
    assert RAW_CONTROL.search(done.stderr) is None


def test_json_keeps_the_exact_text_and_stays_valid(evil_repo: DataRepo, cli: CliRun) -> None:
    done = cli("list", "--format", "json", cwd=evil_repo.root)
    assert done.exit_code == 0
    assert RAW_CONTROL.search(done.stdout) is None
    items = {item["id"]: item for item in json.loads(done.stdout)["items"]}
    assert items["REQ-0002"]["title"] == EVIL


@pytest.mark.parametrize(
    "command", [["list"], ["show", "REQ-0001"], ["prioritize"], ["validate", "--format", "json"]]
)
def test_a_full_disk_on_stdout_is_exit_2_with_a_plain_message(
    evil_repo: DataRepo, command: list[str]
) -> None:
    with open("/dev/full", "w") as full:
        done = _mitrm(evil_repo.root, *command, stdout=full, stderr=subprocess.PIPE)
    assert done.returncode == 2, done.stderr
    assert done.stderr.endswith(
        "error: cannot write the output to stdout: No space left on device\n"
    )


def test_a_closed_stdout_is_exit_2_with_a_plain_message(evil_repo: DataRepo) -> None:
    done = _mitrm(evil_repo.root, "list", stderr=subprocess.PIPE, preexec_fn=lambda: os.close(1))
    assert done.returncode == 2
    assert done.stderr == "error: standard output is closed; the results cannot be written\n"


def test_a_closed_stdout_does_not_stop_a_command_that_prints_nothing_there(
    evil_repo: DataRepo,
) -> None:
    done = _mitrm(
        evil_repo.root, "validate", stderr=subprocess.PIPE, preexec_fn=lambda: os.close(1)
    )
    assert done.returncode == 0, done.stderr
    assert "checked 2 files" in done.stderr


@pytest.mark.parametrize("command", [["list"], ["show", "REQ-0003"], ["prioritize"]])
def test_an_ascii_only_stdout_gets_what_it_can_show(
    evil_repo: DataRepo, command: list[str]
) -> None:
    evil_repo.requirement("REQ-0003", "Checkout 结账 faster")
    done = _mitrm(
        evil_repo.root,
        *command,
        env={"PYTHONIOENCODING": "ascii"},
        capture_output=True,
    )
    assert done.returncode == 0, done.stderr
    assert "Checkout ?? faster" in done.stdout


@pytest.mark.parametrize(
    "command",
    [
        ["validate"],
        ["list"],
        ["prioritize"],
        # ``render`` writes, so it needs the write lock there: exit 2 (tests/test_lock.py)
        ["history", "REQ-0001"],
        ["history", "--metrics"],
    ],
)
def test_git_mitrm_being_a_file_does_not_break_read_commands(
    evil_repo: DataRepo, cli: CliRun, command: list[str]
) -> None:
    # The caches cannot be written there: slower, never different, never an error.
    (evil_repo.root / ".git/mitrm").write_text("not a folder\n")
    done = cli(*command, cwd=evil_repo.root)
    assert done.exit_code == 0, done.stderr
    assert "internal error" not in done.stderr
    assert (evil_repo.root / ".git/mitrm").read_text() == "not a folder\n"


def test_validate_warns_on_a_control_character_at_its_place(
    data_repo: DataRepo, cli: CliRun
) -> None:
    path = data_repo.requirement("REQ-0001")
    path.write_text(path.read_text() + f'background: {EVIL_YAML}\nfeatures: [ok, "a\\tb"]\n')
    lines = path.read_text().splitlines()
    line = next(n for n, text in enumerate(lines, 1) if text.startswith("background:"))
    done = cli("validate", cwd=data_repo.root)
    assert done.exit_code == 0, done.stderr
    assert (
        f"requirements/REQ-0001-faster-checkout.yaml:{line}:13: warning MIT014 'background' "
        "holds the control character U+001B; remove it (terminals may act on it)\n"
    ) in done.stderr
    assert "checked 1 file: 0 errors, 1 warning" in done.stderr  # a tab is fine
