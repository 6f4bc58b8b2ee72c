"""Values written into new files read back exactly, in the style a reader expects."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mitrm.core.editing.yamltext import list_lines, plain_ok, scalar_lines
from mitrm.io.yamlfile import load_yaml


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=200))
def test_any_text_reads_back(text: str) -> None:
    doc = "\n".join(["a: 1", *scalar_lines("key", text, 0), "z: 2"]) + "\n"
    assert load_yaml(doc) == {"a": 1, "key": text, "z": 2}


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120), st.integers(min_value=0, max_value=4))
def test_nested_text_reads_back(text: str, depth: int) -> None:
    lines = [f"{'  ' * level}m{level}:" for level in range(depth)]
    lines += scalar_lines("key", text, 2 * depth)
    data = load_yaml("\n".join(lines) + "\n")
    for level in range(depth):
        data = data[f"m{level}"]
    assert data == {"key": text}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=60), max_size=6))
def test_lists_read_back(values: list[str]) -> None:
    doc = "\n".join(list_lines("tags", values, 0)) + "\n"
    assert load_yaml(doc) == {"tags": values}


def test_plain_where_safe_quoted_where_yaml_would_misread() -> None:
    assert plain_ok("feature")
    assert plain_ok("移动端结账提速")
    assert plain_ok("Northwind Inc")
    for trap in ("no", "Yes", "on", "null", "~", "12", "1.5", "2026-03-31", "0x1F", "a: b", "- x"):
        assert not plain_ok(trap), trap


def test_chinese_is_written_as_chinese_and_long_text_as_a_block() -> None:
    assert scalar_lines("title", "移动端结账提速", 0) == ["title: 移动端结账提速"]
    long = "word " * 30
    lines = scalar_lines("description", long.strip(), 0)
    assert lines[0] == "description: >-"
    assert all(len(line) <= 80 for line in lines)
    assert scalar_lines("d", "line one\nline two", 2) == ["  d: |-", "    line one", "    line two"]
