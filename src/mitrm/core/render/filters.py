"""Template filters for the context's shapes: enum labels, item references, checklist boxes.

Plain functions rather than Jinja macros: they run for every row of every
document, and a Python call costs a fraction of a macro call.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from mitrm.core.render import markdown


def label(value: Mapping[str, Any] | None) -> str:
    """An enum value's display name (``{"value", "label"}``), or a dash when unset."""
    return markdown.inline(value["label"]) if value else "-"


def ref(item: Mapping[str, Any]) -> str:
    """A reference to another item: linked id, title and status."""
    link = item.get("link")
    text = f"[{item['id']}]({markdown.link_target(link)})" if link else markdown.inline(item["id"])
    if item.get("title"):
        text += " " + markdown.inline(item["title"])
    status = item.get("status")
    if status:
        text += f" ({markdown.inline(status['label'])})"
    return text


def refs(items: Iterable[Mapping[str, Any]]) -> str:
    """Several references, comma-separated; empty when there are none."""
    return ", ".join(ref(item) for item in items)


def box(check: Mapping[str, Any], missing: str = "missing: ", fill: str = "fill {field}") -> str:
    """A task-list item, ticked when the check is met, else saying what is missing and
    which field to fill, with the command that fills it (``fill``: how to say so)."""
    if check["ok"]:
        return f"- [x] {markdown.inline(check['label'])}"
    text = f"- [ ] {markdown.inline(check['label'])} — {missing}{markdown.inline(check['missing'])}"
    for step in check.get("fill") or ():
        said = markdown.inline(fill).format(field=markdown.code(step["field"]))
        text += f"\n  - {said}"
        text += f": {markdown.code(step['command'])}"
    return text


FILTERS = {
    "inline": markdown.inline,
    "cell": markdown.cell,
    "block": markdown.block,
    "mermaid": markdown.mermaid,
    "code": markdown.code,
    "link": markdown.link_target,
    "label": label,
    "ref": ref,
    "refs": refs,
    "box": box,
}
"""Every filter the template environment adds to Jinja's built-in ones."""
