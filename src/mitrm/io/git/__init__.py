"""Git behind a narrow adapter: plain subprocesses in, frozen dataclasses out.

``adapter`` runs ``git log`` and ``git cat-file --batch``; ``changes`` lists the
item files changed since a revision; ``refs`` lists the file names other
branches hold, for id allocation. No git object reaches core.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mitrm.faces import lazy_face

if TYPE_CHECKING:
    from mitrm.io.git.changes import changed_since, data_roots, staged, unstaged
    from mitrm.io.git.refs import names_on_branches, user_name

# What the other layers use, by the module that defines it; each module is imported
# only when one of its names is first used.
_EXPORTS = {
    "changed_since": "changes",
    "data_roots": "changes",
    "names_on_branches": "refs",
    "staged": "changes",
    "unstaged": "changes",
    "user_name": "refs",
}
__all__ = ["changed_since", "data_roots", "names_on_branches", "staged", "unstaged", "user_name"]
if not TYPE_CHECKING:  # mypy sees the names above, and no others
    __getattr__ = lazy_face(__name__, _EXPORTS)
