"""Exit codes 3 and 130, a closed stdout and a reader that leaves early, in real processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import CliRun, DataRepo

MITRM = [sys.executable, "-m", "mitrm"]


def test_a_bug_is_exit_3_with_a_short_message(
    data_repo: DataRepo, cli: CliRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    import mitrm.cli.browse

    def broken(*args: object, **kwargs: object) -> bool:
        raise ZeroDivisionError("division by zero")

    data_repo.requirement("REQ-0001")
    monkeypatch.setattr(mitrm.cli.browse, "matches", broken)
    result = cli("-C", str(data_repo.root), "list")
    assert result.exit_code == 3
    assert result.stderr == (
        "internal error: ZeroDivisionError: division by zero\n"
        "this is a bug in mitrm; run again with --debug for the traceback\n"
    )
    with pytest.raises(ZeroDivisionError):
        cli("-C", str(data_repo.root), "--debug", "list")


def test_ctrl_c_is_exit_130_and_creates_nothing(data_repo: DataRepo) -> None:
    env = {**os.environ, "MITRM_FORCE_PROMPT": "1"}
    process = subprocess.Popen(
        [*MITRM, "-C", str(data_repo.root), "new", "requirement"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert process.stderr is not None
    # Wait for the first question: the command is then blocked on input.
    seen = b""
    deadline = time.monotonic() + 30
    while b"?" not in seen and b":" not in seen and time.monotonic() < deadline:
        seen += os.read(process.stderr.fileno(), 4096)
    process.send_signal(signal.SIGINT)
    # Keep stdin open until the command has ended: closing it now would race the
    # signal with an end of input (exit 2) on a busy machine.
    process.wait(timeout=30)
    stderr = process.stderr.read()
    assert process.stdin is not None and process.stdout is not None
    process.stdin.close()
    process.stdout.close()
    assert process.returncode == 130, seen + stderr
    assert b"interrupted" in seen + stderr, seen + stderr
    assert b"Traceback" not in stderr
    assert list((data_repo.root / "requirements").iterdir()) == []


def test_a_closed_stdout_is_exit_2(data_repo: DataRepo) -> None:
    data_repo.requirement("REQ-0001")
    for args, code in ((["list"], 2), (["prioritize"], 2), (["validate"], 0)):
        done = subprocess.run(
            [*MITRM, "-C", str(data_repo.root), *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            # The child starts with file descriptor 1 closed, as after `>&-`.
            preexec_fn=lambda: os.close(1),
        )
        assert done.returncode == code, (args, done.stderr)
        assert "internal error" not in done.stderr
        if code == 2:
            assert "error: standard output is closed" in done.stderr


def test_a_reader_that_leaves_early_ends_the_run_quietly(data_repo: DataRepo) -> None:
    # A description of about 600 KB: more than a pipe holds, so writing it blocks
    # until the reader goes away and the rest of the write fails with EPIPE.
    path = data_repo.requirement("REQ-0001")
    text = path.read_text(encoding="utf-8").replace(
        "description: Faster checkout, described.",
        "description: >-\n" + "".join(f"  line {n} of a long description\n" for n in range(20000)),
    )
    path.write_text(text, encoding="utf-8")
    assert len(text) > 300_000
    process = subprocess.Popen(
        [*MITRM, "-C", str(data_repo.root), "show", "REQ-0001"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()  # like `mitrm show REQ-0001 | head -1`
    stderr = process.stderr.read()
    process.wait(timeout=60)
    assert first.startswith(b"id: REQ-0001")
    assert process.returncode == 0, stderr
    assert stderr == b""
