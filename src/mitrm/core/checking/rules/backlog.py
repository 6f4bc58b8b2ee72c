"""MIT418: the backlog piles up non-critical requests (a repo-level rule)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from mitrm.core.checking.rules.engine import REQ_NOT_STARTED, Finding
from mitrm.core.models import Kind, Settings
from mitrm.core.record import Summary
from mitrm.i18n import _

SETTINGS_PATH = "mitrm.yaml"


def _lowest_decile(scores: Mapping[str, float], ids: list[str]) -> set[str]:
    scored = sorted((scores[i], i) for i in ids if i in scores)
    if len(scored) < 10:
        return set()
    cut = scored[len(scored) // 10 - 1][0]
    return {i for score, i in scored if score <= cut}


def non_critical(
    summaries: Sequence[Summary], *, scores: Mapping[str, float] | None = None
) -> tuple[list[str], int]:
    """(ids of open non-critical requirements, size of the open backlog).

    Non-critical: MoSCoW ``could`` or ``wont``, or (when ``scores`` are given,
    id -> score from the scoring model) in the lowest tenth of the scores.
    """
    backlog = [
        s for s in summaries if s.kind is Kind.REQUIREMENT and s.id and s.status in REQ_NOT_STARTED
    ]
    ids = [s.id for s in backlog if s.id]
    low = _lowest_decile(scores, ids) if scores else set()
    picked = [s.id for s in backlog if s.id and (s.moscow in ("could", "wont") or s.id in low)]
    return picked, len(backlog)


def check(
    summaries: Sequence[Summary], settings: Settings, scores: Mapping[str, float] | None = None
) -> Finding | None:
    """One finding on mitrm.yaml when the non-critical share exceeds the setting."""
    rules = settings.rules
    picked, size = non_critical(summaries, scores=scores)
    if size < rules.non_critical_min_open or not picked:
        return None
    share = len(picked) / size
    if share <= rules.non_critical_share:
        return None
    sample = ", ".join(sorted(picked)[:5]) + (", ..." if len(picked) > 5 else "")
    return Finding(
        "MIT418",
        (),
        _(
            "{n} of {size} open requirements ({share:.0%}) are could/won't or "
            "lowest-scored ({sample}), above the {limit:.0%} limit (rules.non_critical_share)"
        ).format(
            n=len(picked), size=size, share=share, sample=sample, limit=rules.non_critical_share
        ),
    )
