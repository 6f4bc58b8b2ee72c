"""`mitrm report` and the commands the example CI pipelines call, in a real git repo."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from conftest import CliRun, DataRepo

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "acme"
PIPELINES = ROOT / "examples" / "ci"


def _acme(git_repo: DataRepo) -> DataRepo:
    """The example items committed in a temporary git repo, tagged v1, then changed."""
    for folder in ("requirements", "plans", "changes"):
        shutil.rmtree(git_repo.root / folder)
        shutil.copytree(EXAMPLE / folder, git_repo.root / folder)
    shutil.copy(EXAMPLE / "mitrm.yaml", git_repo.root / "mitrm.yaml")
    git_repo.commit(message="import the backlog")
    git_repo.run_git("tag", "v1")
    path = next((git_repo.root / "requirements").glob("REQ-0005-*.yaml"))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("status: approved", "status: planned", 1), encoding="utf-8")
    git_repo.commit(message="plan the e-mail capacity work")
    return git_repo


def test_report_writes_the_whole_folder(git_repo: DataRepo, cli: CliRun) -> None:
    repo = _acme(git_repo)
    out = repo.root / "public"
    result = cli("-C", str(repo.root), "report", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    for name in (
        "index.md",
        "backlog.md",
        "changelog.md",
        "validation.md",
        "validation.json",
        "items.json",
        "priorities.json",
        "requirements/REQ-0005.md",
        "requirements/REQ-0005-readiness.md",
        "plans/PLAN-0001-checklist.md",
        "changes/CR-0001.md",
    ):
        assert (out / name).is_file(), name
    index = (out / "index.md").read_text(encoding="utf-8")
    assert "- [Full ranked backlog](backlog.md)" in index
    assert "No flow metrics available" not in index  # history is there
    changelog = (out / "changelog.md").read_text(encoding="utf-8")
    assert changelog.startswith("# Changes in v1..HEAD")
    assert "**REQ-0005**" in changelog
    assert "approved -> planned" in changelog
    items = json.loads((out / "items.json").read_text(encoding="utf-8"))
    assert items["count"] == 24
    assert {item["kind"] for item in items["items"]} == {"requirement", "plan", "change"}
    priorities = json.loads((out / "priorities.json").read_text(encoding="utf-8"))
    assert priorities["model"] == "weighted"
    assert [entry["rank"] for entry in priorities["ranked"]][:3] == [1, 2, 3]
    validation = json.loads((out / "validation.json").read_text(encoding="utf-8"))
    assert validation["summary"]["errors"] == 0
    assert validation["summary"]["files"] == 24
    # The pages beside the documents are the ones the report tells render about.
    from mitrm.cli.report import EXTRA_FILES, SITE_FILES

    top = {p.name for p in out.iterdir() if p.is_file() and p.name != ".mitrm-manifest"}
    assert top == {"index.md", "index.html", *EXTRA_FILES, *(f for f in SITE_FILES if "/" not in f)}
    assert {p.name for p in (out / "assets").iterdir()} == {"site.css", "site.js"}


def test_report_is_deterministic_and_checkable(git_repo: DataRepo, cli: CliRun) -> None:
    repo = _acme(git_repo)
    out = repo.root / "public"
    assert cli("-C", str(repo.root), "report", "--out", str(out)).exit_code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    again = cli("-C", str(repo.root), "report", "--out", str(out))
    assert again.exit_code == 0
    assert again.stdout == ""  # nothing rewritten
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert cli("-C", str(repo.root), "report", "--out", str(out), "--check").exit_code == 0
    path = next((repo.root / "requirements").glob("REQ-0010-*.yaml"))
    path.write_text(
        path.read_text(encoding="utf-8").replace("title: ", "title: Renamed ", 1), "utf-8"
    )
    stale = cli("-C", str(repo.root), "report", "--out", str(out), "--check")
    assert stale.exit_code == 1
    assert "public/requirements/REQ-0010.md: differs from what would be rendered" in stale.stderr


def test_report_without_git_has_documents_and_says_so(data_repo: DataRepo, cli: CliRun) -> None:
    for folder in ("requirements", "plans", "changes"):
        shutil.rmtree(data_repo.root / folder)
        shutil.copytree(EXAMPLE / folder, data_repo.root / folder)
    out = data_repo.root / "public"
    result = cli("-C", str(data_repo.root), "report", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    index = (out / "index.md").read_text(encoding="utf-8")
    assert "not a git repository: no history, documents only" in index
    assert "No change log: not a git repository" in (out / "changelog.md").read_text("utf-8")
    assert (out / "requirements" / "REQ-0001.md").is_file()


def test_report_on_a_shallow_clone_warns(git_repo: DataRepo, cli: CliRun, tmp_path: Path) -> None:
    repo = _acme(git_repo)
    clone = tmp_path / "shallow"
    repo.run_git("clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone))
    result = cli("-C", str(clone), "report", "--out", str(clone / "public"))
    assert result.exit_code == 0, result.stderr
    assert "warning: shallow clone" in result.stderr
    assert "fetch-depth: 0" in (clone / "public" / "index.md").read_text(encoding="utf-8")


def test_pull_request_commands_of_the_pipelines(git_repo: DataRepo, cli: CliRun) -> None:
    repo = _acme(git_repo)
    repo.run_git("switch", "-q", "-c", "feature")
    path = next((repo.root / "requirements").glob("REQ-0012-*.yaml"))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("cost: ", "cost: 1", 1), encoding="utf-8")
    repo.commit(message="re-estimate the coupon engine")
    checked = cli("-C", str(repo.root), "validate", "--changed-since", "main", "--format", "github")
    assert checked.exit_code == 0, checked.stdout + checked.stderr
    summary = cli("-C", str(repo.root), "changelog", "main..HEAD", "--format", "markdown")
    assert summary.exit_code == 0, summary.stderr
    assert "REQ-0012" in summary.stdout
    assert "estimate.cost" in summary.stdout
    sarif = cli("-C", str(repo.root), "validate", "--format", "sarif")
    assert json.loads(sarif.stdout)["version"] == "2.1.0"


def test_pipeline_files_are_yaml_that_name_the_commands() -> None:
    github = yaml.safe_load((PIPELINES / "github-actions.yml").read_text(encoding="utf-8"))
    gitlab = yaml.safe_load((PIPELINES / "gitlab-ci.yml").read_text(encoding="utf-8"))
    steps = [step.get("run", "") for job in github["jobs"].values() for step in job["steps"]]
    github_text = "\n".join(steps)
    for command in (
        "mitrm validate --changed-since",
        "--format github",
        "--format sarif",
        "mitrm changelog",
        "mitrm report --out",
    ):
        assert command in github_text, command
    assert all(
        step.get("with", {}).get("fetch-depth") == 0
        for job in github["jobs"].values()
        for step in job["steps"]
        if step.get("uses", "").startswith("actions/checkout")
    )
    gitlab_text = "\n".join(
        line for job in gitlab.values() if isinstance(job, dict) for line in job.get("script", [])
    )
    for command in ("mitrm validate --changed-since", "mitrm changelog", "mitrm report --out"):
        assert command in gitlab_text, command
    assert gitlab["variables"]["GIT_DEPTH"] == "0"


def test_waivers_are_listed_in_the_portfolio(data_repo: DataRepo, cli: CliRun) -> None:
    data_repo.requirement(
        "REQ-0001",
        "Checkout",
        waivers="[{rule: MIT403, reason: 'Date set by the campaign plan', by: Chen Jie}]",
    )
    out = data_repo.root / "public"
    result = cli("-C", str(data_repo.root), "report", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    index = (out / "index.md").read_text(encoding="utf-8")
    assert "## Waived rules" in index
    assert (
        "| [REQ-0001](requirements/REQ-0001.md) | MIT403 | Date set by the campaign plan "
        "| Chen Jie | - |" in index
    )


def test_pipelines_publish_the_html_site_as_it_is() -> None:
    github = yaml.safe_load((PIPELINES / "github-actions.yml").read_text(encoding="utf-8"))
    steps = github["jobs"]["publish"]["steps"]
    uses = [step.get("uses", "") for step in steps]
    assert not [u for u in uses if "jekyll" in u]  # Jekyll would leave the charts as code
    pages = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    report = next(s["run"] for s in steps if "mitrm report" in s.get("run", ""))
    assert pages["with"]["path"] == report.split("--out")[1].split()[0] == "public"
    gitlab = yaml.safe_load((PIPELINES / "gitlab-ci.yml").read_text(encoding="utf-8"))
    # GitLab Pages serves the folder named public: index.html is the site's home page.
    assert gitlab["pages"]["artifacts"]["paths"] == ["public"]
    assert any("mitrm report --out public" in line for line in gitlab["pages"]["script"])
