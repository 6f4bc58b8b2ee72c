"""Escaping text from the YAML so that it can never break the Markdown or a Mermaid chart."""

from __future__ import annotations

import functools
import re
from typing import Any

# Characters that start inline Markdown constructs (emphasis, code, links, HTML,
# table cells, headings, entities); a backslash makes each of them literal.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~&$])")
# A list item, block quote, thematic break or setext underline at the start of a line.
_BLOCK_START = re.compile(r"^(\s*)([-+](?=\s|$)|>|=+\s*$|-{3,}|\d{1,9}[.)](?=\s|$))")
_SPACES = re.compile(r"\s+")
_TRAILING = re.compile(r"[ \t]+$", re.MULTILINE)
_BLANK_RUNS = re.compile(r"\n(?:[ \t]*\n)+")
# Mermaid labels: keep letters, digits, spaces and harmless punctuation only; ":",
# ";", "#", "%", quotes and brackets end or change a Mermaid statement.
_MERMAID_UNSAFE = re.compile(r"[^\w \-.,/+&!?'’‘“”（）、，。%]|%(?=%)", re.UNICODE)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


# Text made only of these characters, not starting a block, needs no escaping (the common case).
_PLAIN = re.compile(r"[^\\`*_\[\]<>|#~&$\s]*(?: [^\\`*_\[\]<>|#~&$\s]+)*")
_STARTERS = frozenset("-+>=0123456789 ")


def inline(value: Any) -> str:
    """One line of literal text: newlines become spaces, Markdown syntax is escaped."""
    text = value if type(value) is str else _text(value)
    if len(text) <= _CACHED_LENGTH:
        return _inline_cached(text)
    return _inline(text)


# Names, dates, statuses and labels repeat across thousands of documents.
_CACHED_LENGTH = 200


@functools.lru_cache(maxsize=1 << 16)
def _inline_cached(text: str) -> str:
    return _inline(text)


def _inline(text: str) -> str:
    if (
        text
        and _PLAIN.fullmatch(text)
        and (text[0] not in _STARTERS or (text[0] != " " and not _BLOCK_START.match(text)))
    ):
        return text
    text = _SPACES.sub(" ", text).strip()
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    return _BLOCK_START.sub(_escape_block_start, text, count=1)


def _escape_block_start(match: re.Match[str]) -> str:
    marker = match.group(2)
    if marker[0].isdigit():
        # "1." starts an ordered list; "1\." does not (a backslash before a digit is literal).
        return match.group(1) + marker[:-1] + "\\" + marker[-1]
    return match.group(1) + "\\" + marker


def cell(value: Any) -> str:
    """Text for a table cell: one line, pipes escaped; an empty value becomes a dash."""
    text = inline(value)
    return text if text else "-"


_BULLET = re.compile(r"^([-*+•])\s+(.*)$")


def block(value: Any) -> str:
    """Multi-line literal text: paragraphs kept, every line escaped like ``inline``.

    Lines starting with a bullet (``-``, ``*``, ``+``, ``•``) become a bullet list,
    and indented lines under a bullet continue its item, as people write lists
    in YAML block text; everything else is literal.
    """
    blocks: list[str] = []
    current: list[str] = []
    in_list = False

    def close() -> None:
        nonlocal current
        if current:
            blocks.append("\n".join(current))
        current = []

    for raw in _text(value).splitlines():
        stripped = raw.strip()
        if not stripped:
            close()
            in_list = False
            continue
        bullet = _BULLET.match(stripped)
        if bullet and bullet.group(2):
            if not in_list:
                close()
                in_list = True
            current.append("- " + inline(bullet.group(2)))
        elif in_list and raw[:1].isspace():
            current.append("  " + inline(stripped))
        else:
            if in_list:
                close()
                in_list = False
            current.append(inline(stripped))
    close()
    return "\n\n".join(blocks)


def mermaid(value: Any, *, limit: int = 60) -> str:
    """A label safe inside a Mermaid chart (gantt task, pie slice, quadrant text)."""
    text = _MERMAID_UNSAFE.sub(" ", _text(value))
    text = _SPACES.sub(" ", text).strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def code(value: Any) -> str:
    """Inline code that survives backticks inside the value."""
    text = _SPACES.sub(" ", _text(value)).strip()
    fence = "`"
    while fence in text:
        fence += "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def link_target(path: str) -> str:
    """A relative link target; spaces and parentheses would end the link early."""
    return path.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def tidy(text: str) -> str:
    """Strip trailing spaces, collapse blank lines (outside code fences), end with one newline.

    Templates stay readable with generous blank lines; the output still passes
    the Markdown linter's blank-line rules.
    """
    if "```" not in text and "~~~" not in text:
        if " \n" in text or "\t\n" in text:
            text = _TRAILING.sub("", text)
        if "\n\n\n" in text:
            text = _BLANK_RUNS.sub("\n\n", text)
        return text.strip("\n").rstrip() + "\n"
    out: list[str] = []
    fence: str | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if fence is None and stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
        elif fence is not None and stripped.startswith(fence):
            fence = None
            out.append(line.rstrip())
            continue
        if fence is None and not stripped:
            if out and out[-1] == "":
                continue
            out.append("")
            continue
        out.append(line.rstrip() if fence is None else line)
    while out and out[0] == "":
        out.pop(0)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"
