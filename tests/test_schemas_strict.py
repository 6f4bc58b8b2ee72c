"""The JSON Schemas editors use are as strict as the models, and init's modeline resolves."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from pydantic import ValidationError

from conftest import CliRun
from mitrm.core.models import MODELS, Kind, Requirement, Settings
from mitrm.io.yamlfile import load_yaml

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
ACME = ROOT / "examples" / "acme"
BASE: dict[str, Any] = {
    "id": "REQ-0001",
    "title": "Coupon engine",
    "type": "feature",
    "status": "draft",
    "source": {"channel": "internal"},
    "description": "Rule-based coupons.",
}


def _validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


def _as_editor_sees(data: Any) -> Any:
    # An editor hands the schema JSON values: a YAML date is a string there.
    return json.loads(json.dumps(data, default=str))


@pytest.mark.parametrize(
    "cost",
    ["lots", "12,000", "0x10", "Infinity", "", "5", "12.5", " 7 ", "1e3", "+5", ".5", "1_000",
     "５", -3, 5, 2.5, "-5"],
)  # fmt: skip
def test_a_decimal_field_takes_what_the_model_takes(cost: object) -> None:
    data = {**BASE, "estimate": {"cost": cost, "currency": "CNY"}}
    try:
        Requirement.model_validate(data)
        model_ok = True
    except ValidationError:
        model_ok = False
    schema_ok = _validator("requirement.schema.json").is_valid(_as_editor_sees(data))
    assert schema_ok == model_ok, (cost, model_ok)


def test_an_editor_refuses_cost_lots() -> None:
    errors = list(
        _validator("requirement.schema.json").iter_errors(
            {**BASE, "estimate": {"cost": "lots", "effort_days": "ten"}}
        )
    )
    assert errors, "the schema accepted 'cost: lots'"


@pytest.mark.parametrize("kind", list(Kind))
def test_every_example_item_passes_its_schema(kind: Kind) -> None:
    validator = _validator(f"{kind.value}.schema.json")
    files = sorted((ACME / kind.folder).rglob("*.yaml"))
    assert files
    for path in files:
        data = load_yaml(path.read_text(encoding="utf-8"))
        MODELS[kind].model_validate(data)
        problems = [e.message for e in validator.iter_errors(_as_editor_sees(data))]
        assert problems == [], path.name


def test_the_example_settings_pass_their_schema() -> None:
    data = load_yaml((ACME / "mitrm.yaml").read_text(encoding="utf-8"))
    Settings.model_validate(data)
    assert _validator("settings.schema.json").is_valid(_as_editor_sees(data))


def test_init_points_the_modeline_at_a_published_schema(tmp_path: Path, cli: CliRun) -> None:
    from mitrm import __version__

    assert cli("init", str(tmp_path / "repo")).exit_code == 0
    first = (tmp_path / "repo" / "mitrm.yaml").read_text(encoding="utf-8").splitlines()[0]
    prefix = f"# yaml-language-server: $schema=https://raw.githubusercontent.com/mitrm/mitrm/v{__version__}/"
    assert first.startswith(prefix), first
    # The URL is this project's file at the release tag: it exists here, checked in.
    assert (ROOT / first.removeprefix(prefix)).is_file()
    # A relative path would name a schemas/ folder the new repo does not have.
    assert not (tmp_path / "repo" / "schemas").exists()
