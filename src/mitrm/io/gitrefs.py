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


def branch_heads(root: Path) -> list[str]:
    """The distinct commits at the tip of every local and remote-tracking branch."""
    out = _git(root, "for-each-ref", "--format=%(objectname)", "refs/heads", "refs/remotes")
    if not out:
        return []
    return list(dict.fromkeys(line.strip() for line in out.splitlines() if line.strip()))


def names_on_branches(root: Path, folders: Sequence[str]) -> list[str]:
    """Paths (relative to ``root``) under ``folders`` in the tree of every branch tip.

    Branches mostly share their item folders, so the folders' trees are looked
    up for all tips in one ``git cat-file --batch-check`` and each distinct tree
    is listed once: a handful of git calls however many branches there are.
    """
    heads = branch_heads(root)
    if not heads:
        return []
    prefix = (_git(root, "rev-parse", "--show-prefix") or "").strip()
    wanted = [(folder, f"{head}:{prefix}{folder}") for head in heads for folder in folders]
    out = _git(root, "cat-file", "--batch-check", stdin="".join(f"{spec}\n" for _, spec in wanted))
    if out is None:
        return []
    trees: dict[str, str] = {}  # tree sha -> folder
    for (folder, _spec), line in zip(wanted, out.splitlines(), strict=False):
        parts = line.split()
        if len(parts) >= 2 and parts[1] == "tree":
            trees.setdefault(parts[0], folder)
    names: list[str] = []
    for tree, folder in trees.items():
        listed = _git(root, "ls-tree", "-r", "--name-only", "--full-tree", tree)
        if listed:
            names += [f"{folder}/{name}" for name in listed.splitlines()]
    return list(dict.fromkeys(names))


def user_name(root: Path) -> str | None:
    """``git config user.name`` as seen from ``root``, if set."""
    out = _git(root, "config", "user.name")
    name = out.strip() if out else ""
    return name or None
