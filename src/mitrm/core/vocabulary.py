"""The closed vocabularies (types, statuses, channels...): display names and accepted answers.

Files always hold the canonical English values; people may answer with a
value's number in a menu, the value, its name in any language mitrm speaks, or
a synonym that the language's catalog lists (so a translator adds synonyms
without touching Python).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import cache

from mitrm.i18n import LANGUAGES, N_, NP_, language, translate

# value -> English display name, marked for translation with the group as context.
NAMES: dict[str, dict[str, str]] = {
    "kind": {
        "requirement": NP_("kind", "requirement"),
        "plan": NP_("kind", "plan"),
        "change": NP_("kind", "change request"),
    },
    "requirement_type": {
        "feature": NP_("requirement_type", "Feature"),
        "improvement": NP_("requirement_type", "Improvement"),
        "defect": NP_("requirement_type", "Defect"),
        "security": NP_("requirement_type", "Security"),
        "compliance": NP_("requirement_type", "Compliance"),
        "data": NP_("requirement_type", "Data"),
        "integration": NP_("requirement_type", "Integration"),
        "infrastructure": NP_("requirement_type", "Infrastructure"),
        "reporting": NP_("requirement_type", "Reporting"),
        "campaign": NP_("requirement_type", "Campaign"),
        "other": NP_("requirement_type", "Other"),
    },
    "requirement_status": {
        "draft": NP_("requirement_status", "Draft"),
        "submitted": NP_("requirement_status", "Submitted"),
        "analysis": NP_("requirement_status", "Analysis"),
        "approved": NP_("requirement_status", "Approved"),
        "planned": NP_("requirement_status", "Planned"),
        "in_progress": NP_("requirement_status", "In progress"),
        "testing": NP_("requirement_status", "Testing"),
        "released": NP_("requirement_status", "Released"),
        "closed": NP_("requirement_status", "Closed"),
        "deferred": NP_("requirement_status", "Deferred"),
        "rejected": NP_("requirement_status", "Rejected"),
        "cancelled": NP_("requirement_status", "Cancelled"),
    },
    "channel": {
        "internal": NP_("channel", "Internal"),
        "customer": NP_("channel", "Customer"),
        "survey": NP_("channel", "Survey"),
        "hotline": NP_("channel", "Hotline"),
        "partner": NP_("channel", "Partner"),
        "agency": NP_("channel", "Agency"),
        "supplier": NP_("channel", "Supplier"),
        "it": NP_("channel", "IT"),
        "management": NP_("channel", "Management"),
        "regulator": NP_("channel", "Regulator"),
    },
    "priority": {
        "must": NP_("priority", "Must"),
        "should": NP_("priority", "Should"),
        "could": NP_("priority", "Could"),
        "wont": NP_("priority", "Won't"),
    },
    "level": {
        "low": NP_("level", "Low"),
        "medium": NP_("level", "Medium"),
        "high": NP_("level", "High"),
    },
    "plan_status": {
        "draft": NP_("plan_status", "Draft"),
        "proposed": NP_("plan_status", "Proposed"),
        "approved": NP_("plan_status", "Approved"),
        "in_progress": NP_("plan_status", "In progress"),
        "on_hold": NP_("plan_status", "On hold"),
        "completed": NP_("plan_status", "Completed"),
        "cancelled": NP_("plan_status", "Cancelled"),
    },
    "phase_kind": {
        "preparation": NP_("phase_kind", "Preparation"),
        "pilot": NP_("phase_kind", "Pilot"),
        "rollout": NP_("phase_kind", "Rollout"),
        "migration": NP_("phase_kind", "Migration"),
        "stabilisation": NP_("phase_kind", "Stabilisation"),
        "other": NP_("phase_kind", "Other"),
    },
    "budget_category": {
        "hardware": NP_("budget_category", "Hardware"),
        "software": NP_("budget_category", "Software"),
        "network": NP_("budget_category", "Network"),
        "people": NP_("budget_category", "People"),
        "services": NP_("budget_category", "Services"),
        "training": NP_("budget_category", "Training"),
        "licences": NP_("budget_category", "Licences"),
        "contingency": NP_("budget_category", "Contingency"),
        "other": NP_("budget_category", "Other"),
    },
    "resource_kind": {
        "hardware": NP_("resource_kind", "Hardware"),
        "software": NP_("resource_kind", "Software"),
        "network": NP_("resource_kind", "Network"),
        "people": NP_("resource_kind", "People"),
        "service": NP_("resource_kind", "Service"),
    },
    "change_status": {
        "draft": NP_("change_status", "Draft"),
        "submitted": NP_("change_status", "Submitted"),
        "assessed": NP_("change_status", "Assessed"),
        "approved": NP_("change_status", "Approved"),
        "rejected": NP_("change_status", "Rejected"),
        "implemented": NP_("change_status", "Implemented"),
        "withdrawn": NP_("change_status", "Withdrawn"),
    },
    "change_reason": {
        "market": NP_("change_reason", "Market"),
        "competitor": NP_("change_reason", "Competitor"),
        "regulation": NP_("change_reason", "Regulation"),
        "business": NP_("change_reason", "Business"),
        "defect": NP_("change_reason", "Defect"),
        "technical": NP_("change_reason", "Technical"),
    },
    "outcome": {
        "approved": NP_("outcome", "Approved"),
        "rejected": NP_("outcome", "Rejected"),
        "deferred": NP_("outcome", "Deferred"),
    },
}

# One catalog message per group lists the synonyms accepted in that language.
SYNONYMS: dict[str, str] = {
    # TRANSLATORS: answers accepted for each requirement type besides its name, as
    # value=word,word; value=word (values stay English). Leave untranslated if none.
    "requirement_type": N_("synonyms of requirement_type"),
    # TRANSLATORS: answers accepted for each requirement status besides its name.
    "requirement_status": N_("synonyms of requirement_status"),
    # TRANSLATORS: answers accepted for each source channel besides its name.
    "channel": N_("synonyms of channel"),
    # TRANSLATORS: answers accepted for each plan status besides its name.
    "plan_status": N_("synonyms of plan_status"),
    # TRANSLATORS: answers accepted for each change request status besides its name.
    "change_status": N_("synonyms of change_status"),
    # TRANSLATORS: answers accepted for each change reason besides its name.
    "change_reason": N_("synonyms of change_reason"),
}


def display_name(group: str, value: str, lang: str) -> str:
    """The name of ``value`` of ``group`` in ``lang`` (the value itself if it has none)."""
    english = NAMES.get(group, {}).get(value)
    return translate(lang, english, group) if english else value


def shown(group: str, value: str) -> str:
    """The name of ``value`` in the interface language."""
    return display_name(group, value, language())


def _key(text: str) -> str:
    # Full-width letters and digits (typed on a Chinese keyboard) read as plain ones.
    return unicodedata.normalize("NFKC", text).strip().casefold().replace(" ", "_")


@cache
def answers(group: str) -> dict[str, str]:
    """Every accepted answer (normalized) -> canonical value, for ``group``."""
    found: dict[str, str] = {}
    for value, english in NAMES.get(group, {}).items():
        found[_key(value)] = value
        for lang in LANGUAGES:
            found.setdefault(_key(translate(lang, english, group)), value)
    marker = SYNONYMS.get(group)
    for lang in LANGUAGES:
        listed = translate(lang, marker) if marker else ""
        if not marker or listed == marker:
            continue
        for entry in listed.replace("；", ";").split(";"):
            value, _sep, words = entry.partition("=")
            value = value.strip()
            if value not in NAMES[group]:
                continue
            for word in words.replace("，", ",").replace("、", ",").split(","):
                if word.strip():
                    found.setdefault(_key(word), value)
    return found


def named_value(groups: Iterable[str], text: str) -> str:
    """The value ``text`` names in the first of ``groups`` that knows it, else ``text``."""
    for group in groups:
        value = canonical(group, text)
        if value is not None:
            return value
    return text


def canonical(group: str, text: str, values: Iterable[str] | None = None) -> str | None:
    """The canonical value that ``text`` names in ``group``, or None.

    ``values`` narrows the vocabulary (a repo may rename or add statuses); an
    exact value outside the known names is still accepted when listed there.
    """
    allowed = list(values) if values is not None else list(NAMES.get(group, {}))
    key = _key(text)
    if key in allowed:
        return key
    value = answers(group).get(key)
    return value if value in allowed else None
