"""Core logic of drafting: ids, slugs, shard folders, answers and the new file's text."""

from __future__ import annotations

import datetime as dt

import pytest

from mitrm.core.editing.drafting import (
    QUESTIONS,
    item_data,
    missing,
    parse_answer,
    question,
    render,
)
from mitrm.core.editing.edits import field_order, parse_assignment, reference_locs
from mitrm.core.ids import (
    fits_scheme,
    highest_number,
    id_of_name,
    next_id,
    renamed,
    shard_folder,
    slugify,
)
from mitrm.core.models import Kind, Requirement
from mitrm.core.models.settings import IdScheme, Shard
from mitrm.errors import UsageError
from mitrm.io.yamlfile import load_yaml

TODAY = dt.date(2026, 11, 22)


def test_next_id_reads_ids_and_file_names_of_its_prefix_only() -> None:
    names = ["requirements/2026/REQ-0009-x.yaml", "REQ-0012", "REQ-0100x.yaml", "PLAN-0500-p.yaml"]
    assert highest_number(names, "REQ") == 12
    assert next_id(IdScheme(prefix="REQ"), names) == "REQ-0013"
    assert next_id(IdScheme(prefix="PLAN", digits=3), []) == "PLAN-001"
    assert next_id(IdScheme(prefix="REQ", digits=2), ["REQ-99-x.yaml"]) == "REQ-100"
    assert id_of_name("REQ-0012-coupons.yaml", "REQ") == "REQ-0012"
    assert id_of_name("REQ-00123.yaml", "REQ") == "REQ-00123"
    assert fits_scheme("REQ-0012", IdScheme(prefix="REQ")) and not fits_scheme(
        "REQ-12", IdScheme(prefix="REQ")
    )


def test_slugs_shards_and_renames() -> None:
    assert slugify("Faster Mobile Checkout!") == "faster-mobile-checkout"
    assert slugify("移动端结账提速 / Faster checkout") == "移动端结账提速-faster-checkout"
    assert slugify("???") == "item"
    assert len(slugify("word " * 40)) <= 48
    assert shard_folder(Shard.YEAR, 7, TODAY) == "2026"
    assert shard_folder(Shard.HUNDRED, 7, TODAY) == "000"
    assert shard_folder(Shard.HUNDRED, 1234, TODAY) == "012"
    assert shard_folder(Shard.NONE, 7, TODAY) is None
    assert renamed("REQ-0003-coupons.yaml", "REQ-0003", "REQ-0010") == "REQ-0010-coupons.yaml"
    assert renamed("coupons.yaml", "REQ-0003", "REQ-0010") == "REQ-0010-coupons.yaml"


@pytest.mark.parametrize(
    ("name", "raw", "expected"),
    [
        ("type", "2", "improvement"),
        ("type", "Sec", "security"),
        ("channel", "regulator", "regulator"),
        ("due", "2027/3/5", dt.date(2027, 3, 5)),
        ("due", "", None),
        ("title", "  Coupons  ", "Coupons"),
    ],
)
def test_answers_are_read_generously(name: str, raw: str, expected: object) -> None:
    assert parse_answer(question(Kind.REQUIREMENT, name), raw, today=TODAY) == expected


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        ("type", "in", "'in' is not one of"),  # ambiguous: infrastructure, integration
        ("type", "12", "'12' is not one of"),
        ("due", "2026-11-21", "in the past"),
        ("due", "31.12.2026x", "write it as YYYY-MM-DD"),
        ("title", " ", "title is required"),
    ],
)
def test_bad_answers_say_why(name: str, raw: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_answer(question(Kind.REQUIREMENT, name), raw, today=TODAY)


def test_ids_answers_must_exist_and_end_not_before_start() -> None:
    targets = question(Kind.CHANGE, "targets")
    assert parse_answer(
        targets, "req-0001, PLAN-0002 REQ-0001", known_ids={"REQ-0001", "PLAN-0002"}
    ) == [
        "REQ-0001",
        "PLAN-0002",
    ]
    with pytest.raises(ValueError, match="no item has the id REQ-0009"):
        parse_answer(targets, "REQ-0009", known_ids={"REQ-0001"})
    end = question(Kind.PLAN, "end")
    with pytest.raises(ValueError, match="must not be before the start"):
        parse_answer(end, "2026-01-01", values={"start": dt.date(2026, 2, 1)})


@pytest.mark.parametrize("kind", list(Kind))
def test_a_new_file_of_each_kind_reads_back_as_a_valid_item(kind: Kind) -> None:
    values = {
        "title": "标题 no",
        "type": "feature",
        "channel": "internal",
        "description": "yes",
        "targets": ["REQ-0001"],
        "reason": "market",
        "requirements": ["REQ-0001"],
        "tags": ["no", "双12"],
    }
    assert missing(kind, values) == []
    names = {q.name for q in QUESTIONS[kind]}
    data = item_data(
        kind,
        "X-0001",
        {k: v for k, v in values.items() if k in names or k == "tags"},
        created=TODAY,
    )
    text = render(kind, data, schema_ref="s.json", currency="CNY")
    loaded = load_yaml(text)
    assert loaded == data
    assert loaded["status"] == "draft" and loaded["tags"] == ["no", "双12"]
    if kind is Kind.REQUIREMENT:
        Requirement.model_validate(loaded)
    assert all(line.startswith("#") or not line.startswith(" #") for line in text.splitlines())


def test_assignments_and_reference_locations() -> None:
    assert parse_assignment("kpis.0.target=2.5").loc == ("kpis", 0, "target")
    assert parse_assignment("tags+=a=b").append and parse_assignment("tags+=a=b").raw == "a=b"
    with pytest.raises(UsageError):
        parse_assignment("0.x=1")
    assert field_order(Kind.REQUIREMENT, ("source",)) == [
        "channel",
        "department",
        "requester",
        "reference",
    ]
    plan = {
        "requirements": ["REQ-1", "REQ-2"],
        "phases": [{"requirements": ["REQ-2"]}],
        "milestones": [{"name": "m"}, {"requirements": ["REQ-2", "REQ-2"]}],
    }
    assert reference_locs(Kind.PLAN, plan, "REQ-2") == [
        ("requirements", 1),
        ("phases", 0, "requirements", 0),
        ("milestones", 1, "requirements", 0),
        ("milestones", 1, "requirements", 1),
    ]
