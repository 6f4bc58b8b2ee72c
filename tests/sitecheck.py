"""Reading the HTML site back as a browser would see its tags (for the site tests)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


@dataclass
class Page:
    """The tags of one page, their attributes, and the text inside ``<script>``/``<style>``."""

    tags: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    inline_code: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.page.tags.append((tag, {k: v or "" for k, v in attrs}))
        if tag in ("script", "style"):
            self._in = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in is not None and data.strip():
            self.page.inline_code.append(data)
        self.page.text.append(data)


def read(path: Path) -> Page:
    """The tags of the page at ``path``."""
    reader = _Reader()
    reader.feed(path.read_text(encoding="utf-8"))
    reader.close()
    return reader.page


def broken_links(site: Path) -> list[str]:
    """Every local link or asset reference of the site that leads to no file in it."""
    problems = []
    for page in sorted(site.rglob("*.html")):
        for tag, attrs in read(page).tags:
            target = attrs.get("href") if tag in ("a", "link") else attrs.get("src")
            if not target or target.startswith("#"):
                continue
            parts = urlsplit(target)
            if parts.scheme:
                continue
            resolved = (page.parent / unquote(parts.path)).resolve()
            if not resolved.is_file() or site.resolve() not in resolved.parents:
                problems.append(f"{page.relative_to(site)}: {target}")
    return problems
