"""Reading the user's answers: from a terminal, or line by line from a pipe."""

from __future__ import annotations

import sys


def is_tty() -> bool:
    """Whether standard input is a terminal (False when it is closed or missing)."""
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def read_line() -> str | None:
    """One line of input, or None at the end of input."""
    if is_tty():
        try:
            return input()
        except EOFError:
            return None
    line = sys.stdin.readline()
    return line if line else None
