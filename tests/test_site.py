"""The HTML site of ``mitrm report``: every page, safe from the text it shows, linked up."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import CliRun, DataRepo
from mitrm.core.site import body_html, charts, local_target
from sitecheck import broken_links, read
from test_render_hostile import CHANGE, PLAN, REQUIREMENT
from test_report import _acme

# A template from the data repo is untrusted too: raw HTML and script links in it.
EVIL_TEMPLATE = """\
# {{ req.id }} evil

<script>alert("template")</script>
<img src="x" onerror="alert(1)">

[click](javascript:alert(1)) [data](data:text/html,<b>x</b>) [up](../../../../etc/passwd)
[vb](VBScript:msgbox) [ok](https://example.com/x?a=1) [mail](mailto:a@example.com)
<a href="javascript:alert(2)">raw link</a>
"""


@pytest.fixture
def hostile_site(data_repo: DataRepo, cli: CliRun) -> Path:
    data_repo.write("mitrm.yaml", "project: '<script>alert(\"p\")</script>'\n")
    data_repo.write("requirements/REQ-0001-x.yaml", REQUIREMENT)
    data_repo.write("plans/PLAN-0001-x.yaml", PLAN)
    data_repo.write("changes/CR-0001-x.yaml", CHANGE)
    data_repo.write("templates/readiness.md.j2", EVIL_TEMPLATE)
    out = data_repo.root / "public"
    result = cli("-C", str(data_repo.root), "report", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    return out


def test_every_document_gets_a_page(hostile_site: Path) -> None:
    pages = {p.relative_to(hostile_site).as_posix() for p in hostile_site.rglob("*.html")}
    documents = {p.relative_to(hostile_site).as_posix() for p in hostile_site.rglob("*.md")}
    assert pages == {d[:-3] + ".html" for d in documents}
    assert "requirements/REQ-0001-readiness.html" in pages


def test_no_page_can_run_code_from_item_text_or_templates(hostile_site: Path) -> None:
    for path in sorted(hostile_site.rglob("*.html")):
        page = read(path)
        name = path.relative_to(hostile_site).as_posix()
        assert page.inline_code == [], name
        for tag, attrs in page.tags:
            assert tag not in ("iframe", "object", "embed", "style", "img", "form", "base"), name
            assert not [a for a in attrs if a.startswith("on")], (name, tag, attrs)
            if tag == "script":
                assert attrs["src"].endswith("assets/site.js"), name
            for key in ("href", "src"):
                value = attrs.get(key, "")
                assert not re.match(r"\s*(javascript|vbscript|data|file):", value, re.I), name
        csp = [
            a["content"]
            for t, a in page.tags
            if t == "meta" and "content" in a and a.get("http-equiv") == "Content-Security-Policy"
        ]
        assert csp and "script-src 'self'" in csp[0] and "default-src 'none'" in csp[0], name
    # The hostile words are shown, as text.
    readiness = read(hostile_site / "requirements/REQ-0001-readiness.html")
    shown = "".join(readiness.text)
    assert (
        '<script>alert("template")</script>'
        not in (hostile_site / "requirements/REQ-0001-readiness.html").read_text()
    )
    assert "click" in shown and "raw link" not in [a.get("href") for _, a in readiness.tags]
    hrefs = [a["href"] for t, a in readiness.tags if t == "a" and "href" in a]
    assert "https://example.com/x?a=1" in hrefs and "mailto:a@example.com" in hrefs
    index = (hostile_site / "requirements/REQ-0001.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in index  # the title, escaped


def test_every_local_link_of_the_example_site_resolves(git_repo: DataRepo, cli: CliRun) -> None:
    repo = _acme(git_repo)
    out = repo.root / "public"
    assert cli("-C", str(repo.root), "report", "--out", str(out)).exit_code == 0
    assert broken_links(out) == []
    index = read(out / "index.html")
    hrefs = [a.get("href") for t, a in index.tags if t == "a"]
    assert "requirements/REQ-0001.html" in hrefs and "backlog.html" in hrefs
    kinds = [a["data-chart"] for t, a in index.tags if t == "figure"]
    assert kinds == ["pie", "quadrant"]
    plan = read(out / "plans/PLAN-0001.html")
    assert [a["data-chart"] for t, a in plan.tags if t == "figure"] == ["gantt"]
    # The link to the source YAML leaves the published folder: kept as text, not a link.
    doc = (out / "requirements/REQ-0002.html").read_text(encoding="utf-8")
    assert "REQ-0002-crm-customer-data-unification.yaml" in doc
    assert '.yaml"' not in doc
    assert 'lang="en"' in doc


def test_site_speaks_the_repo_language(git_repo: DataRepo, cli: CliRun) -> None:
    repo = _acme(git_repo)
    out = repo.root / "public"
    assert cli("-C", str(repo.root), "report", "--lang", "zh", "--out", str(out)).exit_code == 0
    page = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in page and ">优先级排序</a>" in page


def test_links_are_kept_inside_the_site() -> None:
    assert local_target("REQ-0001.md", "requirements/REQ-0002.md") == "requirements/REQ-0001.html"
    assert local_target("../plans/P.md#x", "requirements/R.md") == "plans/P.html"
    assert local_target("../../repo/x.yaml", "requirements/R.md") is None
    assert local_target("/etc/passwd", "index.md") is None
    assert local_target("javascript:alert(1)", "index.md") is None
    html = body_html("[a](R.md#top) [b](JavaScript:x) [c](../x.yaml)", path="index.md")
    assert '<a href="R.html#top">a</a>' in html
    assert "<a>b</a>" in html and "<a>c</a>" in html


def test_a_chart_block_becomes_an_svg_and_an_unknown_one_stays_code() -> None:
    html = body_html('```mermaid\npie title T\n    "A" : 2\n    "B" : 1\n```\n', path="x.md")
    assert html.startswith('<figure class="chart" data-chart="pie"><svg')
    assert html.count("<path") == 2
    odd = body_html("```mermaid\nflowchart LR\n  a --> b\n```\n", path="x.md")
    assert "<svg" not in odd and "flowchart LR" in odd


def _boxes(svg: str) -> list[tuple[float, float, float, float, str]]:
    found = []
    for match in re.finditer(
        r'<text x="([\d.]+)" y="([\d.]+)" text-anchor="(\w+)" font-size="11">([^<]*)</text>', svg
    ):
        x, y, anchor, label = float(match[1]), float(match[2]), match[3], match[4]
        w = charts.text_width(label, 11)
        x0 = x if anchor == "start" else x - w if anchor == "end" else x - w / 2
        found.append((x0, y - 10, x0 + w, y + 2, label))
    return found


@pytest.mark.parametrize("count", [11, 200])
def test_quadrant_labels_never_overprint_and_stay_inside(count: int) -> None:
    points = "\n".join(
        f'    "REQ-{i:04d}": [{(i * 37 % 100) / 100:.2f}, {(1 + i % 5) / 5 - 0.1:.2f}]'
        for i in range(count)
    )
    chart = charts.parse(f"quadrantChart\n    title Value\n{points}\n")
    assert isinstance(chart, charts.Quadrant)
    svg = charts.draw(chart)
    boxes = _boxes(svg)
    assert svg.count("<circle") == count
    for i, a in enumerate(boxes):
        assert a[0] >= 60 and a[2] <= 600, a  # inside the plot: never clipped
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
    labelled = {b[4] for b in boxes}
    # Few points: every one labelled; many: dozens, the rest keep a tooltip.
    assert len(labelled) == count if count <= 11 else len(labelled) >= 30


@pytest.mark.parametrize(
    "block",
    [
        "gantt\n    title T\n    dateFormat YYYY-MM-DD\n",  # no task: nothing to draw
        "gantt\n    a :p1, 0001-01-01, 9999-12-31\n",  # the widest dates there are
        'pie title T\n    "<script>" : 1e400\n',
        "quadrantChart\n" + "".join(f'    "P{i}": [0.5, 0.5]\n' for i in range(3000)),
    ],
)
def test_odd_chart_blocks_never_fail_the_build(block: str) -> None:
    html = body_html(f"```mermaid\n{block}```\n", path="x.md")
    assert "<script>" not in html
    assert html.startswith(("<figure", "<pre"))


def test_chinese_lines_of_a_paragraph_join_without_a_space() -> None:
    html = body_html("营销活动重复\n触达、积分无法合并。\nEnglish\nwords 中\n文\n", path="x.md")
    # A line break shows as a space in a browser: none between two Chinese characters.
    assert "<p>营销活动重复触达、积分无法合并。\nEnglish\nwords 中文</p>" in html
