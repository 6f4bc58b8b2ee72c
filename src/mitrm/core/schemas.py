"""JSON Schemas (Draft 2020-12) generated from the models, for editors and CI."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

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
    generated = _strict_decimals(model.model_json_schema(mode="validation"))
    generated["title"] = title
    document.update(generated)
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


# What pydantic reads as a decimal from text: digits (full-width ones too, and
# underscores between them) with an optional point and exponent, spaces around
# allowed. Its own schema says "any string", so an editor accepted `cost: lots`
# that validation then refuses.
_DIGITS = "[0-9０-９]+(_[0-9０-９]+)*"
_UNSIGNED = rf"({_DIGITS}(\.({_DIGITS})?)?|\.{_DIGITS})([eE][+-]?{_DIGITS})?"
_DECIMAL = rf"^\s*[+-]?{_UNSIGNED}\s*$"
_NON_NEGATIVE = rf"^\s*\+?{_UNSIGNED}\s*$"


def _strict_decimals(node: Any) -> Any:
    """Narrow every "number or any string" (a decimal) to a number or numeric text."""
    if isinstance(node, list):
        return [_strict_decimals(entry) for entry in node]
    if not isinstance(node, dict):
        return node
    node = {key: _strict_decimals(value) for key, value in node.items()}
    branches = node.get("anyOf")
    if isinstance(branches, list):
        numbers = [b for b in branches if isinstance(b, dict) and b.get("type") == "number"]
        if numbers:
            non_negative = all(b.get("minimum", -1) >= 0 for b in numbers)
            node["anyOf"] = [
                {"type": "string", "pattern": _NON_NEGATIVE if non_negative else _DECIMAL}
                if b == {"type": "string"}
                else b
                for b in branches
            ]
    return node


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


def _type_of(prop: dict[str, Any], defs: dict[str, Any]) -> str:
    if "$ref" in prop:
        name = prop["$ref"].rsplit("/", 1)[-1]
        target = defs.get(name, {})
        if "enum" in target:
            return "one of " + ", ".join(f"`{v}`" for v in target["enum"])
        return f"[{name}](#{name.lower()})"
    if "anyOf" in prop:
        kinds = [_type_of(p, defs) for p in prop["anyOf"] if p.get("type") != "null"]
        # decimals are accepted as numbers or numeric text
        if set(kinds) == {"number", "text"}:
            return "number"
        return " or ".join(dict.fromkeys(kinds))
    kind = prop.get("type")
    if kind == "array":
        return "list of " + _type_of(prop.get("items", {}), defs)
    if kind == "object":
        return "mapping"
    if kind == "string":
        return "date (YYYY-MM-DD)" if prop.get("format") == "date" else "text"
    if "enum" in prop:
        return "one of " + ", ".join(f"`{v}`" for v in prop["enum"])
    return {"integer": "whole number", "number": "number", "boolean": "true/false"}.get(
        str(kind), str(kind)
    )


def _range(prop: dict[str, Any]) -> str:
    inner = next((p for p in prop.get("anyOf", [prop]) if p.get("type") != "null"), prop)
    bits = []
    if "minimum" in inner:
        bits.append(f">= {inner['minimum']}")
    if "exclusiveMinimum" in inner:
        bits.append(f"> {inner['exclusiveMinimum']}")
    if "maximum" in inner:
        bits.append(f"<= {inner['maximum']}")
    if "pattern" in inner:
        bits.append(f"pattern `{inner['pattern']}`")
    return "; ".join(bits)


def _table(schema: dict[str, Any], defs: dict[str, Any]) -> list[str]:
    required = set(schema.get("required", []))
    lines = ["| field | type | required | constraints |", "| --- | --- | --- | --- |"]
    for name, prop in schema.get("properties", {}).items():
        mark = "yes" if name in required else ""
        lines.append(f"| `{name}` | {_type_of(prop, defs)} | {mark} | {_range(prop)} |")
    return lines


def describe_items() -> str:
    """Markdown for docs/items.md: every field of every model, generated from the schemas."""
    lines = [
        "# Item fields",
        "",
        "Generated from the models (`mitrm.core.schemas.describe_items`; a test fails when",
        "it is stale). Field names are English snake_case; text values may be in any",
        "language. Money amounts are decimals in the item's `currency` (default: the",
        "`currency` of `mitrm.yaml`). Dates are written `YYYY-MM-DD`. `required` here is",
        "what every item needs whatever its status; what each status adds is in",
        "[workflow.md](workflow.md). Unknown fields are errors (MIT101).",
        "",
        "A change request's `impact.schedule_days` is positive for a delay and negative",
        "when the change brings a date forward; `impact.cost` likewise (negative saves).",
    ]
    seen: set[str] = set()
    documents: list[tuple[str, type[BaseModel]]] = [
        (kind.label.capitalize(), model) for kind, model in MODELS.items()
    ]
    documents.append(("Settings (`mitrm.yaml`)", Settings))
    for title, model in documents:
        schema = model.model_json_schema(mode="validation")
        defs = schema.get("$defs", {})
        lines += ["", f"## {title}", "", *_table(schema, defs)]
        for name, sub in sorted(defs.items()):
            if name in seen or "properties" not in sub:
                continue
            seen.add(name)
            lines += ["", f"### {name}", "", *_table(sub, defs)]
    return "\n".join(lines) + "\n"
