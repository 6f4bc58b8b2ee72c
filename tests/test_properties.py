"""Property tests: arbitrary text never makes the loader raise; any failure is a diagnostic."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mitrm.core.checking.validation import validate_item
from mitrm.core.models import Kind, Settings
from mitrm.core.record import Record
from mitrm.io.yamlfile import locate, parse_bytes

SETTINGS = Settings()

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.dates(min_value=dt.date(1900, 1, 1)),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)
_fields = st.sampled_from(
    ["id", "title", "type", "status", "source", "kpis", "estimate", "depends_on", "due", "x"]
)


def _check(raw: bytes) -> None:
    loaded = parse_bytes(raw, "requirements/REQ-0001-x.yaml")
    record = Record(path="requirements/REQ-0001-x.yaml", kind=Kind.REQUIREMENT, data=loaded.data)
    record.diagnostics = list(loaded.diagnostics)
    validate_item(record, settings=SETTINGS)
    texts = {record.path: loaded.text} if loaded.text is not None else {}
    for diagnostic in locate(record.diagnostics, texts):
        assert diagnostic.code.startswith("MIT")
        assert diagnostic.line >= 1 or diagnostic.loc == () or not texts
        assert diagnostic.message


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_raise(raw: bytes) -> None:
    _check(raw)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"#\n\t ?,%@`<=~0123456789")),
               max_size=120))  # fmt: skip
def test_yaml_looking_text_never_raises(text: str) -> None:
    _check(text.encode("utf-8"))


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.dictionaries(_fields, _values, max_size=8))
def test_arbitrary_item_shapes_never_raise(data: dict[str, object]) -> None:
    import yaml

    _check(yaml.safe_dump(data, allow_unicode=True).encode("utf-8"))


def _vague_by_tokens(text: str) -> list[str]:
    """MIT401's English matching done the plain way: split into tokens, then compare."""
    from mitrm.core.checking.rules.vague import _MEASURABLE, _WORD, lexicon

    lex = lexicon(("go live", "so-so"))
    tokens = _WORD.findall(text.lower())
    found = [t for t in dict.fromkeys(tokens) if t in lex.words]
    joined = f" {' '.join(tokens)} "
    found += [p for p in lex.phrases if f" {p} " in joined]
    return [] if found and _MEASURABLE.search(text) else found


_PIECES = st.sampled_from(
    [
        "fast",
        "faster",
        "super-fast",
        "fast-",
        "a",
        "lot",
        "a lot",
        "go",
        "live",
        "so-so",
        "Seamless",
        "as soon as possible",
        "-",
        " ",
        "  ",
        ",",
        "x",
        "9",
        "more",
        "furthermore",
    ]
)


@given(st.lists(_PIECES, max_size=8).map(" ".join))
def test_vague_screening_finds_what_splitting_finds(text: str) -> None:
    from mitrm.core.checking.rules.vague import lexicon, vague_terms

    assert vague_terms(text, lexicon(("go live", "so-so"))) == _vague_by_tokens(text)
