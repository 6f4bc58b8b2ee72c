"""The help text of every command, in one place: the root group lists the commands
from it without importing their modules, and each command module registers its
command with the same text (translated alike)."""

from __future__ import annotations

from mitrm.i18n import N_

# Every command's help, by name, in the order --help lists them.
HELP: dict[str, str] = {
    "init": N_("Create mitrm.yaml, the item folders and a pre-commit config; never overwrites."),
    "new": N_(
        """Draft a new item: asks on a terminal, takes every field as an option, prints the path.

The file gets the next free id (after the highest in the working tree and
on every local and remote branch) and is created exclusively."""
    ),
    "set": N_(
        """Set fields of an item in place, keeping its comments, key order and layout.

Values are read as YAML (numbers, dates, [lists], {mappings}) except for
text fields, which take the text as written. The result must validate, or
nothing is written."""
    ),
    "status": N_(
        """Move an item to another status, if the workflow allows it and its fields are there.

FIELD=VALUE pairs after the status are set in the same step (for the fields
the new status requires). Refused (exit 1, nothing written) when the move
is not allowed or a required field is missing."""
    ),
    "renumber": N_(
        """Change an item's id: rename its file (keeping the slug) and update every reference.

References in depends_on, plan requirements, phases, milestones and change
targets follow. When OLD is used by two files (common after merging two
branches), pick one with --file; references are then left alone, since
they may mean either item."""
    ),
    "validate": N_(
        """Check item files against the models, the workflow, the rules across files and the
quality rules (MIT4xx: vague wording, rush requests, missing tests...).

Never writes a file. Exit 0 when clean, 1 when there are errors (or
warnings with --strict), 2 on a usage error."""
    ),
    "list": N_("List items, filtered by kind, status, type, tag and owner."),
    "show": N_("Show one item: its file as written, or its fields as JSON."),
    "prioritize": N_(
        "Score and rank the open requirements (docs/scoring.md explains every model)."
    ),
    "export": N_(
        """Write items to a spreadsheet (XLSX, CSV with BOM) or a ReqIF 1.2 file.

XLSX: one sheet per kind, headers in the repo's language, drop-downs for
every closed vocabulary. CSV holds one kind (--kind, default requirement).
Every row records what it was exported from, so that 'mitrm import' can
refuse rows whose item changed since. docs/spreadsheets.md explains it all."""
    ),
    "import": N_(
        """Read rows from a spreadsheet or ReqIF file into items: a diff first, --apply writes.

Rows with an id update that item (only the changed lines of its file
change); rows without one become new items. A row whose item changed in
the repo since the export is refused unless --force. Any bad cell is
reported as FILE:Sheet!C7 and nothing is written (exit 1)."""
    ),
    "render": N_(
        "Write Markdown documents, checklists and the portfolio report from the templates."
    ),
    "history": N_("Show an item's change log from git: commits and field-level changes."),
    "changelog": N_(
        "What changed in the items between two revisions, grouped by kind and change type."
    ),
    "report": N_(
        """Write the publishable report: portfolio, documents, backlog, change log, validation, JSON.

Works without git (documents only, said in the report) and warns on a
shallow clone. Deterministic: the same commit writes the same bytes."""
    ),
    "schema": N_("Write the JSON Schemas (Draft 2020-12) of the three kinds and the settings."),
    "templates": N_("List the document templates, or export one to start a custom template."),
}
