"""``mitrm export`` and ``mitrm import`` with spreadsheets, as a marketer with Excel uses them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from conftest import CliRun, DataRepo

FULL = """\
id: {id}
title: {title}
type: feature
status: draft
source:
  channel: internal
  department: E-commerce
  requester: Li Wei
owners:
  business: Wang Fang
created: 2026-01-05
due: 2026-09-30
description: Described in words.
business_goal: Grow mobile sales by 8% in 2026.
estimate:
  cost: 120000.5
  effort_days: 30
tags: [mobile, checkout]   # a comment that must survive
"""


def _repo(git_repo: DataRepo, count: int = 3) -> DataRepo:
    for number in range(1, count + 1):
        item_id = f"REQ-{number:04d}"
        git_repo.write(
            f"requirements/{item_id}-item.yaml", FULL.format(id=item_id, title=f"Item {number}")
        )
    git_repo.commit(message="items")
    return git_repo


def _export(cli: CliRun, repo: DataRepo, name: str = "items.xlsx", *args: str) -> Path:
    out = repo.root.parent / name
    result = cli("-C", str(repo.root), "export", "-o", str(out), *args)
    assert result.exit_code == 0, result.stderr
    return out


def _edit(path: Path, item_id: str, **cells: object) -> None:
    """Change cells of one row with openpyxl, as Excel would save them."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Requirements"]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == item_id:
            for name, value in cells.items():
                row[header.index(name.replace("__", "."))].value = value
    workbook.save(path)


def test_round_trip_changes_exactly_the_edited_lines(git_repo: DataRepo, cli: CliRun) -> None:
    repo = _repo(git_repo)
    book = _export(cli, repo)
    _edit(book, "REQ-0002", title="Mobile checkout in one page", status="submitted")
    shown = cli("-C", str(repo.root), "import", str(book))
    assert shown.exit_code == 0, shown.stderr
    assert "title: Item 2 -> Mobile checkout in one page" in shown.stdout
    assert "status: draft -> submitted" in shown.stdout
    assert repo.run_git("status", "--porcelain") == ""  # a diff only, without --apply
    applied = cli("-C", str(repo.root), "import", str(book), "--apply")
    assert applied.exit_code == 0, applied.stderr
    diff = repo.run_git("diff", "-U0", "--no-color")
    changed = [
        line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]
    assert changed == [
        "-title: Item 2",
        "+title: Mobile checkout in one page",
        "-status: draft",
        "+status: submitted",
    ]
    again = cli("-C", str(repo.root), "import", str(book), "--apply")
    assert again.exit_code == 0
    assert "nothing to change" in again.stderr


@pytest.mark.parametrize("name", ["items.xlsx", "items.csv"])
def test_an_unchanged_export_changes_nothing(git_repo: DataRepo, cli: CliRun, name: str) -> None:
    repo = _repo(git_repo)
    repo.write(
        "requirements/REQ-0009-odd.yaml",
        FULL.format(id="REQ-0009", title="'-1 = +2 @ odd'").replace(
            "description: Described in words.", 'description: "line one\\nline two _x0041_ \\a\\n"'
        ),
    )
    book = _export(cli, repo, name)
    result = cli("-C", str(repo.root), "import", str(book), "--apply")
    assert result.exit_code == 0, result.stderr
    assert "0 item(s) to change, 0 to create, 4 unchanged" in result.stderr
    assert repo.run_git("status", "--porcelain") == "?? requirements/REQ-0009-odd.yaml\n"


def test_workbook_has_dates_numbers_frozen_header_and_drop_downs(
    git_repo: DataRepo, cli: CliRun
) -> None:
    repo = _repo(git_repo, 1)
    book = _export(cli, repo)
    workbook = openpyxl.load_workbook(book)
    sheet = workbook["Requirements"]
    header = [cell.value for cell in sheet[1]]
    row = {name: sheet.cell(row=2, column=i + 1) for i, name in enumerate(header)}
    assert row["created"].value == dt.datetime(2026, 1, 5)
    assert row["created"].is_date
    assert row["estimate.cost"].value == 120000.5
    assert row["tags"].value == "mobile\ncheckout"
    assert sheet.freeze_panes == "B2"
    assert sheet.column_dimensions["B"].width >= 8
    lists = {
        str(v.sqref).split(":")[0].rstrip("0123456789"): v.formula1
        for v in sheet.data_validations.dataValidation
    }
    status_col = openpyxl.utils.get_column_letter(header.index("status") + 1)
    assert status_col in lists
    hidden = workbook["mitrm-lists"]
    assert hidden.sheet_state == "hidden"
    column = lists[status_col].split("!")[1].split(":")[0].replace("$", "").rstrip("0123456789")
    values = [c.value for c in hidden[column] if c.value]
    assert values[:3] == ["draft", "submitted", "analysis"]
    for name in ("type", "source.channel", "feasibility.technical", "scoring.moscow"):
        assert openpyxl.utils.get_column_letter(header.index(name) + 1) in lists
    kinds = {
        str(v.sqref).split(":")[0].rstrip("0123456789"): v.type
        for v in sheet.data_validations.dataValidation
    }
    letter = openpyxl.utils.get_column_letter
    assert kinds[letter(header.index("due") + 1)] == "date"
    assert kinds[letter(header.index("estimate.cost") + 1)] == "decimal"
    assert kinds[letter(header.index("scoring.value") + 1)] == "whole"
    provenance = header.index("mitrm:base") + 1
    assert sheet.column_dimensions[openpyxl.utils.get_column_letter(provenance)].hidden


def test_bad_cells_are_located_and_nothing_is_written(git_repo: DataRepo, cli: CliRun) -> None:
    repo = _repo(git_repo)
    book = _export(cli, repo, "requests.xlsx")
    _edit(book, "REQ-0001", title="Fine")
    _edit(book, "REQ-0002", status="finished")
    _edit(book, "REQ-0003", due="next week", estimate__cost="a lot")
    result = cli("-C", str(repo.root), "import", str(book), "--apply")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith(
        "requests.xlsx:Requirements!D3: error MIT701 status must be one of draft, submitted"
    )
    assert any(
        line.startswith("requests.xlsx:Requirements!L4: error MIT701 due must be a date")
        for line in lines
    )
    assert any("estimate.cost must be a number (got 'a lot')" in line for line in lines)
    assert "error: 3 problems in requests.xlsx; nothing was written" in result.stderr
    assert "Traceback" not in result.stderr
    assert repo.run_git("status", "--porcelain") == ""


def test_a_refused_status_move_is_located(git_repo: DataRepo, cli: CliRun) -> None:
    repo = _repo(git_repo, 1)
    book = _export(cli, repo)
    _edit(book, "REQ-0001", status="released")
    result = cli("-C", str(repo.root), "import", str(book))
    assert result.exit_code == 1
    assert "items.xlsx:Requirements!D2: error MIT701 REQ-0001 cannot go from 'draft'" in (
        result.stderr
    )


def test_item_changed_since_export_is_refused_naming_fields(
    git_repo: DataRepo, cli: CliRun
) -> None:
    repo = _repo(git_repo)
    book = _export(cli, repo)
    assert cli("-C", str(repo.root), "set", "REQ-0002", "due=2026-12-31").exit_code == 0
    _edit(book, "REQ-0002", title="Renamed in Excel")
    _edit(book, "REQ-0003", title="Also renamed")
    result = cli("-C", str(repo.root), "import", str(book), "--apply")
    assert result.exit_code == 1
    assert (
        "items.xlsx:Requirements!A3: error MIT702 REQ-0002 changed in the repo since the export"
        in result.stderr
    )
    assert ": due; its row was not applied" in result.stderr
    assert "REQ-0003" not in result.stderr
    before = (repo.root / "requirements/REQ-0003-item.yaml").read_text(encoding="utf-8")
    assert "Item 3" in before  # all or nothing: the good row waits too
    forced = cli("-C", str(repo.root), "import", str(book), "--apply", "--force")
    assert forced.exit_code == 0, forced.stderr
    text = (repo.root / "requirements/REQ-0002-item.yaml").read_text(encoding="utf-8")
    assert "title: Renamed in Excel" in text
    assert "due: 2026-12-31" in text  # the repo's newer value stays: the row did not touch it


def test_field_changed_only_in_the_repo_is_kept(git_repo: DataRepo, cli: CliRun) -> None:
    repo = _repo(git_repo)
    book = _export(cli, repo, "items.csv")
    assert cli("-C", str(repo.root), "set", "REQ-0001", "title=Newer in the repo").exit_code == 0
    result = cli("-C", str(repo.root), "import", str(book), "--apply")
    assert result.exit_code == 0, result.stderr
    assert "nothing to change" in result.stderr  # an untouched row never writes old values
    text = book.read_text(encoding="utf-8-sig").replace("2026-09-30", "2026-10-31", 1)
    book.write_text(text, encoding="utf-8-sig")
    forced = cli("-C", str(repo.root), "import", str(book), "--apply", "--force")
    assert forced.exit_code == 0, forced.stderr
    assert "kept as the repo has it (changed there since the export): REQ-0001 title" in (
        forced.stdout
    )
    text = (repo.root / "requirements/REQ-0001-item.yaml").read_text(encoding="utf-8")
    assert "title: Newer in the repo" in text
    assert "due: 2026-10-31" in text


def test_csv_has_bom_crlf_and_escapes_formulas(git_repo: DataRepo, cli: CliRun) -> None:
    repo = _repo(git_repo, 1)
    repo.write(
        "requirements/REQ-0002-evil.yaml",
        FULL.format(id="REQ-0002", title='"=HYPERLINK(\\"http://x\\",\\"go\\")"'),
    )
    book = _export(cli, repo, "items.csv")
    raw = book.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    titles = [row[1] for row in rows[1:]]
    assert '\'=HYPERLINK("http://x","go")' in titles
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    back = cli("-C", str(repo.root), "import", str(book))
    assert back.exit_code == 0, back.stderr
    assert "nothing to change" in back.stderr


def test_xlsx_keeps_formula_text_as_text(git_repo: DataRepo, cli: CliRun) -> None:
    repo = _repo(git_repo, 1)
    repo.write(
        "requirements/REQ-0002-evil.yaml",
        FULL.format(id="REQ-0002", title='"@SUM(1+1)"'),
    )
    book = _export(cli, repo)
    sheet = openpyxl.load_workbook(book)["Requirements"]
    cell = sheet["B3"]
    assert cell.value == "@SUM(1+1)"
    assert cell.data_type == "s"
    assert cell.quotePrefix


def test_formulas_are_read_as_their_saved_values(git_repo: DataRepo, cli: CliRun) -> None:
    import xlsxwriter

    repo = _repo(git_repo, 1)
    book = repo.root.parent / "formula.xlsx"
    workbook = xlsxwriter.Workbook(str(book))
    sheet = workbook.add_worksheet("Requirements")
    sheet.write_row(0, 0, ["id", "title"])
    sheet.write_string(1, 0, "REQ-0001")
    sheet.write_formula(1, 1, '=CONCATENATE("Saved ","value")', None, "Saved value")
    workbook.close()
    result = cli("-C", str(repo.root), "import", str(book))
    assert result.exit_code == 0, result.stderr
    assert "title: Item 1 -> Saved value" in result.stdout


def test_zip_bomb_is_refused_before_unpacking(data_repo: DataRepo, cli: CliRun) -> None:
    bomb = data_repo.root.parent / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
    assert bomb.stat().st_size < 200_000
    result = cli("-C", str(data_repo.root), "import", str(bomb))
    assert result.exit_code == 2
    assert "zip bomb" in result.stderr
    assert "refused unread" in result.stderr


def test_huge_file_is_refused_by_size(
    data_repo: DataRepo, cli: CliRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mitrm.io.exchange import sheetfiles

    monkeypatch.setattr(sheetfiles, "MAX_FILE_BYTES", 100)
    big = data_repo.root.parent / "big.csv"
    big.write_text("id,title\n" + "REQ-0001,x\n" * 50, encoding="utf-8")
    result = cli("-C", str(data_repo.root), "import", str(big))
    assert result.exit_code == 2
    assert "big.csv" in result.stderr and "more than mitrm reads" in result.stderr


def test_not_a_workbook_is_a_clear_error(data_repo: DataRepo, cli: CliRun) -> None:
    fake = data_repo.root.parent / "fake.xlsx"
    fake.write_text("not a zip", encoding="utf-8")
    result = cli("-C", str(data_repo.root), "import", str(fake))
    assert result.exit_code == 2
    assert "fake.xlsx: not a readable .xlsx workbook" in result.stderr
    broken = data_repo.root.parent / "broken.xlsx"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "<<<not xml")
    result = cli("-C", str(data_repo.root), "import", str(broken))
    assert result.exit_code == 2
    assert "broken.xlsx: not a readable .xlsx workbook" in result.stderr


def test_survey_rows_with_own_headers_create_items(git_repo: DataRepo, cli: CliRun) -> None:
    repo = _repo(git_repo, 1)
    (repo.root / "mitrm.yaml").write_text(
        "project: Test\nlanguage: en\ncurrency: CNY\n"
        "spreadsheets:\n  columns:\n    需求名称: title\n    详细说明: description\n"
        "    渠道: source.channel\n",
        encoding="utf-8",
    )
    survey = repo.root.parent / "survey.csv"
    survey.write_text(
        "需求名称,详细说明,渠道,type,备注\n"
        "小程序抽奖,在小程序里做一个抽奖活动,survey,campaign,ignored\n"
        "会员积分互通,门店和电商积分打通,调研,integration,\n",
        encoding="gb18030",
    )
    result = cli("-C", str(repo.root), "import", str(survey), "--apply")
    assert result.exit_code == 0, result.stderr
    assert "note: columns not read" in result.stderr and "备注" in result.stderr
    created = sorted(p.name for p in (repo.root / "requirements").iterdir())
    assert created[1].startswith("REQ-0002-") and created[2].startswith("REQ-0003-")
    text = next((repo.root / "requirements").glob("REQ-0003-*")).read_text(encoding="utf-8")
    assert "title: 会员积分互通" in text
    assert "channel: survey" in text  # the Chinese label 调研 read as its value
    assert "status: draft" in text
    assert cli("-C", str(repo.root), "validate").exit_code == 0


def test_a_mapping_to_an_unknown_field_is_named(git_repo: DataRepo, cli: CliRun) -> None:
    repo = _repo(git_repo, 1)
    (repo.root / "mitrm.yaml").write_text(
        "project: Test\nspreadsheets:\n  columns:\n    需求名称: titel\n", encoding="utf-8"
    )
    survey = repo.root.parent / "survey.csv"
    survey.write_text("title,需求名称\nA,B\n", encoding="utf-8")
    result = cli("-C", str(repo.root), "import", str(survey))
    assert result.exit_code == 1
    assert "survey.csv:B1: error MIT704 mitrm.yaml maps '需求名称' to 'titel'" in result.stderr


def test_a_cover_sheet_is_skipped_but_a_sheet_without_headers_is_an_error(
    git_repo: DataRepo, cli: CliRun
) -> None:
    repo = _repo(git_repo, 1)
    book = _export(cli, repo)
    workbook = openpyxl.load_workbook(book)
    cover = workbook.create_sheet("Read me", 0)
    cover["A1"] = "Please fill in one request per row."
    workbook.save(book)
    result = cli("-C", str(repo.root), "import", str(book))
    assert result.exit_code == 0, result.stderr
    assert "note: sheet 'Read me' skipped: no id or title column" in result.stderr
    lonely = repo.root.parent / "lonely.csv"
    lonely.write_text("Name,Remark\nx,y\n", encoding="utf-8")
    result = cli("-C", str(repo.root), "import", str(lonely))
    assert result.exit_code == 1
    assert result.stderr.startswith("lonely.csv:A1: error MIT704 the first row must name")


def test_missing_required_field_of_a_new_row_is_located(git_repo: DataRepo, cli: CliRun) -> None:
    repo = _repo(git_repo, 1)
    rows = repo.root.parent / "rows.csv"
    rows.write_text("title,description\nNo type here,Something\n", encoding="utf-8")
    result = cli("-C", str(repo.root), "import", str(rows))
    assert result.exit_code == 1
    assert result.stderr.startswith("rows.csv:A2: error MIT701 ")
    assert "type" in result.stderr.splitlines()[0]


def test_chinese_repo_headers_and_labels(git_repo: DataRepo, cli: CliRun) -> None:
    repo = _repo(git_repo, 1)
    (repo.root / "mitrm.yaml").write_text("project: T\nlanguage: zh\n", encoding="utf-8")
    repo.commit(message="zh")
    book = _export(cli, repo)
    workbook = openpyxl.load_workbook(book)
    sheet = workbook["需求"]
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["编号 (id)", "标题 (title)", "类型 (type)", "状态 (status)"]
    assert sheet["D2"].value == "草稿 (draft)"
    lists = [c.value for c in workbook["mitrm-lists"]["B"] if c.value]
    assert "已提交 (submitted)" in lists
    sheet["D2"].value = "已提交 (submitted)"
    workbook.save(book)
    result = cli("-C", str(repo.root), "import", str(book), "--apply")
    assert result.exit_code == 0, result.stderr
    assert "status: submitted" in (repo.root / "requirements/REQ-0001-item.yaml").read_text(
        encoding="utf-8"
    )


def test_list_csv_bom_only_when_asked(data_repo: DataRepo, cli: CliRun) -> None:
    data_repo.requirement("REQ-0001", "需求 one")
    plain = cli("-C", str(data_repo.root), "list", "--format", "csv")
    assert plain.stdout.startswith("id,")
    excel = cli("-C", str(data_repo.root), "list", "--format", "csv", "--bom")
    assert excel.stdout.startswith("\ufeffid,")
    assert "\r\n" in excel.stdout
    ranked = cli("-C", str(data_repo.root), "prioritize", "--format", "csv", "--bom")
    assert ranked.stdout.startswith("\ufeff")
    assert cli("-C", str(data_repo.root), "list", "--format", "csv").stdout.startswith("id,")


def test_export_filters_and_csv_needs_one_kind(git_repo: DataRepo, cli: CliRun) -> None:
    repo = _repo(git_repo)
    repo.run_git("mv", "requirements/REQ-0003-item.yaml", "requirements/REQ-0003-x.yaml")
    assert cli("-C", str(repo.root), "status", "REQ-0003", "submitted").exit_code != 3
    out = repo.root.parent / "two.csv"
    result = cli("-C", str(repo.root), "export", "-o", str(out), "--status", "draft")
    assert result.exit_code == 0
    assert "exported" in result.stderr
    bad = cli("-C", str(repo.root), "export", "-f", "csv", "-k", "requirement", "-k", "plan")
    assert bad.exit_code == 2
    assert "one kind" in bad.stderr


def test_an_import_killed_midway_is_completed_by_running_it_again(
    git_repo: DataRepo, cli: CliRun, tmp_path: Path
) -> None:
    import os
    import shutil
    import signal
    import subprocess
    import sys
    import time

    repo = _repo(git_repo, 40)
    sheet = _export(cli, repo, "items.csv")
    rows = list(csv.reader(io.StringIO(sheet.read_text(encoding="utf-8-sig"), newline="")))
    for row in rows[1:]:
        row[1] = row[1] + " (reviewed)"
    header = rows[0]
    for number in range(10):
        new = [""] * len(header)
        new[header.index("title")] = f"Survey idea {number}"
        new[header.index("type")] = "campaign"
        new[header.index("source.channel")] = "survey"
        new[header.index("description")] = "From the survey."
        rows.append(new)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    sheet.write_text(buffer.getvalue(), encoding="utf-8-sig")
    clean = tmp_path / "clean"
    shutil.copytree(repo.root, clean)
    assert cli("-C", str(clean), "import", str(sheet), "--apply").exit_code == 0

    folder = repo.root / "requirements"
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    process = subprocess.Popen(
        [sys.executable, "-m", "mitrm", "-C", str(repo.root), "import", str(sheet), "--apply"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline:
        now = {p.name: p.stat().st_mtime_ns for p in folder.iterdir() if p.suffix == ".yaml"}
        if now != before:
            os.kill(process.pid, signal.SIGKILL)  # in the middle of writing
            break
        time.sleep(0.005)
    process.wait()
    again = cli("-C", str(repo.root), "import", str(sheet), "--apply")
    assert again.exit_code == 0, again.stderr

    def items(root: Path) -> list[tuple[str, str]]:
        found = []
        for path in (root / "requirements").glob("*.yaml"):
            text = path.read_text(encoding="utf-8")
            title = next(line for line in text.splitlines() if line.startswith("title:"))
            rest = "\n".join(line for line in text.splitlines() if not line.startswith("id:"))
            found.append((title, rest))
        return sorted(found)

    assert items(repo.root) == items(clean)  # every edit made once, no item twice
    assert len(items(repo.root)) == 50


def test_csv_export_to_stdout_and_an_empty_repo(data_repo: DataRepo, cli: CliRun) -> None:
    result = cli("-C", str(data_repo.root), "export", "-f", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("\ufeffid,title,type,status,")
    assert result.stdout.count("\r\n") == 1  # the header row only
    assert "exported 0 items to stdout" in result.stderr
    book = data_repo.root.parent / "empty.xlsx"
    assert cli("-C", str(data_repo.root), "export", "-o", str(book)).exit_code == 0
    workbook = openpyxl.load_workbook(book)
    assert workbook.sheetnames == ["Requirements", "Plans", "Change requests", "mitrm-lists"]
    back = cli("-C", str(data_repo.root), "import", str(book))
    assert back.exit_code == 0
    assert "nothing to change" in back.stderr


def test_a_file_changed_during_the_import_stops_it(
    git_repo: DataRepo, cli: CliRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mitrm.cli import exchange

    repo = _repo(git_repo, 2)
    book = _export(cli, repo)
    _edit(book, "REQ-0001", title="One")
    _edit(book, "REQ-0002", title="Two")
    real = exchange.plan_import
    target = repo.root / "requirements/REQ-0002-item.yaml"

    def racing(*args: object, **kwargs: object) -> object:
        plan = real(*args, **kwargs)  # type: ignore[arg-type]
        # Another command edits an item between the plan and the writes.
        target.write_text(
            target.read_text(encoding="utf-8").replace("Described", "Redescribed"),
            encoding="utf-8",
        )
        return plan

    monkeypatch.setattr(exchange, "plan_import", racing)  # where the command looks it up
    result = cli("-C", str(repo.root), "import", str(book), "--apply")
    assert result.exit_code == 2
    assert "requirements/REQ-0002-item.yaml changed while the import was being prepared" in (
        result.stderr
    )
    assert "title: Item 1" in (repo.root / "requirements/REQ-0001-item.yaml").read_text(
        encoding="utf-8"
    )


def test_on_a_terminal_import_asks_before_writing(git_repo: DataRepo, cli: CliRun) -> None:
    from test_new_tty import Terminal

    repo = _repo(git_repo, 2)
    book = _export(cli, repo)
    _edit(book, "REQ-0001", title="Asked first")
    no = Terminal(["-C", str(repo.root), "import", str(book)])
    no.answer("write these changes? [y/N] ", "n")
    code, shown = no.finish()
    assert code == 0
    assert "nothing written; run again with --apply" in shown
    assert repo.run_git("status", "--porcelain") == ""
    yes = Terminal(["-C", str(repo.root), "import", str(book)])
    yes.expect("title: Item 1 -> Asked first")
    yes.answer("write these changes? [y/N] ", "y")
    code, shown = yes.finish()
    assert code == 0, shown
    assert "updated REQ-0001" in shown
    assert "title: Asked first" in (repo.root / "requirements/REQ-0001-item.yaml").read_text(
        encoding="utf-8"
    )


@pytest.mark.skipif(
    __import__("shutil").which("soffice") is None, reason="LibreOffice is not installed"
)
def test_libreoffice_reads_the_export_and_its_ods_imports_unchanged(
    git_repo: DataRepo, cli: CliRun
) -> None:
    import subprocess

    repo = _repo(git_repo, 3)
    book = _export(cli, repo)
    out = repo.root.parent / "lo"
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "ods", str(book), "--outdir", str(out)],
        check=True,
        capture_output=True,
        timeout=300,
        env={**__import__("os").environ, "HOME": str(repo.root.parent)},
    )
    result = cli("-C", str(repo.root), "import", str(out / "items.ods"))
    assert result.exit_code == 0, result.stderr
    assert "0 item(s) to change, 0 to create, 3 unchanged" in result.stderr


def test_csv_to_stdout_shows_control_characters_escaped(git_repo: DataRepo, cli: CliRun) -> None:
    repo = _repo(git_repo, 1)
    path = repo.root / "requirements/REQ-0001-item.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("title: Item 1", 'title: "Item \\e]0;owned\\a 1"'),
        encoding="utf-8",
    )
    shown = cli("-C", str(repo.root), "export", "-f", "csv")
    assert shown.exit_code == 0, shown.stderr
    assert "Item \\x1b]0;owned\\x07 1" in shown.stdout
    assert "\x1b" not in shown.stdout
    listed = cli("-C", str(repo.root), "list", "-f", "csv", "--bom")
    assert "\x1b" not in listed.stdout and "\r\n" in listed.stdout
    book = _export(cli, repo, "exact.csv")  # a file keeps the text exactly
    assert "Item \x1b]0;owned\x07 1" in book.read_text(encoding="utf-8-sig")
    back = cli("-C", str(repo.root), "import", str(book))
    assert "nothing to change" in back.stderr


def test_export_to_a_closed_or_full_stdout_is_an_environment_error(
    git_repo: DataRepo, tmp_path: Path
) -> None:
    import subprocess
    import sys

    repo = _repo(git_repo, 1)
    command = [sys.executable, "-m", "mitrm", "-C", str(repo.root), "export", "-f", "csv"]
    closed = subprocess.run(
        command,
        stdout=subprocess.DEVNULL,
        capture_output=False,
        check=False,
        stderr=subprocess.PIPE,
        close_fds=True,
        pass_fds=(),
        preexec_fn=lambda: __import__("os").close(1),
    )
    assert closed.returncode == 2
    assert b"standard output is closed" in closed.stderr
    if Path("/dev/full").exists():
        with open("/dev/full", "wb") as full:
            done = subprocess.run(command, stdout=full, stderr=subprocess.PIPE, check=False)
        assert done.returncode == 2
        assert b"cannot write the export to stdout" in done.stderr


def test_new_rows_are_not_written_through_a_link_outside_the_repo(
    git_repo: DataRepo, cli: CliRun, tmp_path: Path
) -> None:
    repo = _repo(git_repo, 1)
    rows = repo.root.parent / "rows.csv"
    rows.write_text(
        "id,title,type,description,source.channel\n"
        "REQ-0001,Item one,,,\n"
        ",New idea,campaign,From the survey,internal\n",
        encoding="utf-8",
    )
    outside = tmp_path / "outside"
    outside.mkdir()
    (repo.root / "requirements" / "2026").symlink_to(outside)
    result = cli("-C", str(repo.root), "import", str(rows), "--apply")
    assert result.exit_code == 2
    assert "requirements/2026 leads outside the data repo" in result.stderr
    assert list(outside.iterdir()) == []
    text = (repo.root / "requirements/REQ-0001-item.yaml").read_text(encoding="utf-8")
    assert "title: Item 1" in text  # all or nothing: the update waits too


def test_import_apply_takes_the_write_lock(
    git_repo: DataRepo, cli: CliRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fcntl
    import os

    repo = _repo(git_repo)
    book = _export(cli, repo)
    _edit(book, "REQ-0002", title="Mobile checkout in one page")
    lock = repo.root / ".git" / "mitrm" / "lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("MITRM_LOCK_TIMEOUT", "0.2")
    fd = os.open(lock, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        held = cli("-C", str(repo.root), "import", str(book), "--apply")
        shown = cli("-C", str(repo.root), "import", str(book))  # a diff only: no lock
    finally:
        os.close(fd)
    assert held.exit_code == 2
    assert "another mitrm command is changing this repo" in held.stderr
    assert repo.run_git("status", "--porcelain") == ""
    assert shown.exit_code == 0, shown.stderr
    assert cli("-C", str(repo.root), "import", str(book), "--apply").exit_code == 0
