"""Prioritization: scores, the ranking, dependency graphs, the plan selection and its sensitivity.

``scoring/`` turns each requirement's inputs into an explainable score;
``ranking`` orders the backlog; ``graphs`` orders dependencies before dependents;
``selection`` (with ``solver``) fills a budget; ``sensitivity`` asks how far a
weight may move before the order changes.
"""
