"""ReqIF 1.2: a real consumer (StrictDoc) reads the export; export -> import reproduces items."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

from conftest import CliRun, DataRepo
from mitrm.io.repository import load_repository

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "acme"
NS = "{http://www.omg.org/spec/ReqIF/20110401/reqif.xsd}"


def _strictdoc() -> str:
    beside = Path(sys.executable).parent / "strictdoc"
    found = str(beside) if beside.exists() else shutil.which("strictdoc")
    assert found, "strictdoc is a test dependency: pip install -e '.[test]'"
    return found


def _example(tmp_path: Path) -> Path:
    root = tmp_path / "acme"
    shutil.copytree(EXAMPLE, root)
    return root


def _models(root: Path) -> dict[str, dict[str, object]]:
    repo = load_repository(root, use_cache=False)
    return {r.id: r.model.model_dump() for r in repo.records if r.model is not None and r.id}


def test_strictdoc_reads_the_export(tmp_path: Path, cli: CliRun) -> None:
    root = _example(tmp_path)
    out = tmp_path / "items.reqif"
    result = cli("-C", str(root), "export", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    converted = tmp_path / "sdoc"
    done = subprocess.run(
        [_strictdoc(), "convert", str(out), str(converted)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    sdoc = (converted / "Requirements.sdoc").read_text(encoding="utf-8")
    requirements = len(list((root / "requirements").glob("*.yaml")))
    assert sdoc.count("[REQUIREMENT]") == requirements
    assert "TITLE: Fix stored XSS in product reviews" in sdoc
    assert "SingleChoice(draft, submitted, analysis" in sdoc
    assert (converted / "Plans.sdoc").exists()
    assert (converted / "Change_requests.sdoc").exists()


def test_export_validates_against_the_reqif_schema(tmp_path: Path, cli: CliRun) -> None:
    root = _example(tmp_path)
    out = tmp_path / "items.reqif"
    assert cli("-C", str(root), "export", "-o", str(out)).exit_code == 0
    beside = Path(sys.executable).parent / "reqif"
    done = subprocess.run(
        [str(beside) if beside.exists() else "reqif", "validate", "--use-reqif-schema", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert "0 errors, 0 schema issues found, 0 semantic issues found" in done.stdout, (
        done.stdout + done.stderr
    )


def test_export_then_import_into_an_empty_repo_reproduces_the_items(
    tmp_path: Path, data_repo: DataRepo, cli: CliRun
) -> None:
    root = _example(tmp_path)
    out = tmp_path / "items.reqif"
    assert cli("-C", str(root), "export", "-o", str(out)).exit_code == 0
    (data_repo.root / "mitrm.yaml").write_text(
        (root / "mitrm.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    result = cli("-C", str(data_repo.root), "import", str(out), "--apply")
    assert result.exit_code == 0, result.stderr
    assert _models(data_repo.root) == _models(root)
    checked = cli("-C", str(data_repo.root), "validate")
    assert checked.exit_code == 0, checked.stdout
    again = cli("-C", str(data_repo.root), "import", str(out))
    assert "nothing to change" in again.stderr


def test_relations_give_the_references(git_repo: DataRepo, cli: CliRun) -> None:
    git_repo.requirement("REQ-0001", "Base")
    git_repo.requirement("REQ-0002", "Builds on it", depends_on="[REQ-0001]")
    out = git_repo.root.parent / "items.reqif"
    assert cli("-C", str(git_repo.root), "export", "-o", str(out)).exit_code == 0
    tree = ET.parse(out)
    relations = tree.getroot().iter(f"{NS}SPEC-RELATION")
    assert [r.find(f"{NS}TARGET/{NS}SPEC-OBJECT-REF").text for r in relations] == [  # type: ignore[union-attr]
        "_item-REQ-0001"
    ]
    # A tool that keeps only the relations, not the attribute:
    for values in tree.getroot().iter(f"{NS}VALUES"):
        for value in list(values):
            ref = value.find(f"{NS}DEFINITION/{NS}ATTRIBUTE-DEFINITION-STRING-REF")
            if ref is not None and ref.text == "_attr-requirement-depends_on":
                values.remove(value)
    tree.write(out, encoding="utf-8", xml_declaration=True)
    empty = git_repo.root.parent / "empty"
    for folder in ("requirements", "plans", "changes"):
        (empty / folder).mkdir(parents=True)
    (empty / "mitrm.yaml").write_text("project: T\n", encoding="utf-8")
    result = cli("-C", str(empty), "import", str(out), "--apply")
    assert result.exit_code == 0, result.stderr
    text = next((empty / "requirements").glob("REQ-0002-*")).read_text(encoding="utf-8")
    assert "depends_on: [REQ-0001]" in text


def test_doctype_and_broken_files_are_refused(data_repo: DataRepo, cli: CliRun) -> None:
    evil = data_repo.root.parent / "evil.reqif"
    evil.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        "<REQ-IF>&x;</REQ-IF>\n",
        encoding="utf-8",
    )
    result = cli("-C", str(data_repo.root), "import", str(evil))
    assert result.exit_code == 2
    assert "evil.reqif: a ReqIF file with a DOCTYPE or entities is refused unread" in (
        result.stderr
    )
    broken = data_repo.root.parent / "broken.reqif"
    broken.write_text("<REQ-IF><THE-HEADER>", encoding="utf-8")
    result = cli("-C", str(data_repo.root), "import", str(broken))
    assert result.exit_code == 2
    assert re.search(r"broken\.reqif: not a readable ReqIF file", result.stderr)
    assert "Traceback" not in result.stderr


def test_bad_value_in_reqif_is_located(git_repo: DataRepo, cli: CliRun) -> None:
    git_repo.requirement("REQ-0001", "Base")
    git_repo.commit(message="one")
    out = git_repo.root.parent / "items.reqif"
    assert cli("-C", str(git_repo.root), "export", "-o", str(out)).exit_code == 0
    text = re.sub(r'THE-VALUE="REQ-0001"', 'THE-VALUE="REQ-1"', out.read_text(encoding="utf-8"))
    out.write_text(text, encoding="utf-8")
    result = cli("-C", str(git_repo.root), "import", str(out))
    assert result.exit_code == 1
    assert "items.reqif:_item-REQ-0001.id: error MIT701 'REQ-1' is not a requirement id" in (
        result.stderr
    )


FOREIGN = """<?xml version="1.0" encoding="UTF-8"?>
<REQ-IF xmlns="http://www.omg.org/spec/ReqIF/20110401/reqif.xsd"
        xmlns:xhtml="http://www.w3.org/1999/xhtml">
  <THE-HEADER><REQ-IF-HEADER IDENTIFIER="h"><CREATION-TIME>2026-01-01T00:00:00Z</CREATION-TIME>
    <REQ-IF-TOOL-ID>other</REQ-IF-TOOL-ID><REQ-IF-VERSION>1.0</REQ-IF-VERSION>
    <SOURCE-TOOL-ID>other</SOURCE-TOOL-ID><TITLE>t</TITLE></REQ-IF-HEADER></THE-HEADER>
  <CORE-CONTENT><REQ-IF-CONTENT>
    <DATATYPES>
      <DATATYPE-DEFINITION-STRING IDENTIFIER="dt-s" LAST-CHANGE="2026-01-01T00:00:00Z"
        MAX-LENGTH="1000"/>
      <DATATYPE-DEFINITION-XHTML IDENTIFIER="dt-x" LAST-CHANGE="2026-01-01T00:00:00Z"/>
    </DATATYPES>
    <SPEC-TYPES>
      <SPEC-OBJECT-TYPE IDENTIFIER="t-req" LONG-NAME="Customer Requirement"
        LAST-CHANGE="2026-01-01T00:00:00Z">
        <SPEC-ATTRIBUTES>
          <ATTRIBUTE-DEFINITION-STRING IDENTIFIER="a-name" LONG-NAME="ReqIF.Name"
            LAST-CHANGE="2026-01-01T00:00:00Z">
            <TYPE><DATATYPE-DEFINITION-STRING-REF>dt-s</DATATYPE-DEFINITION-STRING-REF></TYPE>
          </ATTRIBUTE-DEFINITION-STRING>
          <ATTRIBUTE-DEFINITION-XHTML IDENTIFIER="a-text" LONG-NAME="ReqIF.Text"
            LAST-CHANGE="2026-01-01T00:00:00Z">
            <TYPE><DATATYPE-DEFINITION-XHTML-REF>dt-x</DATATYPE-DEFINITION-XHTML-REF></TYPE>
          </ATTRIBUTE-DEFINITION-XHTML>
          <ATTRIBUTE-DEFINITION-STRING IDENTIFIER="a-kind" LONG-NAME="Kind of work"
            LAST-CHANGE="2026-01-01T00:00:00Z">
            <TYPE><DATATYPE-DEFINITION-STRING-REF>dt-s</DATATYPE-DEFINITION-STRING-REF></TYPE>
          </ATTRIBUTE-DEFINITION-STRING>
          <ATTRIBUTE-DEFINITION-STRING IDENTIFIER="a-from" LONG-NAME="Channel"
            LAST-CHANGE="2026-01-01T00:00:00Z">
            <TYPE><DATATYPE-DEFINITION-STRING-REF>dt-s</DATATYPE-DEFINITION-STRING-REF></TYPE>
          </ATTRIBUTE-DEFINITION-STRING>
        </SPEC-ATTRIBUTES>
      </SPEC-OBJECT-TYPE>
    </SPEC-TYPES>
    <SPEC-OBJECTS>
      <SPEC-OBJECT IDENTIFIER="obj-1" LAST-CHANGE="2026-01-01T00:00:00Z">
        <TYPE><SPEC-OBJECT-TYPE-REF>t-req</SPEC-OBJECT-TYPE-REF></TYPE>
        <VALUES>
          <ATTRIBUTE-VALUE-STRING THE-VALUE="Partner portal single sign-on">
            <DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>a-name</ATTRIBUTE-DEFINITION-STRING-REF>
            </DEFINITION></ATTRIBUTE-VALUE-STRING>
          <ATTRIBUTE-VALUE-XHTML>
            <DEFINITION><ATTRIBUTE-DEFINITION-XHTML-REF>a-text</ATTRIBUTE-DEFINITION-XHTML-REF>
            </DEFINITION>
            <THE-VALUE><xhtml:div><xhtml:p>Agencies sign in with their own accounts.</xhtml:p>
            <xhtml:p>No shared passwords &amp; no spreadsheets.</xhtml:p></xhtml:div></THE-VALUE>
          </ATTRIBUTE-VALUE-XHTML>
          <ATTRIBUTE-VALUE-STRING THE-VALUE="integration">
            <DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>a-kind</ATTRIBUTE-DEFINITION-STRING-REF>
            </DEFINITION></ATTRIBUTE-VALUE-STRING>
          <ATTRIBUTE-VALUE-STRING THE-VALUE="合作伙伴">
            <DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>a-from</ATTRIBUTE-DEFINITION-STRING-REF>
            </DEFINITION></ATTRIBUTE-VALUE-STRING>
        </VALUES>
      </SPEC-OBJECT>
    </SPEC-OBJECTS>
  </REQ-IF-CONTENT></CORE-CONTENT>
</REQ-IF>
"""


def test_a_reqif_from_another_tool_becomes_items(data_repo: DataRepo, cli: CliRun) -> None:
    (data_repo.root / "mitrm.yaml").write_text(
        "project: T\nspreadsheets:\n  columns:\n    Kind of work: type\n"
        "    Channel: source.channel\n",
        encoding="utf-8",
    )
    foreign = data_repo.root.parent / "doors.reqif"
    foreign.write_text(FOREIGN, encoding="utf-8")
    result = cli("-C", str(data_repo.root), "import", str(foreign), "--apply")
    assert result.exit_code == 0, result.stderr
    created = list((data_repo.root / "requirements").glob("REQ-0001-*.yaml"))
    assert len(created) == 1
    text = created[0].read_text(encoding="utf-8")
    assert "title: Partner portal single sign-on" in text
    assert "type: integration" in text
    assert "channel: partner" in text
    assert "Agencies sign in with their own accounts.\n" in text
    assert "No shared passwords & no spreadsheets." in text
    assert cli("-C", str(data_repo.root), "validate").exit_code == 0


def test_a_control_character_stops_the_reqif_export(git_repo: DataRepo, cli: CliRun) -> None:
    git_repo.requirement("REQ-0001", "Base")
    path = git_repo.root / "requirements/REQ-0001-base.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "description: Base, described.", 'description: "bell \\a here"'
        ),
        encoding="utf-8",
    )
    out = git_repo.root.parent / "items.reqif"
    result = cli("-C", str(git_repo.root), "export", "-o", str(out))
    assert result.exit_code == 2
    assert "REQ-0001: 'description' holds the control character U+0007" in result.stderr
    assert not out.exists()
