"""The parsed history, cached under ``.git/mitrm/`` and keyed by the commit it reaches.

A cache is only used when everything it was built from still holds: the same
mitrm version and format, the same data folder inside the same repository, the
same shallow boundary, and a head commit that is an ancestor of the commit now
asked for (checked by the caller). Anything else, or any damage, means rebuild.
"""

from __future__ import annotations

import contextlib
import pickle
from pathlib import Path
from typing import Any

from mitrm import __version__
from mitrm.core.history import History
from mitrm.io import git
from mitrm.io.atomic import write_atomic
from mitrm.io.cache import cache_dir

_FORMAT = 1
NAME = "history.pickle"


class HistoryCache:
    """Read and write one repository's cached history."""

    def __init__(self, root: Path, info: git.RepoInfo) -> None:
        self.path = cache_dir(root) / NAME
        self.key = (
            _FORMAT,
            __version__,
            str(info.toplevel),
            info.prefix,
            tuple(sorted(git.shallow_boundary(info))),
        )

    def load(self) -> tuple[History, dict[str, str]] | None:
        """The cached history and builder state, or None if missing, foreign or damaged."""
        try:
            with self.path.open("rb") as handle:
                document: Any = pickle.load(handle)
        except Exception:  # any damage to a cache means "rebuild it"
            return None
        if not (isinstance(document, tuple) and len(document) == 3 and document[0] == self.key):
            return None
        _, history, state = document
        if not isinstance(history, History) or not isinstance(state, dict):
            return None
        if history.head is None or history.head not in history.commits:
            return None
        if len(history.order) != len(history.commits):
            return None
        return history, state

    def save(self, history: History, state: dict[str, str]) -> None:
        """Write the cache atomically; a failure to write is not an error."""
        history._index = None
        with contextlib.suppress(OSError):
            write_atomic(
                self.path,
                pickle.dumps((self.key, history, state), protocol=pickle.HIGHEST_PROTOCOL),
            )
