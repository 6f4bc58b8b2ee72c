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

from mitrm import __version__, i18n
from mitrm.core.history import History, Row
from mitrm.io.atomic import write_atomic
from mitrm.io.cache import cache_dir
from mitrm.io.git import adapter as git

_FORMAT = 1
NAME = "history.pickle"
DIGEST = "history-digest.pickle"


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
            # The events' problems are diagnostics, in the language they were made in.
            i18n.language(),
        )

    def load(self) -> tuple[History, dict[str, str]] | None:
        """The cached history and builder state, or None if missing, foreign or damaged."""
        try:
            with self.path.open("rb") as handle:
                document: Any = pickle.load(handle)
            key, data, state = document
            if key != self.key or not isinstance(data, dict) or not isinstance(state, dict):
                return None
            history = History.from_rows(data, _decode)
        except Exception:  # noqa: BLE001 - any damage to a cache means "rebuild it"
            return None
        if not isinstance(history.head, str) or not git.SHA.match(history.head):
            return None
        return history, state

    def save(
        self,
        history: History,
        state: dict[str, str],
        *,
        since: str | None = None,
        touched: set[str] | None = None,
    ) -> None:
        """Write the cache atomically; a failure to write is not an error.

        Beside it goes a small digest (churn after approval, changes without an
        approved change request) that ``mitrm validate`` reads without loading
        the whole history.
        """
        from mitrm.core.history import approved_churn, unapproved_changes

        document = (self.key, history.rows(_encode), state)
        facts = self._digest_update(history, since, touched)
        if facts is None:
            facts = approved_churn(history), unapproved_changes(history)
        digest = (self.key, history.head, *facts)
        with contextlib.suppress(OSError):
            write_atomic(self.path, pickle.dumps(document, protocol=pickle.HIGHEST_PROTOCOL))
            write_atomic(
                self.path.with_name(DIGEST),
                pickle.dumps(digest, protocol=pickle.HIGHEST_PROTOCOL),
            )

    def _digest_update(
        self, history: History, since: str | None, touched: set[str] | None
    ) -> tuple[dict[str, int], list[Any]] | None:
        """The digest of ``since`` brought up to date for the ``touched`` items only.

        None when there is nothing to start from, or when a change request
        changed: that can allow or forbid changes to any item, so all are redone.
        """
        from mitrm.core.history import approved_churn, unapproved_changes

        if since is None or touched is None or touched & set(history.change_requests()):
            return None
        previous = self.digest(since)
        if previous is None:
            return None
        churn, unapproved = previous
        churn = {k: v for k, v in churn.items() if k not in touched}
        churn.update(approved_churn(history, items=sorted(touched)))
        unapproved = [d for d in unapproved if getattr(d, "item", None) not in touched]
        unapproved += unapproved_changes(history, items=sorted(touched))
        return churn, unapproved

    def digest(self, head: str) -> tuple[dict[str, int], list[Any]] | None:
        """(churn, unapproved-change warnings) cached for ``head``, or None."""
        try:
            with self.path.with_name(DIGEST).open("rb") as handle:
                key, cached_head, churn, unapproved = pickle.load(handle)
        except Exception:  # noqa: BLE001 - any damage to a cache means "not warm"
            return None
        if key != self.key or cached_head != head or not isinstance(churn, dict):
            return None
        return churn, list(unapproved)


def _encode(rows: list[Row]) -> bytes:
    return pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL)


def _decode(raw: bytes) -> list[Row]:
    rows: list[Row] = pickle.loads(raw)
    return rows
