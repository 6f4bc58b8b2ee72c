"""The published report as a static HTML site, converted from the rendered Markdown.

Every page is the Markdown document of the same name turned into HTML
(GitHub-flavoured: tables and task lists), so the site says exactly what the
documents say. cmark-gfm does the conversion with raw HTML left out and
dangerous link schemes dropped; links are checked again here (only relative
links inside the site, ``http(s):``, ``mailto:`` and fragments survive), and a
Content-Security-Policy on every page allows no script but the site's own.
Mermaid blocks become inline SVG (:mod:`mitrm.core.site.charts`).
"""

from __future__ import annotations

import functools
import posixpath
import re
from dataclasses import dataclass
from html import escape, unescape

from mitrm.core.site import charts

ASSETS = ("assets/site.css", "assets/site.js")
"""The files every page links to, relative to the site's root."""

# No inline script or style anywhere: an injected one would not run even if
# escaping failed. SVG charts use presentation attributes, which CSP allows.
CSP = (
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'"
)


@dataclass(frozen=True)
class Site:
    """What every page shares: language, project name and the navigation labels."""

    lang: str
    project: str | None
    nav: tuple[tuple[str, str], ...]
    """(path relative to the site root, label) for the links in every page's header."""


def html_path(md_path: str) -> str:
    """Where the page of the Markdown document ``md_path`` goes."""
    return md_path[:-3] + ".html" if md_path.endswith(".md") else md_path + ".html"


def _options() -> int:
    from cmarkgfm.cmark import Options  # type: ignore[import-untyped]

    return int(Options.CMARK_OPT_VALIDATE_UTF8 | Options.CMARK_OPT_GITHUB_PRE_LANG)


_EXTENSIONS = ["table", "tasklist", "strikethrough", "autolink", "tagfilter"]
_CHART = re.compile(
    r'<pre lang="mermaid"><code>(.*?)</code></pre>'
    r'|<pre><code class="language-mermaid">(.*?)</code></pre>',
    re.DOTALL,
)
_HREF = re.compile(r'<a href="([^"]*)"')
_SRC = re.compile(r'<img src="([^"]*)"')
_H1 = re.compile(r"<h1>(.*?)</h1>", re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
# A line break in a paragraph shows as a space; between two Chinese characters
# (text wrapped in a YAML block) there should be none.
_WIDE = "\u2e80-\u303f\u3040-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
_WIDE_BREAK = re.compile(f"(?<=[{_WIDE}])\n(?=[{_WIDE}])")
_SIMPLE_LINK = re.compile(r"(\.\./)?(?:\w[\w-]*/)?\w[\w.-]*\.md")


def body_html(markdown: str, *, path: str) -> str:
    """The HTML of one Markdown document (no page around it), links made safe and local."""
    import cmarkgfm  # type: ignore[import-untyped]

    html = cmarkgfm.markdown_to_html_with_extensions(
        markdown, options=_options(), extensions=_EXTENSIONS
    )
    html = _CHART.sub(_chart, html)
    if "\n" in html and not html.isascii():
        html = _WIDE_BREAK.sub("", html)
    folder = posixpath.dirname(path)
    html = _HREF.sub(lambda m: _anchor(m.group(1), folder), html)
    return _SRC.sub(lambda m: f'<img src="{_image(m.group(1), path)}"', html)


def _chart(match: re.Match[str]) -> str:
    source = unescape(match.group(1) if match.group(1) is not None else match.group(2))
    chart = charts.parse(source)
    if chart is None:
        return match.group(0)
    kind = type(chart).__name__.lower()
    return f'<figure class="chart" data-chart="{kind}">{charts.draw(chart)}</figure>'


def local_target(href: str, page: str) -> str | None:
    """A link's target as a path inside the site (``.md`` read as its page), or None
    when the link is not a relative link that stays inside the site."""
    target = href.split("#", 1)[0].split("?", 1)[0]
    if not target or _SCHEME.match(target) or target.startswith(("/", "\\")) or "\\" in target:
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(page), _unquote_url(target)))
    if joined == ".." or joined.startswith("../") or joined.startswith("/"):
        return None
    return html_path(joined) if joined.endswith(".md") else joined


def _unquote_url(text: str) -> str:
    from urllib.parse import unquote

    return unquote(text)


# Pages link to the same few targets again and again (ids, the report's pages):
# on 20,000 pages most links were seen before, from the same folder.
@functools.lru_cache(maxsize=1 << 16)
def _anchor(raw: str, folder: str) -> str:
    simple = _SIMPLE_LINK.fullmatch(raw)
    if simple is not None and (not simple.group(1) or folder):
        # The common case, decided without parsing: another document, in this
        # folder or (with one "../", from a subfolder) in a sibling one.
        return f'<a href="{raw[:-3]}.html"'
    page = posixpath.join(folder, "page")
    href = unescape(raw)
    scheme = _SCHEME.match(href)
    if href.startswith("#"):
        return f'<a href="{escape(href)}"'
    if scheme:
        if scheme.group(1).lower() in _SAFE_SCHEMES:
            return f'<a rel="noopener noreferrer" href="{escape(href)}"'
        return "<a"  # not a link any more: the text stays
    if local_target(href, page) is None:
        # Outside the published folder (a source YAML file, say): nothing to open there.
        return "<a"
    target, hash_, fragment = href.partition("#")
    path, query, rest = target.partition("?")
    if path.endswith(".md"):
        path = path[:-3] + ".html"
    return f'<a href="{escape(path + query + rest + hash_ + fragment)}"'


def _image(raw: str, page: str) -> str:
    href = unescape(raw)
    if local_target(href, page) is None:
        return ""
    return escape(href)


def page(markdown: str, *, path: str, site: Site) -> str:
    """The complete HTML page for the Markdown document at ``path`` (relative to the root)."""
    body = body_html(markdown, path=path)
    root = "../" * path.count("/")
    heading = _H1.search(body)
    title = unescape(_TAG.sub("", heading.group(1))).strip() if heading else path
    if site.project and site.project not in title:
        title = f"{title} · {site.project}"
    nav = "".join(
        f'<a href="{escape(root + html_path(target))}">{escape(label)}</a>'
        for target, label in site.nav
    )
    lang = "zh-CN" if site.lang == "zh" else site.lang
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{escape(title)}</title>\n"
        f'<link rel="stylesheet" href="{root}assets/site.css">\n'
        f'<script src="{root}assets/site.js" defer></script>\n'
        "</head>\n<body>\n"
        f'<header class="site"><span class="project">{escape(site.project or "")}</span>'
        f"<nav>{nav}</nav></header>\n"
        f"<main>\n{body}</main>\n</body>\n</html>\n"
    )
