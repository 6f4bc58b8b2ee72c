"""What other branches hold, for id allocation: file names on every local and remote branch.

A narrow adapter over the ``git`` command: plain strings out, and nothing at
all (not an error) outside a git repository or without git installed.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path


def _git(root: Path, *args: str) -> str | None:
    exe = shutil.which("git")
    if exe is None:
        return None
    try:
        done = subprocess.run(
            [exe, *args],
            cwd=root,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            check=False,
        )
    except OSError:
        return None
    return done.stdout if done.returncode == 0 else None


def branch_heads(root: Path) -> list[str]:
    """The distinct commits at the tip of every local and remote-tracking branch."""
    out = _git(root, "for-each-ref", "--format=%(objectname)", "refs/heads", "refs/remotes")
    if not out:
        return []
    return list(dict.fromkeys(line.strip() for line in out.splitlines() if line.strip()))


def names_on_branches(root: Path, folders: Sequence[str]) -> list[str]:
    """Paths (relative to ``root``) under ``folders`` in the tree of every branch tip.

    One ``git for-each-ref`` and one ``git ls-tree`` per distinct tip commit:
    branches that point at the same commit are listed once.
    """
    names: list[str] = []
    for head in branch_heads(root):
        # core.quotePath=false: Chinese file names come back as written, not octal-escaped.
        out = _git(
            root, "-c", "core.quotePath=false", "ls-tree", "-r", "--name-only", head, "--", *folders
        )
        if out:
            names += out.splitlines()
    return names


def user_name(root: Path) -> str | None:
    """``git config user.name`` as seen from ``root``, if set."""
    out = _git(root, "config", "user.name")
    name = out.strip() if out else ""
    return name or None
