"""Templates from the data repo run sandboxed and strict: errors name the template and line."""

from __future__ import annotations

import pytest

from conftest import CliRun, DataRepo

ESCAPES = [
    "{{ ''.__class__.__mro__ }}",
    "{{ cycler.__init__.__globals__.os }}",
    "{% for c in ''.__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
    "{{ req.__class__ }}",
    "{{ range.__self__ }}",
    "{{ lipsum.__globals__['os'].system('echo pwned') }}",
]


@pytest.mark.parametrize("attempt", ESCAPES)
def test_a_template_reaching_for_python_internals_fails_safely(
    data_repo: DataRepo, cli: CliRun, attempt: str
) -> None:
    data_repo.requirement("REQ-0001")
    data_repo.write("templates/requirement.md.j2", "# {{ req.id }}\n\n" + attempt + "\n")
    result = cli("-C", str(data_repo.root), "render")
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert "error: templates/requirement.md.j2:3:" in result.stderr
    assert "(rendering REQ-0001)" in result.stderr
    assert "pwned" not in result.stdout
    assert not (data_repo.root / "docs").exists(), "nothing is written when a template fails"


def test_the_sandbox_names_what_it_refused(data_repo: DataRepo, cli: CliRun) -> None:
    data_repo.requirement("REQ-0001")
    data_repo.write("templates/requirement.md.j2", "{{ ''.__class__.__mro__ }}\n")
    result = cli("-C", str(data_repo.root), "render")
    assert "unsafe operation refused by the sandbox" in result.stderr
    assert "__class__" in result.stderr


def test_a_misspelt_variable_names_the_template_and_line(data_repo: DataRepo, cli: CliRun) -> None:
    data_repo.requirement("REQ-0001")
    data_repo.write("templates/change.md.j2", "# x\n")
    data_repo.write("templates/requirement.md.j2", "# {{ req.id }}\n\n{{ req.titel }}\n")
    result = cli("-C", str(data_repo.root), "render")
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert "error: templates/requirement.md.j2:3: undefined value (rendering REQ-0001)" in (
        result.stderr
    )
    assert "titel" in result.stderr
    assert "docs/templates.md" in result.stderr


def test_a_template_syntax_error_names_the_template_and_line(
    data_repo: DataRepo, cli: CliRun
) -> None:
    data_repo.requirement("REQ-0001")
    data_repo.write("templates/requirement.md.j2", "# {{ req.id }}\n\n{% if %}\n")
    result = cli("-C", str(data_repo.root), "render")
    assert result.exit_code == 1
    assert "error: templates/requirement.md.j2:3: template syntax error" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_error_in_an_imported_template_names_that_template(
    data_repo: DataRepo, cli: CliRun
) -> None:
    data_repo.requirement("REQ-0001")
    data_repo.write(
        "templates/_macros.md.j2",
        "{% macro ref(r) %}{{ r.nope }}{% endmacro %}\n{% macro label(v) %}x{% endmacro %}\n",
    )
    data_repo.write(
        "templates/readiness.md.j2",
        '{% import "_macros.md.j2" as m %}\n# {{ req.id }}\n\n{{ m.ref(req) }}\n',
    )
    data_repo.write("templates/requirement.md.j2", "# {{ req.id }}\n")
    result = cli("-C", str(data_repo.root), "render")
    assert result.exit_code == 1
    assert "templates/_macros.md.j2:1: undefined value (rendering REQ-0001)" in result.stderr
