"""Per-file checks that run on every valid item; their results are cached per file version."""

from __future__ import annotations

from collections.abc import Callable

from mitrm.core.diagnostics import Diagnostic
from mitrm.core.models import Item, Settings
from mitrm.core.plans import plan_checks
from mitrm.core.record import Record
from mitrm.core.sets import duplicate_entries

FileCheck = Callable[[Record, Item, Settings], list[Diagnostic]]

FILE_CHECKS: list[FileCheck] = [plan_checks, duplicate_entries]
"""Checks run by ``validate_item`` after the model validated, in order."""
