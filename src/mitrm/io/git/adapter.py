"""The narrow git adapter: one ``git log`` pass and one ``git cat-file --batch`` process.

Plain ``subprocess`` rather than GitPython's object layer: history needs two
streaming processes, and importing GitPython costs more than a warm ``mitrm
history`` may take. Nothing here leaks git objects: callers get frozen
dataclasses and bytes.
"""

from __future__ import annotations

import contextlib
import os
import queue
import re
import shutil
import subprocess
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from mitrm.core.history import Commit
from mitrm.errors import NotAGitRepoError, UsageError
from mitrm.i18n import _

EMPTY = "0" * 40
SHA = re.compile(r"^[0-9a-f]{40}(?:[0-9a-f]{24})?$")
_FORMAT = "%H%x00%P%x00%an%x00%ae%x00%at%x00%B"


@dataclass(frozen=True, slots=True)
class FileChange:
    """One file touched by one commit, as ``git log --raw`` tells it.

    ``status`` is A, M, D, R (rename, with ``old_path``), T or C; blobs are the
    full object names before and after (``EMPTY`` where there is none).
    """

    status: str
    old_path: str
    new_path: str
    old_blob: str
    new_blob: str


@dataclass(frozen=True, slots=True)
class LogEntry:
    """A commit and the data files it changed."""

    commit: Commit
    changes: tuple[FileChange, ...]


@dataclass(frozen=True, slots=True)
class RepoInfo:
    """Where the git repository is and what state it is in."""

    toplevel: Path
    git_dir: Path
    prefix: str  # the data root's path inside the repository, "" or ending in "/"
    head: str | None  # None before the first commit
    branch: str | None  # None on a detached HEAD
    shallow: bool


def _env() -> dict[str, str]:
    env = dict(os.environ)
    # Paths with non-ASCII names must come back as they are, not octal-quoted.
    env["GIT_CONFIG_PARAMETERS"] = "'core.quotepath=false'"
    env.pop("GIT_DIR", None)
    env.pop("GIT_WORK_TREE", None)
    env["LC_ALL"] = "C"
    return env


def _git() -> str:
    found = shutil.which("git")
    if found is None:
        raise NotAGitRepoError(
            _("git is not installed, and history needs it"), hint=_("install git and try again")
        )
    return found


def run(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    """Run one git command in ``root``; a failure is a UsageError naming the command."""
    done = subprocess.run([_git(), *args], cwd=root, capture_output=True, env=_env(), check=False)
    if check and done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = message[-1] if message else f"exit {done.returncode}"
        raise UsageError(_("git {command} failed: {reason}").format(command=args[0], reason=reason))
    return done


def repo_info(root: Path) -> RepoInfo:
    """Describe the git repository holding ``root``; NotAGitRepoError (exit 2) if none."""
    where = ["--show-toplevel", "--absolute-git-dir", "--show-prefix", "--is-shallow-repository"]
    done = run(root, "rev-parse", *where, "HEAD", check=False)
    head: str | None = None
    if done.returncode == 0:
        lines = done.stdout.decode("utf-8").split("\n")
        head = lines[4].strip()
    else:
        # no HEAD commit yet, or no repository at all
        done = run(root, "rev-parse", *where, check=False)
        if done.returncode != 0:
            raise NotAGitRepoError(
                _("{folder} is not in a git repository; history comes from git").format(
                    folder=root
                ),
                hint=_("run 'git init' and commit the items; other commands work without git"),
            )
        lines = done.stdout.decode("utf-8").split("\n")
    toplevel, git_dir, prefix, shallow = lines[0], lines[1], lines[2], lines[3]
    branch: str | None = None
    try:
        ref = (Path(git_dir) / "HEAD").read_text(encoding="utf-8").strip()
    except OSError:
        ref = ""
    if ref.startswith("ref:"):
        branch = ref[4:].strip().removeprefix("refs/heads/")
    return RepoInfo(
        toplevel=Path(toplevel),
        git_dir=Path(git_dir),
        prefix=prefix,
        head=head,
        branch=branch,
        shallow=shallow.strip() == "true",
    )


def shallow_boundary(info: RepoInfo) -> frozenset[str]:
    """The commits where a shallow clone's history is cut."""
    try:
        text = (info.git_dir / "shallow").read_text(encoding="ascii")
    except OSError:
        return frozenset()
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


def resolve(root: Path, rev: str) -> str:
    """The commit ``rev`` names; UsageError (exit 2) if it names none."""
    if rev.startswith("-"):
        raise UsageError(_("'{rev}' is not a revision").format(rev=rev))
    done = run(root, "rev-parse", "--verify", "-q", f"{rev}^{{commit}}", check=False)
    if done.returncode != 0:
        raise UsageError(
            _("unknown revision '{ref}'").format(ref=rev), hint=_("name a commit, tag or branch")
        )
    return done.stdout.decode().strip()


def latest_tag(root: Path, rev: str = "HEAD") -> str | None:
    """The nearest tag reachable from ``rev``, or None."""
    done = run(root, "describe", "--tags", "--abbrev=0", rev, check=False)
    return done.stdout.decode().strip() or None if done.returncode == 0 else None


def is_ancestor(root: Path, ancestor: str, descendant: str) -> bool:
    """Whether ``ancestor`` is reachable from ``descendant`` (False if either is unknown)."""
    return (
        run(root, "merge-base", "--is-ancestor", ancestor, descendant, check=False).returncode == 0
    )


def rev_list(root: Path, spec: Sequence[str]) -> list[str]:
    """The commits ``git rev-list SPEC`` names, newest first."""
    return run(root, "rev-list", *spec, "--").stdout.decode().split()


def _log_args(until: str, since: str | None, paths: Sequence[str]) -> list[str]:
    spec = [until] if since is None else [f"{since}..{until}"]
    return [
        "log",
        "-z",
        "--raw",
        "-c",
        "-M",
        "--no-abbrev",
        "--no-color",
        "--no-ext-diff",
        "--topo-order",
        "--reverse",
        f"--format={_FORMAT}",
        *spec,
        "--",
        *paths,
    ]


def log(
    root: Path, *, until: str, since: str | None, paths: Sequence[str], prefix: str
) -> list[LogEntry]:
    """Every commit from ``since`` (excluded) to ``until`` touching ``paths``, oldest first.

    One ``git log`` pass: raw changes with full blob names and rename detection,
    combined diffs for merges (only what a merge itself changed), NUL-separated
    so that any commit message and any file name survive.
    """
    return [e for batch in log_batches(root, until=until, since=since, paths=paths,
                                        prefix=prefix) for e in batch]  # fmt: skip


def log_batches(
    root: Path,
    *,
    until: str,
    since: str | None,
    paths: Sequence[str],
    prefix: str,
    size: int = 2000,
) -> Iterator[list[LogEntry]]:
    """:func:`log` in batches of ``size`` commits, read while git is still writing.

    A thread drains git's output so that git keeps working on the other core
    while the caller digests a batch.
    """
    proc = subprocess.Popen(
        [_git(), *_log_args(until, since, paths)],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(),
    )
    assert proc.stdout is not None and proc.stderr is not None
    chunks: queue.Queue[bytes | None] = queue.Queue()
    errors: list[bytes] = []

    def drain() -> None:
        assert proc.stdout is not None and proc.stderr is not None
        descriptor = proc.stdout.fileno()
        while chunk := os.read(descriptor, 1 << 20):
            chunks.put(chunk)
        chunks.put(None)

    def drain_errors() -> None:
        assert proc.stderr is not None
        errors.append(proc.stderr.read())

    threads = [threading.Thread(target=drain, daemon=True),
               threading.Thread(target=drain_errors, daemon=True)]  # fmt: skip
    for thread in threads:
        thread.start()
    try:
        batch: list[LogEntry] = []
        # small batches first, so that the caller starts while git is still walking
        limit = min(size, 100)
        for entry in _entries(_tokens(chunks), prefix=prefix):
            batch.append(entry)
            if len(batch) >= limit:
                yield batch
                batch = []
                limit = min(size, limit * 2)
        if batch:
            yield batch
    finally:
        if proc.poll() is None:
            proc.kill()
        for thread in threads:
            thread.join()
        code = proc.wait()
        proc.stdout.close()
        proc.stderr.close()
    if code != 0:
        lines = b"".join(errors).decode("utf-8", "replace").strip().splitlines()
        reason = lines[-1] if lines else f"exit {code}"
        raise UsageError(_("git log failed: {reason}").format(reason=reason))


def _tokens(chunks: queue.Queue[bytes | None]) -> Iterator[str]:
    """NUL-separated fields from a stream of chunks, each decoded whole."""
    rest = b""
    while (chunk := chunks.get()) is not None:
        data = rest + chunk
        cut = data.rfind(b"\0") + 1
        rest = data[cut:]
        # decoding whole chunks up to a NUL never splits a multi-byte character
        parts = data[:cut].decode("utf-8", "surrogateescape").split("\0")
        parts.pop()
        yield from parts
    if rest:
        yield rest.decode("utf-8", "surrogateescape")


def _entries(tokens: Iterator[str], *, prefix: str) -> Iterator[LogEntry]:
    cut = len(prefix)
    token = next(tokens, None)
    while token is not None:
        token = token.lstrip("\n")
        if not token:
            token = next(tokens, None)
            continue
        if not SHA.match(token):
            raise UsageError(_("git log gave output mitrm cannot read"))
        sha = token
        try:
            parents = tuple(next(tokens).split())
            author, email, stamp, body = next(tokens), next(tokens), next(tokens), next(tokens)
        except StopIteration:
            raise UsageError(_("git log output ended in the middle of a commit")) from None
        changes: list[FileChange] = []
        token = next(tokens, None)
        while token is not None:
            meta = token.lstrip("\n")
            if not meta:
                # merges put an empty field before their combined records
                token = next(tokens, None)
                continue
            if not meta.startswith(":"):
                break
            parts = meta.lstrip(":").split()
            letter = parts[-1][0]
            if meta.startswith("::"):
                # combined diff of a merge: modes and blobs per parent, then the result's
                nparents = len(meta) - len(meta.lstrip(":"))
                old_blob = parts[nparents + 1]
                new_blob = parts[2 * nparents + 1]
                path = next(tokens, "")[cut:]
                letter = "A" if old_blob == EMPTY else "D" if new_blob == EMPTY else "M"
                changes.append(FileChange(letter, path, path, old_blob, new_blob))
            else:
                old_path = next(tokens, "")
                new_path = next(tokens, "") if letter in "RC" else old_path
                changes.append(
                    FileChange(letter, old_path[cut:], new_path[cut:], parts[2], parts[3])
                )
            token = next(tokens, None)
        when = int(stamp) if stamp.isdigit() else 0
        yield LogEntry(Commit(sha, parents, author, email, when, body), tuple(changes))


class CatFile:
    """One persistent ``git cat-file`` process for reading many blobs.

    With git 2.36 or later it runs ``--batch-command --buffer``: answers come in
    large writes, flushed once per request, instead of one write per object.
    Older git gets plain ``--batch``.
    """

    def __init__(self, root: Path) -> None:
        self._root = root
        self._buffered = True
        self._proc = self._start(["--batch-command", "--buffer"])

    def _start(self, mode: list[str]) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [_git(), "cat-file", *mode],
            cwd=self._root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=_env(),
        )

    def __enter__(self) -> CatFile:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """End the process."""
        if self._proc.stdin and not self._proc.stdin.closed:
            with contextlib.suppress(OSError):
                self._proc.stdin.close()
        self._proc.wait()
        if self._proc.stdout:
            self._proc.stdout.close()

    def read_many(self, shas: Iterable[str]) -> dict[str, bytes | None]:
        """The contents of each object (None if git does not have it), in one round trip."""
        wanted = list(dict.fromkeys(shas))
        if not wanted:
            return {}
        try:
            return self._read(wanted)
        except _OldGit:
            self.close()
            self._buffered = False
            self._proc = self._start(["--batch"])
            return self._read(wanted)

    def _read(self, wanted: list[str]) -> dict[str, bytes | None]:
        stdin, stdout = self._proc.stdin, self._proc.stdout
        assert stdin is not None and stdout is not None
        if self._buffered:
            request = "".join(f"contents {sha}\n" for sha in wanted) + "flush\n"
        else:
            request = "\n".join(wanted) + "\n"
        payload = request.encode("ascii")

        # Write from a thread: a big request would otherwise fill both pipes and stall.
        def feed() -> None:
            with contextlib.suppress(OSError):
                stdin.write(payload)
                stdin.flush()

        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        found: dict[str, bytes | None] = {}
        try:
            for sha in wanted:
                line = stdout.readline()
                if not line:
                    raise _OldGit
                header = line.split()
                if len(header) != 3:
                    found[sha] = None
                    continue
                found[sha] = stdout.read(int(header[2]) + 1)[:-1]
        finally:
            writer.join()
        return found


class _OldGit(Exception):
    """``git cat-file`` ended at once: a git without ``--batch-command``."""


def status_paths(root: Path, paths: Sequence[str], *, prefix: str) -> list[tuple[str, str]]:
    """Uncommitted changes under ``paths``: (XY code, path relative to ``root``)."""
    done = run(
        root,
        "status",
        "--porcelain=v1",
        "-z",
        "--untracked-files=all",
        "--no-renames",
        "--",
        *paths,
    )
    tokens = done.stdout.decode("utf-8", "surrogateescape").split("\0")
    cut = len(prefix)
    # porcelain paths are relative to the repository's top level, whatever the cwd
    return [(token[:2], token[3:][cut:]) for token in tokens if len(token) >= 4]


def blob_at(root: Path, rev: str, path: str) -> bytes | None:
    """The bytes of ``path`` (relative to ``root``) at ``rev``, or None."""
    done = run(root, "cat-file", "blob", f"{rev}:./{path}", check=False)
    return done.stdout if done.returncode == 0 else None
