"""SARIF 2.1.0 output, for code-scanning annotations (GitHub, GitLab, Azure DevOps)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mitrm import __version__
from mitrm.core.checking.codes import CODES
from mitrm.core.diagnostics import Diagnostic
from mitrm.i18n import _

_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_DOCS = "https://github.com/mitrm/mitrm/blob/main/docs/rules.md"


def sarif_log(diagnostics: Sequence[Diagnostic]) -> dict[str, Any]:
    """One SARIF log with a run of mitrm: the rules used and one result per diagnostic.

    Paths are relative to the data repo root (``%SRCROOT%``).
    """
    used = sorted({d.code for d in diagnostics})
    rules = []
    for code in used:
        known = CODES.get(code)
        rules.append(
            {
                "id": code,
                "name": code,
                "shortDescription": {"text": _(known.summary) if known else code},
                "helpUri": f"{_DOCS}#{code.lower()}",
                "defaultConfiguration": {"level": known.severity.value if known else "error"},
            }
        )
    index = {code: position for position, code in enumerate(used)}
    results = [
        {
            "ruleId": d.code,
            "ruleIndex": index[d.code],
            "level": d.severity.value,
            "message": {"text": d.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": d.path, "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": max(d.line, 1), "startColumn": max(d.column, 1)},
                    }
                }
            ],
            **({"properties": {"item": d.item}} if d.item else {}),
        }
        for d in diagnostics
    ]
    return {
        "$schema": _SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "mitrm",
                        "version": __version__,
                        "informationUri": "https://github.com/mitrm/mitrm",
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }
