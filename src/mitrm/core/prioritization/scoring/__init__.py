"""Scoring models (weighted, rice, wsjf, ice, moscow): absolute, explainable scores per item."""

from mitrm.core.prioritization.scoring.registry import (
    MODELS,
    effective_weights,
    get_model,
    make_context,
    score_requirements,
)
from mitrm.core.prioritization.scoring.types import Context, Input, Model, Score, Term

__all__ = [
    "MODELS",
    "Context",
    "Input",
    "Model",
    "Score",
    "Term",
    "effective_weights",
    "get_model",
    "make_context",
    "score_requirements",
]
