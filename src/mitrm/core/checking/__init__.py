"""Checking: is an item valid and ready? The models' errors, workflows, references and rules.

``validation`` turns raw data into models and pydantic errors into diagnostics;
``checks`` and ``plans`` are the per-file checks; ``workflow`` is the status
workflows; ``crossref`` checks across files (ids, references, cycles);
``rules/`` are the quality rules; ``codes`` is the registry of every diagnostic
code; ``sarif`` writes the diagnostics for code-scanning tools.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mitrm.faces import lazy_face

if TYPE_CHECKING:
    from mitrm.core.checking.checks import control_characters
    from mitrm.core.checking.codes import CODES, Code, every_code, governed, register
    from mitrm.core.checking.rules import RULES
    from mitrm.core.checking.rules.engine import PLAN_APPROVED, REQ_APPROVED, quality_checks
    from mitrm.core.checking.rules.policy import (
        govern,
        policy_for,
        selected,
        settings_problems,
        unknown_codes,
        with_selection,
    )
    from mitrm.core.checking.rules.waivers import list_waivers
    from mitrm.core.checking.sarif import sarif_log
    from mitrm.core.checking.validation import DATE_PROBLEMS, errors_to_diagnostics, validate_item
    from mitrm.core.checking.workflow import (
        default_open,
        missing_fields,
        override_problems,
        statuses,
        workflow_for,
    )

# What the other layers use, by the module that defines it; each module is imported
# only when one of its names is first used.
_EXPORTS = {
    "Code": "codes",
    "CODES": "codes",
    "every_code": "codes",
    "governed": "codes",
    "control_characters": "checks",
    "DATE_PROBLEMS": "validation",
    "default_open": "workflow",
    "errors_to_diagnostics": "validation",
    "govern": "rules.policy",
    "list_waivers": "rules.waivers",
    "missing_fields": "workflow",
    "override_problems": "workflow",
    "PLAN_APPROVED": "rules.engine",
    "policy_for": "rules.policy",
    "quality_checks": "rules.engine",
    "register": "codes",
    "REQ_APPROVED": "rules.engine",
    "RULES": "rules",
    "sarif_log": "sarif",
    "selected": "rules.policy",
    "settings_problems": "rules.policy",
    "statuses": "workflow",
    "unknown_codes": "rules.policy",
    "validate_item": "validation",
    "with_selection": "rules.policy",
    "workflow_for": "workflow",
}
__all__ = [
    "CODES",
    "DATE_PROBLEMS",
    "PLAN_APPROVED",
    "REQ_APPROVED",
    "RULES",
    "Code",
    "control_characters",
    "default_open",
    "errors_to_diagnostics",
    "every_code",
    "govern",
    "governed",
    "list_waivers",
    "missing_fields",
    "override_problems",
    "policy_for",
    "quality_checks",
    "register",
    "sarif_log",
    "selected",
    "settings_problems",
    "statuses",
    "unknown_codes",
    "validate_item",
    "with_selection",
    "workflow_for",
]
if not TYPE_CHECKING:  # mypy sees the names above, and no others
    __getattr__ = lazy_face(__name__, _EXPORTS)
