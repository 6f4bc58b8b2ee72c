"""The `mitrm-validate` hook through the real pre-commit framework, on real `git commit`s.

The hook's environment (a virtualenv with mitrm installed by pip) is built once
per test session, from a snapshot of this working tree committed to a scratch
repository, and shared by every test here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import DataRepo

PROJECT = Path(__file__).resolve().parent.parent
# Reuse the developer's pip cache (captured before the tests isolate HOME) to keep this fast.
_PIP_CACHE = os.environ.get("PIP_CACHE_DIR") or str(Path.home() / ".cache" / "pip")
_PRE_COMMIT = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")

pytestmark = pytest.mark.skipif(not Path(_PRE_COMMIT).exists(), reason="pre-commit not installed")

_GIT_ENV = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
_IDENTITY = ["-c", "user.name=Hook Test", "-c", "user.email=hook@example.com"]


@dataclass(frozen=True)
class HookSource:
    """This working tree as a commit that a `.pre-commit-config.yaml` can point at."""

    repo: Path
    rev: str
    home: Path  # PRE_COMMIT_HOME, where the hook's environment is built once


def _git(where: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")} | _GIT_ENV
    done = subprocess.run(
        ["git", *args], cwd=where, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def _config(source: HookSource, *args: str) -> str:
    return (
        "repos:\n"
        f"  - repo: {source.repo}\n"
        f"    rev: {source.rev}\n"
        "    hooks:\n"
        "      - id: mitrm-validate\n" + (f"        args: [{', '.join(args)}]\n" if args else "")
    )


def _pre_commit(source: HookSource, where: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PRE_COMMIT_HOME=str(source.home), PIP_CACHE_DIR=_PIP_CACHE)
    return subprocess.run(
        [_PRE_COMMIT, *args],
        cwd=where,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


@pytest.fixture(scope="session")
def hook_source(tmp_path_factory: pytest.TempPathFactory) -> HookSource:
    """The project as it is now (uncommitted edits included), its hook environment built."""
    base = tmp_path_factory.mktemp("pre-commit")
    repo = base / "mitrm"
    listed = _git(PROJECT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for name in filter(None, listed.split("\0")):
        source = PROJECT / name
        if source.is_file() and not source.is_symlink():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, repo / name)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, *_IDENTITY, "-c", "commit.gpgSign=false", "commit", "-q", "-m", "snapshot")
    source = HookSource(repo, _git(repo, "rev-parse", "HEAD").strip(), base / "home")
    scratch = base / "scratch"
    scratch.mkdir()
    _git(scratch, "init", "-q", "-b", "main")
    (scratch / ".pre-commit-config.yaml").write_text(_config(source), encoding="utf-8")
    built = _pre_commit(source, scratch, "install-hooks")
    assert built.returncode == 0, built.stdout + built.stderr
    return source


def _install(repo: DataRepo, source: HookSource, *args: str) -> None:
    """Commit the data repo as it is with the hook configured, then install the hook."""
    repo.write(".pre-commit-config.yaml", _config(source, *args))
    repo.commit(message="start")
    installed = _pre_commit(source, repo.root, "install")
    assert installed.returncode == 0, installed.stdout + installed.stderr


def _commit(
    repo: DataRepo, source: HookSource, message: str, *args: str
) -> subprocess.CompletedProcess[str]:
    """`git commit` of what is staged, through the installed hook; output merged."""
    env = dict(os.environ, PRE_COMMIT_HOME=str(source.home), PIP_CACHE_DIR=_PIP_CACHE)
    return subprocess.run(
        ["git", "commit", "-q", *args, "-m", message],
        cwd=repo.root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
        timeout=600,
    )


def _head(repo: DataRepo) -> str:
    return repo.run_git("rev-parse", "HEAD").strip()


def test_hook_passes_good_files_and_fails_bad_ones(
    git_repo: DataRepo, hook_source: HookSource
) -> None:
    git_repo.requirement("REQ-0001")
    _install(git_repo, hook_source)
    git_repo.requirement("REQ-0002", "Second")
    git_repo.run_git("add", "-A")
    good = _commit(git_repo, hook_source, "add REQ-0002")
    assert good.returncode == 0, good.stdout
    assert "mitrm validate" in good.stdout and "Passed" in good.stdout

    before = _head(git_repo)
    git_repo.write("requirements/REQ-0003-bad.yaml", "id: REQ-0003\ntitle: A\ntitle: B\n")
    git_repo.run_git("add", "-A")
    bad = _commit(git_repo, hook_source, "add a broken file")
    assert bad.returncode == 1
    assert "Failed" in bad.stdout
    assert (
        "requirements/REQ-0003-bad.yaml:3:1: error MIT002 duplicate key 'title' (first on line 2)"
        in bad.stdout
    )
    assert _head(git_repo) == before


def test_staged_deletion_of_a_referenced_item_is_blocked(
    git_repo: DataRepo, hook_source: HookSource
) -> None:
    git_repo.requirement("REQ-0001", "Base")
    git_repo.requirement("REQ-0002", "Uses base", depends_on="[REQ-0001]")
    git_repo.requirement("REQ-0003", "Also uses base", depends_on="[REQ-0001]")
    _install(git_repo, hook_source)
    before = _head(git_repo)
    git_repo.run_git("rm", "-q", "requirements/REQ-0001-base.yaml")
    blocked = _commit(git_repo, hook_source, "drop REQ-0001")
    assert blocked.returncode == 1, blocked.stdout
    assert "Failed" in blocked.stdout
    for path in (
        "requirements/REQ-0002-uses-base.yaml",
        "requirements/REQ-0003-also-uses-base.yaml",
    ):
        assert f"{path}:" in blocked.stdout
        line = next(line for line in blocked.stdout.splitlines() if line.startswith(path))
        assert "error MIT203" in line and "REQ-0001" in line
    assert _head(git_repo) == before


def test_unrelated_good_commit_passes_and_warnings_stay_with_its_files(
    git_repo: DataRepo, hook_source: HookSource
) -> None:
    # --strict: any warning reported would block; REQ-0001's vague title is one
    git_repo.requirement("REQ-0001", "Better and faster and more attractive")
    git_repo.requirement("REQ-0002", "Base")
    _install(git_repo, hook_source, "--strict")
    git_repo.write("README.md", "# Our requirements\n")
    git_repo.run_git("add", "-A")
    docs = _commit(git_repo, hook_source, "a readme")
    assert docs.returncode == 0, docs.stdout
    git_repo.requirement("REQ-0003", "Uses base", depends_on="[REQ-0002]")
    git_repo.run_git("add", "-A")
    item = _commit(git_repo, hook_source, "add REQ-0003")
    assert item.returncode == 0, item.stdout
    assert git_repo.run_git("status", "--porcelain") == ""
    # a commit that touches REQ-0001 is told about its warning
    path = git_repo.requirement("REQ-0001", "Better and faster and more attractive", tags="[x]")
    git_repo.run_git("add", "-A")
    touched = _commit(git_repo, hook_source, "tag REQ-0001")
    assert touched.returncode == 1
    name = path.relative_to(git_repo.root).as_posix()
    assert f"{name}:" in touched.stdout and "MIT401" in touched.stdout


def test_the_hook_judges_what_is_staged_not_the_working_tree(
    git_repo: DataRepo, hook_source: HookSource
) -> None:
    base = git_repo.requirement("REQ-0001", "Base")
    git_repo.requirement("REQ-0002", "Uses base", depends_on="[REQ-0001]")
    _install(git_repo, hook_source)
    before = _head(git_repo)
    text = base.read_text(encoding="utf-8")
    git_repo.run_git("rm", "-q", "requirements/REQ-0001-base.yaml")
    # an untracked copy on disk (pre-commit leaves untracked files in place) rescues nothing
    git_repo.write("requirements/REQ-0001-local-copy.yaml", text)
    blocked = _commit(git_repo, hook_source, "drop REQ-0001")
    assert blocked.returncode == 1, blocked.stdout
    assert "requirements/REQ-0002-uses-base.yaml:" in blocked.stdout
    assert "MIT203" in blocked.stdout
    assert _head(git_repo) == before
    assert (git_repo.root / "requirements/REQ-0001-local-copy.yaml").read_text("utf-8") == text


def test_commit_all_is_judged_by_what_it_commits(
    git_repo: DataRepo, hook_source: HookSource
) -> None:
    # `git commit -a` stages into a temporary index that the hook must read
    git_repo.requirement("REQ-0001", "Base")
    git_repo.requirement("REQ-0002", "Uses base", depends_on="[REQ-0001]")
    _install(git_repo, hook_source)
    before = _head(git_repo)
    git_repo.requirement("REQ-0002", "Uses base", depends_on="[REQ-0404]")
    blocked = _commit(git_repo, hook_source, "depend on nothing", "-a")
    assert blocked.returncode == 1, blocked.stdout
    line = next(x for x in blocked.stdout.splitlines() if " MIT203 " in x)
    assert line.startswith("requirements/REQ-0002-uses-base.yaml:") and "REQ-0404" in line
    assert _head(git_repo) == before
    git_repo.requirement("REQ-0002", "Uses base", depends_on="[REQ-0001]", tags="[x]")
    done = _commit(git_repo, hook_source, "tag it", "-a")
    assert done.returncode == 0, done.stdout
    assert _head(git_repo) != before
