"""Shared fixtures: isolated git, temporary data repos, and the CLI runner."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mitrm import i18n
from mitrm.cli.app import main

MINIMAL_SETTINGS = "project: Test\nlanguage: en\ncurrency: CNY\n"

DRAFT_REQUIREMENT = """\
id: {id}
title: {title}
type: feature
status: draft
source:
  channel: internal
  department: E-commerce
  requester: Li Wei
description: {title}, described.
"""


@pytest.fixture(autouse=True)
def _isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No user git config, no GIT_* variables, no user cache: tests see only their files."""
    home = tmp_path_factory.mktemp("home")
    for name in list(os.environ):
        if name.startswith("GIT_"):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("MITRM_CACHE_DIR", raising=False)
    # Date-dependent quality rules (past due, rush) see a fixed day in every test.
    monkeypatch.setenv("MITRM_TODAY", "2026-03-02")
    # English unless a test asks for another language (tests of zh repos read English
    # messages); each test starts with the language not yet chosen.
    monkeypatch.setenv("MITRM_LANG", "en")
    monkeypatch.setattr(i18n, "_current", None)


@dataclass
class DataRepo:
    """A data repo on disk with helpers to write files and commit them."""

    root: Path
    git: bool = False

    def write(self, rel: str, text: str) -> Path:
        """Write ``text`` (dedented) to ``rel``; return the path."""
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def requirement(self, item_id: str, title: str = "Faster checkout", **extra: str) -> Path:
        """Write a valid draft requirement ``item_id``; ``extra`` lines are appended."""
        text = DRAFT_REQUIREMENT.format(id=item_id, title=title)
        text += "".join(f"{key}: {value}\n" for key, value in extra.items())
        return self.write(f"requirements/{item_id}-{title.lower().replace(' ', '-')}.yaml", text)

    def run_git(self, *args: str) -> str:
        """Run git in the repo and return stdout."""
        done = subprocess.run(
            ["git", *args], cwd=self.root, check=True, capture_output=True, text=True
        )
        return done.stdout

    def commit(self, files: dict[str, str] | None = None, message: str = "change") -> str:
        """Write ``files``, stage everything and commit; return the new sha."""
        for rel, text in (files or {}).items():
            self.write(rel, text)
        self.run_git("add", "-A")
        self.run_git("commit", "-q", "-m", message)
        return self.run_git("rev-parse", "HEAD").strip()


def _git_init(root: Path) -> None:
    for args in (
        ["init", "-q", "-b", "main"],
        ["config", "user.name", "Test User"],
        ["config", "user.email", "test@example.com"],
        ["config", "commit.gpgSign", "false"],
        ["config", "tag.gpgSign", "false"],
    ):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


@pytest.fixture
def data_repo(tmp_path: Path) -> DataRepo:
    """An empty data repo (mitrm.yaml and folders), not under git."""
    root = tmp_path / "repo"
    root.mkdir()
    (root / "mitrm.yaml").write_text(MINIMAL_SETTINGS, encoding="utf-8")
    for folder in ("requirements", "plans", "changes"):
        (root / folder).mkdir()
    return DataRepo(root)


@pytest.fixture
def git_repo(data_repo: DataRepo) -> DataRepo:
    """The data repo, as a git repository with a local user and no signing."""
    _git_init(data_repo.root)
    data_repo.git = True
    return data_repo


@dataclass
class Result:
    """What a CLI run showed the user."""

    exit_code: int
    stdout: str
    stderr: str


CliRun = Callable[..., Result]


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRun]:
    """Run ``mitrm ARGS`` in-process; optional ``cwd`` and ``input``."""
    runner = CliRunner()

    def run(*args: str, cwd: Path | None = None, input: str | None = None) -> Result:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        code: int | str | None = 0
        with runner.isolation(input=input) as (out, err, _):
            try:
                main(list(args))
            except SystemExit as exc:
                code = exc.code
            sys.stdout.flush()
            sys.stderr.flush()
            stdout, stderr = out.getvalue(), err.getvalue()
        assert isinstance(code, int), code
        return Result(code, stdout.decode("utf-8"), stderr.decode("utf-8"))

    yield run
