"""Documents that explain themselves: checklists say how to tick a box, requirement
documents their rank, plans their budget once, and the quadrant chart stays readable."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from conftest import CliRun
from mitrm.core.render.portfolio import LABEL_WIDTH, spread

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "acme"
COMMAND = re.compile(r"`(mitrm (?:set|status|show) [^`]*)`")


@pytest.fixture
def acme(tmp_path: Path, cli: CliRun) -> tuple[Path, Path]:
    repo = tmp_path / "acme"
    shutil.copytree(EXAMPLE, repo)
    result = cli("-C", str(repo), "render", "--out", str(tmp_path / "docs"))
    assert result.exit_code == 0, result.stderr
    return repo, tmp_path / "docs"


def test_every_unticked_box_says_which_field_and_command(acme: tuple[Path, Path]) -> None:
    _, docs = acme
    boxes = 0
    for path in sorted(docs.rglob("*-readiness.md")) + sorted(docs.rglob("*-checklist.md")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for index, line in enumerate(lines):
            if line.startswith("- [ ] "):
                boxes += 1
                follow = lines[index + 1] if index + 1 < len(lines) else ""
                assert re.match(r"  - fill `[\w.]+`: `mitrm (set|status|show) ", follow), (
                    path.name,
                    line,
                )
    assert boxes > 50


def test_the_commands_in_the_checklists_work(acme: tuple[Path, Path], cli: CliRun) -> None:
    repo, docs = acme
    commands: dict[str, str] = {}
    for path in sorted(docs.rglob("*-readiness.md")) + sorted(docs.rglob("*-checklist.md")):
        for command in COMMAND.findall(path.read_text(encoding="utf-8")):
            words = shlex.split(command)
            # One of each kind of command (field path without its list positions).
            kind = re.sub(r"\d+|=.*", "", words[3]) if words[1] == "set" else words[1]
            commands.setdefault(kind, command)
    assert len(commands) >= 20
    originals = {p: p.read_bytes() for p in repo.rglob("*.yaml")}
    for command in commands.values():
        filled = command.replace("…", "x").replace("YYYY-MM-DD", "2027-01-04")
        result = cli("-C", str(repo), *shlex.split(filled)[1:])
        assert result.exit_code == 0, (filled, result.stderr)
        for path, data in originals.items():
            path.write_bytes(data)


def test_a_requirement_shows_score_rank_and_model_not_raw_inputs(
    acme: tuple[Path, Path],
) -> None:
    _, docs = acme
    text = (docs / "requirements" / "REQ-0002.md").read_text(encoding="utf-8")
    assert "## Priority\n\nScore 65, rank 5 of 10 in the ranked backlog." in text
    assert "Scoring model: `weighted` (" in text
    assert "business\\_value" not in text and "ice\\_impact" not in text
    unscored = (docs / "requirements" / "REQ-0004.md").read_text(encoding="utf-8")
    assert "Not ranked: the score needs `scoring.value`" in unscored
    released = (docs / "requirements" / "REQ-0003.md").read_text(encoding="utf-8")
    assert "## Priority" not in released  # released: not in the backlog any more


def test_the_plan_prints_its_budget_table_once(acme: tuple[Path, Path]) -> None:
    _, docs = acme
    text = (docs / "plans" / "PLAN-0001.md").read_text(encoding="utf-8")
    budget = text.split("## Budget", 1)[1].split("\n## ", 1)[0]
    assert budget.count("| Category |") == 1
    assert budget.count("| Contingency |") == 1


def _label_boxes(points: list[tuple[float, float]]) -> list[tuple[float, float, float, float]]:
    # Mermaid centres the id under its point: about LABEL_WIDTH wide, 0.03 high.
    return [
        (x - LABEL_WIDTH / 2 + 0.005, y - 0.035, x + LABEL_WIDTH / 2 - 0.005, y) for x, y in points
    ]


@pytest.mark.parametrize("count", [11, 30])
def test_quadrant_points_spread_so_ids_neither_overprint_nor_clip(count: int) -> None:
    # As the example: values are whole points (five levels), efforts bunch up, ties.
    places = [(((i * 7) % 13) / 13, (1 + i % 3 + 0.5 - 0.5) / 5 + 0.1) for i in range(count)]
    places[1] = places[0]  # an exact tie
    placed = spread(places)
    assert None not in placed  # few points: every one is drawn
    moved = [p for p in placed if p is not None]
    for x, _ in moved:
        assert LABEL_WIDTH / 2 <= x <= 1 - LABEL_WIDTH / 2  # ids not clipped at the edges
    boxes = _label_boxes(moved)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
    for (_, y0), (_, y1) in zip(places, moved, strict=True):
        assert abs(y1 - y0) < 0.1  # still within its value level


def test_portfolio_with_200_requirements_keeps_a_readable_quadrant(
    tmp_path: Path, cli: CliRun
) -> None:
    repo = tmp_path / "big"
    (repo / "requirements").mkdir(parents=True)
    (repo / "mitrm.yaml").write_text("project: Big\n", encoding="utf-8")
    for i in range(1, 201):
        (repo / "requirements" / f"REQ-{i:04d}-x.yaml").write_text(
            f"id: REQ-{i:04d}\ntitle: Item {i}\ntype: feature\nstatus: submitted\n"
            "source: {channel: internal, department: Marketing, requester: A}\n"
            "created: 2026-01-05\ndescription: Something measurable.\n"
            f"estimate: {{effort_days: {5 + (i * 7) % 60}}}\n"
            f"scoring: {{value: {1 + i % 5}, difficulty: {1 + i % 4}}}\n",
            encoding="utf-8",
        )
    result = cli("-C", str(repo), "render", "--out", str(tmp_path / "docs"))
    assert result.exit_code == 0, result.stderr
    index = (tmp_path / "docs" / "index.md").read_text(encoding="utf-8")
    chart = index.split("quadrantChart", 1)[1].split("```", 1)[0]
    assert "title Value versus effort\n" in chart  # no quotes shown in the title
    points = [
        (float(x), float(y)) for x, y in re.findall(r'"REQ-\d{4}": \[([\d.]+), ([\d.]+)\]', chart)
    ]
    assert 15 <= len(points) <= 30  # the rest are in the table only
    assert index.count("](requirements/REQ-") >= 30
    boxes = _label_boxes(points)
    overlaps = sum(
        1
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
    )
    assert overlaps == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("d: >-\n  站内搜索，\n  拼音搜索\n", "站内搜索，拼音搜索"),
        (
            "d: >-\n  English words\n  wrapped 中\n  文 and more\n",
            "English words wrapped 中文 and more",
        ),
        (
            "d: >\n  中文\n  English\n\n  段落\n    indented\n  后\n",
            "中文 English\n段落\n  indented\n后\n",
        ),
        ("- >-\n  会员\n  营销\n- b\n", None),
        ("d: |\n  中\n  文\n", "中\n文\n"),  # literal blocks keep their lines
        ("d: >2-\n   中\n   文\n", " 中\n 文"),  # explicit indentation: as YAML reads it
    ],
)
def test_folded_chinese_text_gains_no_spaces(text: str, expected: str | None) -> None:
    from mitrm.io.yamlfile import load_yaml

    data = load_yaml(text)
    if expected is None:
        assert data == ["会员营销", "b"]
    else:
        assert data["d"] == expected


def test_folded_chinese_description_renders_without_spaces(acme: tuple[Path, Path]) -> None:
    _, docs = acme
    text = (docs / "requirements" / "REQ-0008.md").read_text(encoding="utf-8")
    assert "返回零结果。增加同义词词典" in text
    assert "返回零结果。 增加" not in text
