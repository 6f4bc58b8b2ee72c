"""Item history from git for the commands: built, cached, and fed to the other commands.

``build`` turns git's log and old file versions into item events; ``cache`` keeps
the result under ``.git/mitrm/``; ``loading`` serves it to ``mitrm history`` and
the report with uncommitted changes added; ``insights`` gives other commands
what the history adds (churn, unapproved changes, flow metrics).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mitrm.faces import lazy_face

if TYPE_CHECKING:
    from mitrm.io.history.insights import HistoryFacts, check_with_history, history_facts
    from mitrm.io.history.loading import changelog_for, item_history, load_history, parse_range

# What the other layers use, by the module that defines it; each module is imported
# only when one of its names is first used.
_EXPORTS = {
    "changelog_for": "loading",
    "check_with_history": "insights",
    "history_facts": "insights",
    "HistoryFacts": "insights",
    "item_history": "loading",
    "load_history": "loading",
    "parse_range": "loading",
}
__all__ = [
    "HistoryFacts",
    "changelog_for",
    "check_with_history",
    "history_facts",
    "item_history",
    "load_history",
    "parse_range",
]
if not TYPE_CHECKING:  # mypy sees the names above, and no others
    __getattr__ = lazy_face(__name__, _EXPORTS)
