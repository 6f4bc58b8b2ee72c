"""Generated documentation is checked in and must match what the code generates now."""

from __future__ import annotations

from pathlib import Path

from mitrm.cli.reference import cli_reference
from mitrm.core.checking.workflow import describe

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_cli_reference_is_fresh() -> None:
    current = (DOCS / "cli-reference.md").read_text(encoding="utf-8")
    assert current == cli_reference(), (
        "docs/cli-reference.md is stale: python -m mitrm.cli.reference > docs/cli-reference.md"
    )


def test_workflow_doc_is_fresh() -> None:
    current = (DOCS / "workflow.md").read_text(encoding="utf-8")
    assert current == describe(), "docs/workflow.md is stale: regenerate it from describe()"


def test_every_code_is_documented() -> None:
    from mitrm.core.checking.codes import CODES

    text = (DOCS / "rules.md").read_text(encoding="utf-8")
    missing = [code for code in CODES if f"### {code} " not in text]
    assert missing == []


def test_items_doc_is_fresh() -> None:
    from mitrm.core.schemas import describe_items

    current = (DOCS / "items.md").read_text(encoding="utf-8")
    assert current == describe_items(), "docs/items.md is stale: regenerate it"
