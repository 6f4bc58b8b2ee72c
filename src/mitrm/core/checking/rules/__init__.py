"""Quality rules (MIT4xx): is a request ready for IT to commit to?

Per-item rules run in ``engine.quality_checks`` (called by ``check_files`` for each
valid item; cached per file version); rules across items, and the dated findings
that depend on today's date, run in ``repo.check_repository`` on every validate.
"""

from __future__ import annotations

from mitrm.core.checking.rules.registry import RULES, Rule, hint

__all__ = ["RULES", "Rule", "hint"]
