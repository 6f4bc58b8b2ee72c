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

_FORMAT = 2


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


class ParseCache:
    """Parsed files from earlier runs; anything unreadable or from another version is dropped.

    Files are named ``<kind>-<fingerprint>.pickle``; a new fingerprint replaces the old.
    """

    def __init__(self, root: Path, *, name: str) -> None:
        self.path = cache_dir(root) / name
        self.entries: dict[bytes, Any] = {}
        # path -> (size, mtime_ns, inode, content key): lets a warm run skip reading
        # files whose stat is unchanged, as git's index does.
        self.stats: dict[str, tuple[int, int, int, bytes]] = {}
        self.dirty = False

    def load(self) -> None:
        """Read the cache; a missing, corrupt or foreign cache is an empty one."""
        try:
            with self.path.open("rb") as handle:
                header, entries, stats = pickle.load(handle)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError):
            return
        except Exception:  # noqa: BLE001 - any damage to a cache means "rebuild it"
            return
        if (
            header == (_FORMAT, __version__)
            and isinstance(entries, dict)
            and isinstance(stats, dict)
        ):
            self.entries = entries
            self.stats = stats

    def save(self, keep: set[bytes]) -> None:
        """Write the entries still in use, if anything changed; failures are not fatal."""
        stale = len(self.entries) != len(keep)
        if not (self.dirty or stale):
            return
        entries = {key: value for key, value in self.entries.items() if key in keep}
        stats = {path: stat for path, stat in self.stats.items() if stat[3] in keep}
        with contextlib.suppress(OSError):
            self._drop_siblings()
            write_atomic(
                self.path,
                pickle.dumps(((_FORMAT, __version__), entries, stats), protocol=5),
            )

    def _drop_siblings(self) -> None:
        """Remove caches of the same kind made for other settings or another mitrm."""
        kind = self.path.name.split("-", 1)[0]
        for other in self.path.parent.glob(f"{kind}-*.pickle"):
            if other != self.path:
                other.unlink(missing_ok=True)
