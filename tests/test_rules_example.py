"""The bundled example repo: deliberate warnings on immature requests, none on approved ones."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from mitrm.core.diagnostics import Severity
from mitrm.io.repository import check_files, load_repository, load_settings

ACME = Path(__file__).resolve().parent.parent / "examples" / "acme"
# The example is written as of late November 2026.
AS_OF = dt.date(2026, 11, 23)


def test_example_warns_on_drafts_only() -> None:
    settings = load_settings(ACME)
    result = check_files(ACME, settings=settings, use_cache=False, jobs=1, today=AS_OF)
    assert [d.text() for d in result.diagnostics if d.severity is Severity.ERROR] == []
    status = {
        record.path: record.status
        for record in load_repository(ACME, settings=settings, use_cache=False).records
    }
    warned = {d.path: d.code for d in result.diagnostics}
    assert all(code.startswith("MIT4") for code in warned.values())
    assert {status[path] for path in warned} <= {"draft", "submitted", "analysis"}
    assert "draft" in {status[path] for path in warned}
    codes = {d.code for d in result.diagnostics}
    assert {"MIT401", "MIT414"} <= codes
    assert 3 <= len(result.diagnostics) <= 15
