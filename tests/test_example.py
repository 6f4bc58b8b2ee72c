"""The bundled example data repo (examples/acme) is realistic and validates clean."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import CliRun

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "acme"
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")
HAN = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORDS = re.compile(r"[A-Za-z]{4,}(?: [A-Za-z]{2,}){2,}")


def _items(folder: str) -> list[Path]:
    return sorted((EXAMPLE / folder).rglob("*.yaml"))


def test_the_example_validates_clean(cli: CliRun) -> None:
    result = cli("-C", str(EXAMPLE), "validate")
    assert result.exit_code == 0, result.stderr
    assert re.search(r"checked \d+ files: 0 errors", result.stderr), result.stderr


def test_the_example_has_every_kind_of_item() -> None:
    assert len(_items("requirements")) >= 15
    assert len(_items("plans")) == 2
    assert len(_items("changes")) == 3


def test_the_example_lists_every_item(cli: CliRun) -> None:
    result = cli("-C", str(EXAMPLE), "list", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    listed = {line.split(",", 1)[0] for line in result.stdout.splitlines()[1:]}
    on_disk = {
        path.name.split("-", 2)[0] + "-" + path.name.split("-", 2)[1]
        for folder in ("requirements", "plans", "changes")
        for path in _items(folder)
    }
    assert listed == on_disk


def test_the_example_mixes_chinese_and_english() -> None:
    texts = [path.read_text(encoding="utf-8") for path in _items("requirements")]
    titles = [re.search(r"^title: (.*)$", text, re.M) for text in texts]
    chinese_only = [t for t in titles if t and HAN.search(t[1]) and not LATIN_WORDS.search(t[1])]
    english_only = [t for t in titles if t and not HAN.search(t[1])]
    mixed = [t for t in titles if t and HAN.search(t[1]) and LATIN_WORDS.search(t[1])]
    assert chinese_only and english_only and mixed


def test_every_item_file_points_at_an_existing_schema() -> None:
    kinds = {"requirements": "requirement", "plans": "plan", "changes": "change"}
    for folder, kind in kinds.items():
        for path in _items(folder):
            first = path.read_text(encoding="utf-8").splitlines()[0]
            match = MODELINE.match(first)
            assert match, f"{path.name}: first line is not a schema modeline: {first!r}"
            schema = (path.parent / match[1]).resolve()
            assert schema.name == f"{kind}.schema.json", path.name
            assert schema.is_file(), f"{path.name}: {schema} does not exist"
    settings_line = (EXAMPLE / "mitrm.yaml").read_text(encoding="utf-8").splitlines()[0]
    settings_match = MODELINE.match(settings_line)
    assert settings_match
    assert (EXAMPLE / settings_match[1]).resolve() == REPO / "schemas" / "settings.schema.json"
