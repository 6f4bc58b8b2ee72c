"""Cut an item file into its top-level blocks, and read the simplest blocks without YAML.

History compares tens of thousands of old file versions. Most differ from the
version before in one or two top-level fields, and most of those fields are a
plain scalar (``status: approved``), a flow list of words (``tags: [web, q3]``)
or a one-level mapping of such scalars (``estimate:`` with ``cost: 120000``).
This module reads exactly those shapes, the way YAML 1.1 would; anything else
answers ``UNSURE`` and goes to the real loader.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

UNSURE: Any = object()
"""The quick reader's "ask the YAML loader" answer."""

_TOP_START = re.compile(r"^[^ \t#\n\r]", re.MULTILINE)
_KEY_LINE = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:(?:[ \t]|$)", re.MULTILINE)
# anchors and aliases tie blocks together: such files are parsed whole
_ANCHOR = re.compile(r"(?:^|[\s\[{,])[&*][^\s,\[\]{}]")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9 _./()-]*")
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\.[0-9]+")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ENTRY = re.compile(r"  ([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*?))? *")
# YAML 1.1 reads these words as booleans or null, not as text
_NOT_TEXT = frozenset(
    [
        "y",
        "Y",
        "yes",
        "Yes",
        "YES",
        "n",
        "N",
        "no",
        "No",
        "NO",
        "on",
        "On",
        "ON",
        "off",
        "Off",
        "OFF",
        "null",
        "Null",
        "NULL",
    ]
)
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False}
_BOOLS["FALSE"] = False


def split_blocks(text: str) -> dict[str, str] | None:
    """Top-level key -> its text (key line and indented lines), or None if unsafe to cut."""
    if ("&" in text or "*" in text) and _ANCHOR.search(text):
        return None
    keys = list(_KEY_LINE.finditer(text))
    # every line at column 0 (other than comments) must start a key
    if not keys or len(keys) != len(_TOP_START.findall(text)):
        return None
    blocks: dict[str, str] = {}
    last = len(keys) - 1
    for index, match in enumerate(keys):
        key = match.group(1)
        if key in blocks:
            return None
        end = keys[index + 1].start() if index < last else len(text)
        blocks[key] = text[match.start() : end]
    return blocks


def scalar(raw: str) -> Any:
    """A plain scalar's value as YAML 1.1 reads it, or UNSURE."""
    if not raw:
        return UNSURE
    first = raw[0]
    if first.isalpha():
        if _WORD.fullmatch(raw) is None or raw in _NOT_TEXT:
            return UNSURE
        return _BOOLS.get(raw, raw)
    if _INT.fullmatch(raw):
        return int(raw)
    if _FLOAT.fullmatch(raw):
        return float(raw)
    if _DATE.fullmatch(raw):
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            return UNSURE
    return UNSURE


def _inline(raw: str) -> Any:
    if raw.startswith("[") and raw.endswith("]"):
        inner = raw[1:-1].strip()
        if not inner:
            return []
        values = []
        for part in inner.split(","):
            value = scalar(part.strip())
            if value is UNSURE:
                return UNSURE
            values.append(value)
        return values
    return scalar(raw)


_BLOCK_STYLES = frozenset({"|", "|-", ">", ">-"})


def _text_block(style: str, lines: list[str]) -> Any:
    """A literal or folded text whose lines all sit at one indentation, no blank lines inside."""
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    if not lines:
        return UNSURE
    indent = len(lines[0]) - len(lines[0].lstrip(" "))
    if indent == 0:
        return UNSURE
    content = []
    for line in lines:
        body = line[indent:]
        if (
            not body
            or line[:indent].strip(" ")
            or body[0] in " \t"
            or body[-1] in " \t\r"
            or "\t" in line[:indent]
        ):
            return UNSURE
        content.append(body)
    text = ("\n" if style[0] == "|" else " ").join(content)
    return text if style.endswith("-") else text + "\n"


def read_block(block: str) -> Any:
    """The value of one top-level block, if it has one of the simple shapes; else UNSURE."""
    lines = block.rstrip("\n").split("\n")
    head = lines[0]
    colon = head.find(":")
    rest = head[colon + 1 :].strip()
    if rest in _BLOCK_STYLES:
        return _text_block(rest, lines[1:])
    if "#" in block or "'" in block or '"' in block:
        return UNSURE
    if len(lines) == 1:
        return _inline(rest)
    if rest:
        return UNSURE
    mapping: dict[str, Any] = {}
    for line in lines[1:]:
        if not line.strip():
            continue
        entry = _ENTRY.fullmatch(line)
        if entry is None:
            return UNSURE
        key, raw = entry.group(1), entry.group(2)
        if key in mapping or raw is None:
            return UNSURE
        value = _inline(raw)
        if value is UNSURE:
            return UNSURE
        mapping[key] = value
    return mapping if mapping else UNSURE
