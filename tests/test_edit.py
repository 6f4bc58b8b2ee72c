"""``mitrm set`` and ``mitrm status``: edits in place that keep every other byte."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import shutil
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import CliRun, DataRepo
from mitrm.core.editing.splice import splice
from mitrm.io.roundtrip import open_item
from mitrm.io.yamlfile import load_yaml

GOLDEN = Path(__file__).resolve().parent / "golden" / "edit"
SOURCE = GOLDEN / "REQ-0007-coupon-engine.yaml"
REL = "requirements/REQ-0007-coupon-engine.yaml"

CASES = {
    "set-due": (["set", "REQ-0007", "due=2099-06-30"], 1, 1),
    "set-new-nested": (["set", "REQ-0007", "source.reference=QBR 2026-Q3, slide 4"], 0, 1),
    "set-title-quoted": (["set", "REQ-0007", "title=优惠券引擎 v2"], 1, 1),
    "append-tag": (["set", "REQ-0007", "tags+=新客"], 1, 1),
    "append-feature": (["set", "REQ-0007", "features+=Coupon stacking: one per order"], 0, 1),
    "remove-due": (["set", "REQ-0007", "due="], 1, 0),
    "status-submitted": (
        [
            "status",
            "REQ-0007",
            "submitted",
            "owners.business=张敏",
            "business_goal=More repeat purchases",
        ],
        1,
        4,
    ),
}


@pytest.fixture
def item(data_repo: DataRepo) -> Path:
    path = data_repo.root / REL
    shutil.copy(SOURCE, path)
    return path


@pytest.mark.parametrize("name", sorted(CASES))
def test_edits_change_only_the_edited_lines(
    name: str, item: Path, data_repo: DataRepo, cli: CliRun
) -> None:
    args, removed, added = CASES[name]
    before = item.read_text(encoding="utf-8")
    result = cli("-C", str(data_repo.root), *args)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == REL + "\n"
    after = item.read_text(encoding="utf-8")
    golden = GOLDEN / f"{name}.yaml"
    if os.environ.get("MITRM_UPDATE_GOLDEN"):
        golden.write_text(after, encoding="utf-8")
    assert after == golden.read_text(encoding="utf-8")
    diff = [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert sum(line.startswith("-") for line in diff) == removed, diff
    assert sum(line.startswith("+") for line in diff) == added, diff
    assert cli("-C", str(data_repo.root), "validate").exit_code == 0


def test_text_fields_take_the_text_as_written(item: Path, data_repo: DataRepo, cli: CliRun) -> None:
    result = cli(
        "-C",
        str(data_repo.root),
        "set",
        "REQ-0007",
        "title=2026",
        "tags+=no",
        "background=Note: phase 2 # not a comment",
    )
    assert result.exit_code == 0, result.stderr
    data = load_yaml(item.read_text(encoding="utf-8"))
    assert data["title"] == "2026"
    assert data["tags"][-1] == "no"
    assert data["background"] == "Note: phase 2 # not a comment"


def test_values_are_yaml_where_the_field_is_not_text(
    item: Path, data_repo: DataRepo, cli: CliRun
) -> None:
    result = cli(
        "-C",
        str(data_repo.root),
        "set",
        "REQ-0007",
        "estimate.cost=120000.50",
        "kpis+={name: Redemption rate, baseline: 3, target: 5}",
        "kpis.0.unit=%",
        "depends_on=[]",
    )
    assert result.exit_code == 0, result.stderr
    data = load_yaml(item.read_text(encoding="utf-8"))
    assert data["estimate"] == {"cost": 120000.5}
    assert data["kpis"] == [{"name": "Redemption rate", "baseline": 3, "target": 5, "unit": "%"}]


def _unchanged(item: Path) -> None:
    assert item.read_text(encoding="utf-8") == SOURCE.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["set", "REQ-0007", "buisness_goal=x"],
            2,
            "error: unknown field 'buisness_goal'\nhint: did you mean 'business_goal'?",
        ),
        (["set", "REQ-0007", "source.chanel=partner"], 2, "did you mean 'source.channel'?"),
        (["set", "REQ-0007", "requester=Li"], 2, "did you mean 'source.requester'?"),
        (
            ["set", "REQ-0007", "due=someday"],
            2,
            "field 'due' must be a date written YYYY-MM-DD (got 'someday'); nothing was changed",
        ),
        (["set", "REQ-0007", "estimate.cost=lots"], 2, "field 'estimate.cost' must be a number"),
        (["set", "REQ-0007", "type=wish"], 2, "field 'type' must be one of: feature"),
        (["set", "REQ-0007", "due+=2099-01-01"], 2, "'due' is not a list"),
        (["set", "REQ-0007", "kpis.3.target=2"], 2, "'kpis.3' does not exist"),
        (["set", "REQ-0007", "id=REQ-0008"], 2, "hint: use mitrm renumber OLD NEW"),
        (["set", "REQ-0007", "status=approved"], 2, "hint: use mitrm status ID STATUS"),
        (["set", "REQ-0007", "due"], 2, "'due' is not FIELD=VALUE"),
        (["set", "REQ-0007"], 2, "nothing to set"),
        (["set", "REQ-0007", "description="], 1, "status 'draft' requires 'description'"),
        (["set", "REQ-0099", "due=2099-01-01"], 2, "no item has the id 'REQ-0099'"),
        (
            ["status", "REQ-0007", "approved"],
            1,
            "REQ-0007 cannot go from 'draft' to 'approved'; nothing was changed\n"
            "hint: from 'draft' it can go to: submitted, cancelled",
        ),
        (
            ["status", "REQ-0007", "submitted"],
            1,
            "REQ-0007 cannot become 'submitted': missing owners.business, business_goal",
        ),
        (["status", "REQ-0007", "aproved"], 2, "did you mean 'approved'?"),
    ],
)
def test_refused_edits_leave_the_file_alone(
    item: Path, data_repo: DataRepo, cli: CliRun, args: list[str], code: int, message: str
) -> None:
    result = cli("-C", str(data_repo.root), *args)
    assert result.exit_code == code, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    _unchanged(item)


def test_status_moves_along_the_workflow(item: Path, data_repo: DataRepo, cli: CliRun) -> None:
    assert cli("-C", str(data_repo.root), "status", "REQ-0007", "cancelled").exit_code == 0
    assert load_yaml(item.read_text(encoding="utf-8"))["status"] == "cancelled"
    result = cli("-C", str(data_repo.root), "status", "REQ-0007", "cancelled")
    assert result.exit_code == 0 and "already 'cancelled'" in result.stderr
    result = cli("-C", str(data_repo.root), "status", "REQ-0007", "draft")
    assert result.exit_code == 1 and "'cancelled' is a final status" in result.stderr


def test_a_read_only_file_is_refused(item: Path, data_repo: DataRepo, cli: CliRun) -> None:
    item.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    result = cli("-C", str(data_repo.root), "set", "REQ-0007", "due=2099-06-30")
    assert result.exit_code == 2
    assert f"error: {REL} is read-only; nothing was changed" in result.stderr
    item.chmod(0o644)
    _unchanged(item)


def test_a_file_that_is_not_valid_yaml_is_named_with_its_place(
    data_repo: DataRepo, cli: CliRun
) -> None:
    broken = "id: REQ-0003\ntitle: [unclosed\nstatus: draft\n"
    path = data_repo.write("requirements/REQ-0003-broken.yaml", broken)
    result = cli("-C", str(data_repo.root), "set", "REQ-0003", "due=2099-01-01")
    assert result.exit_code == 1
    assert "requirements/REQ-0003-broken.yaml:3:7: error MIT001 invalid YAML" in result.stderr
    assert path.read_text(encoding="utf-8") == broken


def test_a_duplicated_id_points_at_renumber(data_repo: DataRepo, cli: CliRun) -> None:
    data_repo.requirement("REQ-0004", "One")
    data_repo.requirement("REQ-0004", "Other")
    result = cli("-C", str(data_repo.root), "set", "REQ-0004", "due=2099-01-01")
    assert result.exit_code == 2
    assert "the id 'REQ-0004' is used by 2 files" in result.stderr
    assert "mitrm renumber REQ-0004 --file requirements/REQ-0004-" in result.stderr


def test_writes_replace_the_file_atomically(item: Path, data_repo: DataRepo, cli: CliRun) -> None:
    inode = item.stat().st_ino
    assert cli("-C", str(data_repo.root), "set", "REQ-0007", "due=2099-06-30").exit_code == 0
    assert item.stat().st_ino != inode  # a new file renamed into place, never half-written
    assert not [p for p in item.parent.iterdir() if p.name.startswith(".")]


def test_windows_line_ends_and_a_byte_order_mark_are_kept(data_repo: DataRepo, cli: CliRun) -> None:
    text = "\ufeff# from Windows\r\nid: REQ-0005\r\ntitle: X\r\ntype: data\r\nstatus: draft\r\n"
    text += "source:\r\n  channel: internal\r\ndescription: d\r\n"
    path = data_repo.root / "requirements" / "REQ-0005-x.yaml"
    path.write_bytes(text.encode("utf-8"))
    assert cli("-C", str(data_repo.root), "set", "REQ-0005", "title=Yonder").exit_code == 0
    assert path.read_bytes() == text.replace("title: X", "title: Yonder").encode("utf-8")


_LINES = st.lists(
    st.sampled_from(["a: 1\n", "b: 2\n", "# c\n", "\n", "  - d\n", "e: [x]\n"]), max_size=12
)


@settings(max_examples=300, deadline=None)
@given(_LINES, _LINES, _LINES)
def test_splice_without_edits_keeps_the_original(a: list[str], b: list[str], c: list[str]) -> None:
    original, normal, edited = "".join(a), "".join(b), "".join(c)
    assert splice(original, normal, normal) == original
    assert splice(normal, normal, edited) == edited


@settings(max_examples=300, deadline=None)
@given(_LINES, st.integers(min_value=0, max_value=12), st.sampled_from(["z: 9\n", "- y\n"]))
def test_splice_applies_one_inserted_line_to_a_reformatted_file(
    lines: list[str], at: int, new: str
) -> None:
    original = "".join(lines)
    normal = original.replace("e: [x]", "e: [ x ]")  # a round trip that respaces flow lists
    edited_lines = normal.splitlines(keepends=True)
    at = min(at, len(edited_lines))
    edited = "".join([*edited_lines[:at], new, *edited_lines[at:]])
    result = splice(original, normal, edited)
    assert result.count(new) == original.count(new) + 1
    assert result.replace(new, "", 1) == original or "e: [ x ]" in result


def test_an_item_is_found_by_its_id_even_when_its_file_name_differs(
    data_repo: DataRepo, cli: CliRun
) -> None:
    path = data_repo.write("requirements/sub/coupons.yaml", "id: REQ-0009\ntitle: X\n")
    result = cli("-C", str(data_repo.root), "set", "REQ-0009", "background=b")
    assert result.exit_code == 0, result.stderr
    assert path.read_text(encoding="utf-8") == "id: REQ-0009\ntitle: X\nbackground: b\n"


def test_a_copy_named_for_one_id_but_holding_another_is_the_other_item(
    data_repo: DataRepo, cli: CliRun
) -> None:
    # Copied from REQ-0001 to start REQ-0002, id changed, file not renamed yet.
    copy = data_repo.write("requirements/REQ-0001-copy.yaml", "id: REQ-0002\ntitle: X\n")
    missing = cli("-C", str(data_repo.root), "set", "REQ-0001", "background=b")
    assert missing.exit_code == 2
    assert "no item has the id 'REQ-0001'" in missing.stderr
    assert copy.read_text(encoding="utf-8") == "id: REQ-0002\ntitle: X\n"
    result = cli("-C", str(data_repo.root), "set", "REQ-0002", "background=b")
    assert result.exit_code == 0, result.stderr
    assert copy.read_text(encoding="utf-8") == "id: REQ-0002\ntitle: X\nbackground: b\n"


def test_an_item_cannot_be_made_to_depend_on_itself(
    item: Path, data_repo: DataRepo, cli: CliRun
) -> None:
    before = item.read_bytes()
    result = cli("-C", str(data_repo.root), "set", "REQ-0007", "depends_on+=REQ-0007")
    assert result.exit_code == 1
    assert "REQ-0007 cannot depend on itself (a dependency cycle); nothing was changed" in (
        result.stderr
    )
    assert item.read_bytes() == before


def test_a_reference_to_a_missing_id_is_written_with_a_warning(
    item: Path, data_repo: DataRepo, cli: CliRun
) -> None:
    data_repo.requirement("REQ-0001")
    result = cli("-C", str(data_repo.root), "set", "REQ-0007", "depends_on+=[REQ-0001, REQ-0404]")
    assert result.exit_code == 0, result.stderr
    assert "warning: 'REQ-0404' does not exist (yet)" in result.stderr
    assert "warning: 'REQ-0001'" not in result.stderr
    assert "REQ-0007: depends_on += [REQ-0001, REQ-0404]" in result.stderr
    assert load_yaml(item.read_text(encoding="utf-8"))["depends_on"] == ["REQ-0001", "REQ-0404"]


def test_a_symbolic_link_is_not_replaced(item: Path, data_repo: DataRepo, cli: CliRun) -> None:
    real = data_repo.root / "elsewhere.yaml"
    item.rename(real)
    item.symlink_to(real)
    result = cli("-C", str(data_repo.root), "set", "REQ-0007", "due=2099-06-30")
    assert result.exit_code == 2
    assert f"{REL} is a symbolic link; nothing was changed" in result.stderr
    assert item.is_symlink() and real.read_text(encoding="utf-8") == SOURCE.read_text("utf-8")


@settings(max_examples=150, deadline=None)
@given(st.text(min_size=1, max_size=80).filter(lambda t: t.strip() == t and t))
def test_any_text_set_reads_back_and_changes_nothing_else(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    root = tmp_path_factory.mktemp("prop")
    (root / "requirements").mkdir()
    shutil.copy(SOURCE, root / REL)
    editable = open_item(root, REL)
    editable.set(("background",), text)
    editable.set(("title",), text)
    expected = {**editable.data, "background": text, "title": text}
    result = editable.checked(expected)
    untouched = [
        line
        for line in SOURCE.read_text(encoding="utf-8").splitlines()
        if not line.startswith("title:")
    ]
    kept = result.splitlines()
    assert all(line in kept for line in untouched)


def test_negative_list_numbers_are_refused() -> None:
    import pytest

    from mitrm.core.editing.edits import parse_assignment
    from mitrm.errors import UsageError

    with pytest.raises(UsageError, match="numbered from 0"):
        parse_assignment("kpis.-1.target=2")
    assert parse_assignment("kpis.1.target=2").loc == ("kpis", 1, "target")


def test_appending_a_tag_or_reference_already_there_writes_nothing(
    item: Path, data_repo: DataRepo, cli: CliRun
) -> None:
    data_repo.requirement("REQ-0001")
    before = item.read_text(encoding="utf-8")
    result = cli("-C", str(data_repo.root), "set", "REQ-0007", "tags+=coupons")
    assert result.exit_code == 0, result.stderr
    assert "tags already holds coupons; not added again" in result.stderr
    assert item.read_text(encoding="utf-8") == before
    result = cli("-C", str(data_repo.root), "set", "REQ-0007", "depends_on+=REQ-0001")
    assert result.exit_code == 0, result.stderr
    result = cli(
        "-C", str(data_repo.root), "set", "REQ-0007",
        "depends_on+=[REQ-0001]", "tags+=[新客, campaign]",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    data = load_yaml(item.read_text(encoding="utf-8"))
    assert data["depends_on"] == ["REQ-0001"]
    assert data["tags"] == ["coupons", "campaign", "新客"]


def test_a_value_twice_in_a_set_like_list_is_a_warning(data_repo: DataRepo, cli: CliRun) -> None:
    data_repo.requirement("REQ-0001")
    data_repo.requirement("REQ-0002", "Other", tags="[mobile, Mobile]")
    data_repo.write(
        "requirements/REQ-0002-other.yaml",
        (data_repo.root / "requirements/REQ-0002-other.yaml").read_text(encoding="utf-8")
        + "depends_on:\n  - REQ-0001\n  - REQ-0001\n",
    )
    result = cli("-C", str(data_repo.root), "validate")
    assert result.exit_code == 0, result.stdout + result.stderr
    out = result.stdout + result.stderr
    assert "warning MIT105 'Mobile' is already in 'tags'" in out
    assert "warning MIT105 'REQ-0001' is already in 'depends_on'" in out
    lines = (data_repo.root / "requirements/REQ-0002-other.yaml").read_text().splitlines()
    where = f"requirements/REQ-0002-other.yaml:{len(lines)}:5: warning MIT105 'REQ-0001'"
    assert where in out


ANALYSED = """\
id: REQ-0001
title: Coupon engine
type: feature
status: analysis
source: {channel: internal, department: Marketing, requester: Zhang Min}
owners: {business: Zhang Min, it: Wang Fang}
created: 2026-02-01
due: 2026-09-30
description: Rule-based coupons.
business_goal: Raise coupon redemption from 3% to 5% by 2026-09-30
feasibility: {technical: high}
kpis:
  - {name: Redemption, baseline: 3, target: 5, unit: "%", measurement: BI report}
acceptance_criteria: [A rule issues 100 coupons in under 1 s]
estimate: {effort_days: 20, cost: 10000, currency: CNY}
testing: {functional: true}
"""


def test_approving_records_who_and_when(git_repo: DataRepo, cli: CliRun) -> None:
    path = git_repo.write("requirements/REQ-0001-coupon-engine.yaml", ANALYSED)
    git_repo.commit(message="analysed")
    assert "MIT410" not in cli("-C", str(git_repo.root), "validate").stderr
    result = cli("-C", str(git_repo.root), "status", "REQ-0001", "approved")
    assert result.exit_code == 0, result.stderr
    assert "REQ-0001: approval.by = Test User (recorded)" in result.stderr
    data = load_yaml(path.read_text(encoding="utf-8"))
    assert data["status"] == "approved"
    assert data["approval"] == {"by": "Test User", "date": dt.date(2026, 3, 2)}
    validated = cli("-C", str(git_repo.root), "validate")
    assert "MIT410" not in validated.stderr, validated.stderr


def test_an_approver_given_on_the_command_line_is_kept(data_repo: DataRepo, cli: CliRun) -> None:
    path = data_repo.write("requirements/REQ-0001-coupon-engine.yaml", ANALYSED)
    # Outside git there is no user to record, and no terminal to ask on: refused.
    result = cli("-C", str(data_repo.root), "status", "REQ-0001", "approved")
    assert result.exit_code == 2
    assert "who approved it?" in result.stderr
    assert "approval.by='Your Name'" in result.stderr
    assert path.read_text(encoding="utf-8") == ANALYSED
    result = cli("-C", str(data_repo.root), "status", "REQ-0001", "approved", "approval.by=李娜")
    assert result.exit_code == 0, result.stderr
    assert load_yaml(path.read_text(encoding="utf-8"))["approval"] == {
        "by": "李娜",
        "date": dt.date(2026, 3, 2),
    }


def test_the_approver_is_asked_for_on_a_terminal(
    data_repo: DataRepo, cli: CliRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = data_repo.write("requirements/REQ-0001-coupon-engine.yaml", ANALYSED)
    monkeypatch.setenv("MITRM_FORCE_PROMPT", "1")
    result = cli("-C", str(data_repo.root), "status", "REQ-0001", "approved", input="Li Na\n")
    assert result.exit_code == 0, result.stderr
    assert "Who approved REQ-0001?" in result.stderr
    assert load_yaml(path.read_text(encoding="utf-8"))["approval"]["by"] == "Li Na"
