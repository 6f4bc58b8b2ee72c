"""Golden files: every document kind of the example repo, in English and Chinese.

Regenerate after an intended change with ``UPDATE_GOLDEN=1 pytest tests/test_render_golden.py``
and review the diff like code.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import CliRun
from mdcheck import h1_count, lint, mermaid_blocks, table_problems

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "acme"
GOLDEN = Path(__file__).resolve().parent / "golden" / "render"
KINDS = {
    "index.md": "portfolio",
    "requirements/REQ-0002.md": "requirement",
    "requirements/REQ-0002-readiness.md": "readiness",
    "plans/PLAN-0001.md": "plan",
    "plans/PLAN-0001-checklist.md": "implementation",
    "changes/CR-0002.md": "change",
}


def _render(tmp_path: Path, cli: CliRun, lang: str) -> Path:
    repo = tmp_path / "acme"
    shutil.copytree(EXAMPLE, repo, ignore=shutil.ignore_patterns("docs"))
    result = cli("-C", str(repo), "render", "--lang", lang)
    assert result.exit_code == 0, result.stderr
    return repo / "docs" / "generated"


def _files(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_example_repo_renders_as_the_golden_files(
    tmp_path: Path, cli: CliRun, lang: str
) -> None:
    out = _render(tmp_path, cli, lang)
    rendered = _files(out)
    golden = GOLDEN / lang
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(golden, ignore_errors=True)
        shutil.copytree(out, golden)
    for name in KINDS:
        assert name in rendered, f"no {KINDS[name]} document {name}"
    assert rendered == _files(golden), f"run UPDATE_GOLDEN=1 pytest {__file__} and review"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_golden_documents_pass_the_linter_and_their_tables_parse(lang: str) -> None:
    files = _files(GOLDEN / lang)
    assert files, "no golden files: run with UPDATE_GOLDEN=1"
    for name, text in files.items():
        if not name.endswith(".md"):
            continue
        assert lint(text) == [], name
        assert table_problems(text) == [], name
        assert h1_count(text) == 1, name


def test_the_portfolio_has_its_charts() -> None:
    text = (GOLDEN / "en" / "index.md").read_text(encoding="utf-8")
    kinds = [block[0].split()[0] for block in mermaid_blocks(text)]
    assert kinds == ["pie", "quadrantChart"]
    plan = (GOLDEN / "en" / "plans" / "PLAN-0001.md").read_text(encoding="utf-8")
    assert [block[0] for block in mermaid_blocks(plan)] == ["gantt"]
