"""Hostile files in a data repo: reported and skipped, never a hang, a crash or a huge read."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import CliRun, DataRepo

REQ = "requirements/REQ-0001-faster-checkout.yaml"


def _mitrm(root: Path, *args: str, timeout: float = 20) -> subprocess.CompletedProcess[str]:
    """The installed CLI in a real process (a hang must end the test, not the run)."""
    return subprocess.run(
        [sys.executable, "-m", "mitrm", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


@pytest.mark.parametrize(
    "command",
    [
        ["validate"],
        ["list"],
        ["prioritize"],
        ["render", "--out", "out"],
        ["set", "REQ-0002", "title=x"],
        ["show", "REQ-0002"],
    ],
)
def test_a_fifo_named_like_an_item_is_reported_not_waited_on(
    data_repo: DataRepo, command: list[str]
) -> None:
    data_repo.requirement("REQ-0001")
    os.mkfifo(data_repo.root / "requirements/REQ-0002-pipe.yaml")
    done = _mitrm(data_repo.root, *command)
    assert done.returncode in (0, 1, 2), done.stderr
    assert "internal error" not in done.stderr
    if command == ["validate"]:
        assert (
            "requirements/REQ-0002-pipe.yaml:1:1: error MIT012 not a plain file (a FIFO, "
            "socket or device)" in done.stderr
        )
    if command[0] == "set":
        assert done.returncode == 2
        assert "not a plain file" in done.stderr


def test_a_link_to_a_fifo_inside_the_repo_is_not_waited_on(data_repo: DataRepo) -> None:
    data_repo.requirement("REQ-0001")
    os.mkfifo(data_repo.root / "pipe")
    os.symlink("../pipe", data_repo.root / "requirements/REQ-0002-pipe.yaml")
    done = _mitrm(data_repo.root, "validate")
    assert done.returncode == 1
    assert "REQ-0002-pipe.yaml:1:1: error MIT012 not a plain file" in done.stderr


def test_a_socket_named_like_an_item_is_reported(
    data_repo: DataRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_repo.requirement("REQ-0001")
    # Bound by a relative name: a socket's path is limited to 107 bytes, which the
    # temporary folders of parallel test workers (pytest-xdist) can exceed.
    monkeypatch.chdir(data_repo.root / "requirements")
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind("REQ-0002-sock.yaml")
        done = _mitrm(data_repo.root, "validate")
    finally:
        server.close()
    assert done.returncode == 1
    assert "REQ-0002-sock.yaml:1:1: error MIT012" in done.stderr


@pytest.mark.parametrize("command", [["validate"], ["list"], ["set", "REQ-0002", "title=x"]])
def test_a_huge_sparse_item_is_refused_by_its_size_without_reading_it(
    data_repo: DataRepo, command: list[str]
) -> None:
    data_repo.requirement("REQ-0001")
    huge = data_repo.root / "requirements/REQ-0002-huge.yaml"
    with huge.open("wb") as handle:
        handle.truncate(4 * 1024**3)
    started = time.monotonic()
    done = _mitrm(data_repo.root, *command)
    took = time.monotonic() - started
    # A whole read of 4 GiB takes many seconds and gigabytes; a size check does not.
    assert took < 10
    assert "internal error" not in done.stderr
    if command == ["validate"]:
        assert done.returncode == 1
        assert (
            "REQ-0002-huge.yaml:1:1: error MIT007 file is 4194304 KiB; item files must be "
            "under 1 MiB" in done.stderr
        )
    if command[0] == "set":
        assert done.returncode == 2
        assert "file is 4194304 KiB" in done.stderr
    assert huge.stat().st_size == 4 * 1024**3


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("!!int", "!!int has no value"),
        ("!!float", "!!float has no value"),
        ("!!bool maybe", "'maybe' is not a valid !!bool"),
        ("!!timestamp x", "'x' is not a valid !!timestamp"),
    ],
)
def test_an_explicit_tag_that_cannot_be_built_is_a_located_error(
    data_repo: DataRepo, cli: CliRun, value: str, message: str
) -> None:
    data_repo.requirement("REQ-0001", due=value)
    done = cli("validate", cwd=data_repo.root)
    assert done.exit_code == 1
    line = len((data_repo.root / REQ).read_text().splitlines())
    assert f"{REQ}:{line}:6: error MIT009 {message}; remove the tag" in done.stderr


def test_an_explicit_tag_in_mitrm_yaml_is_a_located_settings_error(
    data_repo: DataRepo, cli: CliRun
) -> None:
    data_repo.write("mitrm.yaml", "project: Test\nlanguage: !!bool maybe\n")
    done = cli("validate", cwd=data_repo.root)
    assert done.exit_code == 2
    assert "mitrm.yaml:2:11: error MIT009 'maybe' is not a valid !!bool" in done.stderr


@pytest.mark.parametrize("value", ["!!int", "!!bool maybe", "!!timestamp x"])
def test_an_explicit_tag_in_a_set_value_is_a_usage_error(
    data_repo: DataRepo, cli: CliRun, value: str
) -> None:
    path = data_repo.requirement("REQ-0001")
    before = path.read_bytes()
    done = cli("set", "REQ-0001", f"due={value}", cwd=data_repo.root)
    assert done.exit_code == 2
    assert f"'{value}' is not a value mitrm can read" in done.stderr
    assert path.read_bytes() == before


def test_a_nul_is_reported_at_its_own_line_and_column(data_repo: DataRepo, cli: CliRun) -> None:
    path = data_repo.requirement("REQ-0001")
    path.write_text(path.read_text() + "background: before\x00after\n")
    line = len(path.read_text().splitlines())
    done = cli("validate", cwd=data_repo.root)
    assert done.exit_code == 1
    assert (
        f"{REQ}:{line}:19: error MIT001 invalid YAML: control characters are not allowed (U+0000)"
        in done.stderr
    )
