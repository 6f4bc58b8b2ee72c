"""Printing for ``mitrm prioritize``: tables, JSON, CSV and Markdown of rankings and selections."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from mitrm.cli.fit import print_fitted
from mitrm.cli.output import ListFormat, column, emit_csv, emit_json, emit_markdown, stdout
from mitrm.cli.streams import printable
from mitrm.core.models import Requirement
from mitrm.core.prioritization import (
    Prepared,
    RankedEntry,
    Ranking,
    Score,
    Selection,
    Sensitivity,
    Term,
    UnscoredEntry,
    is_open,
    score_item,
)
from mitrm.core.prioritization import note as why
from mitrm.errors import UnknownIdError
from mitrm.i18n import _

_WIDE = re.compile(
    "[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff"
    "\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]"
)
HEADER = ["rank", "id", "title", "score", "terms", "status", "due", "note"]


def num(value: float | Decimal | None) -> str:
    """A number as people read it: at most two decimals, no trailing zeros."""
    if value is None:
        return ""
    text = f"{float(value):,.2f}" if isinstance(value, Decimal) else f"{value:.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _terms(score: Score) -> str:
    return " ".join(f"{term.name}={num(term.points)}" for term in score.terms)


def _table(
    header: Sequence[str], rows: Sequence[Sequence[Any]], *, title: str | None = None
) -> None:
    """A rich table fitted to the terminal; aligned plain text (fast for long lists, every
    value whole) when piped."""
    console = stdout()
    cells = [["" if cell is None else str(cell) for cell in row] for row in rows]
    if console.is_terminal:
        print_fitted(
            console,
            header,
            [[printable(cell) for cell in row] for row in cells],
            title=printable(title) if title else None,
            heading=column,
        )
        return

    def cell_len(text: str) -> int:
        # East Asian wide characters take two cells; a regex count is fast enough for
        # ten thousand rows where rich's per-character measure is not.
        return len(text) if text.isascii() else len(text) + len(_WIDE.findall(text))

    everything = [[column(name) for name in header], *cells]
    sizes = [[cell_len(cell) for cell in row] for row in everything]
    widths = [max(column) for column in zip(*sizes, strict=True)]
    lines = [] if title is None else [title]
    for row, size in zip(everything, sizes, strict=True):
        padded = [
            cell + " " * (width - used) for cell, used, width in zip(row, size, widths, strict=True)
        ]
        lines.append("  ".join(padded).rstrip())
    sys.stdout.write("\n".join(lines) + "\n")


def _row(entry: RankedEntry) -> list[Any]:
    req = entry.req
    label = entry.score.tier_label
    # A MoSCoW category stays in view; otherwise the note says why it moved, if it did.
    note = "; ".join(part for part in (label if label != "boosted" else None, why(entry)) if part)
    return [
        entry.rank,
        req.id,
        req.title,
        num(entry.score.value),
        _terms(entry.score),
        req.status.value,
        req.due.isoformat() if req.due else "",
        note,
    ]


def term_json(term: Term) -> dict[str, Any]:
    """A term in the JSON output."""
    return term.as_json()


def entry_json(entry: RankedEntry) -> dict[str, Any]:
    """A ranked entry in the JSON output (docs/scoring.md)."""
    req = entry.req
    return {
        "rank": entry.rank,
        "id": req.id,
        "title": req.title,
        "score": round(entry.score.value or 0.0, 6),
        "tier": entry.score.tier,
        "tier_label": entry.score.tier_label,
        "status": req.status.value,
        "type": req.type.value,
        "due": req.due.isoformat() if req.due else None,
        "terms": [term_json(term) for term in entry.score.terms],
        "rules": list(entry.score.rules),
        "natural_rank": entry.natural_rank,
        "moved_by_dependency": entry.moved_by_dependency,
        "moved_by_rule": entry.moved_by_rule,
        "after": list(entry.after),
        "waiting_on": list(entry.waiting_on),
        "note": why(entry),
    }


def unscored_json(entry: UnscoredEntry) -> dict[str, Any]:
    """An unscored entry in the JSON output."""
    return {
        "id": entry.id,
        "title": entry.req.title,
        "status": entry.req.status.value,
        "missing": list(entry.missing),
    }


def ranking_json(ranking: Ranking, top: int | None) -> dict[str, Any]:
    """The whole ranking as the documented JSON document."""
    shown = ranking.entries[:top] if top else ranking.entries
    return {
        "model": ranking.model,
        "formula": ranking.formula,
        "today": ranking.today.isoformat(),
        "weights": dict(ranking.weights),
        "imputed": dict(ranking.imputed),
        "ranked": [entry_json(entry) for entry in shown],
        "unscored": [unscored_json(entry) for entry in ranking.unscored],
        "count": {"ranked": len(ranking.entries), "unscored": len(ranking.unscored)},
    }


def _unscored_rows(ranking: Ranking) -> list[list[Any]]:
    return [
        [entry.id, entry.req.title, entry.req.status.value, ", ".join(entry.missing)]
        for entry in ranking.unscored
    ]


def ranking(ranking: Ranking, fmt: ListFormat, top: int | None) -> None:
    """Print the ranking in ``fmt``; unscored items below it."""
    shown = ranking.entries[:top] if top else ranking.entries
    if fmt is ListFormat.JSON:
        emit_json(ranking_json(ranking, top))
        return
    rows = [_row(entry) for entry in shown]
    if fmt is ListFormat.CSV:
        header = [*HEADER, "missing"]
        extra = [
            [
                "",
                e.id,
                e.req.title,
                "",
                "",
                e.req.status.value,
                _due(e.req),
                "unscored",
                "; ".join(e.missing),
            ]
            for e in ranking.unscored
        ]
        emit_csv(header, [[*row, ""] for row in rows] + extra)
        return
    if fmt is ListFormat.MARKDOWN:
        emit_markdown(HEADER, rows)
        if ranking.unscored:
            sys.stdout.write("\n" + _("Unscored (missing inputs):") + "\n\n")
            emit_markdown(["id", "title", "status", "missing"], _unscored_rows(ranking))
        return
    title = f"{ranking.model}: {ranking.formula}"
    if ranking.imputed:
        title += _(" (missing inputs imputed as the median)")
    _table(HEADER, rows, title=title)
    if ranking.unscored:
        sys.stdout.write(
            "\n"
            + _("unscored: {n} open requirements lack inputs").format(n=len(ranking.unscored))
            + "\n"
        )
        _table(["id", "title", "status", "missing"], _unscored_rows(ranking))


def _due(req: Requirement) -> str:
    return req.due.isoformat() if req.due else ""


def explain(
    ranking: Ranking,
    item_id: str,
    everything: list[Requirement],
    prepared: Prepared,
    fmt: ListFormat,
) -> int:
    """Print every term of one item's score, its rules and its dependency moves."""
    found = ranking.find(item_id)
    req = next((r for r in everything if r.id == item_id), None)
    if req is None:
        raise UnknownIdError(
            _("no requirement has the id '{id}'").format(id=item_id), hint=_("see 'mitrm list'")
        )
    if found is None:
        # Closed or filtered out: score it anyway, but say it is not ranked.
        score = score_item(prepared, req, weights=ranking.weights)
        why = (
            _("not ranked: status '{status}' is not open").format(status=req.status.value)
            if not is_open(req, prepared.open_statuses)
            else _("not ranked: left out by the filters")
        )
        return _explain_score(ranking, req, score, None, why, fmt)
    if isinstance(found, UnscoredEntry):
        score = Score(req.id, ranking.model, None, missing=found.missing)
        return _explain_score(ranking, req, score, None, "unscored", fmt)
    return _explain_score(ranking, req, found.score, found, None, fmt)


def _explain_score(
    ranking: Ranking,
    req: Requirement,
    score: Score,
    entry: RankedEntry | None,
    why: str | None,
    fmt: ListFormat,
) -> int:
    if fmt is ListFormat.JSON:
        document: dict[str, Any] = {
            "id": req.id,
            "title": req.title,
            "model": ranking.model,
            "formula": ranking.formula,
            "today": ranking.today.isoformat(),
            "weights": dict(ranking.weights),
            "score": None if score.value is None else round(score.value, 6),
            "rank": entry.rank if entry else None,
            "of": len(ranking.entries),
            "natural_rank": entry.natural_rank if entry else None,
            "terms": [term_json(term) for term in score.terms],
            "rules": list(score.rules),
            "missing": list(score.missing),
            "moved_by_dependency": entry.moved_by_dependency if entry else None,
            "after": list(entry.after) if entry else [],
            "waiting_on": list(entry.waiting_on) if entry else [],
            "note": why,
        }
        emit_json(document)
        return 0
    lines = [
        f"{req.id}  {req.title}",
        _("model: {model}: {formula}").format(model=ranking.model, formula=ranking.formula),
    ]
    if score.value is None:
        lines.append(
            _("unscored: missing {inputs} (never scored as zero)").format(
                inputs=", ".join(score.missing)
            )
        )
    else:
        rank = (
            _("rank {rank} of {n}").format(rank=entry.rank, n=len(ranking.entries))
            if entry
            else (why or "")
        )
        lines.append(_("score: {score}   {rank}").format(score=num(score.value), rank=rank))
        if entry and entry.natural_rank != entry.rank:
            lines.append(_("rank by score alone: {rank}").format(rank=entry.natural_rank))
    write = sys.stdout.write
    write("\n".join(lines) + "\n")
    if score.terms:
        write("\n")
        rows = [
            [
                term.op,
                term.name,
                "" if term.input is None else term.input,
                num(term.points),
                "" if term.weight is None else num(term.weight),
                num(term.contribution) if term.op == "+" else "",
                term.source,
            ]
            for term in score.terms
        ]
        _table(["op", "term", "input", "points", "weight", "contribution", "source"], rows)
    if score.rules:
        write("\n" + _("rules applied:") + "\n" + "".join(f"  - {rule}\n" for rule in score.rules))
    notes = []
    if entry and entry.moved_by_dependency:
        notes.append(entry.moved_by_dependency)
    if entry and entry.after:
        notes.append(_("ranks after what it depends on: {ids}").format(ids=", ".join(entry.after)))
    if entry and entry.waiting_on:
        notes.append(
            _(
                "also depends on {ids}, open but not ranked here "
                "(unscored or filtered out), so they cannot order it"
            ).format(ids=", ".join(entry.waiting_on))
        )
    if notes:
        write("\n" + _("dependencies:") + "\n" + "".join(f"  - {note}\n" for note in notes))
    write(
        "\n"
        + _(
            "ties are broken by score, then due date, then effort, then id; "
            "equal scores share a rank"
        )
        + "\n"
    )
    return 0


def sensitivity(ranking: Ranking, result: Sensitivity, fmt: ListFormat) -> None:
    """Print how stable the top N is under each weight change."""
    rows = [
        [
            p.weight,
            f"{p.change:+.0%}",
            f"{p.kept}/{result.top}",
            _("yes") if p.same_order else _("no"),
            " ".join(p.entered),
            " ".join(p.left),
        ]
        for p in result.perturbations
    ]
    movers = [[m.id, m.title, m.rank, m.best_rank, m.worst_rank, m.shift] for m in result.movers]
    if fmt is ListFormat.JSON:
        emit_json(
            {
                "model": ranking.model,
                "weights": dict(ranking.weights),
                "top": result.top,
                "stable": list(result.stable),
                "perturbations": [
                    {
                        "weight": p.weight,
                        "change": p.change,
                        "kept": p.kept,
                        "same_order": p.same_order,
                        "entered": list(p.entered),
                        "left": list(p.left),
                    }
                    for p in result.perturbations
                ],
                "movers": [
                    {
                        "id": m.id,
                        "rank": m.rank,
                        "best_rank": m.best_rank,
                        "worst_rank": m.worst_rank,
                        "shift": m.shift,
                    }
                    for m in result.movers
                ],
            }
        )
        return
    header = ["weight", "change", f"top {result.top} kept", "same order", "entered", "left"]
    mover_header = ["id", "title", "rank", "best rank", "worst rank", "moves"]
    if fmt is ListFormat.CSV:
        emit_csv(header, rows)
        return
    if fmt is ListFormat.MARKDOWN:
        emit_markdown(header, rows)
        sys.stdout.write("\n")
        emit_markdown(mover_header, movers)
        return
    kept = _("top {n} kept").format(n=result.top)  # CSV and Markdown keep the English name
    _table(
        [*header[:2], kept, *header[3:]],
        rows,
        title=_("each weight of {model} at -20 % and +20 %").format(model=ranking.model),
    )
    sys.stdout.write(
        "\n"
        + _("stable: {count} of the top {top} stay in it under every change").format(
            count=len(result.stable), top=result.top
        )
        + (f" ({', '.join(result.stable)})" if result.stable else "")
        + "\n"
    )
    if movers:
        sys.stdout.write("\n" + _("items that move most:") + "\n")
        _table(mover_header, movers)


def selection(ranking: Ranking, chosen: Selection, fmt: ListFormat, top: int | None) -> None:
    """Print what was chosen within the limits, what was left out and why."""
    limits = chosen.limits
    if fmt is ListFormat.JSON:
        emit_json(
            {
                **ranking_json(ranking, top),
                "selection": {
                    "limits": [
                        {
                            "name": limit.name,
                            "amount": str(limit.amount),
                            "unit": limit.unit,
                            "used": str(used),
                            "left": str(limit.amount - used),
                        }
                        for limit, used in zip(limits, chosen.used, strict=True)
                    ],
                    "total_score": round(chosen.total_score, 6),
                    "greedy_score": round(chosen.greedy_score, 6),
                    "optimal": chosen.optimal,
                    "method": chosen.method,
                    "solver_status": chosen.status,
                    "stopped_by": chosen.stopped_by,
                    "gap": None if chosen.gap is None else round(chosen.gap, 6),
                    "bound": round(chosen.bound, 6),
                    "notes": list(chosen.notes),
                    "chosen": [
                        {
                            "rank": c.rank,
                            "id": c.id,
                            "title": c.title,
                            "score": round(c.score, 6),
                            "costs": [str(x) for x in c.costs],
                        }
                        for c in chosen.chosen
                    ],
                    "left_out": [
                        {
                            "rank": o.rank,
                            "id": o.id,
                            "title": o.title,
                            "score": round(o.score, 6),
                            "reason": o.reason,
                        }
                        for o in chosen.left_out
                    ],
                },
            }
        )
        return
    names = [f"{limit.name} ({limit.unit})" for limit in limits]
    header = ["rank", "id", "title", "score", *names, "chosen", "reason"]
    rows: list[list[Any]] = [
        [c.rank, c.id, c.title, num(c.score), *(num(x) for x in c.costs), "yes", ""]
        for c in chosen.chosen
    ]
    left = chosen.left_out[:top] if top else chosen.left_out
    blanks = [""] * len(limits)
    rows_out = [[o.rank, o.id, o.title, num(o.score), *blanks, "no", o.reason] for o in left]
    if fmt is ListFormat.CSV:
        emit_csv(header, rows + rows_out)
        return
    summary = _summary(chosen)
    if fmt is ListFormat.MARKDOWN:
        sys.stdout.write(summary + "\n\n")
        emit_markdown(header, rows + rows_out)
        return
    _table(header[:-2], [row[:-2] for row in rows], title=_("chosen"))
    sys.stdout.write("\n" + summary + "\n")
    if rows_out:
        sys.stdout.write("\n" + _("left out:") + "\n")
        _table(["rank", "id", "title", "score", "reason"], [[*r[:4], r[-1]] for r in rows_out])


def _summary(chosen: Selection) -> str:
    parts = []
    for limit, used in zip(chosen.limits, chosen.used, strict=True):
        rest = (
            _("{left} left").format(left=num(limit.amount - used))
            if used <= limit.amount
            else _("over by {over}").format(over=num(used - limit.amount))
        )
        parts.append(
            _("{limit} {amount} {unit}: used {used}, {rest}").format(
                limit=limit.name,
                amount=num(limit.amount),
                unit=limit.unit,
                used=num(used),
                rest=rest,
            )
        )
    if any(used > limit.amount for limit, used in zip(chosen.limits, chosen.used, strict=True)):
        proof = _("only the work already under way (see the note)")
    elif chosen.optimal:
        proof = _("the best possible total ({method}: proven optimal)").format(method=chosen.method)
    else:
        gap = (
            _("how far from the best it is, unknown")
            if chosen.gap is None
            else _("the best possible is at most {bound}, {gap:.2%} higher").format(
                bound=num(chosen.bound), gap=chosen.gap
            )
        )
        proof = _(
            "the best found, not proven the best ({method} stopped at {stopped_by}, "
            "after {nodes:,} nodes; {gap})"
        ).format(
            method=chosen.method,
            stopped_by=_(chosen.stopped_by) if chosen.stopped_by else "",
            nodes=chosen.nodes,
            gap=gap,
        )
    return (
        _(
            "{n} chosen, total score {total}: {proof}; "
            "greedy by score per cost would reach {greedy}"
        ).format(
            n=len(chosen.chosen),
            total=num(chosen.total_score),
            proof=proof,
            greedy=num(chosen.greedy_score),
        )
        + "\n"
        + _("; ").join(parts)
        + "".join("\n" + _("note: {note}").format(note=note) for note in chosen.notes)
    )
