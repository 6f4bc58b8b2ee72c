"""The interface language: how it is chosen, and what a user sees in Chinese and in English."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CliRun, DataRepo
from mitrm import i18n
from mitrm.core.vocabulary import canonical
from mitrm.io.yamlfile import load_yaml

SRC = Path(__file__).resolve().parent.parent / "src"
LOCALE_VARS = ("MITRM_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")


@pytest.fixture
def no_language(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No MITRM_LANG and no locale: what a test sets is all there is."""
    for name in LOCALE_VARS:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def _zh_repo(repo: DataRepo) -> DataRepo:
    (repo.root / "mitrm.yaml").write_text("project: T\nlanguage: zh\ncurrency: CNY\n", "utf-8")
    return repo


@pytest.mark.parametrize(
    ("env", "repo", "expected"),
    [
        ({}, None, "en"),
        ({"LANG": "zh_CN.UTF-8"}, None, "zh"),
        ({"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}, None, "en"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "zh_TW.UTF-8"}, None, "zh"),
        ({"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, None, "en"),
        ({"LANG": "zh_CN.UTF-8"}, "en", "en"),
        ({"LANG": "en_US.UTF-8"}, "zh", "zh"),
        ({"MITRM_LANG": "en", "LANG": "zh_CN.UTF-8"}, "zh", "en"),
        ({"MITRM_LANG": "zh"}, "en", "zh"),
        ({"MITRM_LANG": "fr"}, "zh", "zh"),  # a language mitrm does not speak is passed over
        ({"LANG": "de_DE.UTF-8"}, None, "en"),
    ],
)
def test_the_language_is_mitrm_lang_then_the_repo_then_the_locale_then_english(
    no_language: pytest.MonkeyPatch, env: dict[str, str], repo: str | None, expected: str
) -> None:
    for name, value in env.items():
        no_language.setenv(name, value)
    assert i18n.resolve(repo) == expected


def test_chinese_answers_and_synonyms_name_canonical_values() -> None:
    assert canonical("requirement_type", "活动") == "campaign"
    assert canonical("requirement_type", "新功能") == "feature"
    assert canonical("requirement_type", "功能") == "feature"
    assert canonical("requirement_type", "优化") == "improvement"
    assert canonical("requirement_type", "故障") == "defect"
    assert canonical("requirement_type", "对接") == "integration"
    assert canonical("requirement_type", "Ｆｅａｔｕｒｅ") == "feature"  # full-width letters
    assert canonical("channel", "问卷") == "survey"
    assert canonical("requirement_status", "已提交") == "submitted"
    assert canonical("requirement_status", "上线") == "released"
    assert canonical("requirement_type", "双11") is None
    # a repo's own vocabulary narrows what is accepted
    assert canonical("requirement_status", "上线", ["draft", "submitted"]) is None


def test_init_in_chinese_writes_chinese_comments_and_messages(
    no_language: pytest.MonkeyPatch, tmp_path: Path, cli: CliRun
) -> None:
    result = cli("init", str(tmp_path / "zh"), "--language", "zh")
    assert result.exit_code == 0, result.stderr
    assert "已在" in result.stdout and "下一步：mitrm new requirement" in result.stdout
    text = (tmp_path / "zh" / "mitrm.yaml").read_text(encoding="utf-8")
    assert "# mitrm 设置：此文件标记数据仓库的根目录。" in text
    assert load_yaml(text)["language"] == "zh"
    # the same repo for an English-speaking contractor
    no_language.setenv("MITRM_LANG", "en")
    i18n.use(i18n.resolve())
    result = cli("init", str(tmp_path / "en"), "--language", "zh")
    assert "created a mitrm data repo in" in result.stdout
    text = (tmp_path / "en" / "mitrm.yaml").read_text(encoding="utf-8")
    assert "# mitrm settings: this file marks the root of the data repo." in text
    refused = cli("init", str(tmp_path / "en"), "--language", "zh")
    assert refused.exit_code == 2
    assert "nothing was written" in refused.stderr


def test_init_refusals_in_chinese(no_language: pytest.MonkeyPatch, tmp_path: Path, cli: CliRun):  # type: ignore[no-untyped-def]
    assert cli("init", str(tmp_path), "--language", "zh").exit_code == 0
    refused = cli("init", str(tmp_path), "--language", "zh")
    assert refused.exit_code == 2
    assert "未写入任何文件" in refused.stderr
    assert "hint: mitrm init 从不覆盖文件" in refused.stderr


def test_new_asks_in_chinese_and_takes_chinese_answers(
    no_language: pytest.MonkeyPatch, git_repo: DataRepo, cli: CliRun
) -> None:
    _zh_repo(git_repo)
    answers = "双11大促落地页\n推广\n活动\n问卷\n市场部\n\n需要一个大促落地页\n\n2020-01-01\n\n"
    result = cli("-C", str(git_repo.root), "new", "requirement", "-i", input=answers)
    assert result.exit_code == 0, result.stderr
    err = result.stderr
    assert "标题（需求的简短名称）：" in err
    assert "1) 新功能（feature）" in err and "10) 营销活动（campaign）" in err
    assert "“推广”不是可选项之一" in err and "请重新输入" in err
    assert "提出人（谁提的需求） [Test User]：" in err
    assert "2020-01-01 已经过去；截止日期必须是今天或以后" in err
    assert "已创建需求 REQ-0001" in err
    path = next((git_repo.root / "requirements").glob("REQ-0001-*.yaml"))
    text = path.read_text(encoding="utf-8")
    data = load_yaml(text)
    assert (data["type"], data["source"]["channel"]) == ("campaign", "survey")  # files stay English
    assert "# --- 随着需求逐步成熟，还需补充以下内容" in text
    assert "#   - name: 移动端转化率" in text
    assert cli("-C", str(git_repo.root), "validate").exit_code == 0


def test_new_options_take_chinese_values_and_english_users_see_english(
    no_language: pytest.MonkeyPatch, data_repo: DataRepo, cli: CliRun
) -> None:
    _zh_repo(data_repo)
    no_language.setenv("MITRM_LANG", "en")
    args = ["--title", "Fix", "--type", "缺陷", "--channel", "客服热线", "--description", "x y"]
    result = cli("-C", str(data_repo.root), "new", "requirement", "--no-input", *args)
    assert result.exit_code == 0, result.stderr
    assert "created requirement REQ-0001" in result.stderr
    path = next((data_repo.root / "requirements").glob("REQ-0001-*.yaml"))
    text = path.read_text(encoding="utf-8")
    data = load_yaml(text)
    assert (data["type"], data["source"]["channel"]) == ("defect", "hotline")
    assert "# --- Still to fill in as the requirement matures" in text
    bad = cli("-C", str(data_repo.root), "new", "requirement", "--no-input", "--type", "x")
    assert bad.exit_code == 2
    assert "--type: 'x' is not one of: feature, improvement" in bad.stderr


def _run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in LOCALE_VARS}
    return subprocess.run(
        [sys.executable, "-m", "mitrm", *args],
        cwd=cwd,
        env={**clean, "PYTHONPATH": str(SRC), **env},
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


def test_help_outside_a_repo_follows_mitrm_lang_and_the_locale(tmp_path: Path) -> None:
    zh = _run(["init", "--help"], {"LANG": "zh_CN.UTF-8"}, tmp_path)
    assert zh.returncode == 0, zh.stderr
    assert "创建 mitrm.yaml、条目文件夹和 pre-commit 配置" in zh.stdout
    en = _run(["init", "--help"], {"LANG": "zh_CN.UTF-8", "MITRM_LANG": "en"}, tmp_path)
    assert "Create mitrm.yaml, the item folders" in en.stdout
    plain = _run(["init", "--help"], {}, tmp_path)
    assert "Create mitrm.yaml, the item folders" in plain.stdout


def test_help_inside_a_zh_repo_is_chinese(tmp_path: Path) -> None:
    (tmp_path / "mitrm.yaml").write_text("project: T\nlanguage: zh\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    inside = _run(["init", "--help"], {}, tmp_path / "sub")
    assert "创建 mitrm.yaml" in inside.stdout
    elsewhere = tmp_path.parent / f"{tmp_path.name}-other"
    elsewhere.mkdir()
    pointed = _run(["-C", str(tmp_path), "init", "--help"], {}, elsewhere)
    assert "创建 mitrm.yaml" in pointed.stdout


# --- Chinese keyboards: full-width punctuation -------------------------------------------

FULL_WIDTH = {
    "requirements/REQ-0001-a.yaml": "id: REQ-0001\ntitle：双11大促\ntype: campaign\n",
    "requirements/REQ-0002-b.yaml": "id: REQ-0002\ntitle: 注意: 这里\n",
    "requirements/REQ-0003-c.yaml": 'id: REQ-0003\ntitle: t\ntags: [营销，活动, "a，b"]\n',
    "requirements/REQ-0004-d.yaml": "id: REQ-0004\ntitle: t\nsource:\n\u3000\u3000channel: x\n",
}


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "zh",
            [
                "requirements/REQ-0001-a.yaml:2:6: error MIT013 键“title”后面用了全角冒号“：”；"
                "YAML 需要半角冒号加空格：'title: '",
                "requirements/REQ-0002-b.yaml:2:10: error MIT001 YAML 无效：此处不允许出现映射值"
                "（多了一个 ': '？）；值中含有 ': '，请加引号：title: \"注意: 这里\"",
                "requirements/REQ-0003-c.yaml:3:10: error MIT013 [...] 列表中用了全角逗号“，”："
                "YAML 把“营销，活动”读作一个条目；请用半角逗号 ',' 分隔条目"
                "（如果逗号本来就是文字的一部分，请给该条目加引号）",
                "requirements/REQ-0004-d.yaml:4:1: error MIT013 用全角空格（U+3000）缩进了；"
                "请用半角空格缩进（把输入法切换到半角）",
                "已检查 4 个文件：4 个错误，0 个警告",
            ],
        ),
        (
            "en",
            [
                "requirements/REQ-0001-a.yaml:2:6: error MIT013 full-width colon '：' after the "
                "key 'title'; YAML needs an ASCII colon and a space: 'title: '",
                "requirements/REQ-0002-b.yaml:2:10: error MIT001 invalid YAML: mapping values "
                "are not allowed in this context; the value holds ': ', so quote it: "
                'title: "注意: 这里"',
                "requirements/REQ-0003-c.yaml:3:10: error MIT013 full-width comma '，' in a [...] "
                "list: YAML reads '营销，活动' as one entry; separate entries with an ASCII comma "
                "',' (or quote the entry if the comma belongs to the text)",
                "requirements/REQ-0004-d.yaml:4:1: error MIT013 full-width space (U+3000) used "
                "for indentation; indent with ASCII spaces (switch the input method to "
                "half-width)",
                "checked 4 files: 4 errors, 0 warnings",
            ],
        ),
    ],
)
def test_full_width_punctuation_is_named_with_what_to_type(
    no_language: pytest.MonkeyPatch,
    data_repo: DataRepo,
    cli: CliRun,
    lang: str,
    expected: list[str],
) -> None:
    _zh_repo(data_repo)
    no_language.setenv("MITRM_LANG", lang)
    for rel, text in FULL_WIDTH.items():
        data_repo.write(rel, text)
    result = cli("-C", str(data_repo.root), "validate")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == expected


def test_full_width_text_inside_values_is_fine(data_repo: DataRepo, cli: CliRun) -> None:
    data_repo.requirement("REQ-0001", business_goal="目标：转化率从 2% 到 3%，2026 年底前")
    data_repo.write(
        "requirements/REQ-0002-b.yaml",
        "id: REQ-0002\ntitle: 说明\ntype: feature\nstatus: draft\nsource:\n  channel: internal\n"
        'description: |\n  　　第一段：说明，\n  note： x\ntags: ["支付成功后，显示订单号"]\n',
    )
    result = cli("-C", str(data_repo.root), "validate")
    assert result.exit_code == 0, result.stderr


def test_a_value_given_to_set_may_hold_a_full_width_comma(data_repo: DataRepo, cli: CliRun) -> None:
    data_repo.requirement("REQ-0001")
    result = cli("-C", str(data_repo.root), "set", "REQ-0001", "tags=[营销，活动]")
    assert result.exit_code == 0, result.stderr


# --- the main journeys, in both languages ------------------------------------------------

JOURNEY = {
    "zh": {
        "init": "已在 {root} 创建 mitrm 数据仓库",
        "asked": "类型：1) 新功能（feature）",
        "retry": "“推广”不是可选项之一",
        "created": "已创建需求 REQ-0001",
        "comment": "# --- 随着需求逐步成熟，还需补充以下内容",
        "validate": [
            "requirements/REQ-0002-x.yaml:2:6: error MIT013 键“title”后面用了全角冒号“：”；"
            "YAML 需要半角冒号加空格：'title: '",
            "requirements/REQ-0003-y.yaml:8:16: warning MIT401 'business_goal' 中有含糊的措辞"
            "（'提升', '用户体验'），没有数字或单位；写明提升多少、何时达成，"
            "例如“从2.1%提升到3%，2026-09-30前”",
            "requirements/REQ-0003-y.yaml:8:16: warning MIT404 没有 KPI 衡量该业务目标；"
            "在 'kpis' 下补充衡量该业务目标的KPI（名称、基线、目标、单位）",
            "已检查 3 个文件：1 个错误，2 个警告",
        ],
        "set": ["error: 未知字段“titel”", "hint: 是不是想写“title”？"],
        "status": [
            "error: REQ-0001 不能从“draft”转到“approved”；未做任何修改",
            "hint: 从“draft”可以转到：submitted, cancelled",
        ],
        "explain": [
            "模型：weighted：",
            "得分：67   第 1 名（共 1 名）",
            "贡献",
            "同分时依次按得分",
        ],
        "render": "已生成 5 个文档到 docs/generated：写入 5 个，未变 0 个，删除 0 个",
    },
    "en": {
        "init": "created a mitrm data repo in {root}",
        "asked": "Type: 1) feature",
        "retry": "'推广' is not one of: feature, improvement",
        "created": "created requirement REQ-0001",
        "comment": "# --- Still to fill in as the requirement matures",
        "validate": [
            "requirements/REQ-0002-x.yaml:2:6: error MIT013 full-width colon '：' after the key "
            "'title'; YAML needs an ASCII colon and a space: 'title: '",
            "requirements/REQ-0003-y.yaml:8:16: warning MIT401 vague wording in 'business_goal' "
            "('提升', '用户体验') with no number or unit; say how much and by when, e.g. "
            "'from 2.1% to 3% by 2026-09-30'",
            "requirements/REQ-0003-y.yaml:8:16: warning MIT404 no KPI measures the business goal; "
            "add a KPI under 'kpis' that measures the goal (name, baseline, target, unit)",
            "checked 3 files: 1 error, 2 warnings",
        ],
        "set": ["error: unknown field 'titel'", "hint: did you mean 'title'?"],
        "status": [
            "error: REQ-0001 cannot go from 'draft' to 'approved'; nothing was changed",
            "hint: from 'draft' it can go to: submitted, cancelled",
        ],
        "explain": [
            "model: weighted:",
            "score: 67   rank 1 of 1",
            "contribution",
            "ties are broken",
        ],
        "render": "rendered 5 documents into docs/generated: 5 written, 0 unchanged, 0 removed",
    },
}

SCORED = """\
id: REQ-0003
title: 结账提速
type: improvement
status: draft
source:
  channel: customer
description: 结账页加载太慢
business_goal: 提升用户体验
estimate:
  cost: 100
  benefit: 400
scoring:
  value: 4
  urgency: 3
  difficulty: 2
  risk_reduction: 1
"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_main_journeys_speak_the_users_language(
    no_language: pytest.MonkeyPatch, tmp_path: Path, cli: CliRun, lang: str
) -> None:
    """A zh repo: what a Chinese marketer sees, and the same repo with MITRM_LANG=en."""
    said = JOURNEY[lang]
    no_language.setenv("MITRM_LANG", lang)
    root = tmp_path / "r"
    made = cli("init", str(root), "--language", "zh")
    assert said["init"].format(root=root) in made.stdout
    repo = DataRepo(root)
    for args in (["init", "-q", "-b", "main"], ["config", "user.name", "张三"]):
        repo.run_git(*args)
    answers = "双11大促落地页\n推广\n活动\n问卷\n市场部\n\n需要一个大促落地页\n\n\n"
    drafted = cli("-C", str(root), "new", "requirement", "-i", input=answers)
    assert drafted.exit_code == 0, drafted.stderr
    for key in ("asked", "retry", "created"):
        assert said[key] in drafted.stderr
    new_file = next((root / "requirements").glob("REQ-0001-*.yaml"))
    assert said["comment"] in new_file.read_text(encoding="utf-8")
    assert load_yaml(new_file.read_text(encoding="utf-8"))["type"] == "campaign"

    repo.write("requirements/REQ-0002-x.yaml", "id: REQ-0002\ntitle：会员积分\n")
    repo.write("requirements/REQ-0003-y.yaml", SCORED)
    checked = cli("-C", str(root), "validate")
    assert checked.exit_code == 1
    assert checked.stderr.splitlines() == said["validate"]

    refused = cli("-C", str(root), "set", "REQ-0001", "titel=x")
    assert (refused.exit_code, refused.stderr.splitlines()) == (2, said["set"])
    refused = cli("-C", str(root), "status", "REQ-0001", "已批准")  # a Chinese status name
    assert (refused.exit_code, refused.stderr.splitlines()) == (1, said["status"])

    (root / "requirements/REQ-0002-x.yaml").unlink()
    explained = cli("-C", str(root), "prioritize", "--explain", "REQ-0003")
    assert explained.exit_code == 0, explained.stderr
    for part in said["explain"]:
        assert part in explained.stdout

    rendered = cli("-C", str(root), "render")
    assert rendered.exit_code == 0, rendered.stderr
    assert said["render"] in rendered.stderr
    portfolio = (root / "docs/generated/index.md").read_text(encoding="utf-8")
    # The repo's documents are Chinese whoever renders them: the same bytes either way.
    assert "没有 KPI 衡量该业务目标" in portfolio
    no_language.setenv("MITRM_LANG", "zh" if lang == "en" else "en")
    assert cli("-C", str(root), "render", "--check").exit_code == 0


def test_a_zh_render_reports_its_errors_in_the_users_language(
    no_language: pytest.MonkeyPatch, data_repo: DataRepo, cli: CliRun
) -> None:
    _zh_repo(data_repo)
    no_language.setenv("MITRM_LANG", "en")
    data_repo.requirement("REQ-0001")
    data_repo.write("templates/requirement.md.j2", "{% if %}\n")
    result = cli("-C", str(data_repo.root), "render")
    assert result.exit_code == 1
    assert "template syntax error" in result.stderr
    assert "hint: fix the template, or delete it to use the built-in one" in result.stderr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("project: x\nlanguage: zh\n", "zh"),
        ("language: 'zh'   # documents and messages\n", "zh"),
        ('project: x\nlanguage: "en"\n', "en"),
        ("project: x\n  language: zh\n", None),  # nested, not the repo's setting
        ("project: x\n", None),
    ],
)
def test_help_finds_the_repo_language_without_parsing_yaml(text: str, expected: str | None) -> None:
    assert i18n._language_line(text) == expected


def test_machine_output_keeps_codes_and_keys_and_translates_the_message(
    no_language: pytest.MonkeyPatch, data_repo: DataRepo, cli: CliRun
) -> None:
    import json

    _zh_repo(data_repo)
    data_repo.write("requirements/REQ-0001-a.yaml", FULL_WIDTH["requirements/REQ-0001-a.yaml"])
    result = cli("-C", str(data_repo.root), "validate", "--format", "json")
    document = json.loads(result.stdout)
    (found,) = document["diagnostics"]
    assert set(found) == {"path", "line", "column", "severity", "code", "message", "item"}
    assert (found["severity"], found["code"]) == ("error", "MIT013")
    assert found["message"].startswith("键“title”后面用了全角冒号")
    assert document["summary"] == {"files": 1, "errors": 1, "warnings": 0}
    sarif = json.loads(cli("-C", str(data_repo.root), "validate", "--format", "sarif").stdout)
    result_0 = sarif["runs"][0]["results"][0]
    assert result_0["ruleId"] == "MIT013" and "全角冒号" in result_0["message"]["text"]
