"""Tables on an 80-column terminal: nothing broken mid-word, ids whole, wide text measured."""

from __future__ import annotations

import os
import re
import select
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from conftest import CliRun
from mitrm.cli.fit import fit, truncate

pty = pytest.importorskip("pty")
fcntl = pytest.importorskip("fcntl")
termios = pytest.importorskip("termios")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "acme"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def on_terminal(args: list[str], cwd: Path, columns: int) -> list[str]:
    """The lines ``mitrm ARGS`` shows on a pseudo-terminal ``columns`` wide."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "TERM": "xterm", "NO_COLOR": "1"}
    env.pop("COLUMNS", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "mitrm", *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        cwd=cwd,
        close_fds=True,
    )
    os.close(slave)
    seen = b""
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    assert proc.wait(timeout=60) == 0, seen.decode("utf-8", "replace")
    return ANSI.sub("", seen.decode("utf-8")).replace("\r", "").splitlines()


@pytest.fixture(scope="module")
def acme(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("fit") / "acme"
    shutil.copytree(EXAMPLE, repo)
    return repo


def test_prioritize_fits_80_columns(acme: Path) -> None:
    lines = on_terminal(["prioritize"], acme, 80)
    assert max(cell_len(line) for line in lines) <= 80
    header = next(line for line in lines if line.startswith("rank"))
    assert header.split() == ["rank", "id", "title", "score", "status", "note"]
    rows = [line for line in lines if re.match(r"\d+ +REQ-", line)]
    assert len(rows) == 10
    for row in rows:
        assert re.match(r"\d+ +REQ-\d{4} ", row)  # ids whole, never split
    # A long Chinese title is cut at a character with an ellipsis, measured in cells.
    assert any("移动端结账页提速" in row and "…" in row for row in rows)
    assert all("terms" not in line for line in lines)  # dropped first


def test_prioritize_on_a_wide_terminal_keeps_every_column(acme: Path) -> None:
    lines = on_terminal(["prioritize"], acme, 250)
    header = next(line for line in lines if line.startswith("rank"))
    assert header.split() == ["rank", "id", "title", "score", "terms", "status", "due", "note"]
    assert max(cell_len(line) for line in lines) <= 250


def test_list_fits_80_columns(acme: Path) -> None:
    lines = on_terminal(["list"], acme, 80)
    assert max(cell_len(line) for line in lines) <= 80
    ids = [line.split()[0] for line in lines if re.match(r"(REQ|PLAN|CR)-", line)]
    assert len(ids) == 24 and all(re.fullmatch(r"(REQ|PLAN|CR)-\d{4}", i) for i in ids)
    header = next(line for line in lines if line.startswith("id "))
    assert header.split() == ["id", "status", "type", "title", "due"]


def test_piped_output_keeps_every_value_whole(acme: Path, cli: CliRun) -> None:
    listed = cli("-C", str(acme), "list")
    assert "…" not in listed.stdout
    assert "CRM 客户数据统一 / Single customer view across stores, e-shop and WeChat" in (
        listed.stdout
    )
    ranked = cli("-C", str(acme), "prioritize")
    assert "…" not in ranked.stdout and "terms" in ranked.stdout.splitlines()[1]


def test_truncate_never_splits_a_wide_character_and_prefers_a_word_end() -> None:
    assert truncate("站内搜索优化：同义词", 9) == "站内搜索…"  # 4 x 2 cells + 1
    assert cell_len(truncate("站内搜索优化：同义词", 10)) <= 10
    assert truncate("Image CDN and WebP/AVIF delivery", 20) == "Image CDN and…"
    assert truncate("short", 10) == "short"
    assert truncate("Supercalifragilistic", 8) == "Superca…"


@pytest.mark.parametrize("width", [40, 60, 80, 120])
def test_fit_gives_way_in_order(width: int) -> None:
    header = ["rank", "id", "title", "score", "terms", "status", "due", "note"]
    rows = [
        [
            str(i),
            f"REQ-{i:04d}",
            "微信小程序会员打通 WeChat mini-program membership " * 2,
            "67",
            "value=4 urgency=3 " * 5,
            "in_progress",
            "2027-06-30",
            "moved up from 7 to 5",
        ]
        for i in range(1, 30)
    ]
    names, cells = fit(header, rows, width)
    assert names[:3] == ["rank", "id", "title"]
    for row in cells:
        assert row[1].startswith("REQ-") and "…" not in row[1]
        if width >= 60:
            assert sum(cell_len(c) for c in row) + 3 * (len(row) - 1) <= width
    order = ["terms", "due", "status", "note"]  # what goes, in this order
    gone = [name for name in order if name not in names]
    assert gone == order[: len(gone)]
