"""Schema errors: readable messages with the field path, a hint and the exact line."""

from __future__ import annotations

from conftest import CliRun, DataRepo

HEAD = """\
id: REQ-0001
title: Faster checkout
type: feature
source:
  channel: internal
  requester: Li Wei
description: Make checkout faster.
"""


def run(cli: CliRun, repo: DataRepo, body: str) -> list[str]:
    repo.write("requirements/REQ-0001-x.yaml", HEAD + body)
    # Quality rules (MIT4xx) are tested in tests/test_rules_*.py.
    result = cli("-C", str(repo.root), "validate", "--no-cache", "--ignore", "MIT4")
    return [line for line in result.stderr.splitlines() if " MIT" in line]


def test_status_no_gets_the_yaml_hint(data_repo: DataRepo, cli: CliRun) -> None:
    lines = run(cli, data_repo, "status: no\n")
    assert len(lines) == 1
    assert lines[0].startswith("requirements/REQ-0001-x.yaml:8:9: error MIT104 field 'status'")
    assert "(got false); YAML reads no as false; quote it: 'no'" in lines[0]


def test_a_version_like_number_gets_the_yaml_hint(data_repo: DataRepo, cli: CliRun) -> None:
    lines = run(cli, data_repo, "status: draft\ntags: [1.10]\n")
    assert lines == [
        "requirements/REQ-0001-x.yaml:9:8: error MIT102 field 'tags.0' must be text (got 1.1); "
        "YAML reads 1.10 as the number 1.1; quote it: '1.10'"
    ]


def test_null_owner_gets_the_yaml_hint(data_repo: DataRepo, cli: CliRun) -> None:
    lines = run(cli, data_repo, "status: draft\nowners:\n  business: null\n  it: ~\ntags: [null]\n")
    assert len(lines) == 1
    assert "field 'tags.0' must be text (got nothing); YAML reads null as no value" in lines[0]


def test_wrong_number_points_at_the_value(data_repo: DataRepo, cli: CliRun) -> None:
    lines = run(
        cli,
        data_repo,
        "status: draft\nkpis:\n  - name: Conversion\n    baseline: 2.1\n    target: high\n",
    )
    assert lines == [
        "requirements/REQ-0001-x.yaml:12:13: error MIT102 field 'kpis.0.target' must be a "
        "number (got 'high')"
    ]


def test_unknown_nested_field_suggests_the_closest(data_repo: DataRepo, cli: CliRun) -> None:
    lines = run(cli, data_repo, "status: draft\nestimate:\n  cots: 100\n")
    assert lines == [
        "requirements/REQ-0001-x.yaml:10:3: error MIT101 unknown field 'estimate.cots'; "
        "did you mean 'cost'?"
    ]


def test_bad_date_and_bad_reference_form(data_repo: DataRepo, cli: CliRun) -> None:
    lines = run(cli, data_repo, "status: draft\ndue: next week\ndepends_on: [req 2]\n")
    assert any(
        "9:6: error MIT102 field 'due' must be a date written YYYY-MM-DD" in x for x in lines
    )
    assert any(
        "10:14: error MIT102 field 'depends_on.0' must be an id like REQ-0001" in x for x in lines
    )


def test_a_timestamp_is_not_a_date_even_at_midnight(data_repo: DataRepo, cli: CliRun) -> None:
    lines = run(cli, data_repo, "status: draft\ndue: 2027-06-30 00:00:00\ncreated: '2026-11-02'\n")
    assert len(lines) == 1, lines  # a quoted date is still a date
    assert "9:6: error MIT102 field 'due' must be a date without a time" in lines[0]
    assert lines[0].endswith("(got 2027-06-30 00:00:00)")  # no "quote it" hint here
    for other in ("'2027-06-30 00:00:00'", "'2027-06-30T00:00:00'", "1798675200"):
        lines = run(cli, data_repo, f"status: draft\ndue: {other}\n")
        assert len(lines) == 1, lines
        assert "9:6: error MIT102 field 'due' must be a date written YYYY-MM-DD" in lines[0]


def test_missing_required_fields_of_the_model(data_repo: DataRepo, cli: CliRun) -> None:
    data_repo.write("requirements/REQ-0001-x.yaml", "id: REQ-0001\ntitle: A\n")
    result = cli("-C", str(data_repo.root), "validate", "--no-cache")
    assert "MIT103 missing required field 'type'" in result.stderr
    assert "MIT103 missing required field 'status'" in result.stderr


def test_approved_requires_kpis_estimate_and_it_owner(data_repo: DataRepo, cli: CliRun) -> None:
    lines = run(cli, data_repo, "status: approved\n")
    assert len(lines) == 1
    line = lines[0]
    assert line.startswith("requirements/REQ-0001-x.yaml:8:9: error MIT301 status 'approved'")
    for field in ("'kpis'", "'acceptance_criteria'", "'owners.it'", "'estimate'"):
        assert field in line


def test_approved_kpi_needs_baseline_and_target(data_repo: DataRepo, cli: CliRun) -> None:
    body = """\
status: approved
owners: {business: Zhang, it: Wang}
created: 2026-01-01
due: 2026-06-01
business_goal: Sell more
feasibility: {technical: high}
kpis:
  - name: Conversion
    target: 3.5
acceptance_criteria: [Checkout under 2 s]
estimate: {effort_days: 10, cost: 1000, benefit: 5000}
"""
    lines = run(cli, data_repo, body)
    assert len(lines) == 1
    assert "requires 'kpis.0.baseline'" in lines[0]


def test_workflow_required_fields_can_be_overridden(data_repo: DataRepo, cli: CliRun) -> None:
    data_repo.write(
        "mitrm.yaml",
        "workflows:\n  requirement:\n    required:\n"
        "      draft: [title, source, description, tags]\n",
    )
    lines = run(cli, data_repo, "status: draft\n")
    assert len(lines) == 1
    assert "status 'draft' requires 'tags'" in lines[0]


def test_id_must_fit_the_configured_scheme(data_repo: DataRepo, cli: CliRun) -> None:
    data_repo.write("mitrm.yaml", "ids:\n  requirement: {prefix: RQ, digits: 3}\n")
    lines = run(cli, data_repo, "status: draft\n")
    assert lines == [
        "requirements/REQ-0001-x.yaml:1:5: error MIT207 id 'REQ-0001' does not fit the "
        "requirement id scheme (RQ-001, set in mitrm.yaml ids.requirement)"
    ]


def test_file_name_must_begin_with_the_id(data_repo: DataRepo, cli: CliRun) -> None:
    data_repo.write("requirements/checkout.yaml", HEAD + "status: draft\n")
    result = cli("-C", str(data_repo.root), "validate", "--no-cache")
    assert (
        "requirements/checkout.yaml:1:5: error MIT202 file name 'checkout.yaml' must begin "
        "with the item's id 'REQ-0001'" in result.stderr
    )


def test_invalid_settings_are_reported_with_a_place(data_repo: DataRepo, cli: CliRun) -> None:
    data_repo.write("mitrm.yaml", "language: fr\ncurency: EUR\n")
    result = cli("-C", str(data_repo.root), "validate")
    assert result.exit_code == 2
    assert "mitrm.yaml:1:11: error MIT104 field 'language' must be one of: en, zh" in result.stderr
    assert "mitrm.yaml:2:1: error MIT101 unknown field 'curency'; did you mean 'currency'?" in (
        result.stderr
    )
    assert "error: mitrm.yaml is not valid" in result.stderr


def test_an_impossible_date_is_a_located_error(data_repo: DataRepo, cli: CliRun) -> None:
    lines = run(cli, data_repo, "status: draft\ndue: 2026-02-30\ncreated: 2026-13-01\n")
    assert lines == [
        "requirements/REQ-0001-x.yaml:9:6: error MIT102 field 'due' must be a date written "
        "YYYY-MM-DD (got '2026-02-30')",
        "requirements/REQ-0001-x.yaml:10:10: error MIT102 field 'created' must be a date "
        "written YYYY-MM-DD (got '2026-13-01')",
    ]


def test_misspelt_values_get_did_you_mean(data_repo: DataRepo, cli: CliRun) -> None:
    lines = run(cli, data_repo, "status: drafft\n")
    assert lines[0].endswith("(got 'drafft'); did you mean 'draft'?")
    data_repo.write(
        "requirements/REQ-0001-x.yaml",
        HEAD.replace("type: feature", "type: featur").replace("internal", "internl")
        + "status: draft\n",
    )
    result = cli("-C", str(data_repo.root), "validate", "--ignore", "MIT4")
    assert "3:7: error MIT104 field 'type' must be one of: feature," in result.stderr
    assert "(got 'featur'); did you mean 'feature'?" in result.stderr
    assert "(got 'internl'); did you mean 'internal'?" in result.stderr


def test_settings_errors_are_in_mitrm_wording(data_repo: DataRepo, cli: CliRun) -> None:
    data_repo.write(
        "mitrm.yaml",
        "scoring:\n  model: rices\ncurrency: rmb\nids:\n  requirement: {prefix: req}\n",
    )
    result = cli("-C", str(data_repo.root), "validate")
    assert result.exit_code == 2
    assert (
        "mitrm.yaml:2:10: error MIT104 field 'scoring.model' must be one of: weighted, rice, "
        "wsjf, ice, moscow (got 'rices'); did you mean 'rice'?"
    ) in result.stderr
    assert "field 'currency' must be a three-letter currency code in capitals" in result.stderr
    assert "field 'ids.requirement.prefix' must be capital letters and digits" in result.stderr
    data_repo.write("mitrm.yaml", "ids:\n  plan: {prefix: REQ}\n")
    result = cli("-C", str(data_repo.root), "validate")
    assert "field 'ids': each kind needs its own id prefix" in result.stderr
    # Nothing of pydantic's own wording reaches the user.
    assert "Input should be" not in result.stderr and "Value error" not in result.stderr
