"""The Mermaid charts of the documents, drawn at build time as inline SVG.

The documents carry their charts as Mermaid blocks (GitHub and GitLab draw
them); the HTML site cannot count on a Mermaid script (intranets block CDNs),
so the few chart kinds mitrm writes (pie, quadrant, Gantt) are read back from
the block and drawn here. Every text is escaped; a block this module does not
understand stays a code block.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass, field
from html import escape

PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)
_FONT = 12  # px; text widths below are estimated from it
_MAX_POINTS_LABELLED = 500


def _e(text: str) -> str:
    return escape(text, quote=True)


def text_width(text: str, size: float = _FONT) -> float:
    """Estimated width of ``text`` in px: wide (CJK) characters take about two columns."""
    units = sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in text)
    return units * size


def _clip(text: str, width: float, size: float = _FONT) -> str:
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1].strip()
    return text


@dataclass
class Pie:
    """A pie chart: a title and labelled counts."""

    title: str = ""
    slices: list[tuple[str, float]] = field(default_factory=list)


@dataclass
class Quadrant:
    """A quadrant chart: axes, four quadrant names and labelled points in [0, 1]."""

    title: str = ""
    x_axis: tuple[str, str] = ("", "")
    y_axis: tuple[str, str] = ("", "")
    quadrants: dict[int, str] = field(default_factory=dict)
    points: list[tuple[str, float, float]] = field(default_factory=list)


@dataclass
class Task:
    """One bar (or milestone) of a Gantt chart."""

    section: str
    name: str
    start: dt.date
    end: dt.date
    milestone: bool = False
    done: bool = False


@dataclass
class Gantt:
    """A Gantt chart: sections of dated tasks and milestones."""

    title: str = ""
    tasks: list[Task] = field(default_factory=list)


Chart = Pie | Quadrant | Gantt

_PIE_SLICE = re.compile(r'^"(.*)"\s*:\s*(-?\d+(?:\.\d+)?)$')
_AXIS = re.compile(r"^([xy])-axis\s+(.*?)(?:\s*-->\s*(.*))?$")
_QUADRANT = re.compile(r"^quadrant-([1-4])\s+(.*)$")
_POINT = re.compile(r'^"?(.*?)"?\s*:\s*\[\s*(-?[\d.]+)\s*,\s*(-?[\d.]+)\s*\]$')
_TASK = re.compile(r"^(.*?)\s*:\s*(.*)$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse(source: str) -> Chart | None:
    """The chart a Mermaid block describes, or None for a kind or line not understood."""
    lines = [line.strip() for line in source.splitlines() if line.strip()]
    lines = [line for line in lines if not line.startswith("%%")]
    if not lines:
        return None
    head, rest = lines[0], lines[1:]
    try:
        if head.startswith("pie"):
            return _pie(head, rest)
        if head == "quadrantChart":
            return _quadrant(rest)
        if head == "gantt":
            return _gantt(rest)
    except ValueError:
        return None
    return None


def _pie(head: str, lines: list[str]) -> Pie:
    pie = Pie()
    if head.startswith("pie title "):
        pie.title = _unquote(head[len("pie title ") :])
    for line in lines:
        if line.startswith("title "):
            pie.title = _unquote(line[6:])
            continue
        match = _PIE_SLICE.match(line)
        if not match:
            raise ValueError(line)
        pie.slices.append((match.group(1), float(match.group(2))))
    return pie


def _quadrant(lines: list[str]) -> Quadrant:
    chart = Quadrant()
    for line in lines:
        if line.startswith("title "):
            chart.title = _unquote(line[6:])
        elif axis := _AXIS.match(line):
            pair = (_unquote(axis.group(2)), _unquote(axis.group(3) or ""))
            if axis.group(1) == "x":
                chart.x_axis = pair
            else:
                chart.y_axis = pair
        elif quadrant := _QUADRANT.match(line):
            chart.quadrants[int(quadrant.group(1))] = _unquote(quadrant.group(2))
        elif point := _POINT.match(line):
            x, y = float(point.group(2)), float(point.group(3))
            chart.points.append((point.group(1), min(max(x, 0.0), 1.0), min(max(y, 0.0), 1.0)))
        else:
            raise ValueError(line)
    return chart


def _gantt(lines: list[str]) -> Gantt:
    chart = Gantt()
    section = ""
    for line in lines:
        if line.startswith("title "):
            chart.title = line[6:].strip()
        elif line.startswith(("dateFormat", "axisFormat", "excludes", "todayMarker")):
            continue
        elif line.startswith("section "):
            section = line[8:].strip()
        elif task := _TASK.match(line):
            parts = [p.strip() for p in task.group(2).split(",")]
            tags = {p for p in parts if p in ("done", "active", "crit", "milestone")}
            dates = [dt.date.fromisoformat(p) for p in parts if _DATE.match(p)]
            if not dates:
                raise ValueError(line)
            start, end = dates[0], dates[-1]
            milestone = "milestone" in tags
            if end < start:
                start, end = end, start
            chart.tasks.append(
                Task(section, task.group(1), start, end, milestone, done="done" in tags)
            )
        else:
            raise ValueError(line)
    if not chart.tasks:
        raise ValueError("no task")  # nothing to draw: the block stays as it is
    return chart


def draw(chart: Chart) -> str:
    """The chart as an inline ``<svg>`` element."""
    if isinstance(chart, Pie):
        return _draw_pie(chart)
    if isinstance(chart, Quadrant):
        return _draw_quadrant(chart)
    return _draw_gantt(chart)


def _svg(width: float, height: float, title: str, body: list[str], kind: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-{kind}" '
        f'viewBox="0 0 {width:g} {height:g}" width="{width:g}" height="{height:g}" '
        f'role="img" font-size="{_FONT}" font-family="sans-serif">'
        f"<title>{_e(title)}</title>" + "".join(body) + "</svg>"
    )


def _text(x: float, y: float, text: str, *, anchor: str = "start", extra: str = "") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{extra}>{_e(text)}</text>'


def _draw_pie(pie: Pie) -> str:
    total = sum(max(v, 0.0) for _, v in pie.slices)
    radius, cx, cy = 110.0, 130.0, 150.0
    legend_x = 270.0
    rows = len(pie.slices)
    height = max(300.0, 50.0 + rows * 22.0)
    body = [_text(10, 22, pie.title, extra=' font-size="15" font-weight="bold"')]
    angle = -math.pi / 2
    for index, (label, value) in enumerate(pie.slices):
        colour = PALETTE[index % len(PALETTE)]
        share = max(value, 0.0) / total if total else 0.0
        if share >= 0.9999:
            body.append(f'<circle cx="{cx}" cy="{cy}" r="{radius}" fill="{colour}"/>')
        elif share > 0:
            end = angle + share * 2 * math.pi
            x1, y1 = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
            x2, y2 = cx + radius * math.cos(end), cy + radius * math.sin(end)
            large = 1 if share > 0.5 else 0
            body.append(
                f'<path d="M{cx},{cy} L{x1:.2f},{y1:.2f} A{radius},{radius} 0 {large} 1 '
                f'{x2:.2f},{y2:.2f} Z" fill="{colour}" stroke="#fff" stroke-width="1">'
                f"<title>{_e(label)}: {value:g}</title></path>"
            )
            angle = end
        y = 50 + index * 22
        body.append(f'<rect x="{legend_x}" y="{y - 11}" width="14" height="14" fill="{colour}"/>')
        percent = f"{share * 100:.0f}%"
        body.append(_text(legend_x + 20, y, _clip(f"{label}: {value:g} ({percent})", 300)))
    return _svg(600, height, pie.title, body, "pie")


def _draw_quadrant(chart: Quadrant) -> str:
    width, height = 640.0, 520.0
    left, top, size_x, size_y = 60.0, 40.0, 540.0, 420.0
    body = [
        _text(
            width / 2, 24, chart.title, anchor="middle", extra=' font-size="15" font-weight="bold"'
        )
    ]
    fills = {1: "#e8f0fa", 2: "#eaf6ea", 3: "#f4f4f4", 4: "#fbeeee"}
    # Mermaid's numbering: 1 top right, 2 top left, 3 bottom left, 4 bottom right.
    corners = {1: (1, 0), 2: (0, 0), 3: (0, 1), 4: (1, 1)}
    for number, (col, row) in corners.items():
        x, y = left + col * size_x / 2, top + row * size_y / 2
        body.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{size_x / 2:.1f}" height="{size_y / 2:.1f}" '
            f'fill="{fills[number]}" stroke="#bbb"/>'
        )
        name = chart.quadrants.get(number, "")
        if name:
            body.append(
                _text(
                    x + size_x / 4,
                    y + 20,
                    _clip(name, size_x / 2 - 10),
                    anchor="middle",
                    extra=' fill="#666" font-size="13"',
                )
            )
    low_x, high_x = chart.x_axis
    low_y, high_y = chart.y_axis
    base = top + size_y + 20
    body.append(_text(left, base, _clip(low_x, size_x / 2 - 10)))
    body.append(_text(left + size_x, base, _clip(high_x, size_x / 2 - 10), anchor="end"))
    for label, y in ((low_y, top + size_y), (high_y, top)):
        anchor = "start" if y > top else "end"
        body.append(
            f'<text transform="translate({left - 12:.1f},{y:.1f}) rotate(-90)" '
            f'text-anchor="{anchor}">{_e(_clip(label, size_y / 2 - 10))}</text>'
        )
    # The quadrant names are in place first: no point label covers them.
    taken: list[tuple[float, float, float, float]] = []
    for number, (col, row) in corners.items():
        name = _clip(chart.quadrants.get(number, ""), size_x / 2 - 10)
        if name:
            middle, w = left + col * size_x / 2 + size_x / 4, text_width(name, 13)
            base_y = top + row * size_y / 2 + 20
            taken.append((middle - w / 2, base_y - 12, middle + w / 2, base_y + 3))
    points = []
    for label, fx, fy in chart.points:
        px, py = left + fx * size_x, top + (1 - fy) * size_y
        points.append((label, px, py))
        taken.append((px - 5, py - 5, px + 5, py + 5))
    marks: list[str] = []
    labels: list[str] = []
    # Highest value first (the order of the block): the top items get their labels;
    # a label that would overprint another or leave the plot is left out (the point
    # keeps a tooltip, and the table under the chart lists every point).
    for label, px, py in points:
        marks.append(
            f'<circle cx="{px:.1f}" cy="{py:.1f}" r="5" fill="#4e79a7" stroke="#fff">'
            f"<title>{_e(label)}</title></circle>"
        )
        if len(points) > _MAX_POINTS_LABELLED:
            continue  # the search for room is quadratic: a chart this full shows dots
        w = text_width(label, 11)
        for dx, dy, anchor in (
            (8, 4, "start"),
            (-8, 4, "end"),
            (0, -9, "middle"),
            (0, 17, "middle"),
        ):
            x0 = px + dx if anchor == "start" else px + dx - w if anchor == "end" else px - w / 2
            box = (x0, py + dy - 10, x0 + w, py + dy + 2)
            inside = (
                left <= box[0]
                and box[2] <= left + size_x
                and top <= box[1]
                and box[3] <= top + size_y
            )
            if inside and not any(_overlap(box, other) for other in taken):
                taken.append(box)
                labels.append(
                    _text(px + dx, py + dy, label, anchor=anchor, extra=' font-size="11"')
                )
                break
    body += marks + labels
    return _svg(width, height, chart.title, body, "quadrant")


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _draw_gantt(chart: Gantt) -> str:
    tasks = chart.tasks
    label_w, plot_w, row_h = 260.0, 480.0, 24.0
    first = min(t.start for t in tasks)
    last = max(t.end for t in tasks)
    span = max((last - first).days, 1)
    sections: list[str] = []
    for task in tasks:
        if task.section not in sections:
            sections.append(task.section)
    rows = len(tasks) + len(sections)
    top = 50.0
    height = top + rows * row_h + 20
    width = label_w + plot_w + 60  # room for the last month's name

    def x_of(day: dt.date) -> float:
        return label_w + (day - first).days / span * plot_w

    body = [_text(10, 22, chart.title, extra=' font-size="15" font-weight="bold"')]
    month = dt.date(first.year, first.month, 1)
    step = max(1, math.ceil(span / 31 / 12))  # at most about 12 ticks
    while month <= last:
        if month >= first:
            x = x_of(month)
            body.append(
                f'<line x1="{x:.1f}" y1="{top - 8}" x2="{x:.1f}" y2="{height - 20}" stroke="#ddd"/>'
            )
            body.append(
                _text(x + 2, top - 12, month.strftime("%Y-%m"), extra=' font-size="10" fill="#555"')
            )
        months = month.month - 1 + step
        if month.year + months // 12 > dt.MAXYEAR:
            break
        month = dt.date(month.year + months // 12, months % 12 + 1, 1)
    y = top
    for index, section in enumerate(sections):
        colour = PALETTE[index % len(PALETTE)]
        if section:
            body.append(_text(6, y + 16, _clip(section, label_w - 12), extra=' font-weight="bold"'))
        y += row_h
        for task in (t for t in tasks if t.section == section):
            body.append(_text(14, y + 16, _clip(task.name, label_w - 24)))
            x1 = x_of(task.start)
            tip = (
                f"<title>{_e(task.name)}: {task.start}"
                + ("" if task.milestone else f" – {task.end}")
                + "</title>"
            )
            if task.milestone:
                cy = y + row_h / 2
                fill = "#59a14f" if task.done else "#e15759"
                body.append(
                    f'<path d="M{x1:.1f},{cy - 7:.1f} L{x1 + 7:.1f},{cy:.1f} '
                    f'L{x1:.1f},{cy + 7:.1f} L{x1 - 7:.1f},{cy:.1f} Z" fill="{fill}">{tip}</path>'
                )
            else:
                x2 = max(x_of(task.end), x1 + 2)
                body.append(
                    f'<rect x="{x1:.1f}" y="{y + 5:.1f}" width="{x2 - x1:.1f}" '
                    f'height="{row_h - 10:.1f}" rx="3" fill="{colour}">{tip}</rect>'
                )
            y += row_h
    return _svg(width, height, chart.title, body, "gantt")
