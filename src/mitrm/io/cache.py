"""A cache of parsed item files keyed by path and content, kept out of the working tree."""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from pathlib import Path
from typing import Any

from mitrm import __version__
from mitrm.io.atomic import write_atomic

_FORMAT = 3


def content_key(path: str, raw: bytes) -> bytes:
    """The cache key of one file version: its path and its exact bytes."""
    digest = hashlib.blake2b(raw, digest_size=20)
    digest.update(b"\0" + path.encode("utf-8"))
    return digest.digest()


def git_dir(root: Path) -> Path | None:
    """The ``.git`` folder of the repository holding ``root`` (worktrees included)."""
    for folder in (root, *root.parents):
        dot_git = folder / ".git"
        if dot_git.is_dir():
            return dot_git
        if dot_git.is_file():
            with contextlib.suppress(OSError, ValueError):
                line = dot_git.read_text(encoding="utf-8").strip()
                if line.startswith("gitdir:"):
                    target = Path(line.split(":", 1)[1].strip())
                    return target if target.is_absolute() else (folder / target).resolve()
    return None


def cache_dir(root: Path) -> Path:
    """Where this repo's caches live: ``.git/mitrm/``, or the user cache directory."""
    override = os.environ.get("MITRM_CACHE_DIR")
    if override:
        return Path(override)
    found = git_dir(root)
    if found is not None:
        return found / "mitrm"
    from platformdirs import user_cache_dir

    tag = hashlib.blake2b(str(root).encode("utf-8"), digest_size=8).hexdigest()
    return Path(user_cache_dir("mitrm")) / tag


_DELTA_MAX = 500
_STALE_MAX = 2000


def _payload(path: Path) -> tuple[Any, ...] | None:
    """A cache file's payload (after its header), or None if missing, damaged or foreign."""
    try:
        with path.open("rb") as handle:
            document = pickle.load(handle)
    except Exception:  # noqa: BLE001 - any damage to a cache means "rebuild it"
        return None
    if not isinstance(document, tuple) or not document or document[0] != (_FORMAT, __version__):
        return None
    payload: tuple[Any, ...] = document[1:]
    return payload


def _dump(path: Path, *payload: Any) -> None:
    """Write a cache file: the header, then ``payload`` (atomically)."""
    write_atomic(path, pickle.dumps(((_FORMAT, __version__), *payload), protocol=5))


def _drop_siblings(path: Path, *keep: Path) -> None:
    """Remove caches of the same kind as ``path`` made for other settings or another mitrm."""
    kind = path.name.split("-", 1)[0]
    for other in path.parent.glob(f"{kind}-*.pickle*"):
        if other != path and other not in keep:
            other.unlink(missing_ok=True)


def _read(path: Path) -> tuple[Any, ...] | None:
    """A parse cache's payload: (token, entries, stats); None if damaged or foreign."""
    payload = _payload(path)
    if payload is None or len(payload) != 3 or not all(isinstance(p, dict) for p in payload[1:]):
        return None
    return payload


class ParseCache:
    """Parsed files from earlier runs; anything unreadable or from another version is dropped.

    Files are named ``<kind>-<fingerprint>.pickle``; a new fingerprint replaces the old.
    """

    def __init__(self, root: Path, *, name: str) -> None:
        self.path = cache_dir(root) / name
        self.delta_path = self.path.with_name(self.path.name + ".delta")
        self.entries: dict[bytes, Any] = {}
        # path -> (size, mtime_ns, inode, content key): lets a warm run skip reading
        # files whose stat is unchanged, as git's index does.
        self.stats: dict[str, tuple[int, int, int, bytes]] = {}
        self.dirty = False
        self._token: bytes | None = None
        self._base_keys: set[bytes] = set()
        self._base_stats: dict[str, tuple[int, int, int, bytes]] = {}

    def load(self) -> None:
        """Read the cache (base file, then its delta); damage or another version means empty."""
        base = _read(self.path)
        if base is None:
            return
        token, entries, stats = base
        self._token, self._base_keys, self._base_stats = token, set(entries), dict(stats)
        delta = _read(self.delta_path)
        if delta is not None and delta[0] == token:
            entries.update(delta[1])
            stats.update(delta[2])
        self.entries, self.stats = entries, stats

    def save(self, keep: set[bytes]) -> None:
        """Record what changed; failures to write are not fatal.

        A few new entries go to a small delta file beside the base, so that a
        run after editing one file does not rewrite the whole cache; the base is
        rewritten (and stale entries dropped) when the delta or the stale part
        grows large.
        """
        if not self.dirty and len(self.entries) == len(keep):
            return
        added = {k: v for k, v in self.entries.items() if k not in self._base_keys and k in keep}
        stale = len(self._base_keys - keep)
        with contextlib.suppress(OSError):
            if self._token is not None and len(added) <= _DELTA_MAX and stale <= _STALE_MAX:
                if not self.dirty:
                    return
                moved = {p: st for p, st in self.stats.items() if self._base_stats.get(p) != st}
                _dump(self.delta_path, self._token, added, moved)
                return
            entries = {key: value for key, value in self.entries.items() if key in keep}
            stats = {path: stat for path, stat in self.stats.items() if stat[3] in keep}
            _drop_siblings(self.path, self.delta_path)
            _dump(self.path, os.urandom(8), entries, stats)
            self.delta_path.unlink(missing_ok=True)


class Memo:
    """One remembered result and the key of the inputs it was computed from.

    For results computed from the whole repo (the rules across files): when the
    inputs' key is the same as last time, the result is too.
    """

    def __init__(self, root: Path, *, name: str) -> None:
        self.path = cache_dir(root) / name
        self.stored: bytes | None = None

    def get(self, key: bytes) -> Any | None:
        """The result stored under ``key``; None when there is none or it is damaged."""
        payload = _payload(self.path)
        if payload is None or len(payload) != 2 or not isinstance(payload[0], bytes):
            return None
        self.stored = payload[0]
        return payload[1] if payload[0] == key else None

    def put(self, key: bytes, value: Any) -> None:
        """Remember ``value`` for ``key`` (unless it is already); failures are not fatal."""
        if key == self.stored:
            return
        with contextlib.suppress(OSError):
            _dump(self.path, key, value)
            self.stored = key
            _drop_siblings(self.path)
