"""Checks on rendered Markdown: the linter passes, tables parse as tables, Mermaid stays intact."""

from __future__ import annotations

import re
from pathlib import Path

from markdown_it import MarkdownIt
from pymarkdown.api import PyMarkdownApi

CONFIG = Path(__file__).resolve().parent.parent / ".pymarkdown.json"
_DELIMITER = re.compile(r"^\|(\s*:?-+:?\s*\|)+$")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def lint(text: str) -> list[str]:
    """pymarkdownlnt's findings for ``text``, with the repo's config."""
    result = PyMarkdownApi().configuration_file_path(str(CONFIG)).scan_string(text)
    return [
        f"{f.line_number}:{f.column_number} {f.rule_id} {f.rule_description}"
        f"{f.extra_error_information}"
        for f in result.scan_failures
    ]


def table_problems(text: str) -> list[str]:
    """Tables that would not parse as tables, or rows whose cell count differs from the header."""
    problems: list[str] = []
    lines = text.splitlines()
    delimiters = [i for i, line in enumerate(lines) if _DELIMITER.match(line)]
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    parsed = sum(1 for t in tokens if t.type == "table_open")
    if parsed != len(delimiters):
        problems.append(f"{len(delimiters)} tables written, {parsed} parsed")
    for index in delimiters:
        header = len(_UNESCAPED_PIPE.findall(lines[index - 1]))
        row = index + 1
        while row < len(lines) and lines[row].startswith("|"):
            cells = len(_UNESCAPED_PIPE.findall(lines[row]))
            if cells != header:
                problems.append(f"line {row + 1}: {cells - 1} cells, header has {header - 1}")
            row += 1
    return problems


def mermaid_blocks(text: str) -> list[list[str]]:
    """The lines of every ```mermaid block."""
    blocks: list[list[str]] = []
    current: list[str] | None = None
    for line in text.splitlines():
        if current is None and line.strip() == "```mermaid":
            current = []
        elif current is not None and line.strip() == "```":
            blocks.append(current)
            current = None
        elif current is not None:
            current.append(line)
    return blocks


def h1_count(text: str) -> int:
    """How many level-1 headings a Markdown parser sees."""
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    return sum(1 for t in tokens if t.type == "heading_open" and t.tag == "h1")


def html_blocks(text: str) -> int:
    """How many raw HTML blocks or inline HTML pieces a Markdown parser sees."""
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    found = sum(1 for t in tokens if t.type == "html_block")
    for token in tokens:
        found += sum(1 for child in token.children or [] if child.type == "html_inline")
    return found
