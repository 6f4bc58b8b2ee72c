"""The layers import one way: core never imports the CLI, rich, typer, git or mitrm.io."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "src" / "mitrm" / "core"
FORBIDDEN = ("typer", "rich", "git", "mitrm.io", "mitrm.cli", "yaml", "ruamel")


def test_core_imports_nothing_from_the_edges() -> None:
    offenders = []
    for path in sorted(CORE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN):
                    offenders.append(f"{path.relative_to(CORE)}: {name}")
    assert offenders == []
