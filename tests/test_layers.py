"""The layers import one way, and inside core the capability packages import one way too.

cli -> io -> core; core never imports the CLI, rich, typer, git, YAML or mitrm.io;
io never imports the CLI. Inside core, the foundation (models, diagnostics, ids...)
imports no capability package; ``checking`` imports only the foundation;
``editing``, ``history`` and ``prioritization`` build on checking but not on each
other; rendering (``render``, ``site``, ``reportpages``) and ``exchange`` may use them all.
"""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "mitrm"
CORE = SRC / "core"
FORBIDDEN = ("typer", "rich", "git", "mitrm.io", "mitrm.cli", "yaml", "ruamel")

# Capability packages of core and the rank of each: a module imports only lower ranks
# or its own package. Everything else directly in core/ is the foundation (rank 0).
RANKS = {
    "checking": 1,
    "editing": 2,
    "history": 2,
    "prioritization": 2,
    "render": 3,
    "site": 3,
    "reportpages": 3,
    "exchange": 3,
}
FACES = (
    "mitrm.core.checking",
    "mitrm.core.editing",
    "mitrm.core.history",
    "mitrm.core.prioritization",
    "mitrm.io.git",
    "mitrm.io.history",
)


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[str]:
    """Every module ``path`` imports, at the top or inside functions, absolute names."""
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
            # ``from mitrm.core import checking`` imports the package it names.
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def _under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def _core_unit(name: str) -> str | None:
    """The capability package (or foundation module) of a mitrm.core module name."""
    if not _under(name, "mitrm.core") or name == "mitrm.core":
        return None
    return name.split(".")[2]


def test_core_imports_nothing_from_the_edges() -> None:
    offenders = []
    for path in sorted(CORE.rglob("*.py")):
        for name in _imports(path):
            if any(_under(name, bad) for bad in FORBIDDEN):
                offenders.append(f"{path.relative_to(CORE)}: {name}")
    assert offenders == []


def test_io_never_imports_the_cli() -> None:
    offenders = []
    for path in sorted((SRC / "io").rglob("*.py")):
        for name in _imports(path):
            if _under(name, "mitrm.cli") or name.split(".")[0] in ("typer", "rich"):
                offenders.append(f"{path.relative_to(SRC)}: {name}")
    assert offenders == []


def test_core_packages_import_each_other_one_way() -> None:
    offenders = []
    for path in sorted(CORE.rglob("*.py")):
        unit = _core_unit(_module_name(path))
        if unit is None:
            continue
        rank = RANKS.get(unit, 0)
        for name in _imports(path):
            other = _core_unit(name)
            if other is None or other == unit:
                continue
            other_rank = RANKS.get(other, 0)
            if other_rank > rank or (other_rank == rank and rank > 0 and other_rank < 3):
                offenders.append(f"core/{path.relative_to(CORE)}: {name}")
    assert offenders == []


def test_io_git_is_below_io_history() -> None:
    offenders = [
        f"{path.relative_to(SRC)}: {name}"
        for path in sorted((SRC / "io" / "git").rglob("*.py"))
        for name in _imports(path)
        if _under(name, "mitrm.io.history")
    ]
    assert offenders == []


@pytest.mark.parametrize("package", FACES)
def test_each_face_names_what_its_modules_define(package: str) -> None:
    face = importlib.import_module(package)
    assert face.__doc__
    exports: dict[str, str] = face._EXPORTS
    assert sorted(face.__all__) == sorted(exports)
    # The names mypy sees (the TYPE_CHECKING imports) are the names served at run time.
    seen: dict[str, str] = {}
    assert face.__file__ is not None
    for node in ast.walk(ast.parse(Path(face.__file__).read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and _under(node.module, package):
            seen.update({alias.name: node.module[len(package) + 1 :] for alias in node.names})
    assert seen == exports
    for name, module in exports.items():
        defined = getattr(importlib.import_module(f"{package}.{module}"), name)
        assert getattr(face, name) is defined
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        _ = face.nothing_here


def test_importing_a_face_imports_none_of_its_modules() -> None:
    code = (
        "import sys\n"
        f"for face in {FACES!r}:\n"
        "    __import__(face)\n"
        "print(sorted(m for m in sys.modules if any(m.startswith(f + '.') for f in "
        f"{FACES!r})))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_other_layers_use_the_faces() -> None:
    # A name a face exports is imported from the face, not from the module behind it,
    # so that the module can move inside its package without touching its users.
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        here = _module_name(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.ImportFrom) and node.module):
                continue
            for package in FACES:
                if _under(here, package) or not node.module.startswith(package + "."):
                    continue
                exports = importlib.import_module(package)._EXPORTS
                offenders += [
                    f"{path.relative_to(SRC)}: {node.module}.{alias.name}"
                    for alias in node.names
                    if alias.name in exports
                ]
    assert offenders == []
