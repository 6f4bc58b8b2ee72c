"""``mitrm new``: options, prompts, the file it writes, and id allocation across branches."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import MINIMAL_SETTINGS, CliRun, DataRepo
from mitrm.core.models import Kind, Settings
from mitrm.io.drafts import create_item
from mitrm.io.yamlfile import load_yaml

SRC = Path(__file__).resolve().parent.parent / "src"
REQ = [
    "new",
    "requirement",
    "--no-input",
    "--title",
    "移动端结账提速 Faster checkout",
    "--type",
    "improvement",
    "--channel",
    "internal",
    "--description",
    "移动端结账页在 4G 网络下平均加载 5.8 秒，高峰期超过 9 秒。Bring the checkout page under "
    "two seconds on 4G and merge the three steps into one page.",
]


def _only(folder: Path) -> Path:
    files = [p for p in folder.rglob("*.yaml")]
    assert len(files) == 1, files
    return files[0]


def test_no_input_writes_a_valid_commented_file(data_repo: DataRepo, cli: CliRun) -> None:
    result = cli("-C", str(data_repo.root), *REQ, "--due", "2099-12-31", "--tag", "mobile")
    assert result.exit_code == 0, result.stderr
    path = _only(data_repo.root / "requirements")
    assert path.name == "REQ-0001-移动端结账提速-faster-checkout.yaml"
    assert result.stdout.strip().endswith(path.name)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    assert "移动端结账提速" in text and "\\u" not in text
    assert "description: >-\n  " in text  # long text in block style
    for section in ("# kpis:", "# acceptance_criteria:", "# estimate:", "# scoring:"):
        assert section in text
    data = load_yaml(text)
    assert list(data)[:5] == ["id", "title", "type", "status", "source"]
    assert data["due"] == dt.date(2099, 12, 31) and data["tags"] == ["mobile"]
    assert data["created"] == dt.date(2026, 3, 2)  # MITRM_TODAY, set in conftest
    check = cli("-C", str(data_repo.root), "validate")
    assert check.exit_code == 0, check.stderr


@pytest.mark.parametrize(
    ("args", "folder"),
    [
        (
            [
                "change",
                "--title",
                "Earlier launch",
                "--target",
                "REQ-0001",
                "--reason",
                "competitor",
            ],
            "changes",
        ),
        (
            [
                "plan",
                "--title",
                "Checkout plan",
                "--requirement",
                "REQ-0001",
                "--start",
                "2026-01-05",
                "--end",
                "2026-06-30",
            ],
            "plans",
        ),
    ],
)
def test_plans_and_changes_validate_too(
    data_repo: DataRepo, cli: CliRun, args: list[str], folder: str
) -> None:
    data_repo.requirement("REQ-0001")
    result = cli("-C", str(data_repo.root), "new", *args, "--no-input", "--format", "json")
    assert result.exit_code == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["kind"] == args[0] and shown["path"].startswith(folder + "/")
    assert shown["id"] in {"CR-0001", "PLAN-0001"}
    assert (data_repo.root / shown["path"]).is_file()
    assert cli("-C", str(data_repo.root), "validate").exit_code == 0


def test_no_input_names_every_missing_field_and_creates_nothing(
    data_repo: DataRepo, cli: CliRun
) -> None:
    result = cli("-C", str(data_repo.root), "new", "requirement", "--no-input", "--type", "data")
    assert result.exit_code == 2
    assert "missing --title, --channel, --description" in result.stderr
    assert list((data_repo.root / "requirements").iterdir()) == []


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--due", "2026-13-01"], "--due: '2026-13-01' is not a real date"),
        (["--due", "next week"], "--due: 'next week' is not a date"),
        (["--type", "wish"], "--type: 'wish' is not one of"),
        (["--start", "2026-01-01"], "--start does not apply to a requirement"),
    ],
)
def test_bad_options_are_refused_before_anything_is_written(
    data_repo: DataRepo, cli: CliRun, extra: list[str], message: str
) -> None:
    result = cli("-C", str(data_repo.root), *REQ, *extra)
    assert result.exit_code == 2
    assert message in result.stderr
    assert list((data_repo.root / "requirements").iterdir()) == []


def test_change_targets_must_exist(data_repo: DataRepo, cli: CliRun) -> None:
    result = cli(
        "-C",
        str(data_repo.root),
        "new",
        "change",
        "--no-input",
        "--title",
        "x",
        "--target",
        "REQ-0042",
        "--reason",
        "market",
    )
    assert result.exit_code == 2
    assert "no item has the id REQ-0042" in result.stderr


# --- prompts -------------------------------------------------------------------------


def test_prompts_re_ask_until_answers_are_valid(git_repo: DataRepo, cli: CliRun) -> None:
    git_repo.write(
        "mitrm.yaml", MINIMAL_SETTINGS + "drafting:\n  defaults:\n    department: 电商运营部\n"
    )
    answers = [
        "",  # title is required: asked again
        "Coupon engine",
        "wish",  # not a type
        "1",  # feature, by number
        "cust",  # customer, by unique prefix
        "",  # department: the default from mitrm.yaml
        "",  # requester: the default from git config user.name
        "Coupons for every campaign.",
        "",  # business goal is optional
        "2001-01-01",  # in the past
        "2099-02-30",  # not a real date
        "2099-02-28",
    ]
    result = cli(
        "-C",
        str(git_repo.root),
        "new",
        "requirement",
        "--interactive",
        input="\n".join(answers) + "\n",
    )
    assert result.exit_code == 0, result.stderr
    assert "title is required; please try again" in result.stderr
    assert "'wish' is not one of: feature, improvement" in result.stderr
    assert "1) feature  2) improvement" in result.stderr
    assert "[电商运营部]" in result.stderr and "[Test User]" in result.stderr
    assert "is in the past" in result.stderr
    assert "is not a real date" in result.stderr
    data = load_yaml(_only(git_repo.root / "requirements").read_text(encoding="utf-8"))
    assert data["type"] == "feature"
    assert data["source"] == {
        "channel": "customer",
        "department": "电商运营部",
        "requester": "Test User",
    }
    assert data["due"] == dt.date(2099, 2, 28)
    assert "business_goal" not in data


def test_prompts_skip_what_options_answer_and_check_targets(
    data_repo: DataRepo, cli: CliRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_repo.requirement("REQ-0001")
    monkeypatch.setenv("MITRM_FORCE_PROMPT", "1")
    answers = ["REQ-0009", "req-0001", "7", "competitor", "", "", ""]
    result = cli(
        "-C",
        str(data_repo.root),
        "new",
        "change",
        "--title",
        "Flash sale earlier",
        input="\n".join(answers) + "\n",
    )
    assert result.exit_code == 0, result.stderr
    assert "Title" not in result.stderr
    assert "no item has the id REQ-0009" in result.stderr
    assert "'7' is not one of" in result.stderr
    data = load_yaml(_only(data_repo.root / "changes").read_text(encoding="utf-8"))
    assert data["targets"] == ["REQ-0001"] and data["reason"] == "competitor"


def test_input_ending_early_creates_nothing(data_repo: DataRepo, cli: CliRun) -> None:
    result = cli("-C", str(data_repo.root), "new", "requirement", "-i", input="Only a title\n")
    assert result.exit_code == 2
    assert "input ended before 'type' was answered; nothing was created" in result.stderr
    assert list((data_repo.root / "requirements").iterdir()) == []


def test_without_a_terminal_nothing_is_asked(data_repo: DataRepo, cli: CliRun) -> None:
    result = cli("-C", str(data_repo.root), "new", "requirement", input="Title\n")
    assert result.exit_code == 2
    assert "missing --title" in result.stderr


# --- where the file goes -------------------------------------------------------------


@pytest.mark.parametrize(("shard", "folder"), [("year", "2026"), ("hundred", "001")])
def test_shard_settings_place_new_items_in_subfolders(
    data_repo: DataRepo, cli: CliRun, shard: str, folder: str
) -> None:
    data_repo.write("mitrm.yaml", MINIMAL_SETTINGS + f"layout:\n  shard: {shard}\n")
    data_repo.requirement("REQ-0123", "Old one")
    result = cli("-C", str(data_repo.root), *REQ, "--format", "json")
    assert result.exit_code == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["id"] == "REQ-0124"
    assert shown["path"].startswith(f"requirements/{folder}/REQ-0124-")
    assert cli("-C", str(data_repo.root), "validate").exit_code == 0


def test_modeline_points_at_schemas_in_the_project_or_at_the_setting(
    tmp_path: Path, cli: CliRun
) -> None:
    project = tmp_path / "project"
    (project / "schemas").mkdir(parents=True)
    (project / ".git").mkdir()
    (project / "schemas" / "requirement.schema.json").write_text("{}", encoding="utf-8")
    root = project / "examples" / "acme"
    (root / "requirements").mkdir(parents=True)
    (root / "mitrm.yaml").write_text(MINIMAL_SETTINGS, encoding="utf-8")
    assert cli("-C", str(root), *REQ).exit_code == 0
    text = _only(root / "requirements").read_text(encoding="utf-8")
    assert text.startswith(
        "# yaml-language-server: $schema=../../../schemas/requirement.schema.json\n"
    )
    (root / "mitrm.yaml").write_text(
        MINIMAL_SETTINGS + "drafting:\n  schemas: https://example.com/s\n", encoding="utf-8"
    )
    shown = json.loads(cli("-C", str(root), *REQ, "--format", "json").stdout)
    first = (root / shown["path"]).read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=https://example.com/s/requirement.schema.json"


# --- ids --------------------------------------------------------------------------------


def test_next_id_follows_the_highest_in_the_working_tree(data_repo: DataRepo, cli: CliRun) -> None:
    data_repo.requirement("REQ-0002", "Two")
    data_repo.requirement("REQ-0007", "Seven")
    data_repo.write("plans/PLAN-0040-x.yaml", "id: PLAN-0040\ntitle: x\nstatus: draft\n")
    result = cli("-C", str(data_repo.root), *REQ, "--format", "json")
    assert json.loads(result.stdout)["id"] == "REQ-0008"


def test_next_id_skips_ids_on_other_branches_and_remotes(
    git_repo: DataRepo, cli: CliRun, tmp_path: Path
) -> None:
    git_repo.requirement("REQ-0001", "One")
    git_repo.commit(message="one")
    git_repo.run_git("checkout", "-q", "-b", "feature")
    git_repo.commit({"requirements/REQ-0005-five.yaml": "id: REQ-0005\n"}, "five")
    git_repo.run_git("checkout", "-q", "main")
    result = cli("-C", str(git_repo.root), *REQ, "--format", "json")
    assert json.loads(result.stdout)["id"] == "REQ-0006"
    # A colleague's branch, known only as a remote-tracking ref of a clone.
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(git_repo.root), str(remote)], check=True)
    colleague = tmp_path / "colleague"
    subprocess.run(["git", "clone", "-q", str(remote), str(colleague)], check=True)
    for args in (
        ["config", "user.name", "C"],
        ["config", "user.email", "c@example.com"],
        ["checkout", "-q", "-b", "campaign"],
    ):
        subprocess.run(["git", *args], cwd=colleague, check=True)
    (colleague / "requirements" / "REQ-0031-campaign.yaml").write_text("id: REQ-0031\n")
    subprocess.run(["git", "add", "-A"], cwd=colleague, check=True)
    subprocess.run(["git", "commit", "-q", "-m", "c"], cwd=colleague, check=True)
    subprocess.run(["git", "push", "-q", "origin", "campaign"], cwd=colleague, check=True)
    git_repo.run_git("remote", "add", "origin", str(remote))
    git_repo.run_git("fetch", "-q", "origin")
    assert "origin/campaign" in git_repo.run_git("branch", "-r")
    result = cli("-C", str(git_repo.root), *REQ, "--format", "json")
    assert json.loads(result.stdout)["id"] == "REQ-0032"


def test_a_claimed_or_existing_id_moves_on(data_repo: DataRepo) -> None:
    settings = Settings()
    root = data_repo.root
    data_repo.requirement("REQ-0001")
    from mitrm.io.cache import cache_dir

    reserved = cache_dir(root) / "reserved"
    reserved.mkdir(parents=True)
    (reserved / "REQ-0002").write_text("")  # another run is creating REQ-0002 right now
    item_id, path = create_item(
        root,
        settings,
        Kind.REQUIREMENT,
        slug="x",
        render=lambda i, f: f"id: {i}\n",
        today=dt.date.today(),
    )
    assert item_id == "REQ-0003" and path.name == "REQ-0003-x.yaml"
    assert (reserved / "REQ-0002").exists()  # not ours to remove
    assert not (reserved / "REQ-0003").exists()


def test_concurrent_runs_get_different_ids(data_repo: DataRepo) -> None:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    runs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mitrm",
                "-C",
                str(data_repo.root),
                *REQ[:4],
                f"Same title {n % 2}",
                *REQ[5:],
                "--format",
                "json",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            text=True,
        )
        for n in range(4)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert all(run.returncode == 0 for run in runs), outputs
    ids = sorted(json.loads(out)["id"] for out, _ in outputs)
    assert ids == ["REQ-0001", "REQ-0002", "REQ-0003", "REQ-0004"]
    assert len(list((data_repo.root / "requirements").glob("*.yaml"))) == 4


# --- --edit -----------------------------------------------------------------------------


def _editor(tmp_path: Path, body: str) -> str:
    script = tmp_path / "editor.py"
    script.write_text("import sys, pathlib\npath = pathlib.Path(sys.argv[1])\n" + body)
    return f"{sys.executable} {script}"


def test_edit_opens_the_editor_and_validates(
    data_repo: DataRepo, cli: CliRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv(
        "EDITOR",
        _editor(
            tmp_path,
            (
                "text = path.read_text(encoding='utf-8')\n"
                "path.write_text(text.replace('# business_goal: ...', 'business_goal: 更多转化'),"
                " encoding='utf-8')\n"
            ),
        ),
    )
    result = cli("-C", str(data_repo.root), *REQ, "--edit")
    assert result.exit_code == 0, result.stderr
    data = load_yaml(_only(data_repo.root / "requirements").read_text(encoding="utf-8"))
    assert data["business_goal"] == "更多转化"


def test_edit_without_an_editor_creates_nothing(
    data_repo: DataRepo, cli: CliRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    result = cli("-C", str(data_repo.root), *REQ, "--edit")
    assert result.exit_code == 2
    assert "neither $VISUAL nor $EDITOR is set; nothing was created" in result.stderr
    monkeypatch.setenv("EDITOR", "no-such-editor-xyz --wait")
    result = cli("-C", str(data_repo.root), *REQ, "--edit")
    assert result.exit_code == 2
    assert "editor 'no-such-editor-xyz' (from $EDITOR) was not found" in result.stderr
    assert list((data_repo.root / "requirements").iterdir()) == []


_BREAK_THEN_FIX = (
    "count = pathlib.Path(sys.argv[0]).with_suffix('.count')\n"
    "n = int(count.read_text()) + 1 if count.exists() else 1\n"
    "count.write_text(str(n))\n"
    "text = path.read_text(encoding='utf-8')\n"
    "if n == 1:\n"
    "    text = text.replace('type: improvement', 'type: wish')\n"
    "else:\n"
    "    text = text.replace('type: wish', 'type: data')\n"
    "path.write_text(text, encoding='utf-8')\n"
)


def test_invalid_after_editing_is_kept_as_a_draft_without_a_terminal(
    data_repo: DataRepo, cli: CliRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", _editor(tmp_path, _BREAK_THEN_FIX))
    result = cli("-C", str(data_repo.root), *REQ, "--edit")
    assert result.exit_code == 1
    path = _only(data_repo.root / "requirements")
    assert f"{path.relative_to(data_repo.root).as_posix()}:4:7: error MIT104" in result.stderr
    assert "kept requirements/REQ-0001-" in result.stderr
    assert result.stdout.strip().endswith(path.name)


def test_invalid_after_editing_can_be_reopened_or_discarded(
    data_repo: DataRepo, cli: CliRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", _editor(tmp_path, _BREAK_THEN_FIX))
    args = [a for a in REQ if a != "--no-input"]
    result = cli("-C", str(data_repo.root), *args, "--edit", "-i", input="\n" * 4 + "r\n")
    assert result.exit_code == 0, result.stderr
    assert "[r]e-open the editor, [k]eep it as a draft, or [d]iscard it?" in result.stderr
    assert "type: data" in _only(data_repo.root / "requirements").read_text(encoding="utf-8")
    (tmp_path / "editor.count").unlink()
    _only(data_repo.root / "requirements").unlink()
    result = cli("-C", str(data_repo.root), *args, "--edit", "-i", input="\n" * 4 + "d\n")
    assert result.exit_code == 1
    assert "discarded; nothing was created" in result.stderr
    assert list((data_repo.root / "requirements").glob("*.yaml")) == []


def test_an_id_deleted_from_the_working_tree_is_not_reused(git_repo, cli) -> None:  # type: ignore[no-untyped-def]
    path = git_repo.requirement("REQ-0007", "Old")
    git_repo.commit(message="old item")
    path.unlink()
    result = cli(
        "-C", str(git_repo.root), "new", "requirement", "--no-input", "--title", "New",
        "--type", "feature", "--channel", "internal", "--department", "d",
        "--requester", "r", "--description", "d",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "REQ-0008" in result.stdout


def test_enter_at_the_reopen_question_takes_the_default_shown(
    data_repo: DataRepo, cli: CliRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", _editor(tmp_path, _BREAK_THEN_FIX))
    args = [a for a in REQ if a != "--no-input"]
    result = cli("-C", str(data_repo.root), *args, "--edit", "-i", input="\n" * 4 + "\n")
    assert "[d]iscard it? [r]:" in result.stderr
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "editor.count").read_text() == "2"
    assert "type: data" in _only(data_repo.root / "requirements").read_text(encoding="utf-8")
    assert "kept " not in result.stderr


def test_a_folder_link_out_of_the_repo_is_never_written_through(
    data_repo: DataRepo, cli: CliRun, tmp_path_factory: pytest.TempPathFactory
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    folder = data_repo.root / "requirements"
    if folder.exists():
        shutil.rmtree(folder)
    folder.symlink_to(elsewhere, target_is_directory=True)
    result = cli("-C", str(data_repo.root), *REQ)
    assert result.exit_code == 2, result.stderr
    assert "requirements leads outside the data repo" in result.stderr
    assert list(elsewhere.iterdir()) == []
