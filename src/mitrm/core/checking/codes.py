"""The registry of diagnostic codes: stable, documented in docs/rules.md.

MIT0xx file and YAML problems, MIT1xx schema, MIT2xx across files, MIT3xx
workflow, MIT601 from the git history, MIT7xx from ``mitrm import``; the quality
rules (MIT4xx) register themselves in ``rules``. A code marked ``governed`` is one
the ``rules`` settings (selection, severities, waivers) apply to; the others
always run at their own severity.
"""

from __future__ import annotations

from dataclasses import dataclass

from mitrm.core.diagnostics import Severity
from mitrm.i18n import N_


@dataclass(frozen=True)
class Code:
    """One diagnostic code: its default severity and a one-line summary."""

    code: str
    severity: Severity
    summary: str
    """In English, marked for translation: shown with ``_()`` in the interface language."""
    governed: bool = False
    """Whether the ``rules`` settings (selection, severities, waivers) apply to it."""


_E = Severity.ERROR

CODES: dict[str, Code] = {
    c.code: c
    for c in [
        Code("MIT001", _E, N_("invalid YAML syntax")),
        Code("MIT002", _E, N_("duplicate key in a mapping")),
        Code("MIT003", _E, N_("unresolved git merge conflict markers")),
        Code("MIT004", _E, N_("the file is not a mapping of fields")),
        Code("MIT005", _E, N_("the file is empty")),
        Code("MIT006", _E, N_("the file is not UTF-8 text")),
        Code("MIT007", _E, N_("the file is larger than 1 MiB")),
        Code("MIT008", _E, N_("tab used for indentation")),
        Code("MIT009", _E, N_("YAML tag or merge key not allowed")),
        Code("MIT010", _E, N_("symbolic link leading outside the data repo")),
        Code("MIT011", _E, N_("a key that YAML does not read as text (on, yes, 1)")),
        Code("MIT012", _E, N_("the file cannot be read")),
        Code("MIT013", _E, N_("full-width punctuation where YAML needs ASCII (：，U+3000)")),
        Code("MIT014", Severity.WARNING, N_("a control character in a text value")),
        Code("MIT101", _E, N_("unknown field")),
        Code("MIT102", _E, N_("a value of the wrong type or form")),
        Code("MIT103", _E, N_("a required field is missing")),
        Code("MIT104", _E, N_("a value outside its allowed list")),
        Code(
            "MIT105", Severity.WARNING, N_("the same value twice in a list of tags or references")
        ),
        Code("MIT201", _E, N_("the same id in two files")),
        Code("MIT202", _E, N_("the file name does not begin with the item's id")),
        Code("MIT203", _E, N_("a reference to an id that does not exist")),
        Code("MIT204", _E, N_("a dependency cycle")),
        Code("MIT205", _E, N_("plan dates inconsistent (phases, milestones outside the plan)")),
        Code("MIT206", _E, N_("budget lines add up to more than the total")),
        Code("MIT207", _E, N_("the id does not fit the kind's id scheme")),
        Code("MIT208", _E, N_("a reference to an item of the wrong kind")),
        Code("MIT301", _E, N_("a field the item's status requires is missing")),
        Code(
            "MIT601",
            Severity.WARNING,
            N_("an approved item changed without an approved change request naming it"),
            governed=True,
        ),
        # mitrm import: placed at a cell, FILE:Sheet!C7
        Code("MIT701", _E, N_("a cell or row that does not fit its field")),
        Code("MIT702", _E, N_("the item changed in the repo since the export")),
        Code("MIT703", _E, N_("a row that matches no item or kind")),
        Code("MIT704", _E, N_("a header row without an id or title column, or with a field twice")),
    ]
}


def register(code: Code) -> Code:
    """Add a code (quality rules call this at import); a clash is a programming error."""
    if code.code in CODES and CODES[code.code] != code:
        raise ValueError(f"diagnostic code {code.code} registered twice")
    CODES[code.code] = code
    return code


def every_code() -> dict[str, Code]:
    """Every code, the quality rules' included, by code."""
    # The quality rules register on import of their registry, which a command that
    # only lists codes (shell completion) would otherwise never import.
    import mitrm.core.checking.rules.registry  # noqa: F401

    return dict(CODES)


def governed(code: str) -> bool:
    """Whether ``code`` is a quality or history rule, which the ``rules`` settings govern."""
    known = CODES.get(code)
    return known is not None and known.governed
