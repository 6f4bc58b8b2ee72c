"""One item file as loaded: its place, its data, its model and its problems."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from mitrm.core.diagnostics import Diagnostic, Loc, Severity
from mitrm.core.models import Item, Kind

Pending = tuple[dt.date, dt.date | None, Diagnostic]
"""A diagnostic that holds from a day (inclusive) until a day (inclusive, None: for ever).

Date-dependent rules (rush, past due) give these, so that a cached verdict does
not depend on today's date; ``check_files`` keeps those that hold today.
"""

Dated = tuple[dt.date, dt.date | None, str, str, Severity, int, int]
"""A located ``Pending`` as the summary keeps it: (since, until, code, message,
severity, line, column); plain tuples keep the verdict cache quick to write."""


@dataclass(slots=True)
class Record:
    """One item file after loading: where it is, what it holds, what is wrong with it."""

    path: str
    kind: Kind
    id: str | None = None
    model: Item | None = None
    data: dict[str, Any] | None = None
    text: str | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # Quality-rule diagnostics that hold only on some days (see ``Pending``).
    pending: list[Pending] = field(default_factory=list)

    @property
    def status(self) -> str | None:
        """The item's status as written, valid or not."""
        value = self.data.get("status") if self.data else None
        return value if isinstance(value, str) else None

    def summary(self) -> Summary:
        """What the rules across files need to know of this record."""
        model = self.model
        return Summary(
            path=self.path,
            kind=self.kind,
            id=self.id,
            status=self.status,
            refs=tuple(model.references()) if model is not None else (),
            moscow=_moscow(model),
            waivers=tuple((w.rule, w.until) for w in model.waivers) if model is not None else (),
            pending=tuple(
                (since, until, d.code, d.message, d.severity, d.line, d.column)
                for since, until, d in self.pending
            ),
        )


def _moscow(model: Item | None) -> str | None:
    scoring = getattr(model, "scoring", None)
    moscow = getattr(scoring, "moscow", None)
    return moscow.value if moscow is not None else None


@dataclass(slots=True)
class Summary:
    """The little of an item that rules across files read; cached per file version.

    Treat it as read-only. It is not frozen only because a frozen dataclass is
    five times slower to build, and a warm run unpickles 10,000 of them.
    """

    path: str
    kind: Kind
    id: str | None
    status: str | None
    refs: tuple[tuple[Loc, str], ...] = ()
    # --- what the repo-level quality rules read, so they never need the full model ---
    moscow: str | None = None
    waivers: tuple[tuple[str, dt.date | None], ...] = ()
    pending: tuple[Dated, ...] = ()

    def __reduce__(self) -> tuple[type[Summary], tuple[object, ...]]:
        # Caches hold one summary per file; the dataclass default pickles slowly.
        return (
            Summary,
            (
                self.path,
                self.kind,
                self.id,
                self.status,
                self.refs,
                self.moscow,
                self.waivers,
                self.pending,
            ),
        )
