"""Which item files changed since a git revision (for ``validate --changed-since``)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from mitrm.errors import NotAGitRepoError, UsageError
from mitrm.i18n import _


def _git(root: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise NotAGitRepoError(_("git is not installed; --changed-since needs it")) from exc
    if done.returncode != 0:
        message = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else _("git failed")
        if "not a git repository" in done.stderr:
            raise NotAGitRepoError(
                _("{folder} is not in a git repository; --changed-since needs git").format(
                    folder=root
                )
            )
        raise UsageError(f"git {' '.join(args[:2])}: {message}")
    return done.stdout


def changed_since(root: Path, ref: str) -> set[str]:
    """Paths (relative to ``root``) added or modified since the merge base of ``ref`` and HEAD.

    Includes uncommitted and untracked files, so that a pre-push or local run
    sees what CI will see.
    """
    _git(root, "rev-parse", "--is-inside-work-tree")
    try:
        _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except UsageError as exc:
        raise UsageError(
            _("unknown revision '{ref}'").format(ref=ref),
            hint=_("in CI, fetch it first (e.g. 'git fetch origin main', or fetch-depth: 0)"),
        ) from exc
    base = _git(root, "merge-base", ref, "HEAD").strip() or ref
    # Both listings are relative to ``root`` (the working directory of the calls).
    names = _git(root, "diff", "--relative", "--name-only", "--no-renames", "-z", base)
    untracked = _git(root, "ls-files", "--others", "--exclude-standard", "-z")
    return {name for name in (names + untracked).split("\0") if name}


def _paths(root: Path, *args: str) -> set[str]:
    """The NUL-separated paths a git listing prints, decoded as the file system names them."""
    import os

    from mitrm.io.git import adapter as git

    git.repo_info(root)  # NotAGitRepoError (exit 2) outside git
    done = git.run(root, *args)
    return {os.fsdecode(name) for name in done.stdout.split(b"\0") if name}


def staged(root: Path) -> set[str]:
    """Paths (relative to ``root``) in git's index: what the next commit will hold.

    Untracked files are left out, and so are files removed with ``git rm``
    (even ``--cached``, when the file is still in the working tree).
    """
    return _paths(root, "ls-files", "--cached", "-z")


def unstaged(root: Path) -> set[str]:
    """Paths (relative to ``root``) whose working-tree text differs from the staged one."""
    return _paths(root, "diff", "--relative", "--name-only", "--no-renames", "-z")


def data_roots(where: Path) -> list[Path]:
    """The data repos (folders of a staged ``mitrm.yaml``) in the git repository at ``where``."""
    names = _paths(where, "ls-files", "--cached", "-z", "--", ":(glob)**/mitrm.yaml")
    return sorted((where / name).parent for name in names)
