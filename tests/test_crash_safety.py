"""Crashes and a full disk: no temporary file left in item folders, no item file damaged,
no worker left running after its command is killed."""

from __future__ import annotations

import contextlib
import importlib
import os
import shutil
import signal
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

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _imported() -> None:
    """The edit code imported before forking, as a started command would have it."""
    for module in ("mitrm.cli.edit", "mitrm.io.roundtrip", "mitrm.core.editing"):
        importlib.import_module(module)


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_killed_set_leaves_no_temporary_file_in_the_item_folder(
    git_repo: DataRepo, cli: CliRun
) -> None:
    path = git_repo.requirement("REQ-0004", "Search")
    before = path.read_bytes()
    run = fork_mitrm(["-C", str(git_repo.root), "set", "REQ-0004", "tags+=x"], pause=1)
    assert run.kill_at(1) == "temporary file of REQ-0004-search.yaml written"
    assert _files(path.parent) == [path.name]
    assert path.read_bytes() == before
    staging = git_repo.root / ".git" / "mitrm" / "tmp"
    assert len(_files(staging)) == 1  # where the killed write left it
    result = cli("-C", str(git_repo.root), "set", "REQ-0004", "tags+=y")
    assert result.exit_code == 0, result.stderr
    assert _files(staging) == []  # removed by the next write command
    assert _files(path.parent) == [path.name]
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["tags"] == ["y"]


def test_stale_temporary_cache_files_are_removed_by_the_next_write_command(
    git_repo: DataRepo, cli: CliRun
) -> None:
    git_repo.requirement("REQ-0004", "Search")
    cache = git_repo.root / ".git" / "mitrm"
    cache.mkdir()
    stale = cache / ".verdicts-ab.pickle.x1.mitrm-tmp"  # a validate killed an hour ago
    fresh = cache / ".verdicts-ab.pickle.x2.mitrm-tmp"  # a validate writing right now
    for path in (stale, fresh):
        path.write_bytes(b"half a cache")
    os.utime(stale, (time.time() - 3600, time.time() - 3600))
    assert cli("-C", str(git_repo.root), "set", "REQ-0004", "tags+=x").exit_code == 0
    assert not stale.exists()
    assert fresh.exists()


@contextmanager
def _tmpfs(where: Path, size: str) -> Iterator[Path]:
    """A small tmpfs mounted at ``where`` (skips the test when mounting is not allowed)."""
    where.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace')}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def _fill(folder: Path) -> None:
    """Fill the file system of ``folder`` up to the last byte."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        for size in (65536, 4096, 1):
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, b"\0" * size)
    finally:
        os.close(fd)


def test_set_on_a_full_file_system_keeps_the_file_and_exits_2(
    tmp_path: Path, cli: CliRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _tmpfs(tmp_path / "small", "256k") as disk:
        root = disk / "repo"
        (root / "requirements").mkdir(parents=True)
        (root / "mitrm.yaml").write_text("project: Test\nlanguage: en\n", encoding="utf-8")
        monkeypatch.setenv("MITRM_CACHE_DIR", str(disk / "cache"))
        repo = DataRepo(root)
        path = repo.requirement("REQ-0001", "Coupon engine")
        assert cli("-C", str(root), "set", "REQ-0001", "tags+=first").exit_code == 0
        before = path.read_bytes()
        _fill(disk)
        result = cli("-C", str(root), "set", "REQ-0001", "background=" + "words " * 2000)
        assert result.exit_code == 2, result.stderr
        assert "cannot write requirements/REQ-0001-coupon-engine.yaml" in result.stderr
        assert "No space left on device" in result.stderr
        assert "the file was left as it was" in result.stderr
        assert "bug in mitrm" not in result.stderr
        assert path.read_bytes() == before
        assert _files(path.parent) == [path.name]
        assert _files(disk / "cache" / "tmp") == []
        (disk / "filler").unlink()
        assert cli("-C", str(root), "set", "REQ-0001", "background=Now it fits").exit_code == 0


def test_renumber_on_a_full_file_system_changes_nothing_and_exits_2(
    tmp_path: Path, cli: CliRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _tmpfs(tmp_path / "small", "256k") as disk:
        root = disk / "repo"
        (root / "requirements").mkdir(parents=True)
        (root / "mitrm.yaml").write_text("project: Test\nlanguage: en\n", encoding="utf-8")
        monkeypatch.setenv("MITRM_CACHE_DIR", str(disk / "cache"))
        repo = DataRepo(root)
        repo.requirement("REQ-0001", "Coupon engine")
        repo.requirement("REQ-0002", "Search", depends_on="[REQ-0001]")
        assert cli("-C", str(root), "set", "REQ-0002", "tags+=x").exit_code == 0
        before = {p.name: p.read_bytes() for p in (root / "requirements").iterdir()}
        _fill(disk)
        result = cli("-C", str(root), "renumber", "REQ-0001", "REQ-0007")
        assert result.exit_code == 2, result.stderr
        assert "No space left on device; nothing was changed" in result.stderr
        assert {p.name: p.read_bytes() for p in (root / "requirements").iterdir()} == before
        assert _files(disk / "cache" / "tmp") == []
        assert not (disk / "cache" / "journal.json").exists()


def test_temporary_files_on_another_file_system_are_hidden_and_cleaned_up(
    data_repo: DataRepo, tmp_path: Path, cli: CliRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = data_repo.requirement("REQ-0004", "Search")
    with _tmpfs(tmp_path / "cache", "1m") as cache:
        monkeypatch.setenv("MITRM_CACHE_DIR", str(cache))
        run = fork_mitrm(["-C", str(data_repo.root), "set", "REQ-0004", "tags+=x"], pause=1)
        run.kill_at(1)
        left = [name for name in _files(path.parent) if name != path.name]
        assert len(left) == 1 and left[0].startswith(".") and left[0].endswith(".mitrm-tmp")
        checked = cli("-C", str(data_repo.root), "validate")
        assert checked.exit_code == 0 and "checked 1 file" in checked.stderr + checked.stdout
        assert cli("-C", str(data_repo.root), "set", "REQ-0004", "tags+=y").exit_code == 0
        assert _files(path.parent) == [path.name]


# --- workers ---------------------------------------------------------------------


def _children(pid: int) -> set[int]:
    """Processes whose parent is ``pid``."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    stat = handle.read()
            except OSError:
                continue
            fields = stat[stat.rindex(b")") + 2 :].split()
            if int(fields[1]) == pid:
                found.add(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            stat = handle.read()
    except OSError:
        return False
    return stat[stat.rindex(b")") + 2 :].split()[0] != b"Z"


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture(scope="module")
def big_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repo of 700 items, built by the benchmark generator."""
    out = tmp_path_factory.mktemp("big") / "repo"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate.py"), str(out), "--items", "700"],
        check=True,
        capture_output=True,
    )
    return out


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
@pytest.mark.parametrize("command", ["render", "validate"])
def test_workers_die_with_a_killed_command(big_repo: Path, tmp_path: Path, command: str) -> None:
    root = tmp_path / "repo"
    shutil.copytree(big_repo, root)
    out = tmp_path / "out"
    args = ["render", "--out", str(out)] if command == "render" else ["validate"]
    task = "_render_item" if command == "render" else "_check_one"
    run = subprocess.Popen(
        [sys.executable, "-m", "mitrm", "-C", str(root), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={
            **os.environ,
            "MITRM_CACHE_DIR": str(tmp_path / "cache"),
            # Each worker stops for a minute after its first item: without the fix
            # it would still be there, and go on writing, long after the kill.
            "MITRM_TEST_PAUSE": f"worker: first item done: {task}",
        },
    )
    try:
        assert run.stderr is not None
        for line in run.stderr:  # every point is reported; the workers stop at theirs
            if line.startswith(f"mitrm-pause: worker: first item done: {task}"):
                break
        else:
            raise AssertionError("the command ended before it started any worker")
        workers = _children(run.pid)
        assert workers
        if command == "render":  # the workers were writing documents
            assert any(out.rglob("*.md"))
        run.send_signal(signal.SIGKILL)
        run.wait(timeout=30)
        run.stderr.close()
    finally:
        if run.poll() is None:  # a failed assertion must not leave it running
            run.kill()
            run.wait()
    time.sleep(1)
    alive = [pid for pid in workers if _alive(pid)]
    for pid in alive:  # do not leave them behind when the test fails
        os.kill(pid, signal.SIGKILL)
    assert alive == []
    if command == "render":
        written = _snapshot(out)
        time.sleep(0.5)
        assert _snapshot(out) == written
