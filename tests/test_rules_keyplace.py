"""The fast key finder agrees with the full locator wherever it answers."""

from __future__ import annotations

import pytest

from mitrm.core.diagnostics import Diagnostic, Loc
from mitrm.io.keyplace import quick_place
from mitrm.io.yamlfile import locate

TEXT = """\
# a comment
id: REQ-0001
title: Faster checkout   # comment after
status: draft
description: |
  due: not a key, inside a block scalar
estimate:
  # comment inside
  cost: 500000

  benefit: 100
testing: {security: true}
nested:
    deeper:
        leaf: x
after: 1
due: 2026-03-13
"""


def full(text: str, loc: Loc) -> tuple[int, int]:
    (placed,) = locate([Diagnostic("f.yaml", "MIT401", "m", loc=loc)], {"f.yaml": text})
    return placed.line, placed.column


@pytest.mark.parametrize(
    "loc",
    [
        ("id",),
        ("title",),
        ("status",),
        ("due",),
        ("estimate", "cost"),
        ("estimate", "benefit"),
        ("nested", "deeper", "leaf"),
        ("after",),
    ],
)
def test_quick_place_matches_the_full_locator(loc: Loc) -> None:
    assert quick_place(TEXT, loc) == full(TEXT, loc)


@pytest.mark.parametrize(
    "loc",
    [
        ("description",),  # a block scalar
        ("estimate",),  # a mapping value
        ("testing", "security"),  # a flow mapping
        ("estimate", "currency"),  # absent
        ("nested", "leaf"),  # not at this level
        ("kpis", 0),  # list index
        (),
    ],
)
def test_quick_place_declines_what_it_cannot_place_simply(loc: Loc) -> None:
    assert quick_place(TEXT, loc) is None
