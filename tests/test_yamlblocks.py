"""The quick block reader agrees with the YAML loader, or defers to it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mitrm.core.history import same
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
        except Exception:  # the loader refuses it: the quick reader must not accept it
            pytest.fail(f"quick reader accepted what YAML refuses: {block!r}")
        assert same(quick, expected["key"]), block


def test_blocks_keep_the_whole_text() -> None:
    text = "# head\nid: A-1\nstatus: draft # c\n\nestimate:\n  cost: 1\ntags: [a]\n"
    blocks = split_blocks(text)
    assert blocks is not None
    assert list(blocks) == ["id", "status", "estimate", "tags"]
    assert blocks["estimate"] == "estimate:\n  cost: 1\n"
    assert "".join(blocks.values()) == text.split("\n", 1)[1]
