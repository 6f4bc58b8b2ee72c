"""History: per-item timelines from commits, the change log, and the metrics read from them.

Pure: the git adapter and the history builder in ``mitrm.io`` hand in plain
commits and file versions; ``timeline`` turns them into field-level changes,
``changelog`` groups them for readers, ``metrics`` measures lead times and churn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mitrm.faces import lazy_face

if TYPE_CHECKING:
    from mitrm.core.history.changelog import (
        Changelog,
        build_changelog,
        change_json,
        render_markdown,
        render_text,
        to_json,
    )
    from mitrm.core.history.metrics import (
        ItemMetrics,
        approved_churn,
        flow_metrics,
        item_metrics,
        unapproved_changes,
    )
    from mitrm.core.history.timeline import (
        ABSENT,
        WORKTREE,
        Commit,
        Event,
        FieldChange,
        History,
        Row,
        describe,
        diff_values,
        text_diff,
    )

# What the other layers use, by the module that defines it; each module is imported
# only when one of its names is first used.
_EXPORTS = {
    "ABSENT": "timeline",
    "approved_churn": "metrics",
    "build_changelog": "changelog",
    "change_json": "changelog",
    "Changelog": "changelog",
    "Commit": "timeline",
    "describe": "timeline",
    "diff_values": "timeline",
    "Event": "timeline",
    "FieldChange": "timeline",
    "flow_metrics": "metrics",
    "History": "timeline",
    "item_metrics": "metrics",
    "ItemMetrics": "metrics",
    "render_markdown": "changelog",
    "render_text": "changelog",
    "Row": "timeline",
    "text_diff": "timeline",
    "to_json": "changelog",
    "unapproved_changes": "metrics",
    "WORKTREE": "timeline",
}
__all__ = [
    "ABSENT",
    "WORKTREE",
    "Changelog",
    "Commit",
    "Event",
    "FieldChange",
    "History",
    "ItemMetrics",
    "Row",
    "approved_churn",
    "build_changelog",
    "change_json",
    "describe",
    "diff_values",
    "flow_metrics",
    "item_metrics",
    "render_markdown",
    "render_text",
    "text_diff",
    "to_json",
    "unapproved_changes",
]
if not TYPE_CHECKING:  # mypy sees the names above, and no others
    __getattr__ = lazy_face(__name__, _EXPORTS)
