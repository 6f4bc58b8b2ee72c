"""What other branches hold, for id allocation: file names on every local and remote branch.

A narrow adapter over the ``git`` command: plain strings out, and nothing at
all (not an error) outside a git repository or without git installed.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path


def _git(root: Path, *args: str, stdin: str | None = None) -> str | None:
    exe = shutil.which("git")
    if exe is None:
        return None
    try:
        done = subprocess.run(
            [exe, "-c", "core.quotePath=false", *args],
            cwd=root,
            input=stdin,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            check=False,
        )
    except OSError:
        return None
    return done.stdout if done.returncode == 0 else None


def names_on_branches(root: Path, folders: Sequence[str]) -> list[str]:
    """Paths (relative to ``root``) under ``folders`` added on any other branch.

    One ``git log`` over the commits of every local and remote-tracking branch
    that the current branch does not have yet: the files they add are the ids
    other people have taken since the branches split. Its cost follows the
    number of those commits, not the size of the repository.
    """
    args = [
        "log",
        "--branches",
        "--remotes",
        "--no-renames",
        "--diff-filter=A",
        "--name-only",
        "--format=",
        "--relative",
    ]
    out = _git(root, *args, "--not", "HEAD", "--", *folders)
    if out is None:  # no commit yet: every branch is "other"
        out = _git(root, *args, "--", *folders)
    # Items committed on this branch but deleted in the working tree still own their
    # ids: references and history would mix the old item with a new one.
    here = _git(root, "ls-tree", "-r", "--name-only", "HEAD", "--", *folders) or ""
    lines = (out or "").splitlines() + here.splitlines()
    return list(dict.fromkeys(line for line in lines if line.strip()))


def user_name(root: Path) -> str | None:
    """``git config user.name`` as seen from ``root``, if set."""
    out = _git(root, "config", "user.name")
    name = out.strip() if out else ""
    return name or None
