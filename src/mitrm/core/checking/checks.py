"""Per-file checks that run on every valid item; their results are cached per file version."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from mitrm.core.checking.plans import plan_checks
from mitrm.core.diagnostics import Diagnostic, Loc, Severity, format_loc
from mitrm.core.models import Item, Settings
from mitrm.core.record import Record
from mitrm.core.sets import duplicate_entries
from mitrm.i18n import _

FileCheck = Callable[[Record, Item, Settings], list[Diagnostic]]

FILE_CHECKS: list[FileCheck] = [plan_checks, duplicate_entries]
"""Checks run by ``validate_item`` after the model validated, in order."""


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def control_characters(path: str, data: Any) -> list[Diagnostic]:
    """MIT014 for each text value holding a control character other than newline and tab
    (written as an escape in double quotes, ``"\\e]0;..."``): it could drive a terminal
    that shows it raw, and is almost never meant."""
    found: list[Diagnostic] = []
    stack: list[tuple[Loc, Any]] = [((), data)]
    while stack:
        loc, value = stack.pop()
        if isinstance(value, str):
            match = _CONTROL.search(value)
            if match is not None:
                found.append(
                    Diagnostic(
                        path,
                        "MIT014",
                        _(
                            "'{field}' holds the control character U+{code}; remove it "
                            "(terminals may act on it)"
                        ).format(field=format_loc(loc), code=f"{ord(match.group()):04X}"),
                        severity=Severity.WARNING,
                        loc=loc,
                    )
                )
        elif isinstance(value, dict):
            stack += [((*loc, key), item) for key, item in value.items()]
        elif isinstance(value, list):
            stack += [((*loc, index), item) for index, item in enumerate(value)]
    found.sort(key=lambda d: [str(part) for part in d.loc])
    return found
