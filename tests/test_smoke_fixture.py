"""The fixtures work: a draft requirement validates clean through the CLI."""

from conftest import CliRun, DataRepo


def test_a_draft_requirement_validates(data_repo: DataRepo, cli: CliRun) -> None:
    data_repo.requirement("REQ-0001")
    result = cli("-C", str(data_repo.root), "validate")
    assert result.exit_code == 0, result.stderr
    assert "checked 1 file: 0 errors, 0 warnings" in result.stderr
