"""Bounds on what a template may do: time, output size, and the few operations that
could build a huge value in one step (``'y' * 10**10``, ``center(10**10)``).

Templates from a data repo arrive in pull requests and run in CI. The sandbox
keeps them from Python's internals; these bounds keep them from hanging a run or
filling its memory and disk. Every bound ends in :class:`TemplateLimitError`,
which the renderer reports as a template error at the template's line.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import signal
import threading
from collections.abc import Callable, Iterator, Sized
from itertools import islice
from typing import Any

from mitrm.i18n import N_, _


class TemplateLimitError(Exception):
    """A template went past a bound (time, output size, one operation's result)."""


class _TimeUp(TemplateLimitError):
    pass


# %-format conversions (width, precision, "*" taking it from the arguments) and the
# spec of str.format fields.
_PERCENT = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d*)(?:\.(\*|\d*))?")
_FORMAT_SPEC = re.compile(r"\{[^{}:]*:([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}")
_DIGITS = re.compile(r"\d+")


class Limits:
    """The bounds of one render: ``seconds`` per document, ``chars`` of output per document
    (and of any single value a template builds)."""

    def __init__(self, *, seconds: float, chars: int) -> None:
        self.seconds = seconds
        self.chars = chars

    def check_size(self, size: int, what: str) -> None:
        """TemplateLimitError when ``size`` characters exceed the bound."""
        if size > self.chars:
            raise TemplateLimitError(
                _(
                    "{what} would be {size:,} characters, more than the limit of "
                    "{limit:,} (render.size_limit in mitrm.yaml)"
                ).format(what=_(what), size=size, limit=self.chars)
            )

    def check_width(self, value: Any, what: str) -> None:
        """For a width-like argument: an int over the bound is refused."""
        if isinstance(value, int) and value > self.chars:
            self.check_size(value, what)

    def check_format(self, fmt: str, args: Any, *, percent: bool) -> None:
        """Refuse a format string whose widths or precisions exceed the bound."""
        specs = (
            [g for m in _PERCENT.finditer(fmt) for g in m.groups() if g]
            if percent
            else [d for m in _FORMAT_SPEC.finditer(fmt) for d in _DIGITS.findall(m.group(1))]
        )
        for spec in specs:
            if spec.isdigit():
                self.check_width(int(spec), N_("a formatted value"))
        starred = "*" in specs if percent else "{" in "".join(_FORMAT_SPEC.findall(fmt))
        if starred:
            values = args.values() if isinstance(args, dict) else args
            for value in (
                values if isinstance(values, (tuple, list, type({}.values()))) else [values]
            ):
                self.check_width(value, N_("a formatted value"))

    def binop(self, operator: str, left: Any, right: Any) -> None:
        """Refuse ``*``, ``**``, ``%`` and ``+`` whose result would exceed the bound."""
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int):
                    self.check_size(len(seq) * max(times, 0), N_("a repeated value"))
        elif operator == "**":
            if isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1:
                digits = right * math.log10(abs(left))
                self.check_size(int(digits), N_("a number's digits"))
        elif operator == "%":
            if isinstance(left, str):
                self.check_format(left, right, percent=True)
        elif operator == "+" and isinstance(left, (str, list, tuple)):
            with contextlib.suppress(TypeError):
                self.check_size(len(left) + len(right), N_("a joined value"))

    def filters(self, filters: dict[str, Callable[..., Any]]) -> None:
        """Wrap the built-in filters that take a size: center, indent, format, join,
        replace, batch, slice, truncate."""
        wrapped: dict[str, Callable[..., Any]] = {}
        for name, check in _FILTER_CHECKS.items():
            original = filters.get(name)
            if original is not None:
                wrapped[name] = _checked(original, check, self)
        filters.update(wrapped)

    def output(self, chunks: Iterator[str]) -> str:
        """Join a template's output, stopping as soon as it passes the bound."""
        parts: list[str] = []
        size = 0
        limit = self.chars
        while batch := list(islice(chunks, 16)):
            size += sum(map(len, batch))
            if size > limit:
                try:
                    self.check_size(size, N_("the document"))
                except TemplateLimitError as exc:
                    throw = getattr(chunks, "throw", None)
                    if throw is not None:
                        throw(exc)  # raised inside the template, so its line is known
                    raise
            parts += batch
        return "".join(parts)

    @contextlib.contextmanager
    def clock(self) -> Iterator[None]:
        """Interrupt the block after ``seconds`` with TemplateLimitError (POSIX, main thread)."""
        if not _arm():
            yield
            return
        # Repeats after the first expiry, in case a template's code swallowed the first.
        signal.setitimer(signal.ITIMER_REAL, self.seconds, 0.05)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)

    def timed_out(self) -> str:
        """The message for a document that ran out of time."""
        return _(
            "the template ran longer than {seconds} s for one document "
            "(render.time_limit in mitrm.yaml)"
        ).format(seconds=f"{self.seconds:g}")


_ARMED: list[int] = []


def _arm() -> bool:
    """Install the SIGALRM handler once per process (forked workers inherit it)."""
    if not hasattr(signal, "setitimer"):
        return False
    if threading.current_thread() is not threading.main_thread():
        return False  # the alarm would interrupt the main thread, not this one
    if _ARMED and _ARMED[0] == os.getpid():
        return True
    try:
        signal.signal(signal.SIGALRM, _alarm)
    except ValueError:  # not the main thread: no time limit there
        return False
    _ARMED[:] = [os.getpid()]
    return True


def _alarm(signum: int, frame: Any) -> None:
    raise _TimeUp("time")


def is_timeout(exc: BaseException) -> bool:
    """Whether ``exc`` is the time limit running out."""
    return isinstance(exc, _TimeUp)


def _checked(
    original: Callable[..., Any], check: Callable[..., None], limits: Limits
) -> Callable[..., Any]:
    def filter_(*args: Any, **kwargs: Any) -> Any:
        check(limits, *args, **kwargs)
        return original(*args, **kwargs)

    filter_.__name__ = getattr(original, "__name__", "filter")
    # Keep Jinja's pass_context / pass_environment marks.
    if hasattr(original, "jinja_pass_arg"):
        filter_.jinja_pass_arg = original.jinja_pass_arg  # type: ignore[attr-defined]
    return filter_


def _text(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


def _center(limits: Limits, value: Any, width: Any = 80, *_: Any, **__: Any) -> None:
    limits.check_width(width, N_("a centred value"))


def _indent(limits: Limits, value: Any, width: Any = 4, *_: Any, **__: Any) -> None:
    lines = _text(value).count("\n") + 1
    size = len(width) if isinstance(width, str) else width if isinstance(width, int) else 0
    limits.check_size(len(_text(value)) + lines * max(size, 0), N_("an indented value"))


def _format(limits: Limits, value: Any, *args: Any, **kwargs: Any) -> None:
    limits.check_format(_text(value), kwargs or args, percent=True)


def _join(limits: Limits, *args: Any, **kwargs: Any) -> None:
    # join is pass_eval_context: (eval_ctx, value, d="", attribute=None)
    rest = list(args[1:])
    value = rest[0] if rest else kwargs.get("value")
    sep = rest[1] if len(rest) > 1 else kwargs.get("d", "")
    if isinstance(sep, str) and sep and isinstance(value, Sized):
        limits.check_size(len(sep) * len(value), N_("a joined value"))


def _replace(limits: Limits, *args: Any, **kwargs: Any) -> None:
    # replace is pass_eval_context: (eval_ctx, s, old, new, count=None)
    rest = list(args[1:])
    if len(rest) < 3:
        return
    text, old, new = _text(rest[0]), _text(rest[1]), _text(rest[2])
    grows = len(new) - len(old)
    if grows > 0:
        times = text.count(old) if old else len(text) + 1
        limits.check_size(len(text) + times * grows, N_("a replaced value"))


def _count_arg(limits: Limits, value: Any, count: Any = 1, *_: Any, **__: Any) -> None:
    limits.check_width(count, N_("a batch or slice count"))


def _truncate(limits: Limits, *args: Any, **kwargs: Any) -> None:
    # truncate is pass_environment: (env, s, length=255, killwords, end, leeway)
    rest = list(args[1:])
    length = rest[1] if len(rest) > 1 else kwargs.get("length", 255)
    if isinstance(length, int) and length < 0:
        raise ValueError(
            _("truncate needs a length of 0 or more, got {length}").format(length=length)
        )


_FILTER_CHECKS: dict[str, Callable[..., None]] = {
    "center": _center,
    "indent": _indent,
    "format": _format,
    "join": _join,
    "replace": _replace,
    "batch": _count_arg,
    "slice": _count_arg,
    "truncate": _truncate,
}
