"""Names a spreadsheet shows in the repo's language: sheet titles, headers, drop-down labels."""

from __future__ import annotations

import functools
from collections.abc import Mapping

from mitrm.core.exchange.sheets import Column
from mitrm.core.models import Kind
from mitrm.core.render.i18n import enum_groups, enum_names

SHEET_TITLES: dict[str, dict[Kind, str]] = {
    "en": {Kind.REQUIREMENT: "Requirements", Kind.PLAN: "Plans", Kind.CHANGE: "Change requests"},
    "zh": {Kind.REQUIREMENT: "需求", Kind.PLAN: "计划", Kind.CHANGE: "变更请求"},
}

# Chinese headers; the field name follows in brackets, so a header stays readable
# to a Chinese reader and exact for the import.
_ZH_HEADERS = {
    "id": "编号",
    "title": "标题",
    "type": "类型",
    "status": "状态",
    "tags": "标签",
    "approval.by": "审批人",
    "approval.date": "审批日期",
    "approval.note": "审批备注",
    "source.channel": "来源渠道",
    "source.department": "提出部门",
    "source.requester": "提出人",
    "source.reference": "来源参考",
    "owners.business": "业务负责人",
    "owners.it": "IT 负责人",
    "created": "创建日期",
    "due": "截止日期",
    "description": "描述",
    "background": "背景",
    "business_goal": "业务目标",
    "features": "系统功能",
    "acceptance_criteria": "验收标准",
    "feasibility.technical": "技术可行性",
    "feasibility.economic": "经济可行性",
    "feasibility.operational": "运营可行性",
    "feasibility.notes": "可行性说明",
    "estimate.effort_days": "工作量（人天）",
    "estimate.cost": "成本",
    "estimate.benefit": "预期收益",
    "estimate.currency": "币种",
    "estimate.benefit_period_months": "收益周期（月）",
    "estimate.confidence": "估算信心",
    "scoring.value": "价值",
    "scoring.urgency": "紧急程度",
    "scoring.difficulty": "难度",
    "scoring.risk_reduction": "风险降低",
    "scoring.moscow": "MoSCoW 优先级",
    "depends_on": "依赖",
    "compliance": "合规标签",
    "testing.notes": "测试说明",
    "training.needed": "需要培训",
    "training.audience": "培训对象",
    "training.plan": "培训计划",
    "owner": "负责人",
    "requirements": "范围内需求",
    "out_of_scope": "范围外",
    "start": "开始日期",
    "end": "结束日期",
    "budget.total": "预算总额",
    "budget.currency": "预算币种",
    "support.model": "支持模式",
    "support.hours": "支持时间",
    "targets": "变更对象",
    "reason": "变更原因",
    "requested_by": "申请人",
    "proposed_change": "变更内容",
    "impact.cost": "成本影响",
    "impact.currency": "影响币种",
    "impact.schedule_days": "进度影响（天）",
    "impact.quality": "质量影响",
    "impact.risk": "风险",
    "impact.scope": "范围影响",
    "decision.outcome": "决定",
    "decision.by": "决定人",
    "decision.date": "决定日期",
    "decision.rationale": "决定理由",
}


def header_names(lang: str) -> Mapping[str, str]:
    """Column name -> header text in ``lang`` (empty for English: the field name is the header)."""
    return _ZH_HEADERS if lang == "zh" else {}


@functools.cache
def choice_labels(column: Column, lang: str) -> Mapping[str, str]:
    """Value -> drop-down label of a choice column in ``lang`` (empty: show the values)."""
    if column.enum is None or lang != "zh":
        return {}
    for group, enum in enum_groups().items():
        if enum is column.enum:
            return enum_names(lang)[group]
    return {}


def kind_of_sheet(name: str) -> Kind | None:
    """The kind a sheet holds, from its title in any language (or a kind's own name)."""
    wanted = name.strip().casefold()
    for titles in SHEET_TITLES.values():
        for kind, title in titles.items():
            if title.casefold() == wanted:
                return kind
    for kind in Kind:
        if wanted in (kind.value, kind.folder, kind.label.casefold()):
            return kind
    return None
