"""A fast line/column finder for simple field paths in block-style YAML.

Quality rules report on many files; composing each file's node tree to place
them (``yamlfile.locate``) would double the cost of a cold validate. Most of
their field paths are plain keys of block mappings (``due``, ``estimate.cost``),
which a scan of the lines finds. Anything else returns None and falls back to
the full locator.
"""

from __future__ import annotations

import re
from functools import lru_cache

from mitrm.core.diagnostics import Loc

_CHILD = re.compile(r"(?:\n[ \t]*(?:#[^\n]*)?)*\n( +)[^ \n]")


@lru_cache(maxsize=256)
def _key(indent: int, name: str) -> re.Pattern[str]:
    return re.compile(rf"^{' ' * indent}{re.escape(name)}[ \t]*:(?:[ \t]+|$)", re.MULTILINE)


@lru_cache(maxsize=32)
def _block_end(indent: int) -> re.Pattern[str]:
    return re.compile(rf"\n(?! {{{indent}}}| *(?:#|\n|$))")


def quick_place(text: str, loc: Loc) -> tuple[int, int] | None:
    """(line, column), 1-based, of the value at ``loc``; None when not simply found."""
    if not loc or not all(isinstance(part, str) for part in loc):
        return None
    indent = 0
    start, end = 0, len(text)
    last = len(loc) - 1
    for depth, part in enumerate(loc):
        match = _key(indent, str(part)).search(text, start, end)
        if match is None:
            return None
        eol = text.find("\n", match.end())
        eol = len(text) if eol < 0 else eol
        rest = text[match.end() : eol]
        if depth == last:
            if not rest or rest.startswith(("#", "|", ">", "&", "!", "*")):
                return None
            line_start = text.rfind("\n", 0, match.start()) + 1
            return text.count("\n", 0, line_start) + 1, match.end() - line_start + 1
        if rest.strip() and not rest.lstrip().startswith("#"):
            return None  # a flow mapping or a scalar on the key's line: not simple
        child = _CHILD.match(text, eol)
        if child is None or len(child.group(1)) <= indent:
            return None
        indent, start = len(child.group(1)), eol
        stop = _block_end(indent).search(text, eol + 1)
        end = stop.start() if stop else len(text)
    return None
