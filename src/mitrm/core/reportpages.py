"""The extra pages of ``mitrm report``: full backlog and validation results, as Markdown."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from mitrm.core.diagnostics import Diagnostic, count
from mitrm.core.ranking import Ranking
from mitrm.core.ranking import note as why
from mitrm.core.render.markdown import cell

_TEXT: Mapping[str, Mapping[str, str]] = {
    "en": {
        "backlog": "Ranked backlog",
        "model": "Model",
        "unscored": "Unscored (inputs missing)",
        "missing": "Missing",
        "none": "None.",
        "validation": "Validation results",
        "summary": "{files} files checked: {errors} errors, {warnings} warnings.",
        "clean": "No problems found.",
        "header": "| Rank | ID | Title | Score | Status | Due | Note |",
        "vheader": "| Place | Severity | Code | Message |",
        "uheader": "| ID | Title | Status | Missing |",
    },
    "zh": {
        "backlog": "优先级排序",
        "model": "模型",
        "unscored": "未评分（缺少输入）",
        "missing": "缺少",
        "none": "无。",
        "validation": "校验结果",
        "summary": "已检查 {files} 个文件：{errors} 个错误，{warnings} 个警告。",
        "clean": "未发现问题。",
        "header": "| 排名 | 编号 | 标题 | 得分 | 状态 | 截止日期 | 说明 |",
        "vheader": "| 位置 | 严重程度 | 代码 | 信息 |",
        "uheader": "| 编号 | 标题 | 状态 | 缺少 |",
    },
}


def _score(value: float | None) -> str:
    if value is None:
        return "-"
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def backlog_page(ranking: Ranking, *, lang: str, links: Mapping[str, str]) -> str:
    """The whole ranked backlog, then the unscored items with what they lack."""
    t = _TEXT.get(lang, _TEXT["en"])
    lines = [f"# {t['backlog']}", "", f"{t['model']}: `{ranking.model}` ({cell(ranking.formula)})"]
    lines += ["", t["header"], "| --: | --- | --- | --: | --- | --- | --- |"]
    for entry in ranking.entries:
        req = entry.req
        ref = f"[{req.id}]({links[req.id]})" if req.id in links else req.id
        due = req.due.isoformat() if req.due else "-"
        note = cell(why(entry, lang=lang))
        lines.append(
            f"| {entry.rank} | {ref} | {cell(req.title)} | {_score(entry.score.value)} "
            f"| {req.status.value} | {due} | {note} |"
        )
    lines += ["", f"## {t['unscored']}", ""]
    if ranking.unscored:
        lines += [t["uheader"], "| --- | --- | --- | --- |"]
        for other in ranking.unscored:
            ref = f"[{other.id}]({links[other.id]})" if other.id in links else other.id
            lines.append(
                f"| {ref} | {cell(other.req.title)} | {other.req.status.value} "
                f"| {cell(', '.join(other.missing))} |"
            )
    else:
        lines.append(t["none"])
    return "\n".join(lines) + "\n"


def validation_page(diagnostics: Sequence[Diagnostic], *, files: int, lang: str) -> str:
    """Every diagnostic of ``mitrm validate`` as a table, with the summary line."""
    t = _TEXT.get(lang, _TEXT["en"])
    errors, warnings = count(diagnostics)
    lines = [f"# {t['validation']}", "", t["summary"].format(
        files=files, errors=errors, warnings=warnings)]  # fmt: skip
    if not diagnostics:
        return "\n".join([*lines, "", t["clean"]]) + "\n"
    lines += ["", t["vheader"], "| --- | --- | --- | --- |"]
    for d in diagnostics:
        place = f"`{d.path}:{max(d.line, 1)}:{max(d.column, 1)}`"
        lines.append(f"| {place} | {d.severity.value} | {d.code} | {cell(d.message)} |")
    return "\n".join(lines) + "\n"
