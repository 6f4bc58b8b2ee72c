"""Status workflows as a user meets them: `validate` (MIT301) and `mitrm status`, with overrides."""

from __future__ import annotations

import pytest

from conftest import CliRun, DataRepo

PATH = "requirements/REQ-0001-checkout.yaml"

DRAFT = """\
id: REQ-0001
title: Faster mobile checkout
type: feature
status: {status}
source:
  channel: internal
  department: E-commerce
  requester: Li Wei
description: Checkout takes 9 s on mobile.
"""

SUBMITTED = """\
owners:
  business: Li Wei
business_goal: Lift mobile conversion from 2.1% to 2.6% by 2026-09-30.
created: 2026-01-10
"""

ANALYSED = """\
feasibility:
  technical: high
  economic: high
  operational: medium
"""

APPROVED = """\
owners:
  business: Li Wei
  it: Zhang Min
kpis:
  - name: Mobile conversion
    baseline: 2.1
    target: 2.6
    unit: '%'
acceptance_criteria:
  - Checkout p95 under 3 s on a mid-range phone.
estimate:
  effort_days: 30
  cost: 120000
due: 2026-09-30
"""


def _item(repo: DataRepo, status: str, *parts: str) -> str:
    text = DRAFT.format(status=status) + "".join(parts)
    repo.write(PATH, text)
    return text


def _mit301(cli: CliRun, repo: DataRepo) -> list[str]:
    result = cli("validate", "--no-cache", cwd=repo.root)
    return [line for line in result.stderr.splitlines() if " MIT301 " in line]


def test_required_fields_grow_with_the_status(data_repo: DataRepo, cli: CliRun) -> None:
    _item(data_repo, "draft")
    assert _mit301(cli, data_repo) == []
    _item(data_repo, "submitted")
    assert _mit301(cli, data_repo) == [
        f"{PATH}:4:9: error MIT301 status 'submitted' requires 'owners.business', "
        "'business_goal' and 'created'; fill them in or choose an earlier status"
    ]
    _item(data_repo, "submitted", SUBMITTED)
    assert _mit301(cli, data_repo) == []
    _item(data_repo, "approved", SUBMITTED)
    assert _mit301(cli, data_repo) == [
        f"{PATH}:4:9: error MIT301 status 'approved' requires 'feasibility', 'kpis', "
        "'acceptance_criteria', 'owners.it', 'estimate' and 'due'; fill them in or choose "
        "an earlier status"
    ]
    _item(data_repo, "released", ANALYSED, APPROVED, "business_goal: x\ncreated: 2026-01-10\n")
    assert _mit301(cli, data_repo) == []


def test_status_refuses_a_status_whose_fields_are_missing(data_repo: DataRepo, cli: CliRun) -> None:
    before = _item(data_repo, "draft")
    result = cli("status", "REQ-0001", "submitted", cwd=data_repo.root)
    assert result.exit_code == 1
    assert (
        "REQ-0001 cannot become 'submitted': missing owners.business, business_goal, created; "
        "nothing was changed" in result.stderr
    )
    assert (data_repo.root / PATH).read_text(encoding="utf-8") == before
    done = cli(
        "status",
        "REQ-0001",
        "submitted",
        "owners.business=Li Wei",
        "business_goal=Lift conversion to 2.6% by 2026-09-30",
        "created=2026-01-10",
        cwd=data_repo.root,
    )
    assert done.exit_code == 0, done.stderr
    assert "status: submitted" in (data_repo.root / PATH).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("field", "value", "status", "code", "named"),
    [
        # the models refuse empty text where a field must hold text (MIT102) ...
        ("description", "''", "draft", "MIT102", "field 'description' must not be empty"),
        ("description", "'   '", "draft", "MIT102", "field 'description' must not be empty"),
        ("acceptance_criteria", "['']", "approved", "MIT102", "'acceptance_criteria.0' must"),
        # ... and the workflow counts nothing, blanks, an empty list or mapping as missing
        ("description", "null", "draft", "MIT301", "requires 'description'"),
        ("business_goal", "''", "submitted", "MIT301", "requires 'business_goal'"),
        ("business_goal", "'  '", "submitted", "MIT301", "requires 'business_goal'"),
        ("business_goal", "'\u3000'", "submitted", "MIT301", "requires 'business_goal'"),
        ("acceptance_criteria", "[]", "approved", "MIT301", "requires 'acceptance_criteria'"),
        ("kpis", "[]", "approved", "MIT301", "requires 'kpis'"),
        ("owners", "{}", "approved", "MIT301", "requires 'owners.business' and 'owners.it'"),
        ("owners", "{business: '', it: ' '}", "approved", "MIT301", "'owners.business' and 'o"),
        ("estimate", "{effort_days: null}", "approved", "MIT301", "requires 'estimate'"),
    ],
)
def test_an_empty_list_or_text_is_not_filled(
    data_repo: DataRepo, cli: CliRun, field: str, value: str, status: str, code: str, named: str
) -> None:
    text = DRAFT.format(status=status) + SUBMITTED + ANALYSED + APPROVED
    text = text.replace("owners:\n  business: Li Wei\n", "", 1)  # APPROVED has the full owners
    kept = [block for block in _top_level(text) if not block.startswith(f"{field}:")]
    data_repo.write(PATH, "".join(kept) + f"{field}: {value}\n")
    result = cli("validate", "--no-cache", cwd=data_repo.root)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if " error " in line]
    assert len(errors) == 1, errors
    assert f" {code} " in errors[0] and named in errors[0], errors[0]


def _top_level(text: str) -> list[str]:
    """The text cut into top-level fields, each with its indented lines."""
    blocks: list[str] = []
    for line in text.splitlines(keepends=True):
        if line[:1] in (" ", "-") and blocks:
            blocks[-1] += line
        else:
            blocks.append(line)
    return blocks


OVERRIDE = """\
workflows:
  requirement:
    transitions:
      draft: [submitted, cancelled]
      submitted: [approved, draft]
      approved: [released]
    required:
      approved: [title, source, description, kpis, owners.it]
"""


def test_transitions_override_replaces_the_table(data_repo: DataRepo, cli: CliRun) -> None:
    data_repo.write("mitrm.yaml", OVERRIDE)
    _item(data_repo, "submitted", SUBMITTED)
    # not allowed by the default table (submitted -> analysis first); allowed here
    moved = cli("status", "REQ-0001", "approved", "owners.it=Zhang Min", cwd=data_repo.root)
    assert moved.exit_code == 1  # kpis still missing
    assert "cannot become 'approved': missing kpis" in moved.stderr
    data_repo.write(
        PATH,
        (data_repo.root / PATH).read_text(encoding="utf-8")
        + "kpis:\n  - {name: Conversion, baseline: 2.1, target: 2.6, unit: '%'}\n",
    )
    # Outside git there is no user to record as the approver: name one.
    moved = cli(
        "status", "REQ-0001", "approved", "owners.it=Zhang Min", "approval.by=Li Na",
        cwd=data_repo.root,
    )  # fmt: skip
    assert moved.exit_code == 0, moved.stderr
    # the override's approved list replaces the default one: no estimate, due... needed
    assert _mit301(cli, data_repo) == []
    refused = cli("status", "REQ-0001", "planned", cwd=data_repo.root)
    assert refused.exit_code == 1
    assert "REQ-0001 cannot go from 'approved' to 'planned'" in refused.stderr
    assert "from 'approved' it can go to: released" in refused.stderr
    # a status the override names only as a target is still a status
    released = cli("status", "REQ-0001", "released", cwd=data_repo.root)
    assert released.exit_code == 0, released.stderr
    final = cli("status", "REQ-0001", "closed", cwd=data_repo.root)
    assert final.exit_code == 1
    assert "'released' is a final status" in final.stderr


def test_required_override_replaces_only_the_statuses_named(
    data_repo: DataRepo, cli: CliRun
) -> None:
    data_repo.write(
        "mitrm.yaml",
        "workflows:\n  requirement:\n    required:\n"
        "      submitted: [title, source, description, tags]\n",
    )
    _item(data_repo, "submitted")
    assert [line.split(" MIT301 ")[1] for line in _mit301(cli, data_repo)] == [
        "status 'submitted' requires 'tags'; fill it in or choose an earlier status"
    ]
    # deferred shares what submitted requires, overridden or not
    _item(data_repo, "deferred")
    assert "status 'deferred' requires 'tags'" in _mit301(cli, data_repo)[0]
    # the statuses after it build on the team's list: tags, then analysis's own fields
    _item(data_repo, "analysis")
    assert "status 'analysis' requires 'tags' and 'feasibility'" in _mit301(cli, data_repo)[0]
    # a status before it keeps its default list
    _item(data_repo, "draft", "description: null\n".replace("description", "business_goal"))
    assert _mit301(cli, data_repo) == []


@pytest.mark.parametrize(
    ("settings", "where", "message"),
    [
        (
            "workflows:\n  requirement:\n    transitions:\n      submitted: [aproved]\n",
            "mitrm.yaml:4:19:",
            "'aproved' is not a requirement status (did you mean 'approved'?)",
        ),
        (
            "workflows:\n  plan:\n    transitions:\n      drafts: [proposed]\n",
            "mitrm.yaml:4:7:",
            "'drafts' is not a plan status (did you mean 'draft'?)",
        ),
        (
            "workflows:\n  change:\n    required:\n      aproved: [title]\n",
            "mitrm.yaml:4:7:",
            "'aproved' is not a change request status (did you mean 'approved'?)",
        ),
    ],
)
def test_unknown_statuses_in_an_override_are_settings_errors(
    data_repo: DataRepo, cli: CliRun, settings: str, where: str, message: str
) -> None:
    data_repo.write("mitrm.yaml", settings)
    _item(data_repo, "draft")
    for args in (("validate",), ("status", "REQ-0001", "submitted"), ("list",)):
        result = cli(*args, cwd=data_repo.root)
        assert result.exit_code == 2, (args, result.stderr)
        line = next(line for line in result.stderr.splitlines() if line.startswith(where))
        assert "MIT102" in line and message in line
        assert "Traceback" not in result.stderr
