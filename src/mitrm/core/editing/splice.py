"""Apply an edit made on a normalised copy of a text back onto the original text.

A YAML round trip normalises a file (list indentation, spacing in flow lists,
folding); an edit made through it should still change only the lines it
edits. Pure text logic, line by line, with difflib.
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher


def splice(original: str, normal: str, edited: str) -> str:
    """Apply the change ``normal -> edited`` to ``original``, leaving other lines as they are.

    ``normal`` is ``original`` after a round trip without edits; where it differs
    from ``original`` and an edit touches that region, the whole region is taken
    from ``edited`` (the region could not be mapped line for line).
    """
    a = original.splitlines(keepends=True)
    b = normal.splitlines(keepends=True)
    c = edited.splitlines(keepends=True)
    ab = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    bc = SequenceMatcher(None, b, c, autojunk=False).get_opcodes()
    dirty = [(j1, j2) for tag, _i1, _i2, j1, j2 in ab if tag != "equal"]
    edits = [(i1, i2) for tag, i1, i2, _j1, _j2 in bc if tag != "equal"]
    hunks = sorted(edits)
    while True:
        grown: list[tuple[int, int]] = []
        for start, end in sorted(hunks):
            for d1, d2 in dirty:
                if d1 < start < d2:
                    start = d1
                if d1 < end < d2:
                    end = d2
            if grown and start <= grown[-1][1]:
                grown[-1] = (min(grown[-1][0], start), max(grown[-1][1], end))
            else:
                grown.append((start, end))
        if grown == hunks:
            break
        hunks = grown
    out: list[str] = []
    done = 0
    for start, end in hunks:
        a_start = max(_back(ab, start))
        a_end = max(a_start, min(_back(ab, end)))
        c_start = min(_forward(bc, start))
        c_end = max(_forward(bc, end))
        out += a[done:a_start]
        out += c[c_start:c_end]
        done = a_end
    out += a[done:]
    return "".join(out)


def _back(opcodes: Sequence[tuple[str, int, int, int, int]], pos: int) -> list[int]:
    """Where line boundary ``pos`` of the second sequence falls in the first."""
    found: list[int] = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            if j1 <= pos <= j2:
                found.append(i1 + pos - j1)
            continue
        if pos == j1:
            found.append(i1)
        if pos == j2:
            found.append(i2)
    return found or [0]


def _forward(opcodes: Sequence[tuple[str, int, int, int, int]], pos: int) -> list[int]:
    """Where line boundary ``pos`` of the first sequence falls in the second."""
    return _back([(tag, j1, j2, i1, i2) for tag, i1, i2, j1, j2 in opcodes], pos)
