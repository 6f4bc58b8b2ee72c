"""Every shell example in README.md and docs/ runs as written against the bundled example."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import CliRun

ROOT = Path(__file__).resolve().parent.parent
ACME = ROOT / "examples" / "acme"
SHELL_BLOCK = re.compile(r"^```(sh|bash|shell|console)\n(.*?)^```", re.MULTILINE | re.DOTALL)
# `mitrm new` asks its questions when run as written; these are a requester's answers.
ANSWERS = "Loyalty app push opt-in\nfeature\ninternal\nCRM\nLi Wei\nAsk members to opt in.\n"


def _documents() -> list[Path]:
    docs = sorted(p for p in (ROOT / "docs").glob("*.md") if p.name != "cli-reference.md")
    return [ROOT / "README.md", *docs]


def shell_examples(path: Path) -> list[str]:
    """The ``mitrm`` and ``cd`` lines of the shell blocks of one document, in order."""
    found = []
    for _, body in SHELL_BLOCK.findall(path.read_text(encoding="utf-8")):
        for line in body.splitlines():
            command = line.strip().removeprefix("$ ")
            if command.startswith(("mitrm ", "cd ")):
                found.append(command)
    return found


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


@pytest.fixture
def project(tmp_path: Path, cli: CliRun) -> Path:
    """A checkout of this project as far as its examples go: the bundled example as a
    git repo whose generated documents are committed (as its CI expects them)."""
    root = tmp_path / "project"
    example = root / "examples" / "acme"
    shutil.copytree(ACME, example)
    _git(example, "init", "-q", "-b", "main")
    _git(example, "config", "user.name", "Docs Reader")
    _git(example, "config", "user.email", "docs@example.com")
    _git(example, "config", "commit.gpgSign", "false")
    _git(example, "add", "-A")
    _git(example, "commit", "-q", "-m", "the example")
    _git(example, "update-ref", "refs/remotes/origin/main", "HEAD")
    assert cli("-C", str(example), "render").exit_code == 0
    _git(example, "add", "-A")
    _git(example, "commit", "-q", "-m", "rendered documents")
    return root


def test_the_documents_have_shell_examples() -> None:
    counts = {path.name: len(shell_examples(path)) for path in _documents()}
    assert counts["README.md"] >= 10 and counts["editing.md"] >= 5, counts


@pytest.mark.parametrize(
    "document", [p for p in _documents() if shell_examples(p)], ids=lambda p: p.name
)
def test_every_shell_example_runs_as_written(
    document: Path, project: Path, cli: CliRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    # In-process, as the shell would split each line: dozens of processes would make
    # this test the slowest of the suite (tests/test_exit_codes.py runs real ones).
    monkeypatch.setenv("MITRM_FORCE_PROMPT", "1")
    monkeypatch.setenv("MITRM_TODAY", "2026-11-23")
    # README.md speaks from the root of a checkout; docs/ from inside a data repo.
    cwd = project if document.name == "README.md" else project / "examples" / "acme"
    for command in shell_examples(document):
        words = shlex.split(command, comments=True)
        if words[0] == "cd":
            cwd = (cwd / words[1]).resolve()
            assert cwd.is_dir(), f"{document.name}: {command}"
            continue
        target = None
        if ">" in words:
            words, target = words[: words.index(">")], words[words.index(">") + 1]
        result = cli(*words[1:], cwd=cwd, input=ANSWERS + "\n" * 30)
        assert result.exit_code == 0, f"{document.name}: {command}\n{result.stderr}"
        assert "internal error" not in result.stderr
        if target is not None:
            (cwd / target).write_text(result.stdout, encoding="utf-8")
            assert result.stdout, f"{document.name}: {command} wrote nothing"


def _pip_specs(text: str) -> list[str]:
    return re.findall(r'pip install[^"\n]*"([^"]+)"', text)


def test_install_instructions_work_before_a_release() -> None:
    """No release exists yet: README and the CI examples install from the repository
    at a commit, and keep the release form beside it."""
    from packaging.requirements import Requirement

    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "id: mitrm-validate" in hooks
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci_doc = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    pipelines = [
        (ROOT / "examples" / "ci" / name).read_text(encoding="utf-8")
        for name in ("github-actions.yml", "gitlab-ci.yml")
    ]
    for text in (readme, ci_doc, *pipelines):
        specs = _pip_specs(text)
        assert specs, "no pip install from the repository"
        for spec in specs:
            requirement = Requirement(spec)
            assert requirement.name == "mitrm"
            assert requirement.url is not None
            assert requirement.url.startswith("git+https://github.com/mitrm/mitrm@")
        assert "pip install mitrm" in text  # the release form, kept beside it
        assert "pip install mitrm\n" not in text and "pip install --quiet mitrm\n" not in text
    assert "rev: main" in readme and "pre-commit autoupdate --bleeding-edge --freeze" in readme
    assert "rev: v0.1.0" in readme
