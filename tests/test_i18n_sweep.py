"""Messages of the security walls, the calendar, the solver and the report speak both languages.

One representative message per area, as a user sees it with MITRM_LANG=en and =zh;
the catalog tests check that every other marked message has a translation.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import CliRun, DataRepo
from mitrm import i18n

TODAY = "2026-03-02"


def _requirement(repo: DataRepo, item_id: str, *, status: str = "analysis", more: str = "") -> None:
    repo.write(
        f"requirements/{item_id}-work.yaml",
        f"id: {item_id}\ntitle: Work {item_id}\ntype: feature\nstatus: {status}\n"
        "estimate:\n  cost: 100\n  benefit: 250\n  effort_days: 10\n"
        f"scoring:\n  value: 3\n  difficulty: 3\n  risk_reduction: 3\n{more}",
    )


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            "template limit (rendering REQ-0001): a repeated value would be "
            "10,000,000,000 characters, more than the limit of",
        ),
        ("zh", "模板限制（生成 REQ-0001 时）：重复后的值将达到 10,000,000,000 个字符，超过上限"),
    ],
)
def test_a_template_limit_error_speaks_the_users_language(
    data_repo: DataRepo, cli: CliRun, monkeypatch: pytest.MonkeyPatch, lang: str, expected: str
) -> None:
    monkeypatch.setenv("MITRM_LANG", lang)
    data_repo.requirement("REQ-0001")
    data_repo.write("templates/requirement.md.j2", "# {{ req.id }}\n{{ 'y' * 10**10 }}\n")
    done = cli("render", cwd=data_repo.root)
    assert done.exit_code == 1
    first = done.stderr.splitlines()[0]
    # The prefix and the place stay as they are: editors and CI logs match them.
    assert first.startswith("error: templates/requirement.md.j2:2: "), first
    assert expected in first


@pytest.mark.parametrize(
    ("lang", "notes"),
    [
        (
            "en",
            [
                "already under way, so chosen whatever they cost: REQ-0006",
                "work already under way needs 100 CNY, more than the budget of 50: "
                "nothing else fits",
            ],
        ),
        (
            "zh",
            [
                "已在进行中，无论成本多少都选入：REQ-0006",
                "已在进行中的工作需要 100 CNY，超过了 budget（50）：放不下其他条目",
            ],
        ),
    ],
)
def test_the_budget_solvers_notes_speak_the_users_language(
    data_repo: DataRepo,
    cli: CliRun,
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
    notes: list[str],
) -> None:
    monkeypatch.setenv("MITRM_LANG", lang)
    _requirement(data_repo, "REQ-0001", more="  urgency: 3\n")
    _requirement(data_repo, "REQ-0006", status="in_progress", more="  urgency: 1\n")
    done = cli("-C", str(data_repo.root), "prioritize", "--today", TODAY, "--budget", "50")
    assert done.exit_code == 0, done.stderr
    for note in notes:
        assert note in done.stdout


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "derived from due 2026-03-10 (in 8 days)"),
        ("zh", "由截止日期 2026-03-10 推算（还有 8 天）"),
    ],
)
def test_a_scoring_terms_source_speaks_the_users_language(
    data_repo: DataRepo, cli: CliRun, monkeypatch: pytest.MonkeyPatch, lang: str, expected: str
) -> None:
    monkeypatch.setenv("MITRM_LANG", lang)
    _requirement(data_repo, "REQ-0001", more="due: 2026-03-10\n")
    done = cli("-C", str(data_repo.root), "prioritize", "--today", TODAY, "--explain", "REQ-0001")
    assert done.exit_code == 0, done.stderr
    assert expected in done.stdout


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "no holiday calendar for the country 'XX'"),
        ("zh", "没有国家“XX”的节假日日历"),
    ],
)
def test_a_calendar_error_speaks_the_users_language(
    data_repo: DataRepo, cli: CliRun, monkeypatch: pytest.MonkeyPatch, lang: str, expected: str
) -> None:
    monkeypatch.setenv("MITRM_LANG", lang)
    data_repo.write("mitrm.yaml", "project: Test\ncurrency: CNY\ncalendar: XX\n")
    done = cli("-C", str(data_repo.root), "validate")
    assert done.exit_code == 2
    assert "mitrm.yaml:3:11: error MIT" in done.stderr
    assert expected in done.stderr


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            "field 'render.out' leads outside the data repo ('../elsewhere'); name a folder "
            "inside it (an explicit --out may go anywhere)",
        ),
        (
            "zh",
            "字段“render.out”指向数据仓库之外（“../elsewhere”）；请写仓库内的文件夹"
            "（命令行上明确给出的 --out 可以指向任何位置）",
        ),
    ],
)
def test_a_settings_path_outside_the_repo_speaks_the_users_language(
    data_repo: DataRepo, cli: CliRun, monkeypatch: pytest.MonkeyPatch, lang: str, expected: str
) -> None:
    monkeypatch.setenv("MITRM_LANG", lang)
    data_repo.write("mitrm.yaml", "project: Test\ncurrency: CNY\nrender:\n  out: ../elsewhere\n")
    data_repo.requirement("REQ-0001")
    done = cli("-C", str(data_repo.root), "render")
    assert done.exit_code == 2
    assert "mitrm.yaml:4:8: error MIT102 " + expected in done.stderr
    assert not (data_repo.root.parent / "elsewhere").exists()


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "error: standard output is closed; the results cannot be written"),
        ("zh", "error: 标准输出已关闭；无法写出结果"),
    ],
)
def test_a_closed_stdout_is_said_in_the_users_language(
    data_repo: DataRepo, lang: str, expected: str
) -> None:
    data_repo.requirement("REQ-0001")
    done = subprocess.run(
        [sys.executable, "-m", "mitrm", "-C", str(data_repo.root), "list"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        env={**os.environ, "MITRM_LANG": lang},
        preexec_fn=lambda: os.close(1),  # as after `mitrm list >&-`
    )
    assert done.returncode == 2
    assert expected in done.stderr


@pytest.mark.parametrize(
    ("doc_lang", "user_lang", "page"),
    [
        (
            "en",
            "zh",
            "# Change log\n\nNo change log: not a git repository: no history, documents only.\n",
        ),
        ("zh", "en", "# 变更日志\n\n没有变更日志：不是 git 仓库：没有历史，只有文档。\n"),
    ],
)
def test_the_reports_no_change_log_page_follows_the_document_language(
    data_repo: DataRepo,
    cli: CliRun,
    monkeypatch: pytest.MonkeyPatch,
    doc_lang: str,
    user_lang: str,
    page: str,
) -> None:
    # A document is the same whoever renders it: its language, not the user's.
    monkeypatch.setenv("MITRM_LANG", user_lang)
    data_repo.requirement("REQ-0001")
    out = data_repo.root / "site"
    done = cli("-C", str(data_repo.root), "report", "--out", str(out), "--lang", doc_lang)
    assert done.exit_code == 0, done.stderr
    assert (out / "changelog.md").read_text(encoding="utf-8") == page


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "not SMART: a submitted requirement without a due date"),
        ("zh", "不符合 SMART：已提交的需求没有截止日期"),
    ],
)
def test_rule_summaries_in_completion_speak_the_users_language(
    monkeypatch: pytest.MonkeyPatch, lang: str, expected: str
) -> None:
    from mitrm.cli.completion import rule_codes

    monkeypatch.setenv("MITRM_LANG", lang)
    assert dict(rule_codes("MIT403"))["MIT403"] == expected


@pytest.mark.parametrize(
    ("doc_lang", "user_lang", "name"),
    [
        ("en", "zh", "| approved requirements changed after approval | 0 |"),
        ("zh", "en", "| 批准后又被修改的需求 | 0 |"),
    ],
)
def test_the_flow_metrics_names_follow_the_document_language(
    git_repo: DataRepo,
    cli: CliRun,
    monkeypatch: pytest.MonkeyPatch,
    doc_lang: str,
    user_lang: str,
    name: str,
) -> None:
    monkeypatch.setenv("MITRM_LANG", user_lang)
    git_repo.requirement("REQ-0001")
    git_repo.commit()
    out = git_repo.root / "site"
    done = cli("-C", str(git_repo.root), "report", "--out", str(out), "--lang", doc_lang)
    assert done.exit_code == 0, done.stderr
    assert name in (out / "index.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("doc_lang", "user_lang", "backlog", "validation"),
    [
        ("en", "zh", "# Ranked backlog\n", "# Validation results\n\n1 files checked: "),
        ("zh", "en", "# 优先级排序\n", "# 校验结果\n\n已检查 1 个文件："),
    ],
)
def test_the_reports_extra_pages_follow_the_document_language(
    data_repo: DataRepo,
    cli: CliRun,
    monkeypatch: pytest.MonkeyPatch,
    doc_lang: str,
    user_lang: str,
    backlog: str,
    validation: str,
) -> None:
    monkeypatch.setenv("MITRM_LANG", user_lang)
    _requirement(data_repo, "REQ-0001", more="  urgency: 3\n")
    out = data_repo.root / "site"
    done = cli("-C", str(data_repo.root), "report", "--out", str(out), "--lang", doc_lang)
    assert done.exit_code == 0, done.stderr
    assert (out / "backlog.md").read_text(encoding="utf-8").startswith(backlog)
    assert (out / "validation.md").read_text(encoding="utf-8").startswith(validation)


@pytest.mark.parametrize(
    ("lang", "heading", "stable"),
    [
        ("en", "top 2 kept", "stable: 2 of the top 2 stay in it under every change"),
        ("zh", "前 2 名保留", "稳定：前 2 名中有 2 项在每种调整下都留在其中"),
    ],
)
def test_the_sensitivity_summary_speaks_the_users_language(
    data_repo: DataRepo,
    cli: CliRun,
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
    heading: str,
    stable: str,
) -> None:
    monkeypatch.setenv("MITRM_LANG", lang)
    _requirement(data_repo, "REQ-0001", more="  urgency: 5\n")
    _requirement(data_repo, "REQ-0002", more="  urgency: 1\n")
    done = cli("-C", str(data_repo.root), "prioritize", "--today", TODAY, "--sensitivity")
    assert done.exit_code == 0, done.stderr
    assert heading in done.stdout
    assert stable in done.stdout
    csv = cli("-C", str(data_repo.root), "prioritize", "--sensitivity", "--format", "csv")
    assert csv.stdout.splitlines()[0] == "weight,change,top 2 kept,same order,entered,left"


def test_a_cached_history_speaks_the_language_of_the_run_that_reads_it(
    git_repo: DataRepo, cli: CliRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The cache is filled in one language and read in the other: what a user sees
    # must not depend on who ran mitrm first.
    from test_history_git import PATH, req

    git_repo.commit({PATH: req("submitted")}, "Add")
    git_repo.commit({PATH: req("submitted") + "tags: [oops\n"}, "Break it")
    seen = {}
    for lang in ("en", "zh", "en"):
        monkeypatch.setenv("MITRM_LANG", lang)
        monkeypatch.setattr(i18n, "_current", None)  # a new run chooses its language anew
        done = cli("history", "REQ-0001", cwd=git_repo.root)
        assert done.exit_code == 0, done.stderr
        seen.setdefault(lang, done.stdout)
        assert done.stdout == seen[lang]
    assert "not readable in this version (line 12: MIT001 invalid YAML" in seen["en"]
    assert "此版本无法读取（第 12 行：MIT001 YAML 无效" in seen["zh"]


@pytest.mark.parametrize(
    ("lang", "lines"),
    [
        (
            "en",
            [
                "items.csv:B2: error MIT701 due must be a date written YYYY-MM-DD (got 'soon')",
                "error: 1 problem in items.csv; nothing was written",
                "hint: fix the cells named above and import again",
            ],
        ),
        (
            "zh",
            [
                "items.csv:B2: error MIT701 due 必须是写成 YYYY-MM-DD 的日期（实际是 'soon'）",
                "error: items.csv 中有 1 个问题；未写入任何内容",
                "hint: 请修正上面列出的单元格后重新导入",
            ],
        ),
    ],
)
def test_an_import_error_is_located_and_speaks_the_users_language(
    data_repo: DataRepo, cli: CliRun, monkeypatch: pytest.MonkeyPatch, lang: str, lines: list[str]
) -> None:
    monkeypatch.setenv("MITRM_LANG", lang)
    sheet = data_repo.root.parent / "items.csv"
    sheet.write_text("title,due\nNew promo,soon\n", encoding="utf-8")
    done = cli("-C", str(data_repo.root), "import", str(sheet))
    assert done.exit_code == 1
    # The place, the code and the prefixes stay as they are in every language.
    assert done.stderr.splitlines() == lines
    assert list((data_repo.root / "requirements").iterdir()) == []


@pytest.mark.parametrize(
    ("lang", "said"),
    [("en", "exported 1 item to "), ("zh", "已导出 1 个条目到 ")],
)
def test_the_export_summary_speaks_the_users_language(
    data_repo: DataRepo, cli: CliRun, monkeypatch: pytest.MonkeyPatch, lang: str, said: str
) -> None:
    monkeypatch.setenv("MITRM_LANG", lang)
    data_repo.requirement("REQ-0001")
    out = data_repo.root.parent / "items.csv"
    done = cli("-C", str(data_repo.root), "export", "-o", str(out))
    assert done.exit_code == 0, done.stderr
    assert done.stderr == said + str(out) + "\n"
    # The file's own headers follow the repo's language, not the user's.
    assert out.read_text(encoding="utf-8-sig").startswith("id,")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "error: another mitrm command is changing this repo"),
        ("zh", "error: 另一个 mitrm 命令正在修改此仓库"),
    ],
)
def test_the_lock_timeout_speaks_the_users_language(
    git_repo: DataRepo, cli: CliRun, monkeypatch: pytest.MonkeyPatch, lang: str, expected: str
) -> None:
    from test_lock import _held

    monkeypatch.setenv("MITRM_LANG", lang)
    monkeypatch.setenv("MITRM_LOCK_TIMEOUT", "0.3")
    path = git_repo.requirement("REQ-0004", "Search")
    before = path.read_bytes()
    with _held(git_repo.root):
        done = cli("-C", str(git_repo.root), "set", "REQ-0004", "tags+=late")
    assert done.exit_code == 2
    assert done.stderr.startswith(expected), done.stderr
    assert "MITRM_LOCK_TIMEOUT" in done.stderr  # the setting's name stays as it is
    assert path.read_bytes() == before
