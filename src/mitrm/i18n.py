"""The interface language and its message catalogs (stdlib gettext; catalogs managed with Babel).

Messages are marked in the code with ``_()`` (translated now) or ``N_()`` (marked
for extraction, translated where shown). ``pybabel extract`` collects them into
``locale/mitrm.pot``; each language has ``locale/<lang>/LC_MESSAGES/mitrm.po``
(what translators edit) and the compiled ``mitrm.mo`` that ships in the package.
English is the source language and needs no catalog. See docs/i18n.md.
"""

from __future__ import annotations

import gettext
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

DOMAIN = "mitrm"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def _shipped() -> tuple[str, ...]:
    # A language is spoken when its compiled catalog ships: adding one needs no Python.
    try:
        with os.scandir(LOCALE_DIR) as entries:
            found = [
                e.name for e in entries if (Path(e.path) / "LC_MESSAGES" / "mitrm.mo").is_file()
            ]
    except OSError:  # pragma: no cover - a broken install
        found = []
    return ("en", *sorted(found))


LANGUAGES = _shipped()

_current: str | None = None


def normalize(value: str | None) -> str | None:
    """``zh_CN.UTF-8`` -> ``zh``; None for an empty value or a language mitrm does not speak."""
    if not value:
        return None
    code = value.strip().lower()
    for separator in "_.@-":  # str methods: a regex costs milliseconds at start-up
        code = code.split(separator, 1)[0]
    return code if code in LANGUAGES else None


def locale_language() -> str | None:
    """The language of the locale: the first of LC_ALL, LC_MESSAGES, LANG that is set (POSIX)."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return normalize(value)
    return None


def resolve(repo_language: str | None = None) -> str:
    """MITRM_LANG, else the repo's ``language:``, else the locale, else English."""
    return (
        normalize(os.environ.get("MITRM_LANG"))
        or normalize(repo_language)
        or locale_language()
        or "en"
    )


def use(language: str) -> None:
    """Speak ``language`` from now on (called once the repo's settings are known)."""
    global _current
    _current = language if language in LANGUAGES else "en"


def use_repo_language(repo_language: str | None) -> None:
    """Speak the language the resolution order gives for a repo whose ``language:`` is this."""
    use(resolve(repo_language))


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Speak ``lang`` inside the block: a document's texts follow its language, not the user's."""
    global _current
    before = _current
    _current = lang if lang in LANGUAGES else "en"
    try:
        yield
    finally:
        _current = before


def language() -> str:
    """The interface language of this run."""
    global _current
    if _current is None:
        _current = resolve(_peek_repo_language())
    return _current


@cache
def catalog(lang: str) -> gettext.NullTranslations:
    """The translations of ``lang``, read once; English (the source language) needs none."""
    if lang == "en":
        return gettext.NullTranslations()
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    try:
        with path.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    except OSError:  # pragma: no cover - a broken install: English beats a crash
        return gettext.NullTranslations()


def _(message: str) -> str:
    """``message`` in the interface language."""
    return catalog(language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, in the interface language."""
    return catalog(language()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` in the interface language, where ``context`` tells same words apart."""
    return catalog(language()).pgettext(context, message)


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it (it is translated where shown)."""
    return message


def translate(lang: str, message: str, context: str | None = None) -> str:
    """``message`` in ``lang`` (documents have their own language, not the interface's)."""
    found = catalog(lang)
    return found.pgettext(context, message) if context else found.gettext(message)


def _language_line(text: str) -> str | None:
    """The value of a top-level ``language:`` line (``language: zh  # comment``)."""
    for line in text.splitlines():
        if line.startswith("language:"):
            value = line[len("language:") :].split("#", 1)[0].strip().strip("'\"")
            return value or None
    return None


def _peek_repo_language() -> str | None:
    """The ``language:`` of the repo this run works on, found cheaply.

    Help texts are made when the commands are imported, before the settings are
    read; a plain look at ``mitrm.yaml`` lets ``--help`` in a zh repo be Chinese.
    The settings, once validated, decide for everything else (``use_repo_language``).
    """
    start: str | None = None
    args = sys.argv[1:]
    for index, arg in enumerate(args):
        if arg in ("-C", "--repo") and index + 1 < len(args):
            start = args[index + 1]
        elif arg.startswith("--repo="):
            start = arg.split("=", 1)[1]
        elif arg.startswith("-C") and len(arg) > 2:
            start = arg[2:]
        else:
            continue
        break
    try:
        here = Path(start) if start else Path.cwd()
        folders = [here] if start else [here, *here.parents]
        for folder in folders:
            settings = folder / "mitrm.yaml"
            if settings.is_file():
                with settings.open("rb") as handle:
                    head = handle.read(65536).decode("utf-8", "replace")
                return _language_line(head)
    except OSError:
        return None
    return None


def NP_(context: str, message: str) -> str:
    """Mark ``message`` (with its ``context``) for translation without translating it."""
    return message
