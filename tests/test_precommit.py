"""The `mitrm-validate` hook through the real pre-commit framework (`pre-commit try-repo`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DataRepo

PROJECT = Path(__file__).resolve().parent.parent
# Reuse the developer's pip cache (captured before the tests isolate HOME) to keep this fast.
_PIP_CACHE = os.environ.get("PIP_CACHE_DIR") or str(Path.home() / ".cache" / "pip")
_PRE_COMMIT = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")

pytestmark = pytest.mark.skipif(not Path(_PRE_COMMIT).exists(), reason="pre-commit not installed")


def _try_repo(repo: DataRepo, home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PRE_COMMIT_HOME=str(home), PIP_CACHE_DIR=_PIP_CACHE)
    return subprocess.run(
        [_PRE_COMMIT, "try-repo", str(PROJECT), "mitrm-validate", "--all-files", "--color=never"],
        cwd=repo.root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def test_hook_passes_good_files_and_fails_bad_ones(git_repo: DataRepo, tmp_path: Path) -> None:
    home = tmp_path / "pre-commit-home"
    git_repo.requirement("REQ-0001")
    git_repo.run_git("add", "-A")
    good = _try_repo(git_repo, home)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "mitrm validate" in good.stdout
    assert "Passed" in good.stdout

    git_repo.write("requirements/REQ-0002-bad.yaml", "id: REQ-0002\ntitle: A\ntitle: B\n")
    git_repo.run_git("add", "-A")
    bad = _try_repo(git_repo, home)
    assert bad.returncode == 1
    assert "Failed" in bad.stdout
    assert (
        "requirements/REQ-0002-bad.yaml:3:1: error MIT002 duplicate key 'title' (first on line 2)"
        in bad.stdout
    )
