"""docs/rules.md and the quality rules agree: every rule documented, every example right."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from mitrm.core.checking.codes import CODES
from mitrm.core.checking.rules import RULES
from mitrm.core.diagnostics import Severity
from mitrm.io.repository import check_files, load_settings

DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules.md"
DEFAULT_TODAY = dt.date(2026, 3, 2)
FOLDERS = {"REQ": "requirements", "PLAN": "plans", "CR": "changes"}


def _sections() -> dict[str, str]:
    text = DOCS.read_text(encoding="utf-8")
    quality = text.split("\n## Quality rules\n", 1)[1]
    parts = re.split(r"^### (MIT\d{3}) .*$", quality, flags=re.MULTILINE)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts), 2)}


SECTIONS = _sections()


def _example(section: str, label: str) -> str:
    match = re.search(rf"^{label}:\n\n```yaml\n(.*?)^```", section, re.MULTILINE | re.DOTALL)
    assert match, f"no '{label}:' YAML example"
    return match.group(1)


def _run(example: str, tmp_path: Path) -> list[tuple[str, Severity]]:
    """Write the example's documents into a fresh data repo and validate it."""
    root = tmp_path / "repo"
    root.mkdir()
    settings_text = "project: Docs\n"
    today = DEFAULT_TODAY
    churn: dict[str, int] = {}
    for document in example.split("\n---\n"):
        when = re.search(r"^# today: (\S+)", document, re.MULTILINE)
        if when:
            today = dt.date.fromisoformat(when.group(1))
        item_id = re.search(r"\bid: ([A-Z]+)-(\d+)", document)
        if item_id is None:
            settings_text += document
            continue
        full_id = f"{item_id.group(1)}-{item_id.group(2)}"
        changes = re.search(r"^# changes since approval: (\d+)", document, re.MULTILINE)
        if changes:
            churn[full_id] = int(changes.group(1))
        folder = root / FOLDERS[item_id.group(1)]
        folder.mkdir(exist_ok=True)
        (folder / f"{full_id}-example.yaml").write_text(document, encoding="utf-8")
    (root / "mitrm.yaml").write_text(settings_text, encoding="utf-8")
    result = check_files(
        root,
        settings=load_settings(root),
        use_cache=False,
        jobs=1,
        today=today,
        churn=churn,
    )
    errors = [d.text() for d in result.diagnostics if d.severity is Severity.ERROR]
    assert not errors, "the example is not a valid item:\n" + "\n".join(errors)
    return [(d.code, d.severity) for d in result.diagnostics]


def test_every_rule_is_documented_and_nothing_else() -> None:
    assert sorted(SECTIONS) == sorted(RULES)


def test_every_rule_is_a_registered_code() -> None:
    for code, rule in RULES.items():
        assert CODES[code].severity is rule.severity
        assert code.startswith("MIT4")


@pytest.mark.parametrize("code", sorted(SECTIONS))
def test_section_names_the_default_severity(code: str) -> None:
    assert f"Default: {RULES[code].severity.value}." in " ".join(SECTIONS[code].split())


@pytest.mark.parametrize("code", sorted(SECTIONS))
def test_bad_example_triggers_its_rule(code: str, tmp_path: Path) -> None:
    found = _run(_example(SECTIONS[code], "Bad"), tmp_path)
    assert code in [c for c, _ in found], found


@pytest.mark.parametrize("code", sorted(SECTIONS))
def test_good_example_does_not_trigger_its_rule(code: str, tmp_path: Path) -> None:
    found = _run(_example(SECTIONS[code], "Good"), tmp_path)
    assert code not in [c for c, _ in found], found
