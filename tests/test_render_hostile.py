"""Hostile text in the YAML never breaks the Markdown or the Mermaid charts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import CliRun, DataRepo
from mdcheck import h1_count, html_blocks, lint, mermaid_blocks, table_problems
from mitrm.core.render import markdown

NASTY = '# Hacked | <script>alert(1)</script> "q": [x]; %% end\\n -- > `code` *em* _u_ &amp;'

REQUIREMENT = f"""\
id: REQ-0001
title: '{NASTY.replace("'", "''")}'
type: feature
status: approved
source: {{channel: customer, department: "Sales | Ops", requester: "<b>Bob</b>"}}
owners: {{business: "# Alice", it: "Wang | IT"}}
created: 2026-01-05
due: 2026-03-01
description: |
  # Not a heading
  | a | b |
  |---|---|
  <img src=x onerror=alert(1)>
  1. not a list
  - not a list either
  ---
  ```
  not code
business_goal: "Goal: [link](javascript:alert(1))"
features: ["- nested?", "1. numbered?", "> quote?"]
kpis:
  - name: "Rate | share\\nnext line"
    baseline: 1.5
    target: 2
    unit: "%|%"
    measurement: "A/B test <i>weekly</i>"
acceptance_criteria: ["# criterion", "a | b | c"]
feasibility: {{technical: high, economic: medium, operational: low, notes: "=== underline?"}}
estimate: {{effort_days: 10, cost: 1000, benefit: 3000}}
scoring: {{value: 4, difficulty: 2}}
risks:
  - description: "Risk | with pipe"
    mitigation: "<script>x</script>"
    owner: "|"
depends_on: []
compliance: ["GDPR | PII"]
testing: {{functional: true, notes: "line1\\nline2 | x"}}
training: {{needed: true, audience: ["a|b"], plan: "# plan"}}
tags: ["t|1", "<t2>"]
"""

PLAN = f"""\
id: PLAN-0001
title: '{NASTY.replace("'", "''")}'
status: approved
owner: "Owner: x; y"
requirements: [REQ-0001]
out_of_scope: ["| pipe", "# hash"]
start: 2026-01-01
end: 2026-12-31
phases:
  - {{name: 'Pilot: "A" [1]; %% x', kind: pilot, start: 2026-01-01, end: 2026-03-31}}
  - {{name: "Roll-out --> all # stores", kind: rollout, start: 2026-04-01, end: 2026-12-31}}
milestones:
  - {{name: "Go-live: ok; done %% yes", date: 2026-04-01, done: true}}
  - {{name: ":::", date: 2026-05-01}}
budget:
  total: 1000
  lines:
    - {{category: people, amount: 500, spent: 100, description: "a | b"}}
risks:
  - {{description: "x | y", mitigation: "# m", owner: "<o>"}}
support:
  model: "# model | x"
  tiers: [{{name: "L1 | first", response_time: "<1h"}}, {{name: L2, response_time: "4h"}}]
tco: [{{year: 1, cost: 10, notes: "| n"}}]
"""

CHANGE = f"""\
id: CR-0001
title: '{NASTY.replace("'", "''")}'
status: approved
targets: [REQ-0001, PLAN-0001]
reason: competitor
requested_by: "<Eve>"
created: 2026-01-10
description: "## sub | heading"
proposed_change: "<iframe>"
impact: {{cost: 10, schedule_days: 5, quality: "a | b", risk: high}}
decision: {{outcome: approved, by: "# Board", date: 2026-02-01, rationale: "| r"}}
"""


@pytest.fixture
def hostile(data_repo: DataRepo, cli: CliRun) -> dict[str, str]:
    data_repo.write("mitrm.yaml", "project: '# Evil | <b>project</b>'\n")
    data_repo.write("requirements/REQ-0001-x.yaml", REQUIREMENT)
    data_repo.write("plans/PLAN-0001-x.yaml", PLAN)
    data_repo.write("changes/CR-0001-x.yaml", CHANGE)
    valid = cli("-C", str(data_repo.root), "validate")
    assert "0 errors" in valid.stderr, valid.stdout + valid.stderr
    result = cli("-C", str(data_repo.root), "render", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    out = data_repo.root / "docs" / "generated"
    return {
        p.relative_to(out).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(out.rglob("*.md"))
    }


def test_hostile_documents_pass_the_linter(hostile: dict[str, str]) -> None:
    assert len(hostile) == 6
    for name, text in hostile.items():
        assert lint(text) == [], name


def test_hostile_tables_keep_their_columns(hostile: dict[str, str]) -> None:
    for name, text in hostile.items():
        assert table_problems(text) == [], name


def test_hostile_text_adds_no_heading_and_no_html(hostile: dict[str, str]) -> None:
    for name, text in hostile.items():
        assert h1_count(text) == 1, name
        assert html_blocks(text) == 0, name
        assert "<script>" not in text.replace("\\<script\\>", ""), name


def test_hostile_text_adds_no_code_block(hostile: dict[str, str]) -> None:
    for name, text in hostile.items():
        fences = [line for line in text.splitlines() if line.startswith("```")]
        assert all(f in ("```mermaid", "```") for f in fences), name
        assert len(fences) % 2 == 0, name


def test_mermaid_charts_survive_hostile_titles(hostile: dict[str, str]) -> None:
    gantt = mermaid_blocks(hostile["plans/PLAN-0001.md"])[0]
    tasks = [line for line in gantt if re.match(r"^    \S.* :", line)]
    assert len(tasks) == 4
    for line in gantt:
        assert "%%" not in line and ";" not in line and '"' not in line and "#" not in line
        assert line.count(":") <= 1, line
    charts = mermaid_blocks(hostile["index.md"])
    for block in charts:
        for line in block:
            assert "%%" not in line
            assert line.count('"') % 2 == 0, line


@given(st.text())
def test_inline_text_is_one_line_and_never_splits_a_table_cell(text: str) -> None:
    escaped = markdown.cell(text)
    assert "\n" not in escaped and "\r" not in escaped
    assert re.search(r"(?<!\\)\|", escaped.replace("\\\\", "")) is None
    assert escaped.strip() == escaped


@given(st.text())
def test_mermaid_labels_have_no_breaking_characters(text: str) -> None:
    label = markdown.mermaid(text)
    assert not set(label) & set('":;#[]{}()<>`\n\r')
    assert "%%" not in label
    assert len(label) <= 60


def test_escaping_examples() -> None:
    assert markdown.inline("# title") == "\\# title"
    assert markdown.inline("1. first") == "1\\. first"
    assert markdown.inline("- item") == "\\- item"
    assert markdown.inline("a | b\nc") == "a \\| b c"
    assert markdown.inline("<b>x</b>") == "\\<b\\>x\\</b\\>"
    assert markdown.inline("3.0 days") == "3.0 days"
    assert markdown.cell(None) == "-"
    assert markdown.block("one\ntwo\n\n\n# three") == "one\ntwo\n\n\\# three"
    assert markdown.mermaid('Pilot: "A" [1]; %% x') == "Pilot A 1 % x"
    assert markdown.mermaid("10% of 双12 traffic") == "10% of 双12 traffic"
    assert markdown.code("a`b") == "``a`b``"
    assert markdown.block("intro\n- a\n  more\n- # b\nafter") == (
        "intro\n\n- a\n  more\n- \\# b\n\nafter"
    )


def test_tidy_collapses_blank_lines_outside_fences_only() -> None:
    text = "# T\n\n\n\ntext   \n```mermaid\na\n\n\nb\n```\n\n\n"
    assert markdown.tidy(text) == "# T\n\ntext\n```mermaid\na\n\n\nb\n```\n"


def test_fixture_file_is_here() -> None:
    assert Path(__file__).name == "test_render_hostile.py"
