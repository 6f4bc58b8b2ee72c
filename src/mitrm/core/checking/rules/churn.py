"""MIT419: approved requirements that keep changing (a repo-level rule fed by git history).

The history reader lives in ``mitrm.io``; it passes ``churn`` (requirement id ->
number of commits that changed the file after its approval). Without history
(``None``: no git, or history not yet read) the rule is skipped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from mitrm.core.checking.rules.engine import REQ_APPROVED, Finding
from mitrm.core.models import Kind, Settings
from mitrm.core.record import Summary
from mitrm.i18n import _


def check(
    summaries: Sequence[Summary], settings: Settings, churn: Mapping[str, int] | None
) -> list[tuple[Summary, Finding]]:
    """Approved requirements changed more than ``rules.churn_limit`` times since approval."""
    if churn is None:
        return []
    limit = settings.rules.churn_limit
    found = []
    for summary in summaries:
        if summary.kind is not Kind.REQUIREMENT or summary.status not in REQ_APPROVED:
            continue
        changes = churn.get(summary.id or "", 0)
        if changes > limit:
            found.append(
                (
                    summary,
                    Finding(
                        "MIT419",
                        ("status",),
                        _(
                            "changed {n} times since approval (limit {limit}, rules.churn_limit)"
                        ).format(n=changes, limit=limit),
                    ),
                )
            )
    return found
