"""Diagnostics: what every check reports, with a place, a stable code and a message."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from enum import Enum

Loc = tuple[str | int, ...]


class Severity(str, Enum):
    """How serious a diagnostic is."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in one file, at one place.

    ``loc`` is the field path inside the item (``("kpis", 0, "target")``); the
    loader turns it into ``line``/``column`` only for files that have problems,
    so clean files never pay for source positions.
    """

    path: str
    code: str
    message: str
    severity: Severity = Severity.ERROR
    line: int = 0
    column: int = 0
    item: str | None = None
    loc: Loc = field(default=(), compare=False)
    key: bool = field(default=False, compare=False)

    def __reduce__(self) -> tuple[type[Diagnostic], tuple[object, ...]]:
        # Verdict caches hold many diagnostics; the dataclass default pickles slowly.
        return (Diagnostic, tuple([getattr(self, name) for name in _DIAGNOSTIC_FIELDS]))

    def located(self, line: int, column: int) -> Diagnostic:
        """Return a copy placed at ``line``:``column`` (1-based)."""
        return replace(self, line=line, column=column)

    def with_severity(self, severity: Severity) -> Diagnostic:
        """Return a copy with another severity."""
        return replace(self, severity=severity)

    def text(self) -> str:
        """The one-line form of CLI.md: ``path:line:col: severity CODE message``."""
        line = max(self.line, 1)
        column = max(self.column, 1)
        return f"{self.path}:{line}:{column}: {self.severity.value} {self.code} {self.message}"

    def as_json(self) -> dict[str, object]:
        """The JSON object of CLI.md."""
        return {
            "path": self.path,
            "line": max(self.line, 1),
            "column": max(self.column, 1),
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
            "item": self.item,
        }

    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Order by place, then code: stable output for diffs and CI logs."""
        return (self.path, self.line, self.column, self.code, self.message)


_DIAGNOSTIC_FIELDS = tuple(f.name for f in fields(Diagnostic))


def format_loc(loc: Loc) -> str:
    """Render a field path the way users write it: ``kpis.0.target``."""
    return ".".join(str(part) for part in loc)


def count(diagnostics: Iterable[Diagnostic]) -> tuple[int, int]:
    """Return (errors, warnings)."""
    errors = warnings = 0
    for diagnostic in diagnostics:
        if diagnostic.severity is Severity.ERROR:
            errors += 1
        else:
            warnings += 1
    return errors, warnings
