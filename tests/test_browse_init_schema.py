"""`mitrm list`, `show`, `init` and `schema` as a user sees them."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from conftest import CliRun, DataRepo

ROOT = Path(__file__).resolve().parent.parent


def _repo(data_repo: DataRepo) -> DataRepo:
    data_repo.requirement("REQ-0001", "Checkout", tags="[web, mobile]")
    data_repo.write(
        "requirements/REQ-0002-search.yaml",
        """\
        id: REQ-0002
        title: 站内搜索
        type: improvement
        status: submitted
        source: {channel: customer, requester: 王芳}
        owners: {business: 张敏}
        created: 2026-01-05
        due: 2026-09-30
        business_goal: 提升搜索转化率
        description: 搜索结果不准确。
        tags: [web]
        """,
    )
    data_repo.write(
        "plans/PLAN-0001-p.yaml", "id: PLAN-0001\ntitle: Rollout\nstatus: draft\nowner: Wang\n"
    )
    return data_repo


def test_list_csv_has_every_item(data_repo: DataRepo, cli: CliRun) -> None:
    repo = _repo(data_repo)
    result = cli("-C", str(repo.root), "list", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["id", "kind", "status", "type", "title", "due", "owner"]
    assert [row[0] for row in rows[1:]] == ["PLAN-0001", "REQ-0001", "REQ-0002"]
    assert rows[3] == ["REQ-0002", "requirement", "submitted", "improvement", "站内搜索",
                       "2026-09-30", "张敏"]  # fmt: skip


def test_list_filters(data_repo: DataRepo, cli: CliRun) -> None:
    repo = _repo(data_repo)

    def ids(*args: str) -> list[str]:
        out = cli("-C", str(repo.root), "list", "--format", "json", *args).stdout
        return [item["id"] for item in json.loads(out)["items"]]

    assert ids("--kind", "plan") == ["PLAN-0001"]
    assert ids("--status", "submitted") == ["REQ-0002"]
    assert ids("--type", "feature") == ["REQ-0001"]
    assert ids("--tag", "web", "--tag", "mobile") == ["REQ-0001"]
    assert ids("--owner", "张敏") == ["REQ-0002"]
    assert ids("--owner", "wang") == ["PLAN-0001"]


def test_list_filters_refuse_unknown_values_with_a_suggestion(
    data_repo: DataRepo, cli: CliRun
) -> None:
    repo = _repo(data_repo)
    cases = {
        ("--status", "aproved"): "--status 'aproved' is not a status; did you mean 'approved'?",
        ("--type", "bogus"): "--type 'bogus' is not a requirement type",
        ("--type", "featur"): "did you mean 'feature'?",
        ("--kind", "plan", "--status", "submitted"): "'submitted' is not a plan status",
    }
    for args, message in cases.items():
        result = cli("-C", str(repo.root), "list", *args)
        assert result.exit_code == 2, args
        assert message in result.stderr, result.stderr
        assert result.stdout == ""
    result = cli("-C", str(repo.root), "list", "--type", "bogus")
    assert "hint: use any of: feature, improvement," in result.stderr


def test_list_tag_matches_without_regard_to_case(data_repo: DataRepo, cli: CliRun) -> None:
    repo = _repo(data_repo)
    out = cli("-C", str(repo.root), "list", "--format", "json", "--tag", "WEB", "--tag", "Mobile")
    assert [item["id"] for item in json.loads(out.stdout)["items"]] == ["REQ-0001"]


def test_list_unknown_kind_is_a_usage_error(data_repo: DataRepo, cli: CliRun) -> None:
    result = cli("-C", str(_repo(data_repo).root), "list", "--kind", "epic")
    assert result.exit_code == 2
    assert "unknown kind 'epic'" in result.stderr


def test_list_markdown_and_broken_note(data_repo: DataRepo, cli: CliRun) -> None:
    repo = _repo(data_repo)
    repo.write("requirements/REQ-0003-bad.yaml", "id: [\n")
    result = cli("-C", str(repo.root), "list", "--format", "markdown")
    assert result.stdout.splitlines()[0] == "| id | kind | status | type | title | due | owner |"
    assert "| REQ-0002 | requirement | submitted | improvement | 站内搜索 |" in result.stdout
    assert "note: 1 file is not valid and not listed; run 'mitrm validate'" in result.stderr


def test_show_prints_the_file_as_written(data_repo: DataRepo, cli: CliRun) -> None:
    repo = _repo(data_repo)
    result = cli("-C", str(repo.root), "show", "REQ-0002")
    assert result.exit_code == 0
    assert result.stdout == (repo.root / "requirements/REQ-0002-search.yaml").read_text("utf-8")


def test_show_json_and_unknown_id(data_repo: DataRepo, cli: CliRun) -> None:
    repo = _repo(data_repo)
    shown = json.loads(cli("-C", str(repo.root), "show", "REQ-0002", "--format", "json").stdout)
    assert shown["title"] == "站内搜索"
    assert shown["path"] == "requirements/REQ-0002-search.yaml"
    missing = cli("-C", str(repo.root), "show", "REQ-0404")
    assert missing.exit_code == 2
    assert "error: no item has the id 'REQ-0404'" in missing.stderr


def test_init_scaffolds_a_repo_that_validates(tmp_path: Path, cli: CliRun) -> None:
    target = tmp_path / "new"
    result = cli("init", str(target), "--language", "zh")
    assert result.exit_code == 0
    for name in ("mitrm.yaml", ".pre-commit-config.yaml", "requirements", "plans", "changes"):
        assert (target / name).exists()
    assert "id: mitrm-validate" in (target / ".pre-commit-config.yaml").read_text("utf-8")
    assert "language: zh" in (target / "mitrm.yaml").read_text("utf-8")
    checked = cli("-C", str(target), "validate")
    assert checked.exit_code == 0, checked.stderr


def test_init_refuses_to_overwrite(tmp_path: Path, cli: CliRun) -> None:
    (tmp_path / "mitrm.yaml").write_text("project: mine\n", encoding="utf-8")
    result = cli("init", str(tmp_path))
    assert result.exit_code == 2
    assert "already has mitrm.yaml; nothing was written" in result.stderr
    assert (tmp_path / "mitrm.yaml").read_text("utf-8") == "project: mine\n"
    assert not (tmp_path / "requirements").exists()


def test_schemas_in_the_repo_are_fresh(cli: CliRun) -> None:
    result = cli("schema", "--check", "--out", str(ROOT / "schemas"))
    assert result.exit_code == 0, result.stderr


def test_schema_check_reports_a_stale_file(tmp_path: Path, cli: CliRun) -> None:
    assert cli("schema", "--out", str(tmp_path)).exit_code == 0
    schema = json.loads((tmp_path / "requirement.schema.json").read_text("utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "title" in schema["properties"]
    (tmp_path / "plan.schema.json").write_text("{}", encoding="utf-8")
    stale = cli("schema", "--check", "--out", str(tmp_path))
    assert stale.exit_code == 1
    assert "plan.schema.json: stale; run 'mitrm schema'" in stale.stderr
    assert (tmp_path / "plan.schema.json").read_text("utf-8") == "{}"


def test_installed_command_runs_as_a_process(data_repo: DataRepo) -> None:
    data_repo.requirement("REQ-0001")
    done = subprocess.run(
        [sys.executable, "-m", "mitrm", "-C", str(data_repo.root), "validate"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert done.stderr == "checked 1 file: 0 errors, 0 warnings\n"
    version = subprocess.run(
        [sys.executable, "-m", "mitrm", "--version"], capture_output=True, text=True, check=False
    )
    assert version.stdout.startswith("mitrm ")


def test_bad_option_is_a_usage_error(cli: CliRun) -> None:
    result = cli("validate", "--format", "xml")
    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.stderr


def test_init_quotes_the_project_name(tmp_path: Path, cli: CliRun) -> None:
    target = tmp_path / "p"
    assert cli("init", str(target), "--project", "ACME: Marketing # 2027").exit_code == 0
    assert cli("-C", str(target), "validate").exit_code == 0
    from mitrm.io.repository import load_settings

    assert load_settings(target).project == "ACME: Marketing # 2027"


def test_init_refuses_when_a_folder_it_needs_is_a_file(tmp_path: Path, cli: CliRun) -> None:
    (tmp_path / "requirements").write_text("", encoding="utf-8")
    result = cli("init", str(tmp_path))
    assert result.exit_code == 2
    assert "already has requirements; nothing was written" in result.stderr
    assert not (tmp_path / "mitrm.yaml").exists()


def test_init_into_a_file_is_a_usage_error(tmp_path: Path, cli: CliRun) -> None:
    (tmp_path / "g").write_text("", encoding="utf-8")
    result = cli("init", str(tmp_path / "g" / "sub"))
    assert result.exit_code == 2
    assert "error: cannot create the data repo" in result.stderr


def test_schema_into_a_blocked_folder_is_a_usage_error(tmp_path: Path, cli: CliRun) -> None:
    (tmp_path / "plan.schema.json").mkdir()
    result = cli("schema", "--out", str(tmp_path))
    assert result.exit_code == 2
    assert "error: cannot write" in result.stderr


def test_two_kinds_cannot_share_a_prefix(data_repo: DataRepo, cli: CliRun) -> None:
    data_repo.write("mitrm.yaml", "ids:\n  requirement: {prefix: REQ}\n  plan: {prefix: REQ}\n")
    result = cli("-C", str(data_repo.root), "validate")
    assert result.exit_code == 2
    assert "each kind needs its own id prefix" in result.stderr
