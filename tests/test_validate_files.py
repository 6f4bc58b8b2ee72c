"""`mitrm validate` on broken files: each problem gets a place, a code and plain words."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import CliRun, DataRepo


def _lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ": error " in line or ": warning " in line]


def validate(cli: CliRun, repo: DataRepo, *args: str) -> tuple[int, list[str]]:
    result = cli("-C", str(repo.root), "validate", "--no-cache", *args)
    return result.exit_code, _lines(result.stderr)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"id: REQ-0001\ntitle: [unclosed\n", "MIT001 invalid YAML"),
        (
            b"id: REQ-0001\ntitle: A\ntitle: B\n",
            "3:1: error MIT002 duplicate key 'title' (first on line 2)",
        ),
        (
            b"id: REQ-0001\n<<<<<<< HEAD\ntitle: A\n=======\ntitle: B\n>>>>>>> other\n",
            "2:1: error MIT003 unresolved git merge conflict",
        ),
        (b"- a\n- b\n", "1:1: error MIT004 an item file must be a mapping of fields, found a list"),
        (b"", "1:1: error MIT005 file is empty"),
        (b"# only a comment\n", "1:1: error MIT005 file is empty"),
        (b"id: REQ-0001\ntitle: caf\xe9\n", "2:11: error MIT006 file is not UTF-8 text"),
        (
            b"id: REQ-0001\nsource:\n\tchannel: internal\n",
            "3:1: error MIT008 tab character used for indentation",
        ),
        (
            b"id: REQ-0001\ntitle: !!python/object/apply:os.system [echo hi]\n",
            "2:8: error MIT009 YAML tag !!python/object/apply:os.system is not allowed",
        ),
        (b"base: &b {a: 1}\nother:\n  <<: *b\n", "MIT009 merge keys ('<<') are not allowed"),
        (b"id: REQ-0001\non: 2026-01-01\n", "2:1: error MIT011 key 'on' is read by YAML as true"),
        (b"a: &a [*a, *a]\n", "MIT001"),
    ],
)
def test_bad_file_gets_a_located_diagnostic(
    data_repo: DataRepo, cli: CliRun, content: bytes, expected: str
) -> None:
    path = data_repo.root / "requirements" / "REQ-0001-bad.yaml"
    path.write_bytes(content)
    before = path.read_bytes()
    code, lines = validate(cli, data_repo)
    assert code == 1
    assert any(expected in line for line in lines), lines
    assert all(line.startswith("requirements/REQ-0001-bad.yaml:") for line in lines)
    assert path.read_bytes() == before  # validate never writes


def test_billion_laughs_is_refused_quickly(data_repo: DataRepo, cli: CliRun) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):
        prev = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([prev] * 10)}]")
    data_repo.write("requirements/REQ-0001-bomb.yaml", "\n".join(lines) + "\n")
    code, found = validate(cli, data_repo)
    assert code == 1
    assert any("MIT001" in line and "aliases expand" in line for line in found), found


def test_file_over_one_mebibyte_is_not_parsed(data_repo: DataRepo, cli: CliRun) -> None:
    (data_repo.root / "requirements" / "REQ-0001-big.yaml").write_text(
        "title: " + "x" * (1024 * 1024), encoding="utf-8"
    )
    code, lines = validate(cli, data_repo)
    assert code == 1
    assert "MIT007 file is 1024 KiB; item files must be under 1 MiB" in lines[0]


def test_symlink_outside_the_repo_is_not_read(
    data_repo: DataRepo, cli: CliRun, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("id: REQ-0001\ntitle: secret\n", encoding="utf-8")
    os.symlink(secret, data_repo.root / "requirements" / "REQ-0001-link.yaml")
    code, lines = validate(cli, data_repo)
    assert code == 1
    assert lines == [
        "requirements/REQ-0001-link.yaml:1:1: error MIT010 symbolic link leads outside the "
        "data repo; copy the file in"
    ]


def test_symlink_inside_the_repo_is_fine(data_repo: DataRepo, cli: CliRun) -> None:
    data_repo.requirement("REQ-0001")
    target = next((data_repo.root / "requirements").glob("REQ-0001-*.yaml"))
    (data_repo.root / "requirements" / "more").mkdir()
    os.symlink(target, data_repo.root / "requirements" / "more" / "REQ-0001-alias.yaml")
    _, lines = validate(cli, data_repo)
    # the same item twice is a duplicate id, but the link itself is accepted
    assert all("MIT010" not in line for line in lines)


def test_one_bad_file_does_not_stop_the_others(data_repo: DataRepo, cli: CliRun) -> None:
    data_repo.write("requirements/REQ-0001-bad.yaml", "id: [\n")
    data_repo.write(
        "requirements/REQ-0002-typo.yaml",
        """\
        id: REQ-0002
        titel: Faster checkout
        type: feature
        status: draft
        source: {channel: internal}
        description: x
        """,
    )
    code, lines = validate(cli, data_repo)
    assert code == 1
    assert any(line.startswith("requirements/REQ-0001-bad.yaml:") for line in lines)
    assert any("MIT101 unknown field 'titel'; did you mean 'title'?" in line for line in lines)
