"""Prioritization: scores, the ranking, dependency graphs, the plan selection and its sensitivity.

``scoring/`` turns each requirement's inputs into an explainable score;
``ranking`` orders the backlog; ``graphs`` orders dependencies before dependents;
``selection`` (with ``solver``) fills a budget; ``sensitivity`` asks how far a
weight may move before the order changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mitrm.faces import lazy_face

if TYPE_CHECKING:
    from mitrm.core.prioritization.ranking import (
        Prepared,
        RankedEntry,
        Ranking,
        UnscoredEntry,
        is_open,
        note,
        note_text,
        prepare,
        rank_backlog,
        rank_prepared,
        score_item,
        why_facts,
    )
    from mitrm.core.prioritization.scoring import Score, Term
    from mitrm.core.prioritization.scoring.registry import MODELS
    from mitrm.core.prioritization.selection import Limit, Selection, select_within
    from mitrm.core.prioritization.sensitivity import Sensitivity

# What the other layers use, by the module that defines it; each module is imported
# only when one of its names is first used.
_EXPORTS = {
    "is_open": "ranking",
    "Limit": "selection",
    "MODELS": "scoring.registry",
    "note": "ranking",
    "note_text": "ranking",
    "prepare": "ranking",
    "Prepared": "ranking",
    "rank_backlog": "ranking",
    "rank_prepared": "ranking",
    "RankedEntry": "ranking",
    "Ranking": "ranking",
    "Score": "scoring",
    "score_item": "ranking",
    "select_within": "selection",
    "Selection": "selection",
    "Sensitivity": "sensitivity",
    "Term": "scoring",
    "UnscoredEntry": "ranking",
    "why_facts": "ranking",
}
__all__ = [
    "MODELS",
    "Limit",
    "Prepared",
    "RankedEntry",
    "Ranking",
    "Score",
    "Selection",
    "Sensitivity",
    "Term",
    "UnscoredEntry",
    "is_open",
    "note",
    "note_text",
    "prepare",
    "rank_backlog",
    "rank_prepared",
    "score_item",
    "select_within",
    "why_facts",
]
if not TYPE_CHECKING:  # mypy sees the names above, and no others
    __getattr__ = lazy_face(__name__, _EXPORTS)
