"""Editing: changes to items as text, keeping the user's formatting, comments and order.

``edits`` parses and applies ``FIELD=VALUE`` edits, ``drafting`` writes new
items, ``yamltext`` writes YAML scalars and blocks, ``splice`` puts a new value
into the original text at its place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mitrm.faces import lazy_face

if TYPE_CHECKING:
    from mitrm.core.editing.drafting import (
        PERSON_FIELDS,
        QUESTIONS,
        Question,
        item_data,
        menu,
        missing,
        parse_answer,
        render,
    )
    from mitrm.core.editing.edits import (
        added_references,
        apply,
        approval_gaps,
        check_transition,
        field_order,
        parse_assignment,
        reference_locs,
        status_named,
        value_for,
        without_repeats,
    )
    from mitrm.core.editing.yamltext import block_ok, misread, needs_escape

# What the other layers use, by the module that defines it; each module is imported
# only when one of its names is first used.
_EXPORTS = {
    "added_references": "edits",
    "apply": "edits",
    "approval_gaps": "edits",
    "block_ok": "yamltext",
    "check_transition": "edits",
    "field_order": "edits",
    "item_data": "drafting",
    "menu": "drafting",
    "misread": "yamltext",
    "missing": "drafting",
    "needs_escape": "yamltext",
    "parse_answer": "drafting",
    "parse_assignment": "edits",
    "PERSON_FIELDS": "drafting",
    "Question": "drafting",
    "QUESTIONS": "drafting",
    "reference_locs": "edits",
    "render": "drafting",
    "status_named": "edits",
    "value_for": "edits",
    "without_repeats": "edits",
}
__all__ = [
    "PERSON_FIELDS",
    "QUESTIONS",
    "Question",
    "added_references",
    "apply",
    "approval_gaps",
    "block_ok",
    "check_transition",
    "field_order",
    "item_data",
    "menu",
    "misread",
    "missing",
    "needs_escape",
    "parse_answer",
    "parse_assignment",
    "reference_locs",
    "render",
    "status_named",
    "value_for",
    "without_repeats",
]
if not TYPE_CHECKING:  # mypy sees the names above, and no others
    __getattr__ = lazy_face(__name__, _EXPORTS)
