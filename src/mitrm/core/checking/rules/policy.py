"""Which quality rules run, at which severity: settings, CLI selection and waivers."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from mitrm.core.checking.rules.registry import RULES
from mitrm.core.diagnostics import Diagnostic, Severity
from mitrm.core.models import Settings
from mitrm.core.models.common import Waiver
from mitrm.i18n import _

_CODE_PREFIX = re.compile(r"^MIT[0-9]{0,3}$")


@dataclass(frozen=True)
class Policy:
    """The enabled quality rules of one run and the severity of each."""

    enabled: frozenset[str]
    severity: dict[str, Severity]
    language: str

    def on(self, code: str) -> bool:
        """Whether rule ``code`` runs."""
        return code in self.enabled


def _specificity(prefixes: list[str], code: str) -> int:
    """Length of the longest prefix in ``prefixes`` that ``code`` starts with (-1: none)."""
    return max((len(p) for p in prefixes if code.startswith(p)), default=-1)


def selected(code: str, select: list[str], ignore: list[str]) -> bool:
    """Whether ``code`` runs: the most specific matching prefix wins; on a tie, ignore wins."""
    chosen = _specificity(select, code) if select else 0
    dropped = _specificity(ignore, code)
    return chosen >= 0 and chosen > dropped


def governed_codes() -> list[str]:
    """The codes selection and severity settings apply to: quality (MIT4xx) and history rules."""
    from mitrm.core.checking.codes import CODES

    return sorted({*RULES, *(code for code, known in CODES.items() if known.governed)})


def unknown_codes(prefixes: list[str]) -> list[str]:
    """The entries of ``prefixes`` that are not a prefix of some quality or history rule code."""
    known = governed_codes()
    return [
        p
        for p in prefixes
        if not _CODE_PREFIX.match(p) or not any(code.startswith(p) for code in known)
    ]


def settings_problems(settings: Settings) -> list[tuple[tuple[str | int, ...], str]]:
    """Problems in the ``rules`` settings, as (field path, message) for mitrm.yaml."""
    rules = settings.rules
    problems: list[tuple[tuple[str | int, ...], str]] = []
    for name, prefixes in (("select", rules.select), ("ignore", rules.ignore)):
        for index, prefix in enumerate(prefixes):
            if unknown_codes([prefix]):
                problems.append(
                    (
                        ("rules", name, index),
                        _(
                            "field '{field}': '{prefix}' is not a quality or history rule code "
                            "(MIT401 and up, or a prefix such as MIT41)"
                        ).format(field=f"rules.{name}.{index}", prefix=prefix),
                    )
                )
    for prefix, value in rules.severity.items():
        if unknown_codes([prefix]):
            problems.append(
                (
                    ("rules", "severity", prefix),
                    _(
                        "field '{field}': '{prefix}' is not a quality or history rule code "
                        "(MIT401 and up, or a prefix such as MIT41)"
                    ).format(field="rules.severity", prefix=prefix),
                )
            )
        elif value not in ("error", "warning"):
            problems.append(
                (
                    ("rules", "severity", prefix),
                    _("field '{field}' must be error or warning (got '{value}')").format(
                        field=f"rules.severity.{prefix}", value=value
                    ),
                )
            )
    return problems


_CACHE: list[tuple[Settings, Policy]] = []


def policy_for(settings: Settings) -> Policy:
    """The policy of ``settings`` (computed once per settings object)."""
    if _CACHE and _CACHE[0][0] is settings:
        return _CACHE[0][1]
    rules = settings.rules
    enabled = frozenset(code for code in RULES if selected(code, rules.select, rules.ignore))
    overrides = {k: v for k, v in rules.severity.items() if v in ("error", "warning")}
    severity = {}
    for code, rule in RULES.items():
        best = max((p for p in overrides if code.startswith(p)), key=len, default=None)
        severity[code] = Severity(overrides[best]) if best is not None else rule.severity
    policy = Policy(enabled=enabled, severity=severity, language=settings.language.value)
    _CACHE[:] = [(settings, policy)]
    return policy


def with_selection(settings: Settings, *, select: list[str], ignore: list[str]) -> Settings:
    """Settings with the CLI's ``--select`` (replaces) and ``--ignore`` (adds) applied."""
    if not select and not ignore:
        return settings
    rules = settings.rules.model_copy(
        update={
            "select": list(select) if select else settings.rules.select,
            "ignore": [*settings.rules.ignore, *ignore],
        }
    )
    return settings.model_copy(update={"rules": rules})


def waiver_window(waivers: list[Waiver], code: str) -> tuple[bool, dt.date | None]:
    """(waived, until): whether ``code`` is waived, and the waiver's last day (None: for ever)."""
    found = [w for w in waivers if w.rule == code]
    if not found:
        return False, None
    if any(w.until is None for w in found):
        return True, None
    return True, max(w.until for w in found if w.until is not None)


def govern(found: Sequence[Diagnostic], settings: Settings) -> list[Diagnostic]:
    """Findings made outside the rule engine (history) under the same selection and severity."""
    rules = settings.rules
    kept = []
    for diagnostic in found:
        if not selected(diagnostic.code, rules.select, rules.ignore):
            continue
        level = rules.severity.get(diagnostic.code)
        if level in ("error", "warning"):
            diagnostic = diagnostic.with_severity(Severity(level))
        kept.append(diagnostic)
    return kept
