"""ReqIF 1.2 files: write the items (types, attributes, relations), read them back as tables.

Writing uses the standard library's ElementTree: the document's shape is fixed
by the models, so building it directly is short and exact. Reading takes any
tool's ReqIF and uses the ``reqiffile`` package's parser, which knows the format's
variants (XHTML values, enumerations, embedded values). The file is untrusted:
its size is checked and a DOCTYPE (entities, external files) is refused before
the XML parser sees it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from mitrm import __version__
from mitrm.core.exchange.importplan import REST, Table
from mitrm.core.exchange.sheetnames import SHEET_TITLES
from mitrm.core.exchange.sheets import Column, Shape, canonical, columns, get
from mitrm.core.models import Kind, Settings
from mitrm.errors import UsageError
from mitrm.i18n import _

NAMESPACE = "http://www.omg.org/spec/ReqIF/20110401/reqif.xsd"
MAX_REQIF_BYTES = 64 * 1024 * 1024

# Reference lists that are also written as SPEC-RELATIONs, by kind.
RELATIONS = {Kind.REQUIREMENT: "depends_on", Kind.PLAN: "requirements", Kind.CHANGE: "targets"}


def _ident(*parts: str) -> str:
    """An XML ID (NCName): letters, digits, '-', '_' and '.', not starting with a digit."""
    text = "_" + "-".join(parts)
    return re.sub(r"[^A-Za-z0-9_.-]", "_", text)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k.replace("_", "-"): v for k, v in attrs.items()})
    if text is not None:
        element.text = text
    return element


def _rest(kind: Kind, data: Mapping[str, Any]) -> str:
    """The fields no column holds (KPIs, risks, phases...), as JSON, so that nothing is lost."""
    named = {c.loc[0] for c in columns(kind)}
    rest: dict[str, Any] = {k: v for k, v in data.items() if k not in named}
    for parent in {c.loc[0] for c in columns(kind) if len(c.loc) > 1}:
        inner = data.get(parent)
        if isinstance(inner, Mapping):
            cols = {c.loc[1] for c in columns(kind) if len(c.loc) > 1 and c.loc[0] == parent}
            extra = {k: v for k, v in inner.items() if k not in cols}
            if extra:
                rest[parent] = extra
    return json.dumps(rest, ensure_ascii=False, default=_json) if rest else ""


def _json(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(text: str, item_id: str, field: str) -> None:
    """Refuse text that XML 1.0 cannot carry (a control character), naming where it is."""
    found = _NOT_XML.search(text)
    if found:
        raise UsageError(
            _(
                "{id}: '{field}' holds the control character U+{code}, which a ReqIF (XML) "
                "file cannot carry; nothing was written"
            ).format(id=item_id, field=field, code=f"{ord(found.group()):04X}"),
            hint=_("remove it: mitrm show {id}").format(id=item_id),
        )


def write_reqif(
    items: Sequence[tuple[Kind, Mapping[str, Any]]], *, settings: Settings, stamp: str
) -> bytes:
    """A ReqIF 1.2 document of ``items``; ``stamp`` (ISO date-time) dates every element."""
    ET.register_namespace("", NAMESPACE)
    root = ET.Element("REQ-IF", {"xmlns": NAMESPACE})
    header = _sub(_sub(root, "THE-HEADER"), "REQ-IF-HEADER", IDENTIFIER="_mitrm-header")
    _sub(header, "CREATION-TIME", stamp)
    _sub(header, "REQ-IF-TOOL-ID", "mitrm")
    _sub(header, "REQ-IF-VERSION", "1.0")
    _sub(header, "SOURCE-TOOL-ID", f"mitrm {__version__}")
    _sub(header, "TITLE", settings.project or "mitrm items")
    content = _sub(_sub(root, "CORE-CONTENT"), "REQ-IF-CONTENT")
    datatypes = _sub(content, "DATATYPES")
    string_type = _ident("string")
    _sub(
        datatypes,
        "DATATYPE-DEFINITION-STRING",
        IDENTIFIER=string_type,
        LONG_NAME="text",
        LAST_CHANGE=stamp,
        MAX_LENGTH="1000000",
    )
    kinds = [k for k in Kind if any(kind is k for kind, _d in items)]
    enums: dict[str, dict[str, str]] = {}
    for kind in kinds:
        for column in columns(kind):
            if column.shape is Shape.CHOICE and column.enum is not None:
                name = column.enum.__name__
                if name in enums:
                    continue
                enum_id = _ident("enum", name)
                element = _sub(
                    datatypes,
                    "DATATYPE-DEFINITION-ENUMERATION",
                    IDENTIFIER=enum_id,
                    LONG_NAME=name,
                    LAST_CHANGE=stamp,
                )
                values = _sub(element, "SPECIFIED-VALUES")
                enums[name] = {}
                for key, value in enumerate(column.choices):
                    value_id = _ident("enum", name, value)
                    enums[name][value] = value_id
                    enum_value = _sub(
                        values,
                        "ENUM-VALUE",
                        IDENTIFIER=value_id,
                        LONG_NAME=value,
                        LAST_CHANGE=stamp,
                    )
                    _sub(
                        _sub(enum_value, "PROPERTIES"),
                        "EMBEDDED-VALUE",
                        KEY=str(key),
                        OTHER_CONTENT=value,
                    )
    spec_types = _sub(content, "SPEC-TYPES")
    attributes: dict[Kind, list[tuple[Column | None, str]]] = {}
    for kind in kinds:
        type_element = _sub(
            spec_types,
            "SPEC-OBJECT-TYPE",
            IDENTIFIER=_ident("type", kind.value),
            LONG_NAME=kind.value,
            LAST_CHANGE=stamp,
        )
        defs = _sub(type_element, "SPEC-ATTRIBUTES")
        attributes[kind] = []
        slots: list[Column | None] = [*columns(kind), None]
        for slot in slots:
            name = slot.name if slot is not None else REST
            attr_id = _ident("attr", kind.value, name)
            attributes[kind].append((slot, attr_id))
            if slot is not None and slot.shape is Shape.CHOICE and slot.enum is not None:
                definition = _sub(
                    defs,
                    "ATTRIBUTE-DEFINITION-ENUMERATION",
                    IDENTIFIER=attr_id,
                    LONG_NAME=name,
                    LAST_CHANGE=stamp,
                    MULTI_VALUED="false",
                )
                _sub(
                    _sub(definition, "TYPE"),
                    "DATATYPE-DEFINITION-ENUMERATION-REF",
                    _ident("enum", slot.enum.__name__),
                )
            else:
                definition = _sub(
                    defs,
                    "ATTRIBUTE-DEFINITION-STRING",
                    IDENTIFIER=attr_id,
                    LONG_NAME=name,
                    LAST_CHANGE=stamp,
                )
                _sub(_sub(definition, "TYPE"), "DATATYPE-DEFINITION-STRING-REF", string_type)
    for kind in kinds:
        _sub(
            spec_types,
            "SPEC-RELATION-TYPE",
            IDENTIFIER=_ident("relation", RELATIONS[kind]),
            LONG_NAME=RELATIONS[kind],
            LAST_CHANGE=stamp,
        )
    _sub(
        spec_types,
        "SPECIFICATION-TYPE",
        IDENTIFIER=_ident("specification-type"),
        LONG_NAME="items",
        LAST_CHANGE=stamp,
    )
    objects = _sub(content, "SPEC-OBJECTS")
    identifiers: dict[str, str] = {}
    for _kind, data in items:
        item_id = str(data.get("id"))
        identifiers[item_id] = _ident("item", item_id)
    for kind, data in items:
        item_id = str(data.get("id"))
        spec_object = _sub(
            objects,
            "SPEC-OBJECT",
            IDENTIFIER=identifiers[item_id],
            LONG_NAME=_NOT_XML.sub("", str(data.get("title") or item_id)),
            LAST_CHANGE=stamp,
        )
        _sub(_sub(spec_object, "TYPE"), "SPEC-OBJECT-TYPE-REF", _ident("type", kind.value))
        values = _sub(spec_object, "VALUES")
        for slot, attr_id in attributes[kind]:
            if slot is None:
                text = _rest(kind, data)
                if not text:
                    continue
            else:
                text = canonical(slot, get(data, slot.loc))
                if not text:
                    continue
                if slot.name == "tags":
                    # One line, commas between: what other tools (StrictDoc's TAGS) expect.
                    text = ", ".join(text.split("\n"))
                if slot.shape is Shape.CHOICE and slot.enum is not None:
                    enum_ids = enums[slot.enum.__name__]
                    if text not in enum_ids:
                        continue
                    holder = _sub(values, "ATTRIBUTE-VALUE-ENUMERATION")
                    _sub(
                        _sub(holder, "DEFINITION"), "ATTRIBUTE-DEFINITION-ENUMERATION-REF", attr_id
                    )
                    _sub(_sub(holder, "VALUES"), "ENUM-VALUE-REF", enum_ids[text])
                    continue
            _xml_safe(text, item_id, slot.name if slot is not None else REST)
            holder = _sub(values, "ATTRIBUTE-VALUE-STRING", THE_VALUE=text)
            _sub(_sub(holder, "DEFINITION"), "ATTRIBUTE-DEFINITION-STRING-REF", attr_id)
    relations = _sub(content, "SPEC-RELATIONS")
    for kind, data in items:
        item_id = str(data.get("id"))
        refs = data.get(RELATIONS[kind])
        for index, ref in enumerate(refs if isinstance(refs, list) else []):
            if str(ref) not in identifiers:
                continue
            relation = _sub(
                relations,
                "SPEC-RELATION",
                IDENTIFIER=_ident("rel", item_id, str(index)),
                LAST_CHANGE=stamp,
            )
            _sub(
                _sub(relation, "TYPE"),
                "SPEC-RELATION-TYPE-REF",
                _ident("relation", RELATIONS[kind]),
            )
            _sub(_sub(relation, "SOURCE"), "SPEC-OBJECT-REF", identifiers[item_id])
            _sub(_sub(relation, "TARGET"), "SPEC-OBJECT-REF", identifiers[str(ref)])
    specifications = _sub(content, "SPECIFICATIONS")
    for kind in kinds:
        specification = _sub(
            specifications,
            "SPECIFICATION",
            IDENTIFIER=_ident("specification", kind.value),
            LONG_NAME=SHEET_TITLES["en"][kind],
            LAST_CHANGE=stamp,
        )
        _sub(_sub(specification, "TYPE"), "SPECIFICATION-TYPE-REF", _ident("specification-type"))
        children = _sub(specification, "CHILDREN")
        for item_kind, data in items:
            if item_kind is not kind:
                continue
            item_id = str(data.get("id"))
            hierarchy = _sub(
                children,
                "SPEC-HIERARCHY",
                IDENTIFIER=_ident("node", item_id),
                LAST_CHANGE=stamp,
            )
            _sub(_sub(hierarchy, "OBJECT"), "SPEC-OBJECT-REF", identifiers[item_id])
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


# --- reading ---------------------------------------------------------------------

_KNOWN_NAMES = {"ReqIF.Name": "title", "ReqIF.Text": "description", "ReqIF.ChapterName": "title"}


def read_reqif(path: Path, shown: str, *, settings: Settings) -> list[Table]:
    """The spec objects of a ReqIF file as one table per kind (header row first).

    Rows are named by the spec object's identifier, so errors read
    ``items.reqif:_item-REQ-0001.status``.
    """
    try:
        size = path.stat().st_size
        if size > MAX_REQIF_BYTES:
            raise UsageError(
                _(
                    "{path}: {size} MiB is more than mitrm reads ({limit} MiB); nothing was read"
                ).format(
                    path=shown, size=size // 1024 // 1024, limit=MAX_REQIF_BYTES // 1024 // 1024
                )
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise UsageError(
            _("{path}: cannot read the file: {reason}").format(path=shown, reason=exc.strerror)
        ) from exc
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        raise UsageError(
            _(
                "{path}: a ReqIF file with a DOCTYPE or entities is refused unread "
                "(ReqIF needs neither; they can make a parser read other files)"
            ).format(path=shown)
        )
    from reqif.models.error_handling import ReqIFSchemaError, ReqIFXMLParsingError
    from reqif.parser import ReqIFParser

    try:
        bundle = ReqIFParser.parse_from_string(raw.decode("utf-8"))
        return _tables(bundle)
    except UnicodeDecodeError:
        raise UsageError(
            _("{path}: not UTF-8 text; ReqIF files are UTF-8").format(path=shown)
        ) from None
    except (
        ReqIFXMLParsingError,
        ReqIFSchemaError,
        NotImplementedError,
        ValueError,
        AttributeError,
        KeyError,
        TypeError,
        AssertionError,
    ) as exc:
        # The parser reports a malformed file in many ways; each is the file's fault.
        detail = str(exc).strip() or type(exc).__name__
        raise UsageError(
            _("{path}: not a readable ReqIF file ({detail})").format(path=shown, detail=detail)
        ) from None


def _tables(bundle: Any) -> list[Table]:
    content = bundle.core_content.req_if_content if bundle.core_content else None
    if content is None:
        return []
    kinds_of_type: dict[str, Kind] = {}
    attr_names: dict[str, str] = {}
    for spec_type in content.spec_types or []:
        long_name = (getattr(spec_type, "long_name", None) or "").strip().casefold()
        kind = next((k for k in Kind if long_name in (k.value, k.folder)), Kind.REQUIREMENT)
        kinds_of_type[spec_type.identifier] = kind
        for definition in getattr(spec_type, "attribute_definitions", None) or []:
            name = definition.long_name or definition.identifier
            attr_names[definition.identifier] = _KNOWN_NAMES.get(name, name)
    enum_names: dict[str, str | None] = {}
    for datatype in content.data_types or []:
        for value in getattr(datatype, "values", None) or []:
            enum_names[value.identifier] = value.long_name or value.key or value.identifier
    rows: dict[Kind, list[tuple[str, dict[str, str]]]] = {}
    by_identifier: dict[str, tuple[Kind, dict[str, str]]] = {}
    for spec_object in content.spec_objects or []:
        kind = kinds_of_type.get(spec_object.spec_object_type, Kind.REQUIREMENT)
        values: dict[str, str] = {}
        for attribute in spec_object.attributes:
            name = attr_names.get(attribute.definition_ref, attribute.definition_ref)
            value = attribute.value
            if isinstance(value, list):
                value = "\n".join(str(enum_names.get(v) or v) for v in value)
            elif getattr(attribute, "value_stripped_xhtml", None):
                value = _xhtml_text(attribute.value_stripped_xhtml)
            text = "" if value is None else str(value)
            if name == "tags" and "\n" not in text:
                text = "\n".join(tag.strip() for tag in text.split(","))
            values[name] = text
        rows.setdefault(kind, []).append((spec_object.identifier, values))
        by_identifier[spec_object.identifier] = (kind, values)
    related: dict[str, list[str]] = {}
    for relation in content.spec_relations or []:
        source = by_identifier.get(relation.source)
        target = by_identifier.get(relation.target)
        if source is not None and target is not None and target[1].get("id"):
            related.setdefault(relation.source, []).append(target[1]["id"])
    tables = []
    for kind, found in rows.items():
        names: list[str] = []
        for _identifier, values in found:
            for name in values:
                if name not in names:
                    names.append(name)
        field = RELATIONS[kind]
        if field not in names and any(identifier in related for identifier, _v in found):
            names.append(field)
        table_rows: list[list[Any]] = [list(names)]
        for identifier, values in found:
            row: list[Any] = [values.get(name) for name in names]
            # The attribute, when the file has it, keeps the list's order and the
            # references to items outside the file; relations fill in otherwise.
            if field in names and not values.get(field) and identifier in related:
                row[names.index(field)] = "\n".join(related[identifier])
            table_rows.append(row)
        tables.append(
            Table(
                SHEET_TITLES["en"][kind],
                table_rows,
                row_names=["", *(identifier for identifier, _v in found)],
            )
        )
    return tables


def _xhtml_text(xhtml: str) -> str:
    """Plain text of an XHTML value: paragraphs and breaks become line ends."""
    text = re.sub(r"<\s*br\s*/?>", "\n", xhtml)
    text = re.sub(r"</\s*(p|div|li)\s*>", "\n", text)
    text = re.sub(r"<[^>]+>", "", text)
    import html

    return html.unescape(text).strip()
