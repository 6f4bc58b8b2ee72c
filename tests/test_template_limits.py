"""Repo templates are bounded: time, output size, sizes of single values, no shared-context
changes, no files outside the templates folder; every breach is a located template error."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from conftest import CliRun, DataRepo

TEMPLATE = "templates/requirement.md.j2"


def _render(data_repo: DataRepo, cli: CliRun, template: str) -> tuple[int, str, float]:
    data_repo.requirement("REQ-0001")
    data_repo.requirement("REQ-0002", "Second one")
    data_repo.write(TEMPLATE, template)
    started = time.monotonic()
    done = cli("render", cwd=data_repo.root)
    return done.exit_code, done.stderr, time.monotonic() - started


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{ L.clear() }}", "unsafe operation refused by the sandbox"),
        ("{% set _ = E.clear() %}", "unsafe operation refused by the sandbox"),
        ("{% set _ = L.update({'x': 1}) %}", "unsafe operation refused by the sandbox"),
        ("{{ 'abc'|truncate(-5) }}", "truncate needs a length of 0 or more, got -5"),
        ("{{ 'abc'|center(10**10) }}", "a centred value would be 10,000,000,000 characters"),
        ("{{ '%0999999999d'|format(1) }}", "a formatted value would be 999,999,999 characters"),
        ("{{ '%0999999999d' % 1 }}", "a formatted value would be 999,999,999 characters"),
        ("{{ '{:>999999999}'.format(1) }}", "a formatted value would be 999,999,999 characters"),
        ("{{ 'y' * 10**10 }}", "a repeated value would be 10,000,000,000 characters"),
        ("{{ 'x'|indent(10**9) }}", "an indented value would be"),
        ("{{ range(100000)|join('y' * 10000) }}", "a joined value would be"),
        (
            "{% macro f(x, n) %}{% if n %}{{ f(x ~ x, n - 1) }}{% else %}{{ x|length }}"
            "{% endif %}{% endmacro %}{{ f('y', 36) }}",
            "a joined value would be",
        ),
        (
            "{% for i in range(10000) %}{{ 'y' * 50000 }}{% endfor %}",
            "the document would be",
        ),
    ],
)
def test_template_misuse_is_a_located_template_error(
    data_repo: DataRepo, cli: CliRun, template: str, message: str
) -> None:
    code, stderr, took = _render(data_repo, cli, "# {{ req.id }}\n" + template + "\n")
    assert code == 1, stderr
    first = stderr.splitlines()[0]
    assert first.startswith(f"error: {TEMPLATE}:2: "), first
    assert message in first
    assert "(rendering REQ-000" in first
    assert took < 10
    # Nothing half-made stays behind.
    assert not list(data_repo.root.glob("docs/**/*.md"))


def test_an_endless_template_ends_at_the_time_limit_set_in_mitrm_yaml(
    data_repo: DataRepo, cli: CliRun
) -> None:
    data_repo.write("mitrm.yaml", "project: Test\nrender:\n  time_limit: 0.5\n")
    code, stderr, took = _render(
        data_repo,
        cli,
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n",
    )
    assert code == 1
    assert stderr.startswith(f"error: {TEMPLATE}:1: template limit (rendering REQ-000")
    assert "the template ran longer than 0.5 s for one document (render.time_limit" in stderr
    assert took < 5  # one document's limit, not one per item


def test_the_size_limit_is_set_in_mitrm_yaml(data_repo: DataRepo, cli: CliRun) -> None:
    data_repo.write("mitrm.yaml", "project: Test\nrender:\n  size_limit: 1\n")
    code, stderr, _ = _render(data_repo, cli, "{{ 'y' * (2 * 1024 * 1024) }}\n")
    assert code == 1
    assert "a repeated value would be 2,097,152 characters, more than the limit of 1,048,576" in (
        stderr
    )
    data_repo.write("mitrm.yaml", "project: Test\nrender:\n  size_limit: 4\n")
    assert cli("render", cwd=data_repo.root).exit_code == 0


def test_honest_templates_are_unaffected(data_repo: DataRepo, cli: CliRun) -> None:
    code, stderr, _ = _render(
        data_repo,
        cli,
        "# {{ req.id ~ ' ' ~ req.title }}\n{{ '%05d'|format(42) }} {{ '{:>6}'.format('x') }} "
        "{{ 'ab' * 3 }} {{ [1, 2]|join(', ') }} {{ 'a-b'|replace('-', '+') }}\n",
    )
    assert code == 0, stderr
    text = (data_repo.root / "docs/generated/requirements/REQ-0001.md").read_text()
    assert text == "# REQ-0001 Faster checkout\n00042      x ababab 1, 2 a+b\n"


def test_a_template_that_links_outside_the_templates_folder_is_refused(
    data_repo: DataRepo, cli: CliRun, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0\n")
    data_repo.requirement("REQ-0001")
    (data_repo.root / "templates").mkdir()
    os.symlink(secret, data_repo.root / TEMPLATE)
    done = cli("render", cwd=data_repo.root)
    assert done.exit_code == 1
    assert done.stderr.startswith(
        f"error: {TEMPLATE}: symbolic link leads outside the templates folder; "
        "it is not read (MIT010)\n"
    )
    assert not (data_repo.root / "docs/generated/requirements/REQ-0001.md").exists()


def test_include_cannot_reach_outside_the_templates_folder(
    data_repo: DataRepo, cli: CliRun, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "passwd").write_text("root:x:0:0\n")
    data_repo.requirement("REQ-0001")
    (data_repo.root / "templates").mkdir()
    os.symlink(outside, data_repo.root / "templates/sub")
    data_repo.write(TEMPLATE, '{% include "sub/passwd" %}\n')
    done = cli("render", cwd=data_repo.root)
    assert done.exit_code == 1
    assert "templates/sub/passwd: symbolic link leads outside the templates folder" in done.stderr
    for name in ("../mitrm.yaml", "/etc/passwd"):
        data_repo.write(TEMPLATE, f'{{% include "{name}" %}}\n')
        done = cli("render", cwd=data_repo.root)
        assert done.exit_code == 1
        assert f"no such template in the templates folders (rendering REQ-0001): {name}" in (
            done.stderr
        )


def test_a_template_inside_the_folder_may_be_a_link_to_another_one(
    data_repo: DataRepo, cli: CliRun
) -> None:
    data_repo.requirement("REQ-0001")
    data_repo.write("templates/mine.md.j2", "# mine {{ req.id }}\n")
    os.symlink("mine.md.j2", data_repo.root / TEMPLATE)
    done = cli("render", cwd=data_repo.root)
    assert done.exit_code == 0, done.stderr
    text = (data_repo.root / "docs/generated/requirements/REQ-0001.md").read_text()
    assert text == "# mine REQ-0001\n"


def test_a_fifo_as_a_template_is_refused_not_waited_on(data_repo: DataRepo, cli: CliRun) -> None:
    data_repo.requirement("REQ-0001")
    (data_repo.root / "templates").mkdir()
    os.mkfifo(data_repo.root / TEMPLATE)
    done = cli("render", cwd=data_repo.root)
    assert done.exit_code == 1
    assert f"{TEMPLATE}: not a plain file" in done.stderr
