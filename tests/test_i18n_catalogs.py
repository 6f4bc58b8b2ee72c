"""The message catalogs: complete, fresh, shipped; a stale or partial catalog fails here.

The fix for each failure is in docs/i18n.md: extract, update, translate, compile.
"""

from __future__ import annotations

import gettext
import io
import string
from fnmatch import fnmatch
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from mitrm import i18n
from mitrm.core.vocabulary import NAMES, SYNONYMS

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "mitrm"
LOCALE = PACKAGE / "locale"
TEMPLATE = LOCALE / "mitrm.pot"
# The same keywords as the documented `pybabel extract -k NP_:1c,2`.
KEYWORDS = {**DEFAULT_KEYWORDS, "NP_": ((1, "c"), 2)}
TRANSLATED = [lang for lang in i18n.LANGUAGES if lang != "en"]


def _key(context: str | None, message: str | tuple[str, ...]) -> tuple[str | None, str]:
    return (context, message if isinstance(message, str) else message[0])


def _in_code() -> set[tuple[str | None, str]]:
    found = extract_from_dir(str(ROOT / "src"), method_map=[("**.py", "python")], keywords=KEYWORDS)
    return {_key(context, message) for _file, _line, message, _comments, context in found}


def _catalog(path: Path, lang: str | None = None):  # type: ignore[no-untyped-def]
    with path.open("rb") as handle:
        return read_po(handle, locale=lang)


def test_the_template_holds_exactly_the_messages_marked_in_the_code() -> None:
    template = {_key(m.context, m.id) for m in _catalog(TEMPLATE) if m.id}
    code = _in_code()
    assert sorted(code - template, key=str) == [], "run pybabel extract (docs/i18n.md)"
    assert sorted(template - code, key=str) == [], "run pybabel extract (docs/i18n.md)"
    assert len(code) > 100


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_marked_message_has_a_translation(lang: str) -> None:
    po = _catalog(LOCALE / lang / "LC_MESSAGES" / "mitrm.po", lang)
    done = {_key(m.context, m.id) for m in po if m.id and m.string and not m.fuzzy}
    untranslated = sorted(_in_code() - done, key=str)
    assert untranslated == [], f"translate these in the {lang} .po file"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_keep_every_placeholder(lang: str) -> None:
    def fields(text: str) -> list[str]:
        return sorted(name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name)

    po = _catalog(LOCALE / lang / "LC_MESSAGES" / "mitrm.po", lang)
    broken = []
    for m in po:
        # Only messages the code formats: Babel flags them python-brace-format.
        if m.id and "python-brace-format" in m.flags:
            ids = [m.id] if isinstance(m.id, str) else list(m.id)
            texts = [m.string] if isinstance(m.string, str) else list(m.string)
            try:
                if any(fields(text) != fields(ids[0]) for text in texts):
                    broken.append(m.id)
            except ValueError:  # a lone brace: the translation breaks .format()
                broken.append(m.id)
    assert broken == []


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_shipped_compiled_catalog_matches_its_po_file(lang: str) -> None:
    folder = LOCALE / lang / "LC_MESSAGES"
    compiled = io.BytesIO()
    write_mo(compiled, _catalog(folder / "mitrm.po", lang))
    compiled.seek(0)
    fresh = gettext.GNUTranslations(compiled)
    with (folder / "mitrm.mo").open("rb") as handle:
        shipped = gettext.GNUTranslations(handle)
    assert shipped._catalog == fresh._catalog, "run pybabel compile (docs/i18n.md)"  # type: ignore[attr-defined]


def test_the_package_data_ships_the_compiled_catalogs() -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["mitrm"]
    for lang in TRANSLATED:
        rel = f"locale/{lang}/LC_MESSAGES/mitrm.mo"
        assert (PACKAGE / rel).is_file()
        assert any(fnmatch(rel, pattern) for pattern in patterns)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_synonyms_name_real_values_and_no_word_means_two_values(lang: str) -> None:
    for group, marker in SYNONYMS.items():
        listed = i18n.translate(lang, marker)
        seen: dict[str, str] = {}
        for entry in listed.split(";"):
            value, _sep, words = entry.partition("=")
            assert value.strip() in NAMES[group], (group, value)
            for word in words.split(","):
                assert seen.setdefault(word.strip(), value.strip()) == value.strip(), word
