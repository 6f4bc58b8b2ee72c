"""The quality rules' codes: default severity, summary and a generic hint (translated)."""

from __future__ import annotations

from dataclasses import dataclass

from mitrm.core.checking.codes import Code, register
from mitrm.core.diagnostics import Severity
from mitrm.i18n import N_, _


@dataclass(frozen=True)
class Rule:
    """One quality rule: its code, where it runs, and what to do about it."""

    code: str
    name: str
    summary: str
    hint_en: str  # marked for translation; shown in the interface language
    severity: Severity = Severity.WARNING
    scope: str = "item"
    """``item`` (per file, cached) or ``repo`` (over all items, every run)."""


_W = Severity.WARNING

RULES: dict[str, Rule] = {
    r.code: r
    for r in [
        Rule(
            "MIT401",
            "vague-wording",
            N_("vague expectation: unmeasurable words with no number or unit"),
            N_("say how much and by when, e.g. 'from 2.1% to 3% by 2026-09-30'"),
        ),
        Rule(
            "MIT402",
            "kpi-incomplete",
            N_("not SMART: a KPI without baseline, target, unit or measurement method"),
            N_("give the KPI a baseline, a target, a unit and how it is measured"),
        ),
        Rule(
            "MIT403",
            "no-due-date",
            N_("not SMART: a submitted requirement without a due date"),
            N_("add 'due: YYYY-MM-DD' (when does marketing need it?)"),
        ),
        Rule(
            "MIT404",
            "goal-without-kpi",
            N_("not SMART: a business goal that no KPI measures"),
            N_("add a KPI under 'kpis' that measures the goal (name, baseline, target, unit)"),
        ),
        Rule(
            "MIT405",
            "no-success-data",
            N_("no data to judge success: approved or later, but no KPI or no way to measure it"),
            N_("say how each KPI is measured ('measurement: web analytics, weekly')"),
        ),
        Rule(
            "MIT406",
            "rush-request",
            N_("rush request: the due date is closer than the effort estimate allows"),
            N_("move the due date, cut the scope or re-estimate the effort with IT"),
        ),
        Rule(
            "MIT407",
            "past-due",
            N_("an open item whose due date has passed"),
            N_("set a new due date, or close, defer or cancel the item"),
        ),
        Rule(
            "MIT408",
            "unjustified-investment",
            N_("unjustified investment: cost above the threshold, benefit missing or below cost"),
            N_("add 'estimate.benefit' and show that it exceeds the cost (ROI >= 1)"),
        ),
        Rule(
            "MIT409",
            "no-pilot",
            N_("a plan whose budget exceeds the threshold has no pilot phase"),
            N_("add a phase with 'kind: pilot' before the full roll-out"),
        ),
        Rule(
            "MIT410",
            "approval-missing",
            N_("skipped process: status beyond approval but no approval recorded"),
            N_("record who approved it and when ('approval: {by: ..., date: ...}')"),
        ),
        Rule(
            "MIT411",
            "no-it-owner",
            N_("skipped process: IT not involved: no IT owner during analysis"),
            N_("name the IT owner ('owners.it') so IT is involved before approval"),
        ),
        Rule(
            "MIT412",
            "no-acceptance-criteria",
            N_("missing tests: a submitted requirement without acceptance criteria"),
            N_("add 'acceptance_criteria': checks a tester can pass or fail"),
        ),
        Rule(
            "MIT413",
            "no-security-testing",
            N_("missing tests: a security or compliance requirement without security testing"),
            N_("set 'testing.security: true' and plan the security test"),
        ),
        Rule(
            "MIT414",
            "no-data-protection-review",
            N_("missing tests: personal data (GDPR, PII) without a data-protection review"),
            N_("set 'testing.data_protection_review: true' and book the review"),
        ),
        Rule(
            "MIT415",
            "migration-without-backup",
            N_("plan risk: a data migration without a backup or rollback mitigation"),
            N_("add a risk for the migration whose mitigation is a tested backup and rollback"),
        ),
        Rule(
            "MIT416",
            "high-risk-unmitigated",
            N_("plan risk: a high-likelihood, high-impact risk without mitigation or owner"),
            N_("give the risk a 'mitigation' and an 'owner'"),
        ),
        Rule(
            "MIT417",
            "plan-unapproved-requirements",
            N_("plan risk: a proposed or approved plan with requirements not yet approved"),
            N_("approve the requirements first, or move them out of the plan's scope"),
            scope="repo",
        ),
        Rule(
            "MIT418",
            "non-critical-pile",
            N_("piling non-critical requests: too many open could/won't items in the backlog"),
            N_("close, reject or defer low-value requests in the next prioritization meeting"),
            scope="repo",
        ),
        Rule(
            "MIT419",
            "changed-after-approval",
            N_("changing requirements: an approved requirement changed many times (git history)"),
            N_("record further changes as change requests ('mitrm new change')"),
            scope="repo",
        ),
        Rule(
            "MIT420",
            "unknown-waiver",
            N_("a waiver names a code that is not a quality rule"),
            N_("waive a quality rule code (MIT401 and up) listed in docs/rules.md"),
        ),
    ]
}

for _rule in RULES.values():
    register(Code(_rule.code, _rule.severity, _rule.summary, governed=True))


def hint(code: str) -> str:
    """The generic hint of ``code`` in the interface language."""
    return _(RULES[code].hint_en)
