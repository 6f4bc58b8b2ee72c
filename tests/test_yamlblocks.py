"""The quick block reader agrees with the YAML loader, or defers to it."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mitrm.core.history.timeline import same
from mitrm.io.yamlblocks import UNSURE, read_block, split_blocks
from mitrm.io.yamlfile import load_yaml

BLOCKS = [
    "status: approved\n",
    "title: Improve the mobile checkout (phase 2)\n",
    "id: REQ-0001\n",
    "cost: 120000\n",
    "confidence: 0.75\n",
    "due: 2026-06-30\n",
    "due: 2026-02-30\n",
    "flag: true\n",
    "flag: yes\n",
    "flag: no\n",
    "empty: null\n",
    "word: on\n",
    "tags: [web, q3, gdpr]\n",
    "tags: []\n",
    "tags: [web, 'q3']\n",
    "deps: [REQ-0001, REQ-0002]\n",
    "estimate:\n  effort_days: 20\n  cost: 80000\n  currency: CNY\n",
    "estimate:\n  cost: 80000 # a comment\n",
    "owners:\n  business: Zhang Min\n  it: Wang Fang\n\n",
    "source:\n  channel: internal\n  requester: Li Wei\n",
    "kpis:\n  - name: x\n",
    "description: >-\n  folded\n  text\n",
    "title: a: b\n",
    "version: 012\n",
    "version: 1_000\n",
    "ratio: 1e3\n",
    "when: 2026-01-01 10:00:00\n",
    "nested:\n  inner:\n    deep: 1\n",
    "nested:\n  a: 1\n  a: 2\n",
    "text: hello world  \n",
]


@pytest.mark.parametrize("block", BLOCKS)
def test_quick_reader_matches_yaml_or_defers(block: str) -> None:
    quick = read_block(block)
    if quick is UNSURE:
        return
    expected = load_yaml(block)
    ((_, value),) = expected.items()
    assert same(quick, value)


def test_common_shapes_are_read_quickly() -> None:
    for block in (BLOCKS[0], BLOCKS[4], BLOCKS[5], BLOCKS[12], BLOCKS[16], BLOCKS[18]):
        assert read_block(block) is not UNSURE, block


_PIECES = st.sampled_from(
    [
        "a",
        "Yes",
        "no",
        "1",
        "0.5",
        "12",
        "-3",
        "2026-01-01",
        "x y",
        "REQ-1",
        "[a, b]",
        "[]",
        "true",
        "Off",
        "NULL",
        "a.b",
        "(x)",
        "e-mail",
        "0x1F",
        "1_0",
        "+1",
        "-0",
        "1.",
        ".5",
    ]
)


@given(st.lists(st.tuples(st.sampled_from(["k", "cost", "id"]), _PIECES), max_size=4), _PIECES)
def test_generated_blocks_agree(entries: list[tuple[str, str]], single: str) -> None:
    for block in [f"key: {single}\n", "key:\n" + "".join(f"  {k}: {v}\n" for k, v in entries)]:
        quick = read_block(block)
        if quick is UNSURE:
            continue
        try:
            expected = load_yaml(block)
        except Exception:  # noqa: BLE001 - the loader refuses it: the quick reader must not
            pytest.fail(f"quick reader accepted what YAML refuses: {block!r}")
        assert same(quick, expected["key"]), block


def test_blocks_keep_the_whole_text() -> None:
    text = "# head\nid: A-1\nstatus: draft # c\n\nestimate:\n  cost: 1\ntags: [a]\n"
    blocks = split_blocks(text)
    assert blocks is not None
    assert list(blocks) == ["id", "status", "estimate", "tags"]
    assert blocks["estimate"] == "estimate:\n  cost: 1\n"
    assert "".join(blocks.values()) == text.split("\n", 1)[1]


# --- diffs of changed regions agree with diffs of whole files ---------------------

BASE = """\
# yaml-language-server: $schema=../schemas/requirement.schema.json
id: REQ-0001
title: Faster checkout
status: submitted
description: |
  First line.

  After a blank line.
estimate:
  cost: 80000
  effort_days: 20
tags: [web, q3]
kpis:
  - name: Conversion
    target: 3.5
"""

EDITS = [
    ("status: submitted", "status: approved"),
    ("  cost: 80000", "  cost: 120000"),
    ("  After a blank line.", "  After a blank line, changed."),
    ("\n  After a blank line.", "\n  Inserted.\n  After a blank line."),
    ("tags: [web, q3]", "tags: [web, q3, gdpr]"),
    ("    target: 3.5\n", "    target: 4.0\n  - name: Basket\n"),
    ("title: Faster checkout\n", "title: Faster checkout\ndue: 2026-06-30\n"),
    ("id: REQ-0001\n", ""),
    ("estimate:\n  cost: 80000\n  effort_days: 20\n", ""),
    ("# yaml-language-server", "# a changed comment"),
    ("kpis:\n", "kpis: # the measures\n"),
    ("tags: [web, q3]", "tags: [web, q3\n"),
]


def _builder() -> Any:
    from pathlib import Path

    from mitrm.io.history.build import EventBuilder

    return EventBuilder(Path("."))


@pytest.mark.parametrize(("find", "replace"), EDITS)
def test_region_diff_equals_whole_diff(find: str, replace: str) -> None:
    from mitrm.core.history.timeline import diff_values

    new_text = BASE.replace(find, replace, 1)
    assert new_text != BASE
    builder = _builder()
    old, new = builder._version(BASE.encode()), builder._version(new_text.encode())
    quick = builder._diff(old, new, "a.yaml", "a.yaml")
    try:
        expected = diff_values(load_yaml(BASE), load_yaml(new_text))
    except Exception:  # noqa: BLE001 - any refusal by the loader
        assert new.problem is not None and quick == []
        return
    assert sorted(quick, key=lambda c: c.path) == sorted(expected, key=lambda c: c.path)


@given(st.lists(st.sampled_from(EDITS), min_size=1, max_size=3, unique=True))
def test_combined_edits_agree(edits: list[tuple[str, str]]) -> None:
    from mitrm.core.history.timeline import diff_values

    new_text = BASE
    for find, replace in edits:
        new_text = new_text.replace(find, replace, 1)
    builder = _builder()
    old, new = builder._version(BASE.encode()), builder._version(new_text.encode())
    quick = builder._diff(old, new, "a.yaml", "a.yaml")
    try:
        expected = diff_values(load_yaml(BASE), load_yaml(new_text))
    except Exception:  # noqa: BLE001 - any refusal by the loader
        assert quick == []
        return
    assert sorted(quick, key=lambda c: c.path) == sorted(expected, key=lambda c: c.path)


_VARIANTS = {
    "id": ["id: REQ-0001\n"],
    "status": ["status: draft\n", "status: approved\n", "status: no\n"],
    "estimate": ["estimate:\n  cost: 1\n", "estimate:\n  cost: 2\n  effort_days: 3\n", ""],
    "description": ["description: |\n  a\n\n  b\n", "description: >-\n  a\n  b\n", ""],
    "tags": ["tags: [a, b]\n", "tags:\n- a\n- c\n", "tags: []\n", ""],
    "note": ["# just a comment\n", "", "note: x # y\n", "note: 'x: y'\n"],
    "kpis": ["kpis:\n  - name: a\n    target: 1\n", "kpis:\n  - name: a\n    target: 2\n"],
}


@given(
    st.fixed_dictionaries({k: st.sampled_from(v) for k, v in _VARIANTS.items()}),
    st.fixed_dictionaries({k: st.sampled_from(v) for k, v in _VARIANTS.items()}),
    st.permutations(list(_VARIANTS)),
)
def test_random_documents_agree(
    first: dict[str, str], second: dict[str, str], order: list[str]
) -> None:
    from mitrm.core.history.timeline import diff_values

    old_text = "".join(first[k] for k in _VARIANTS)
    new_text = "".join(second[k] for k in order)
    builder = _builder()
    old, new = builder._version(old_text.encode()), builder._version(new_text.encode())
    quick = builder._diff(old, new, "a.yaml", "a.yaml")
    expected = diff_values(load_yaml(old_text), load_yaml(new_text))
    assert sorted(quick, key=lambda c: c.path) == sorted(expected, key=lambda c: c.path)


@pytest.mark.parametrize(
    "block",
    [
        "d: |\n  one\n  two\n",
        "d: |-\n  one\n  two\n\n",
        "d: >\n  one\n  two\n",
        "d: >-\n    one # not a comment\n    two\n",
        "d: >-\n  one\n\n  two\n",
        "d: |\n  one\n   two\n",
        "d: >\n  one \n  two\n",
        "d: |\n  'quoted'\n",
    ],
)
def test_text_blocks_match_yaml_or_defer(block: str) -> None:
    quick = read_block(block)
    if quick is not UNSURE:
        assert same(quick, load_yaml(block)["d"]), block
