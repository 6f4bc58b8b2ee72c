"""Cells out and back in, without files: columns, values, escaping, headers, import plans."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mitrm.core.exchange.importing import Existing, Table, plan_import
from mitrm.core.exchange.sheetnames import choice_labels, header_names
from mitrm.core.exchange.sheets import (
    CellError,
    Shape,
    canonical,
    cell_name,
    columns,
    escape_text,
    match_header,
    read_cell,
    unescape_text,
)
from mitrm.core.models import Kind, Settings


def _column(name: str, kind: Kind = Kind.REQUIREMENT):  # type: ignore[no-untyped-def]
    return next(c for c in columns(kind) if c.name == name)


def test_columns_lead_with_id_title_type_status() -> None:
    names = [c.name for c in columns(Kind.REQUIREMENT)]
    assert names[:4] == ["id", "title", "type", "status"]
    assert "estimate.cost" in names and "owners.it" in names
    assert "kpis" not in names and "risks" not in names  # lists of records stay in YAML
    assert _column("depends_on").shape is Shape.LIST
    assert _column("due").shape is Shape.DATE
    assert _column("scoring.value").shape is Shape.INTEGER
    assert _column("status").choices[:2] == ("draft", "submitted")


@given(st.text())
def test_escaped_text_round_trips(text: str) -> None:
    escaped = escape_text(text)
    assert not escaped.startswith(("=", "+", "-", "@"))
    assert unescape_text(escaped) == text


@pytest.mark.parametrize(
    ("name", "raw", "expected"),
    [
        ("due", dt.datetime(2026, 3, 31), dt.date(2026, 3, 31)),
        ("due", "2026/3/31", dt.date(2026, 3, 31)),
        ("estimate.cost", 120000.5, Decimal("120000.5")),
        ("estimate.cost", "1,200,000", Decimal("1200000")),
        ("scoring.value", 4.0, 4),
        ("testing.security", "是", True),
        ("status", "已提交 (submitted)", "submitted"),
        ("status", "已提交", "submitted"),
        ("status", "Submitted", "submitted"),
        ("tags", "a\r\nb\n\n c ", ["a", "b", "c"]),
        ("owners.it", 12345.0, "12345"),
        ("title", "  ", None),
    ],
)
def test_cells_read_as_field_values(name: str, raw: object, expected: object) -> None:
    column = _column(name)
    assert read_cell(column, raw, choice_labels(column, "zh")) == expected


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        ("due", "next week", "due must be a date written YYYY-MM-DD (got 'next week')"),
        ("due", dt.datetime(2026, 3, 31, 9, 30), "due must be a date without a time"),
        ("estimate.cost", "a lot", "estimate.cost must be a number (got 'a lot')"),
        ("scoring.value", 2.5, "scoring.value must be a whole number (got '2.5')"),
        ("status", "finished", "status must be one of draft, submitted"),
        ("estimate.cost", float("inf"), "estimate.cost must be a number (got 'inf')"),
        ("testing.security", "maybe", "testing.security must be true or false"),
    ],
)
def test_bad_cells_say_what_fits(name: str, raw: object, message: str) -> None:
    with pytest.raises(CellError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_cell(_column(name), raw, {})


@given(st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=0, max_value=10**9))
def test_numbers_have_one_canonical_text(value: Decimal) -> None:
    column = _column("estimate.cost")
    assert canonical(column, value) == canonical(column, float(value))
    assert canonical(column, read_cell(column, float(value), {})) == canonical(column, value)


def test_headers_match_names_labels_and_mappings() -> None:
    cols = columns(Kind.REQUIREMENT)
    zh = header_names("zh")
    assert match_header("title", cols, zh, {}) is _column("title")
    assert match_header("标题 (title)", cols, zh, {}) is _column("title")
    assert match_header("截止日期", cols, zh, {}) is _column("due")
    assert match_header("需求名称", cols, zh, {"需求名称": "title"}) is _column("title")
    assert match_header("Estimate.Cost", cols, zh, {}) is _column("estimate.cost")
    assert match_header("remarks", cols, zh, {}) is None


def test_cell_names() -> None:
    assert [cell_name(0, 0), cell_name(6, 2), cell_name(0, 26), cell_name(9, 701)] == [
        "A1",
        "C7",
        "AA1",
        "ZZ10",
    ]


def test_plan_reports_every_bad_cell_and_writes_nothing() -> None:
    table = Table(
        "Requirements",
        [
            ["id", "title", "status", "due"],
            ["REQ-0001", "Faster checkout", "done", "2026-02-30"],
            ["", "New idea", None, None],
        ],
    )
    existing = {
        "REQ-0001": Existing(
            Kind.REQUIREMENT,
            "requirements/REQ-0001-x.yaml",
            {
                "id": "REQ-0001",
                "title": "Checkout",
                "type": "feature",
                "status": "draft",
                "source": {"channel": "internal"},
                "description": "x",
            },
        )
    }
    plan = plan_import(
        [table],
        source="in.xlsx",
        existing=existing,
        settings=Settings(),
        default_kind=None,
        force=False,
        today=dt.date(2026, 3, 2),
        kind_of_id=lambda item_id: Kind.REQUIREMENT,
    )
    places = [p.place for p in plan.problems]
    assert places[:2] == ["in.xlsx:Requirements!C2", "in.xlsx:Requirements!D2"]
    assert any(
        p.place.startswith("in.xlsx:Requirements!") and "type" in p.message
        for p in plan.problems[2:]
    )
    assert not plan.updates


_NAMES = [c.name for c in columns(Kind.REQUIREMENT)] + ["mitrm:base", "备注", ""]
_CELLS = st.one_of(
    st.none(),
    st.text(max_size=20),
    st.sampled_from(["draft", "已提交", "2026-02-30", "REQ-0001", "REQ-1", "=1+1", "1:x:ab"]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(),
    st.booleans(),
    st.dates(),
    st.datetimes(),
)


@given(
    st.lists(st.sampled_from(_NAMES), min_size=1, max_size=8),
    st.lists(st.lists(_CELLS, max_size=9), max_size=5),
    st.sampled_from(["Requirements", "计划", None, "Sheet1"]),
)
def test_any_table_gives_a_plan_or_located_problems(
    header: list[str], rows: list[list[object]], title: str | None
) -> None:
    existing = {
        "REQ-0001": Existing(
            Kind.REQUIREMENT,
            "requirements/REQ-0001-x.yaml",
            {"id": "REQ-0001", "title": "T", "type": "feature", "status": "draft"},
        )
    }
    plan = plan_import(
        [Table(title, [list(header), *rows])],
        source="f.xlsx",
        existing=existing,
        settings=Settings(),
        default_kind=None,
        force=False,
        today=dt.date(2026, 3, 2),
        kind_of_id=lambda item_id: Kind.REQUIREMENT if item_id.startswith("REQ") else None,
    )
    for problem in plan.problems:
        assert problem.place.startswith("f.xlsx:")
        assert problem.code in ("MIT701", "MIT702", "MIT703", "MIT704")
