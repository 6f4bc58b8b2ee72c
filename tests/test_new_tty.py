"""``mitrm new`` on a real (pseudo-)terminal: it asks, re-asks, and writes the file."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import CliRun, DataRepo
from mitrm.io.yamlfile import load_yaml

pty = pytest.importorskip("pty")
SRC = Path(__file__).resolve().parent.parent / "src"


class Terminal:
    """A child process on a pseudo-terminal, driven like a user would."""

    def __init__(self, args: list[str]) -> None:
        self.master, slave = pty.openpty()
        env = {**os.environ, "PYTHONPATH": str(SRC), "TERM": "dumb"}
        env.pop("MITRM_FORCE_PROMPT", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mitrm", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            close_fds=True,
        )
        os.close(slave)
        self.seen = ""

    def expect(self, text: str, timeout: float = 60) -> None:
        """Read until ``text`` appears after what was already matched."""
        end = time.monotonic() + timeout
        while text not in self.seen:
            left = end - time.monotonic()
            assert left > 0, f"waited for {text!r}; the terminal shows:\n{self.seen}"
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.master, 4096)
                except OSError:  # the child closed the terminal
                    chunk = b""
                assert chunk, f"ended before {text!r}; the terminal shows:\n{self.seen}"
                self.seen += chunk.decode("utf-8", errors="replace")
        self.seen = self.seen[self.seen.index(text) + len(text) :]

    def answer(self, prompt: str, line: str) -> None:
        """Wait for ``prompt``, then type ``line`` and Enter."""
        self.expect(prompt)
        os.write(self.master, line.encode("utf-8") + b"\r")

    def finish(self) -> tuple[int, str]:
        """Wait for the exit; return the code and everything shown since the last match."""
        while True:
            try:
                chunk = os.read(self.master, 4096)
            except OSError:
                break
            if not chunk:
                break
            self.seen += chunk.decode("utf-8", errors="replace")
        code = self.proc.wait(timeout=60)
        os.close(self.master)
        return code, self.seen


def test_new_requirement_asks_on_a_terminal(data_repo: DataRepo, cli: CliRun) -> None:
    term = Terminal(["-C", str(data_repo.root), "new", "requirement"])
    term.answer("Title (a short name for the request): ", "优惠券引擎 Coupon engine")
    term.expect("1) feature  2) improvement")
    term.answer("Choose: ", "wish")
    term.expect("'wish' is not one of")
    term.answer("Choose: ", "feature")
    term.answer("Choose: ", "1")  # channel: internal
    term.answer("Requesting department (optional): ", "市场部")
    term.answer("Requester (who asked) (optional): ", "张敏")
    term.answer("Description (what is needed, in business words): ", "")
    term.expect("description is required")
    term.answer("Description (what is needed, in business words): ", "每个活动都要手工发券。")
    term.answer("Business goal (which marketing goal it serves) (optional): ", "")
    term.answer("Due date (YYYY-MM-DD, empty if none) (optional): ", "2099-13-01")
    term.expect("is not a real date")
    term.answer("Due date (YYYY-MM-DD, empty if none) (optional): ", "2099-12-01")
    code, shown = term.finish()
    assert code == 0, shown
    files = list((data_repo.root / "requirements").glob("*.yaml"))
    assert [f.name for f in files] == ["REQ-0001-优惠券引擎-coupon-engine.yaml"]
    assert files[0].name in shown
    text = files[0].read_text(encoding="utf-8")
    data = load_yaml(text)
    assert data["title"] == "优惠券引擎 Coupon engine"
    assert data["source"] == {"channel": "internal", "department": "市场部", "requester": "张敏"}
    assert data["description"] == "每个活动都要手工发券。"
    assert "每个活动都要手工发券。" in text
    assert cli("-C", str(data_repo.root), "validate").exit_code == 0


def test_no_input_on_a_terminal_never_asks(data_repo: DataRepo) -> None:
    term = Terminal(["-C", str(data_repo.root), "new", "requirement", "--no-input", "--title", "x"])
    code, shown = term.finish()
    assert code == 2
    assert "missing --type, --channel, --description; nothing was created" in shown
    assert "Choose" not in shown
