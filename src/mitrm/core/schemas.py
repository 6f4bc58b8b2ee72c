"""JSON Schemas (Draft 2020-12) generated from the models, for editors and CI."""

from __future__ import annotations

import json
from typing import Any

from mitrm.core.models import MODELS, Settings

_IDS = {
    "requirement": "requirement.schema.json",
    "plan": "plan.schema.json",
    "change": "change.schema.json",
}


def _schema(model: Any, name: str, title: str) -> str:
    document: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://mitrm.dev/schemas/{name}",
    }
    generated = model.model_json_schema(mode="validation")
    generated["title"] = title
    document.update(generated)
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def all_schemas() -> dict[str, str]:
    """File name -> schema text, for every kind and for mitrm.yaml."""
    schemas = {
        _IDS[kind.value]: _schema(model, _IDS[kind.value], f"mitrm {kind.label}")
        for kind, model in MODELS.items()
    }
    schemas["settings.schema.json"] = _schema(
        Settings, "settings.schema.json", "mitrm settings (mitrm.yaml)"
    )
    return schemas
