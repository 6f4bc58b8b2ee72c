"""The extra pages of ``mitrm report``: full backlog and validation results, as Markdown."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from mitrm.core.diagnostics import Diagnostic, count
from mitrm.core.prioritization import Ranking
from mitrm.core.prioritization import note as why
from mitrm.core.render.markdown import cell
from mitrm.i18n import NP_, translate

# The pages' texts, translated into the report's language (not the user's).
_TEXT: Mapping[str, str] = {
    "backlog": NP_("doc:report", "Ranked backlog"),
    "model": NP_("doc:report", "Model"),
    "unscored": NP_("doc:report", "Unscored (inputs missing)"),
    "missing": NP_("doc:report", "Missing"),
    "none": NP_("doc:report", "None."),
    "validation": NP_("doc:report", "Validation results"),
    "summary": NP_("doc:report", "{files} files checked: {errors} errors, {warnings} warnings."),
    "clean": NP_("doc:report", "No problems found."),
    "header": NP_("doc:report", "| Rank | ID | Title | Score | Status | Due | Note |"),
    "vheader": NP_("doc:report", "| Place | Severity | Code | Message |"),
    "uheader": NP_("doc:report", "| ID | Title | Status | Missing |"),
}


def _score(value: float | None) -> str:
    if value is None:
        return "-"
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def backlog_page(ranking: Ranking, *, lang: str, links: Mapping[str, str]) -> str:
    """The whole ranked backlog, then the unscored items with what they lack."""
    t = {key: translate(lang, text, "doc:report") for key, text in _TEXT.items()}
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
    t = {key: translate(lang, text, "doc:report") for key, text in _TEXT.items()}
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
