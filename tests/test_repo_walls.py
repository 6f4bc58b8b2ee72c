"""Nothing outside the data repo is read, written or deleted because of what is inside it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import CliRun, DataRepo


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the repo holding a file nobody may touch."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "precious.txt").write_text("keep me\n")
    return folder


def _untouched(folder: Path) -> None:
    assert sorted(p.name for p in folder.iterdir()) == ["precious.txt"]
    assert (folder / "precious.txt").read_text() == "keep me\n"


def test_a_linked_folder_in_the_output_is_refused_and_nothing_outside_changes(
    data_repo: DataRepo, cli: CliRun, outside: Path
) -> None:
    data_repo.requirement("REQ-0001")
    out = data_repo.root / "docs/generated"
    out.mkdir(parents=True)
    os.symlink(outside, out / "requirements")
    # A committed manifest that claims the outside file as a stale document.
    (out / ".mitrm-manifest").write_text("requirements/precious.txt\n")
    done = cli("render", cwd=data_repo.root)
    assert done.exit_code == 1
    assert done.stderr.startswith(
        "error: docs/generated/requirements: symbolic link in the output folder; "
        "mitrm does not write, read or remove anything through it\n"
    )
    _untouched(outside)


def test_report_refuses_a_linked_folder_in_its_output_too(
    data_repo: DataRepo, cli: CliRun, outside: Path, tmp_path: Path
) -> None:
    data_repo.requirement("REQ-0001")
    out = tmp_path / "site"
    out.mkdir()
    os.symlink(outside, out / "requirements")
    done = cli("report", "--out", str(out), cwd=data_repo.root)
    assert done.exit_code == 1
    assert "requirements: symbolic link in the output folder" in done.stderr
    _untouched(outside)


def test_a_linked_journal_is_refused(data_repo: DataRepo, cli: CliRun, outside: Path) -> None:
    data_repo.requirement("REQ-0001")
    out = data_repo.root / "docs/generated"
    out.mkdir(parents=True)
    os.symlink(outside / "precious.txt", out / ".mitrm-manifest.created")
    done = cli("render", cwd=data_repo.root)
    assert done.exit_code == 1
    assert "docs/generated/.mitrm-manifest.created: symbolic link" in done.stderr
    _untouched(outside)


def test_a_document_that_is_a_link_is_replaced_not_written_through(
    data_repo: DataRepo, cli: CliRun, outside: Path
) -> None:
    data_repo.requirement("REQ-0001")
    assert cli("render", cwd=data_repo.root).exit_code == 0
    doc = data_repo.root / "docs/generated/requirements/REQ-0001.md"
    doc.unlink()
    os.symlink(outside / "precious.txt", doc)
    done = cli("render", cwd=data_repo.root)
    assert done.exit_code == 0, done.stderr
    assert not doc.is_symlink()
    assert doc.read_text().startswith("# REQ-0001")
    _untouched(outside)


def test_render_out_outside_the_repo_in_settings_is_a_located_settings_error(
    data_repo: DataRepo, cli: CliRun, tmp_path: Path
) -> None:
    data_repo.requirement("REQ-0001")
    data_repo.write("mitrm.yaml", "project: Test\nrender:\n  out: ../written-outside\n")
    done = cli("render", cwd=data_repo.root)
    assert done.exit_code == 2
    assert (
        "mitrm.yaml:3:8: error MIT102 field 'render.out' leads outside the data repo "
        "('../written-outside'); name a folder inside it (an explicit --out may go anywhere)"
        in done.stderr
    )
    assert not (tmp_path / "written-outside").exists()
    # An explicit --out on the command line is the user's own choice.
    done = cli("render", "--out", str(tmp_path / "chosen"), cwd=data_repo.root)
    assert done.exit_code == 0, done.stderr
    assert (tmp_path / "chosen/requirements/REQ-0001.md").is_file()


def test_an_output_folder_that_is_a_link_out_of_the_repo_is_refused(
    data_repo: DataRepo, cli: CliRun, outside: Path
) -> None:
    data_repo.requirement("REQ-0001")
    (data_repo.root / "docs").mkdir()
    os.symlink(outside, data_repo.root / "docs/generated")
    done = cli("render", cwd=data_repo.root)
    assert done.exit_code == 1
    assert done.stderr.startswith(
        "error: docs/generated: symbolic link leads outside the data repo; "
        "mitrm does not follow it\n"
    )
    _untouched(outside)


def test_a_templates_folder_outside_the_repo_is_a_settings_error(
    data_repo: DataRepo, cli: CliRun, outside: Path
) -> None:
    data_repo.requirement("REQ-0001")
    data_repo.write("mitrm.yaml", f"project: Test\ntemplates: {outside}\n")
    done = cli("render", cwd=data_repo.root)
    assert done.exit_code == 2
    assert "mitrm.yaml:2:12: error MIT102 field 'templates' leads outside the data repo" in (
        done.stderr
    )


@pytest.mark.parametrize("name", [".mitrm-manifest", "requirements/REQ-0001.md"])
def test_a_fifo_in_the_output_folder_is_not_waited_on(
    data_repo: DataRepo, cli: CliRun, name: str
) -> None:
    data_repo.requirement("REQ-0001")
    out = data_repo.root / "docs/generated"
    (out / "requirements").mkdir(parents=True)
    os.mkfifo(out / name)
    done = cli("render", "--force", cwd=data_repo.root)
    assert done.exit_code == 0, done.stderr
    assert (out / name).is_file()


def test_a_fifo_as_the_render_journal_fails_at_once(data_repo: DataRepo, cli: CliRun) -> None:
    data_repo.requirement("REQ-0001")
    out = data_repo.root / "docs/generated"
    out.mkdir(parents=True)
    os.mkfifo(out / ".mitrm-manifest.created")
    done = cli("render", cwd=data_repo.root)
    assert done.exit_code == 2
    assert "docs/generated/.mitrm-manifest.created: No such device or address" in done.stderr


def test_mitrm_yaml_linked_from_outside_the_repo_is_not_read(
    data_repo: DataRepo, cli: CliRun, outside: Path
) -> None:
    (data_repo.root / "mitrm.yaml").unlink()
    os.symlink(outside / "precious.txt", data_repo.root / "mitrm.yaml")
    done = cli("list", cwd=data_repo.root)
    assert done.exit_code == 2
    assert done.stderr.startswith(
        "error: mitrm.yaml is a symbolic link that leads outside the data repo; it is not read"
    )
    assert "keep me" not in done.stderr
