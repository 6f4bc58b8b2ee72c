"""``mitrm prioritize`` as a user runs it: formats, explain, budget, what-if, errors."""

from __future__ import annotations

import csv
import io
import json
import os

import pytest

from conftest import CliRun, DataRepo

TODAY = "2026-11-22"


def write(repo: DataRepo, item_id: str, title: str, *, extra: str = "", **scoring: object) -> None:
    inputs = {"value": 3, "urgency": 3, "difficulty": 3, "risk_reduction": 3}
    inputs.update(scoring)  # type: ignore[arg-type]
    lines = "".join(f"  {key}: {value}\n" for key, value in inputs.items() if value is not None)
    repo.write(
        f"requirements/{item_id}-{title.lower().replace(' ', '-')}.yaml",
        f"id: {item_id}\ntitle: {title}\ntype: feature\nstatus: analysis\n"
        f"estimate:\n  cost: 100\n  benefit: 250\n  effort_days: 10\n"
        f"scoring:\n{lines}{extra}",
    )


@pytest.fixture
def backlog(data_repo: DataRepo) -> DataRepo:
    write(data_repo, "REQ-0001", "Mobile checkout", value=5)
    write(data_repo, "REQ-0002", "CRM sync", value=4, extra="depends_on: [REQ-0004]\n")
    write(data_repo, "REQ-0003", "Mini game", value=1)
    write(data_repo, "REQ-0004", "Data layer", value=2)
    write(data_repo, "REQ-0005", "Vague idea", value=None, urgency=None)
    return data_repo


def run(cli: CliRun, repo: DataRepo, *args: str):  # type: ignore[no-untyped-def]
    return cli("-C", str(repo.root), "prioritize", "--today", TODAY, *args)


def test_table_lists_ranked_then_unscored(backlog: DataRepo, cli: CliRun) -> None:
    result = run(cli, backlog)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("weighted: ")
    order = [line.split()[1] for line in lines[2:6]]
    assert order == ["REQ-0001", "REQ-0004", "REQ-0002", "REQ-0003"]
    assert "moved up from 3 to 2: REQ-0002 (natural rank 2) depends on it" in result.stdout
    assert "unscored: 1 open requirements lack inputs" in result.stdout
    assert "scoring.value, scoring.urgency or due" in result.stdout


def test_json_is_the_documented_shape(backlog: DataRepo, cli: CliRun) -> None:
    result = run(cli, backlog, "--format", "json")
    document = json.loads(result.stdout)
    assert set(document) == {
        "model",
        "formula",
        "today",
        "weights",
        "imputed",
        "ranked",
        "unscored",
        "count",
    }
    first = document["ranked"][0]
    assert first["id"] == "REQ-0001" and first["rank"] == 1
    assert first["score"] == pytest.approx(2 * (15 + 6 + 6 + 4.5 + 4.5))
    assert [t["name"] for t in first["terms"]] == [
        "value",
        "urgency",
        "roi",
        "difficulty",
        "risk_reduction",
    ]
    assert document["unscored"] == [
        {
            "id": "REQ-0005",
            "title": "Vague idea",
            "status": "analysis",
            "missing": ["scoring.value", "scoring.urgency or due"],
        }
    ]
    assert document["count"] == {"ranked": 4, "unscored": 1}
    again = run(cli, backlog, "--format", "json")
    assert again.stdout == result.stdout


def test_csv_and_markdown(backlog: DataRepo, cli: CliRun) -> None:
    rows = list(csv.DictReader(io.StringIO(run(cli, backlog, "--format", "csv").stdout)))
    assert [row["id"] for row in rows] == [
        "REQ-0001",
        "REQ-0004",
        "REQ-0002",
        "REQ-0003",
        "REQ-0005",
    ]
    assert rows[-1]["missing"] == "scoring.value; scoring.urgency or due"
    markdown = run(cli, backlog, "--format", "markdown", "--top", "2").stdout
    assert markdown.startswith("| rank | id | title |")
    assert markdown.count("| REQ-") == 3  # two ranked, one unscored


def test_explain_shows_every_term(backlog: DataRepo, cli: CliRun) -> None:
    result = run(cli, backlog, "--explain", "REQ-0004")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "score: 54   rank 2 of 4" in out
    assert "rank by score alone: 3" in out
    assert "estimate.benefit / estimate.cost = 250 / 100" in out
    assert "moved up from 3 to 2: REQ-0002 (natural rank 2) depends on it" in out
    unscored = run(cli, backlog, "--explain", "REQ-0005").stdout
    assert "unscored: missing scoring.value, scoring.urgency or due" in unscored
    unknown = run(cli, backlog, "--explain", "REQ-0099")
    assert unknown.exit_code == 2
    assert "no requirement has the id 'REQ-0099'" in unknown.stderr


def test_what_if_weight_and_model(backlog: DataRepo, cli: CliRun) -> None:
    document = json.loads(run(cli, backlog, "--weight", "value=0", "--format", "json").stdout)
    assert document["weights"]["value"] == 0
    assert len({entry["score"] for entry in document["ranked"]}) == 1
    # Equal scores share a rank, except where a dependency moved an item.
    assert [entry["rank"] for entry in document["ranked"]] == [1, 2, 3, 3]
    bad = run(cli, backlog, "--weight", "reach=2")
    assert bad.exit_code == 2 and "no weight 'reach'" in bad.stderr
    unknown = run(cli, backlog, "--model", "magic")
    assert (
        unknown.exit_code == 2 and "use one of: weighted, rice, wsjf, ice, moscow" in unknown.stderr
    )
    rice = json.loads(run(cli, backlog, "--model", "rice", "--format", "json").stdout)
    assert rice["ranked"] == [] and "scoring.reach" in rice["unscored"][0]["missing"]


def test_impute_median(backlog: DataRepo, cli: CliRun) -> None:
    document = json.loads(run(cli, backlog, "--impute", "median", "--format", "json").stdout)
    assert document["count"] == {"ranked": 5, "unscored": 0}
    assert document["imputed"]["value"] == 3.0
    assert run(cli, backlog, "--impute", "mean").exit_code == 2


def test_budget_chooses_and_explains_what_is_left(backlog: DataRepo, cli: CliRun) -> None:
    result = run(cli, backlog, "--budget", "200")
    assert result.exit_code == 0, result.stderr
    assert "the best possible total" in result.stdout
    assert "budget 200 CNY: used 200, 0 left" in result.stdout
    document = json.loads(run(cli, backlog, "--budget", "300", "--format", "json").stdout)
    selection = document["selection"]
    assert [c["id"] for c in selection["chosen"]] == ["REQ-0001", "REQ-0004", "REQ-0002"]
    assert selection["left_out"][0]["reason"] == "needs 100 CNY; 0 left after the chosen items"
    assert selection["optimal"] is True
    assert run(cli, backlog, "--budget", "lots").exit_code == 2


def test_sensitivity(backlog: DataRepo, cli: CliRun) -> None:
    result = run(cli, backlog, "--sensitivity")
    assert result.exit_code == 0, result.stderr
    assert "value           -20%" in result.stdout
    assert "stable: 4 of the top 4 stay in it under every change" in result.stdout


def test_filters_and_closed_items(backlog: DataRepo, cli: CliRun) -> None:
    backlog.write(
        "requirements/REQ-0006-done.yaml",
        "id: REQ-0006\ntitle: Done\ntype: feature\nstatus: released\n",
    )
    document = json.loads(run(cli, backlog, "--status", "analysis", "--format", "json").stdout)
    assert "REQ-0006" not in [e["id"] for e in document["ranked"]]
    assert run(cli, backlog, "--type", "security", "--format", "json").stdout.count('"id"') == 0


def test_a_cycle_is_an_error(data_repo: DataRepo, cli: CliRun) -> None:
    write(data_repo, "REQ-0001", "One", extra="depends_on: [REQ-0002]\n")
    write(data_repo, "REQ-0002", "Two", extra="depends_on: [REQ-0001]\n")
    result = run(cli, data_repo)
    assert result.exit_code == 1
    assert "dependency cycle among open requirements: REQ-0001 -> REQ-0002 -> REQ-0001" in (
        result.stderr
    )


def test_off_scale_input_is_reported_by_validate(data_repo: DataRepo, cli: CliRun) -> None:
    write(data_repo, "REQ-0001", "One", extra="  impact: 4\n")
    result = cli("-C", str(data_repo.root), "validate")
    assert result.exit_code == 1
    assert (
        "MIT102 field 'scoring.impact': must be one of 3, 2, 1, 0.5, 0.25"
        in result.stdout + result.stderr
    )


def test_explain_names_dependencies_that_cannot_order_it(backlog: DataRepo, cli: CliRun) -> None:
    write(backlog, "REQ-0006", "Needs vague", value=5, extra="depends_on: [REQ-0005]\n")
    out = run(cli, backlog, "--explain", "REQ-0006").stdout
    assert "also depends on REQ-0005, open but not ranked here" in out
    document = json.loads(run(cli, backlog, "--format", "json").stdout)
    entry = next(e for e in document["ranked"] if e["id"] == "REQ-0006")
    assert entry["waiting_on"] == ["REQ-0005"]


def test_an_edited_file_is_read_again(backlog: DataRepo, cli: CliRun) -> None:
    first = json.loads(run(cli, backlog, "--format", "json").stdout)
    assert first["ranked"][0]["id"] == "REQ-0001"
    path = next((backlog.root / "requirements").glob("REQ-0003-*.yaml"))
    stat = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("value: 1", "value: 5"), "utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    again = json.loads(run(cli, backlog, "--format", "json").stdout)
    assert [e["id"] for e in again["ranked"]][:2] == ["REQ-0001", "REQ-0003"]


def test_explain_a_closed_requirement(backlog: DataRepo, cli: CliRun) -> None:
    backlog.write(
        "requirements/REQ-0007-shipped.yaml",
        "id: REQ-0007\ntitle: Shipped\ntype: feature\nstatus: released\n"
        "estimate:\n  cost: 100\n  benefit: 250\n"
        "scoring:\n  value: 3\n  urgency: 3\n  difficulty: 3\n  risk_reduction: 3\n",
    )
    out = run(cli, backlog, "--explain", "REQ-0007").stdout
    assert "score: 60   not ranked: status 'released' is not open" in out


def test_budget_and_capacity_as_csv_and_markdown(backlog: DataRepo, cli: CliRun) -> None:
    text = run(cli, backlog, "--budget", "1,000", "--capacity", "20", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["id"] for row in rows if row["chosen"] == "yes"] == ["REQ-0001", "REQ-0004"]
    assert rows[0]["budget (CNY)"] == "100" and rows[0]["capacity (days)"] == "10"
    left = next(row for row in rows if row["id"] == "REQ-0002")
    assert left["reason"] == "needs 10 days; 0 left after the chosen items"
    markdown = run(cli, backlog, "--budget", "150", "--format", "markdown").stdout
    assert markdown.startswith("1 chosen, total score 72: the best possible total")


def test_sensitivity_as_json(backlog: DataRepo, cli: CliRun) -> None:
    document = json.loads(run(cli, backlog, "--sensitivity", "--format", "json").stdout)
    assert document["top"] == 4
    assert len(document["perturbations"]) == 10
    assert {p["weight"] for p in document["perturbations"]} == set(document["weights"])
    rice = run(cli, backlog, "--sensitivity", "--model", "ice", "--impute", "median")
    assert rice.exit_code == 2 and "has no weights to perturb" in rice.stderr


def test_ranking_and_budget_in_chinese(
    backlog: DataRepo, cli: CliRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MITRM_LANG", "zh")
    ranked = run(cli, backlog).stdout.splitlines()
    assert ranked[1].split() == ["排名", "编号", "标题", "得分", "各项", "状态", "截止日期", "备注"]
    assert "未评分：1 个未完成需求缺少输入" in ranked
    chosen = run(cli, backlog, "--budget", "200")
    assert chosen.exit_code == 0, chosen.stderr
    out = chosen.stdout
    assert out.startswith("入选\n")
    assert "budget 200 CNY：已用 200，剩余 0" in out
    assert "未入选：" in out
    assert "入选 2 个，总得分" in out
    document = json.loads(run(cli, backlog, "--budget", "200", "--format", "json").stdout)
    reasons = {o["id"]: o["reason"] for o in document["selection"]["left_out"]}
    assert reasons["REQ-0003"] == "需要 100 CNY；入选条目之后只剩 0"
    assert set(document["selection"]) >= {"chosen", "left_out"}  # keys stay English


def test_open_is_one_definition_taken_from_the_workflow(data_repo: DataRepo, cli: CliRun) -> None:
    write(data_repo, "REQ-0001", "Faster nicer checkout")
    write(data_repo, "REQ-0002", "Parked")
    parked = data_repo.root / "requirements/REQ-0002-parked.yaml"
    parked.write_text(parked.read_text().replace("status: analysis", "status: deferred"))

    def ranked() -> list[str]:
        document = json.loads(run(cli, data_repo, "--format", "json").stdout)
        return [e["id"] for e in document["ranked"]]

    def vague() -> bool:
        return "MIT401" in cli("-C", str(data_repo.root), "validate").stderr

    # Deferred is parked for the ranking and for the rules alike.
    assert ranked() == ["REQ-0001"]
    assert vague()
    # A workflow in which analysis is final: nothing there is open any more, for either.
    data_repo.write(
        "mitrm.yaml",
        "project: X\nworkflows:\n  requirement:\n    transitions:\n"
        "      draft: [analysis]\n      analysis: []\n",
    )
    assert ranked() == []
    assert not vague()


def test_mitrm_today_fixes_the_day_prioritize_ranks_on(
    backlog: DataRepo, cli: CliRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MITRM_TODAY", "2027-01-15")
    document = json.loads(cli("-C", str(backlog.root), "prioritize", "--format", "json").stdout)
    assert document["today"] == "2027-01-15"
    # --today still wins over the environment.
    assert json.loads(run(cli, backlog, "--format", "json").stdout)["today"] == TODAY
    monkeypatch.setenv("MITRM_TODAY", "15/01/2027")
    result = cli("-C", str(backlog.root), "prioritize")
    assert result.exit_code == 2
    assert "MITRM_TODAY must be a date written YYYY-MM-DD (got '15/01/2027')" in result.stderr


def test_prioritize_filters_refuse_unknown_values(backlog: DataRepo, cli: CliRun) -> None:
    result = run(cli, backlog, "--status", "bogus")
    assert result.exit_code == 2
    assert "--status 'bogus' is not a requirement status" in result.stderr
    result = run(cli, backlog, "--status", "analysys", "--type", "feature")
    assert result.exit_code == 2
    assert "did you mean 'analysis'?" in result.stderr
    result = run(cli, backlog, "--type", "securty")
    assert result.exit_code == 2
    assert "did you mean 'security'?" in result.stderr
    assert result.stdout == ""


def _model_item(repo: DataRepo, item_id: str, kind: str, level: int, extra: str = "") -> None:
    """An item scored on every model, higher ``level`` scoring higher in each."""
    high = {1: 1, 2: 3, 3: 8}[level]
    repo.write(
        f"requirements/{item_id}-x.yaml",
        f"id: {item_id}\ntitle: Item {item_id}\ntype: {kind}\nstatus: analysis\n"
        "estimate: {cost: 100, benefit: 250, effort_days: 10}\n"
        f"scoring:\n  value: {level + 1}\n  urgency: {level + 1}\n  difficulty: 3\n"
        f"  risk_reduction: {level + 1}\n"
        f"  reach: {level * 1000}\n  impact: 1\n  confidence: 80\n  effort_months: 1\n"
        f"  business_value: {high}\n  time_criticality: {high}\n  opportunity: {high}\n"
        f"  job_size: 3\n  ice_impact: {level * 3}\n  ice_confidence: 5\n  ease: 5\n"
        f"  moscow: should\n{extra}",
    )


@pytest.mark.parametrize("model", ["weighted", "rice", "wsjf", "ice", "moscow"])
def test_security_and_compliance_first_in_every_model(
    data_repo: DataRepo, cli: CliRun, model: str
) -> None:
    _model_item(data_repo, "REQ-0001", "feature", 3)
    _model_item(data_repo, "REQ-0002", "compliance", 1)
    _model_item(data_repo, "REQ-0003", "feature", 2, extra="depends_on: [REQ-0004]\n")
    _model_item(data_repo, "REQ-0004", "data", 1)
    document = json.loads(run(cli, data_repo, "--model", model, "--format", "json").stdout)
    ranked = {e["id"]: e for e in document["ranked"]}
    assert [e["id"] for e in document["ranked"]] == ["REQ-0002", "REQ-0001", "REQ-0004", "REQ-0003"]
    assert ranked["REQ-0002"]["score"] < ranked["REQ-0001"]["score"]
    assert ranked["REQ-0002"]["note"] == "moved up: compliance first"
    assert ranked["REQ-0002"]["moved_by_rule"] == "compliance"
    assert ranked["REQ-0001"]["note"] == ""
    assert ranked["REQ-0004"]["note"].startswith("moved up from 4 to 3: REQ-0003")
    assert ranked["REQ-0003"]["note"] == "after REQ-0004 (dependency)"
    # The rule can be switched off in mitrm.yaml.
    data_repo.write("mitrm.yaml", "project: X\nscoring:\n  boost_types: []\n")
    document = json.loads(run(cli, data_repo, "--model", model, "--format", "json").stdout)
    assert document["ranked"][0]["id"] == "REQ-0001"
    assert all(e["moved_by_rule"] is None for e in document["ranked"])


def test_every_ranked_format_says_why_an_item_moved(data_repo: DataRepo, cli: CliRun) -> None:
    _model_item(data_repo, "REQ-0001", "feature", 3)
    _model_item(data_repo, "REQ-0002", "security", 1)
    _model_item(data_repo, "REQ-0003", "feature", 2, extra="depends_on: [REQ-0004]\n")
    _model_item(data_repo, "REQ-0004", "data", 1)
    table = run(cli, data_repo).stdout
    assert "moved up: security first" in table
    assert "after REQ-0004 (dependency)" in table
    rows = list(csv.DictReader(io.StringIO(run(cli, data_repo, "--format", "csv").stdout)))
    notes = {row["id"]: row["note"] for row in rows}
    assert notes["REQ-0002"] == "moved up: security first"
    assert notes["REQ-0003"] == "after REQ-0004 (dependency)"
    markdown = run(cli, data_repo, "--format", "markdown").stdout
    line = next(x for x in markdown.splitlines() if "| REQ-0002 |" in x)
    assert line.rstrip(" |").endswith("moved up: security first")


def test_budget_json_from_a_real_process_is_clean_json(backlog: DataRepo) -> None:
    # HiGHS prints a banner on stdout when the first solver is made; in a real process
    # it would land in the JSON document. Run mitrm as a user does to see that it does not.
    import subprocess
    import sys

    budget = ["--today", TODAY, "--budget", "250", "--format", "json"]
    done = subprocess.run(
        [sys.executable, "-m", "mitrm", "-C", str(backlog.root), "prioritize", *budget],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert done.returncode == 0, done.stderr
    assert "Running HiGHS" not in done.stdout
    selection = json.loads(done.stdout)["selection"]
    assert selection["optimal"] is True
    assert selection["solver_status"] == "Optimal"
    assert selection["stopped_by"] is None and selection["gap"] == 0
    assert selection["bound"] == selection["total_score"]
    assert selection["notes"] == [
        "with 50 CNY more budget, REQ-0002 (score 66) would fit beside the chosen items"
    ]


def test_a_selection_not_proven_says_what_stopped_it_and_the_gap() -> None:
    from decimal import Decimal

    from mitrm.cli.prioritize_output import _summary
    from mitrm.core.prioritization.selection import Limit, Selection

    cut = Selection(
        limits=(Limit("budget", Decimal(1000), "CNY"),),
        chosen=(),
        left_out=(),
        used=(Decimal(990),),
        total_score=400.0,
        greedy_score=380.0,
        optimal=False,
        nodes=20_000,
        status="Solution limit reached",
        gap=0.025,
        bound=410.0,
        stopped_by="the node limit",
    )
    assert _summary(cut).splitlines()[0] == (
        "0 chosen, total score 400: the best found, not proven the best (mixed-integer "
        "program, HiGHS stopped at the node limit, after 20,000 nodes; the best possible is "
        "at most 410, 2.50% higher); greedy by score per cost would reach 380"
    )


def test_work_under_way_over_the_budget_is_said_plainly(backlog: DataRepo, cli: CliRun) -> None:
    backlog.write(
        "requirements/REQ-0006-building.yaml",
        "id: REQ-0006\ntitle: Building\ntype: feature\nstatus: in_progress\n"
        "estimate:\n  cost: 100\n  benefit: 250\n  effort_days: 10\n"
        "scoring:\n  value: 1\n  urgency: 1\n  difficulty: 3\n  risk_reduction: 1\n",
    )
    result = run(cli, backlog, "--budget", "50")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "1 chosen, total score 34: only the work already under way (see the note)" in out
    assert "budget 50 CNY: used 100, over by 50" in out
    assert "note: already under way, so chosen whatever they cost: REQ-0006" in out
    assert (
        "note: work already under way needs 100 CNY, more than the budget of 50: nothing else fits"
        in out
    )
