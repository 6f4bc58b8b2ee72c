"""Pull-request checks: `--changed-since REF` in a real git repo, and SARIF output."""

from __future__ import annotations

import json

from conftest import CliRun, DataRepo


def _problems(stderr: str) -> list[str]:
    return [line.split(":")[0] for line in stderr.splitlines() if " MIT" in line]


def test_changed_since_reports_only_changed_items(git_repo: DataRepo, cli: CliRun) -> None:
    git_repo.requirement("REQ-0001", "A")
    git_repo.write("requirements/REQ-0002-old.yaml", "id: REQ-0002\ntitle: broken on main\n")
    git_repo.commit(message="main")
    git_repo.run_git("switch", "-q", "-c", "feature")
    git_repo.requirement("REQ-0003", "New", depends_on="[REQ-0404]")
    git_repo.commit(message="feature work")
    git_repo.write("requirements/REQ-0004-wip.yaml", "id: REQ-0004\ntitle: not committed\n")
    result = cli("-C", str(git_repo.root), "validate", "--changed-since", "main")
    assert result.exit_code == 1
    paths = set(_problems(result.stderr))
    assert paths == {"requirements/REQ-0003-new.yaml", "requirements/REQ-0004-wip.yaml"}
    assert "checked 2 files" in result.stderr


def test_changed_since_clean_branch_passes(git_repo: DataRepo, cli: CliRun) -> None:
    git_repo.write("requirements/REQ-0002-old.yaml", "id: REQ-0002\ntitle: broken on main\n")
    git_repo.commit(message="main")
    git_repo.run_git("switch", "-q", "-c", "feature")
    git_repo.requirement("REQ-0003", "Fine")
    git_repo.commit(message="ok")
    result = cli("-C", str(git_repo.root), "validate", "--changed-since", "main")
    assert result.exit_code == 0, result.stderr


def test_changed_since_unknown_ref_and_no_git(
    git_repo: DataRepo, data_repo: DataRepo, cli: CliRun
) -> None:
    git_repo.requirement("REQ-0001")
    git_repo.commit(message="one")
    result = cli("-C", str(git_repo.root), "validate", "--changed-since", "origin/nope")
    assert result.exit_code == 2
    assert "error: unknown revision 'origin/nope'" in result.stderr


def test_changed_since_outside_git(tmp_path: object, cli: CliRun) -> None:
    from pathlib import Path

    root = Path(str(tmp_path)) / "plain"
    root.mkdir()
    (root / "mitrm.yaml").write_text("project: x\n", encoding="utf-8")
    result = cli("-C", str(root), "validate", "--changed-since", "main")
    assert result.exit_code == 2
    assert "not in a git repository" in result.stderr


def test_sarif_output(data_repo: DataRepo, cli: CliRun) -> None:
    data_repo.requirement("REQ-0001", depends_on="[REQ-0002]")
    result = cli("-C", str(data_repo.root), "validate", "--format", "sarif")
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    assert run["tool"]["driver"]["name"] == "mitrm"
    assert [rule["id"] for rule in run["tool"]["driver"]["rules"]] == ["MIT203"]
    (only,) = run["results"]
    assert only["ruleId"] == "MIT203"
    assert only["level"] == "error"
    region = only["locations"][0]["physicalLocation"]
    assert region["artifactLocation"]["uri"] == "requirements/REQ-0001-faster-checkout.yaml"
    assert region["region"] == {"startLine": 10, "startColumn": 14}
