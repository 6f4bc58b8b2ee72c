"""The quality rules' codes: default severity, summary and a generic hint in English and Chinese."""

from __future__ import annotations

from dataclasses import dataclass

from mitrm.core.codes import Code, register
from mitrm.core.diagnostics import Severity


@dataclass(frozen=True)
class Rule:
    """One quality rule: its code, where it runs, and what to do about it."""

    code: str
    name: str
    summary: str
    hint_en: str
    hint_zh: str
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
            "vague expectation: unmeasurable words with no number or unit",
            "say how much and by when, e.g. 'from 2.1% to 3% by 2026-09-30'",
            "写明提升多少、何时达成，例如“从2.1%提升到3%，2026-09-30前”",
        ),
        Rule(
            "MIT402",
            "kpi-incomplete",
            "not SMART: a KPI without baseline, target, unit or measurement method",
            "give the KPI a baseline, a target, a unit and how it is measured",
            "为该KPI补充基线值、目标值、单位和衡量方法",
        ),
        Rule(
            "MIT403",
            "no-due-date",
            "not SMART: a submitted requirement without a due date",
            "add 'due: YYYY-MM-DD' (when does marketing need it?)",
            "补充截止日期 'due: YYYY-MM-DD'（市场部何时需要？）",
        ),
        Rule(
            "MIT404",
            "goal-without-kpi",
            "not SMART: a business goal that no KPI measures",
            "add a KPI under 'kpis' that measures the goal (name, baseline, target, unit)",
            "在 'kpis' 下补充衡量该业务目标的KPI（名称、基线、目标、单位）",
        ),
        Rule(
            "MIT405",
            "no-success-data",
            "no data to judge success: approved or later, but no KPI or no way to measure it",
            "say how each KPI is measured ('measurement: web analytics, weekly')",
            "写明每个KPI的衡量方法（例如 'measurement: 网站分析，每周'）",
        ),
        Rule(
            "MIT406",
            "rush-request",
            "rush request: the due date is closer than the effort estimate allows",
            "move the due date, cut the scope or re-estimate the effort with IT",
            "与IT商定：推迟截止日期、缩小范围或重新评估工作量",
        ),
        Rule(
            "MIT407",
            "past-due",
            "an open item whose due date has passed",
            "set a new due date, or close, defer or cancel the item",
            "设定新的截止日期，或将该需求关闭、延期或取消",
        ),
        Rule(
            "MIT408",
            "unjustified-investment",
            "unjustified investment: cost above the threshold, benefit missing or below cost",
            "add 'estimate.benefit' and show that it exceeds the cost (ROI >= 1)",
            "补充 'estimate.benefit'，说明预期收益不低于成本（ROI ≥ 1）",
        ),
        Rule(
            "MIT409",
            "no-pilot",
            "a plan whose budget exceeds the threshold has no pilot phase",
            "add a phase with 'kind: pilot' before the full roll-out",
            "在全面推广前增加一个 'kind: pilot' 的试点阶段",
        ),
        Rule(
            "MIT410",
            "approval-missing",
            "skipped process: status beyond approval but no approval recorded",
            "record who approved it and when ('approval: {by: ..., date: ...}')",
            "记录审批人和审批日期（'approval: {by: ..., date: ...}'）",
        ),
        Rule(
            "MIT411",
            "no-it-owner",
            "skipped process: IT not involved: no IT owner during analysis",
            "name the IT owner ('owners.it') so IT is involved before approval",
            "指定IT负责人（'owners.it'），让IT在审批前参与",
        ),
        Rule(
            "MIT412",
            "no-acceptance-criteria",
            "missing tests: a submitted requirement without acceptance criteria",
            "add 'acceptance_criteria': checks a tester can pass or fail",
            "补充 'acceptance_criteria'：测试人员可判定通过与否的验收标准",
        ),
        Rule(
            "MIT413",
            "no-security-testing",
            "missing tests: a security or compliance requirement without security testing",
            "set 'testing.security: true' and plan the security test",
            "设置 'testing.security: true' 并安排安全测试",
        ),
        Rule(
            "MIT414",
            "no-data-protection-review",
            "missing tests: personal data (GDPR, PII) without a data-protection review",
            "set 'testing.data_protection_review: true' and book the review",
            "设置 'testing.data_protection_review: true' 并安排数据保护评审",
        ),
        Rule(
            "MIT415",
            "migration-without-backup",
            "plan risk: a data migration without a backup or rollback mitigation",
            "add a risk for the migration whose mitigation is a tested backup and rollback",
            "为数据迁移增加风险项，缓解措施写明经过验证的备份与回滚方案",
        ),
        Rule(
            "MIT416",
            "high-risk-unmitigated",
            "plan risk: a high-likelihood, high-impact risk without mitigation or owner",
            "give the risk a 'mitigation' and an 'owner'",
            "为该风险补充 'mitigation'（缓解措施）和 'owner'（负责人）",
        ),
        Rule(
            "MIT417",
            "plan-unapproved-requirements",
            "plan risk: a proposed or approved plan with requirements not yet approved",
            "approve the requirements first, or move them out of the plan's scope",
            "先批准这些需求，或将其移出计划范围",
            scope="repo",
        ),
        Rule(
            "MIT418",
            "non-critical-pile",
            "piling non-critical requests: too many open could/won't items in the backlog",
            "close, reject or defer low-value requests in the next prioritization meeting",
            "在下次优先级会议上关闭、拒绝或延后低价值需求",
            scope="repo",
        ),
        Rule(
            "MIT419",
            "changed-after-approval",
            "changing requirements: an approved requirement changed many times (git history)",
            "record further changes as change requests ('mitrm new change')",
            "后续变更请走变更请求流程（'mitrm new change'）",
            scope="repo",
        ),
        Rule(
            "MIT420",
            "unknown-waiver",
            "a waiver names a code that is not a quality rule",
            "waive a quality rule code (MIT401 and up) listed in docs/rules.md",
            "豁免项只能填写质量规则代码（MIT401及以上，见 docs/rules.md）",
        ),
    ]
}

for _rule in RULES.values():
    register(Code(_rule.code, _rule.severity, _rule.summary))


def hint(code: str, language: str) -> str:
    """The generic hint of ``code`` in ``language`` (``zh`` or English)."""
    rule = RULES[code]
    return rule.hint_zh if language == "zh" else rule.hint_en
