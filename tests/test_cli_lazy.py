"""Commands load lazily: the static table in cli/app.py, and what it saves at start-up."""

from __future__ import annotations

import inspect
import os
import pkgutil
import subprocess
import sys
from importlib import import_module

import pytest

import mitrm.cli
from mitrm.cli.app import COMMANDS, load_commands
from mitrm.cli.helps import HELP
from mitrm.i18n import _, speaking

# Helper modules of the CLI: they define no command.
_HELPERS = {"app", "completion", "context", "editor", "formats", "output", "prioritize_output"}
_HELPERS |= {"fit", "helps", "progress", "prompt", "reference", "streams"}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_table_lists_each_command_with_its_real_help(lang: str) -> None:
    with speaking(lang):
        for name, module in COMMANDS:
            real = load_commands(module)[name]
            assert real.name == name
            assert real.help == inspect.cleandoc(_(HELP[name])), (
                f"{name}: the table's help is stale"
            )


def test_every_command_a_module_registers_is_in_the_table_once() -> None:
    listed = [name for name, _module in COMMANDS]
    assert len(listed) == len(set(listed))
    registered = []
    for info in pkgutil.iter_modules(mitrm.cli.__path__):
        if info.name in _HELPERS:
            continue
        module = import_module(f"mitrm.cli.{info.name}")
        assert hasattr(module, "register"), f"mitrm.cli.{info.name}: a command module or a helper?"
        for name in load_commands(info.name):
            registered.append(name)
            assert (name, info.name) in set(COMMANDS), name
    assert sorted(registered) == sorted(listed)


def _cli_modules_after(*args: str, env: dict[str, str] | None = None) -> tuple[str, set[str]]:
    """Run ``mitrm ARGS`` in a new interpreter: its stdout and the mitrm.cli modules it loaded."""
    code = (
        "import sys\n"
        "from mitrm.cli.app import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stderr.write('\\nLOADED ' + ' '.join(sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
    )
    loaded = done.stderr.rsplit("LOADED ", 1)[1].split()
    return done.stdout, {name.removeprefix("mitrm.cli.") for name in loaded}


def test_top_level_help_needs_no_heavy_library() -> None:
    _out, loaded = _cli_modules_after("--help")
    assert not loaded & {"pydantic", "yaml", "rich", "jinja2", "mitrm.core.models"}


def test_top_level_help_imports_no_command_module_and_lists_them_all() -> None:
    out, loaded = _cli_modules_after("--help", env={"MITRM_LANG": "zh"})
    assert not loaded & {module for _name, module in COMMANDS}
    for name, _module in COMMANDS:
        assert f"\n  {name} " in out
    assert "校验条目文件" in out  # validate's short help, in Chinese


def test_a_command_imports_its_own_module_only() -> None:
    out, loaded = _cli_modules_after("schema", "--help")
    assert "Write the JSON Schemas" in out
    assert "schema" in loaded
    assert not loaded & {"validate", "browse", "prioritize", "render", "history", "report"}


def test_completing_a_command_name_imports_no_command_module() -> None:
    code = (
        "import sys\n"
        "from mitrm.cli.app import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stderr.write(' '.join(m for m in sys.modules if m.startswith('mitrm.cli.')))\n"
    )
    env = {**os.environ, "_MITRM_COMPLETE": "complete_bash", "COMP_WORDS": "mitrm re"}
    env["COMP_CWORD"] = "1"
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert done.stdout.split() == ["renumber", "render", "report"]  # in --help order
    assert "mitrm.cli.render" not in done.stderr.split()
