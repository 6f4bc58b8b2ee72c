"""Verdicts with quality diagnostics survive the cache's pickling intact."""

from __future__ import annotations

import datetime as dt
import pickle

from mitrm.core.diagnostics import Diagnostic, Severity
from mitrm.core.models import Kind
from mitrm.core.record import Summary


def test_diagnostic_and_summary_round_trip_every_field() -> None:
    diagnostic = Diagnostic(
        "requirements/REQ-0001-x.yaml",
        "MIT407",
        "late",
        Severity.WARNING,
        3,
        4,
        "REQ-0001",
        ("due",),
        True,
    )
    summary = Summary(
        "plans/PLAN-0001-x.yaml",
        Kind.PLAN,
        "PLAN-0001",
        "draft",
        ((("requirements", 0), "REQ-0001"),),
        "could",
        (("MIT401", dt.date(2026, 12, 31)),),
        ((dt.date(2026, 3, 14), None, "MIT407", "late", Severity.WARNING, 3, 4),),
    )
    copy = pickle.loads(pickle.dumps(summary))
    assert copy == summary
    restored = pickle.loads(pickle.dumps(diagnostic))
    assert restored == diagnostic
    assert (restored.loc, restored.key, restored.line) == (("due",), True, 3)
