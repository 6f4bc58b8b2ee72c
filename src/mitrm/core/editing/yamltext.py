"""Write YAML scalars by hand: plain when safe, quoted when needed, block style for long text.

New item files are rendered as text (not dumped) so that they carry comments
and a natural layout; these helpers make every value read back exactly.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

WIDTH = 78

# Characters a plain scalar may not start with in block context.
_PLAIN_FIRST_BAD = frozenset("-?:,[]{}#&*!|>'\"%@` \t")
# Texts YAML 1.1 would read as something else: bool, null, number, date, merge or value key.
_TYPED = re.compile(
    r"(?i:y|n|yes|no|true|false|on|off|null|~|=|<<|[-+]?\.(?:inf|nan))"
    r"|[-+]?[0-9][0-9_:]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.[0-9_]+(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?0[xXbBoO][0-9a-fA-F_]+"
    r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?",
)
# Anything YAML's reader refuses raw, plus the line separators it treats as breaks.
_NEEDS_ESCAPE = re.compile(
    "[^\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029\ufeff]"
)
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}


def needs_escape(text: str) -> bool:
    """Whether ``text`` holds characters that must be escaped (control characters, and
    the line separators YAML 1.1 reads as line breaks: U+0085, U+2028, U+2029)."""
    return _NEEDS_ESCAPE.search(text.replace("\n", "").replace("\t", "")) is not None


def misread(text: str) -> bool:
    """Whether YAML 1.1 (PyYAML, most tools) reads plain ``text`` as something other than text."""
    return _TYPED.fullmatch(text) is not None


def plain_ok(text: str) -> bool:
    """Whether ``text`` can be written unquoted and read back as the same text."""
    if not text or text != text.strip() or text[0] in _PLAIN_FIRST_BAD:
        return False
    if "\n" in text or "\t" in text or "\r" in text or _NEEDS_ESCAPE.search(text):
        return False
    if ": " in text or " #" in text or text.endswith(":"):
        return False
    return _TYPED.fullmatch(text) is None


def double_quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar; Chinese and other letters stay unescaped."""

    def escape(match: re.Match[str]) -> str:
        char = match.group(0)
        if char in _ESCAPES:
            return _ESCAPES[char]
        code = ord(char)
        if code <= 0xFF:
            return f"\\x{code:02x}"
        if code <= 0xFFFF:
            return f"\\u{code:04x}"
        return f"\\U{code:08x}"

    pattern = re.compile(r'[\\"]|' + _NEEDS_ESCAPE.pattern)
    return '"' + pattern.sub(escape, text) + '"'


def _wrap(text: str, width: int) -> list[str]:
    """Split at single spaces between words so that folding restores ``text`` exactly."""
    lines: list[str] = []
    start = 0
    last_break = -1
    for index, char in enumerate(text):
        if (
            char == " "
            and 0 < index < len(text) - 1
            and text[index - 1] != " "
            and text[index + 1] != " "
        ):
            if index - start > width and last_break > start:
                lines.append(text[start:last_break])
                start = last_break + 1
            last_break = index
    if len(text) - start > width and last_break > start:
        lines.append(text[start:last_break])
        start = last_break + 1
    lines.append(text[start:])
    return lines


def block_ok(text: str) -> bool:
    """Whether ``text`` can be written as a block scalar (``|-`` or ``>-``) and read back."""
    if _NEEDS_ESCAPE.search(text.replace("\n", "").replace("\t", "")) or "\r" in text:
        return False
    if text != text.strip() or not text:
        return False
    return all(not line.startswith("\t") for line in text.split("\n"))


def scalar_lines(key: str, value: object, indent: int) -> list[str]:
    """The lines of ``key: value`` at ``indent`` spaces, choosing a style that reads back."""
    pad = " " * indent
    if isinstance(value, bool):
        return [f"{pad}{key}: {'true' if value else 'false'}"]
    if isinstance(value, (int, float, Decimal)):
        return [f"{pad}{key}: {value}"]
    if isinstance(value, dt.date):
        return [f"{pad}{key}: {value.isoformat()}"]
    if value is None:
        return [f"{pad}{key}:"]
    text = str(value)
    inner = pad + "  "
    if "\n" in text and block_ok(text):
        return [f"{pad}{key}: |-", *[inner + line if line else "" for line in text.split("\n")]]
    room = WIDTH - len(pad) - len(key) - 2
    if len(text) > room and block_ok(text) and "\n" not in text:
        return [f"{pad}{key}: >-", *[inner + line for line in _wrap(text, WIDTH - len(inner))]]
    return [f"{pad}{key}: {text if plain_ok(text) else double_quoted(text)}"]


def flow_item(value: str) -> str:
    """One entry of a flow list ``[a, b]``."""
    if plain_ok(value) and not any(ch in value for ch in ",[]{}"):
        return value
    return double_quoted(value)


def list_lines(key: str, values: list[str], indent: int) -> list[str]:
    """``key: [a, b]`` when short, else one ``- entry`` line per value."""
    pad = " " * indent
    flow = f"{pad}{key}: [{', '.join(flow_item(v) for v in values)}]"
    if len(flow) <= WIDTH and all("\n" not in v for v in values):
        return [flow]
    lines = [f"{pad}{key}:"]
    for entry in values:
        first, *rest = scalar_lines("x", entry, 0)
        lines.append(f"{pad}  - {first[3:]}")
        lines += [f"{pad}  {line}" if line else "" for line in rest]
    return lines
