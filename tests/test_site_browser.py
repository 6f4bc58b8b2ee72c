"""The HTML site in a real headless Chromium with the network off: charts, scripts, links.

Needs Chromium (``.ci/run`` installs it from the system packages). Without it the
test is skipped on a developer's machine and fails in CI (``CI=true``).
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from browser import chromium, find_chromium
from conftest import CliRun, DataRepo
from test_report import _acme

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(os.environ.get("MITRM_TEST_ARTIFACTS", ROOT / "test-artifacts"))

CHARTS = """
Array.from(document.querySelectorAll("figure.chart")).map(function (figure) {
  var svg = figure.querySelector("svg");
  var box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
  return {kind: figure.dataset.chart, svg: !!svg, width: box.width, height: box.height,
          shapes: svg ? svg.querySelectorAll("path, rect, circle").length : 0};
})
"""
LINKS = (
    'Array.from(document.querySelectorAll("a[href], link[href], script[src]"))'
    ".map(function (e) { return e.href || e.src; })"
)


def _browser() -> str:
    executable = find_chromium()
    missing = None
    if executable is None:
        missing = "no Chromium found (apt-get install chromium, or set MITRM_CHROMIUM)"
    else:
        try:
            import websocket  # noqa: F401
        except ImportError:
            missing = "websocket-client is not installed (pip install -e '.[test]')"
    if missing is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the browser test must run in CI: {missing}")
        pytest.skip(missing)
    assert executable is not None
    return executable


def test_site_in_a_real_browser(git_repo: DataRepo, cli: CliRun) -> None:
    executable = _browser()
    repo = _acme(git_repo)
    site = repo.root / "public"
    assert cli("-C", str(repo.root), "report", "--out", str(site)).exit_code == 0
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 40
    expected = {"index.html": ["pie", "quadrant"], "plans/PLAN-0001.html": ["gantt"]}
    with chromium(executable) as browser:
        for page in pages:
            name = page.relative_to(site).as_posix()
            visit = browser.visit(page.as_uri())
            assert visit.errors == [], name
            assert [u for u in visit.requests if not u.startswith("file://")] == [], name
            # The stylesheet applies (the Content-Security-Policy lets the site's own in).
            assert (
                browser.evaluate('getComputedStyle(document.querySelector("header.site")).display')
                == "flex"
            ), name
            drawn = browser.evaluate(CHARTS)
            for chart in drawn:
                assert chart["svg"] and chart["shapes"] >= 2, (name, chart)
                assert chart["width"] > 200 and chart["height"] > 100, (name, chart)
            if name in expected:
                assert [c["kind"] for c in drawn] == expected[name]
            elif name.startswith("plans/") and not name.endswith("-checklist.html"):
                assert [c["kind"] for c in drawn] == ["gantt"], name
            for url in browser.evaluate(LINKS):
                parts = urlsplit(url)
                if parts.scheme == "file":
                    target = Path(unquote(parts.path))
                    assert target.is_file(), (name, url)
                    assert site.resolve() in target.resolve().parents, (name, url)
                else:
                    assert parts.scheme in ("http", "https", "mailto"), (name, url)

        # The ranked backlog sorts and filters in the browser.
        browser.visit((site / "backlog.html").as_uri())
        scores = """Array.from(document.querySelectorAll("main table")[0].tBodies[0].rows)
            .filter(function (r) { return !r.hidden; })
            .map(function (r) { return Number(r.cells[3].textContent); })"""
        ranked = browser.evaluate(scores)
        assert ranked != sorted(ranked)  # rank order: scores are not sorted
        browser.evaluate('document.querySelectorAll("main table th button")[3].click()')
        assert browser.evaluate(scores) == sorted(ranked)
        browser.evaluate('document.querySelectorAll("main table th button")[3].click()')
        assert browser.evaluate(scores) == sorted(ranked, reverse=True)
        browser.evaluate(
            'var f = document.querySelector(".filter input"); f.value = "REQ-0019";'
            'f.dispatchEvent(new Event("input"))'
        )
        assert len(browser.evaluate(scores)) == 1

        browser.visit((site / "index.html").as_uri())
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shot = ARTIFACTS / "portfolio.png"
        shot.write_bytes(browser.screenshot())
        print(f"screenshot of the portfolio page: {shot}")

        # Printed: no navigation or filter boxes, the charts still drawn.
        browser.send("Emulation.setEmulatedMedia", media="print")
        hidden = """[document.querySelector("header.site nav"), document.querySelector(".filter")]
            .map(function (e) { return getComputedStyle(e).display; })"""
        assert browser.evaluate(hidden) == ["none", "none"]
        assert all(c["width"] > 200 for c in browser.evaluate(CHARTS))
        pdf = ARTIFACTS / "portfolio.pdf"
        pdf.write_bytes(browser.pdf())
        print(f"the portfolio page printed: {pdf}")
    assert shot.stat().st_size > 10_000
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000


def test_without_a_browser_ci_fails_and_a_laptop_skips(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MITRM_CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="must run in CI"):
        _browser()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="no Chromium found"):
        _browser()
