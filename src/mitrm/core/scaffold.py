"""The files ``mitrm init`` writes into a new data repo."""

from __future__ import annotations

import json

from mitrm import __version__
from mitrm.i18n import N_, _

SCHEMA_URL = "https://raw.githubusercontent.com/mitrm/mitrm/v{version}/schemas"
"""Where this version's JSON Schemas are published: the ``schemas/`` folder at its release tag."""


def schema_url(name: str) -> str:
    """The published URL of the schema file ``name`` for this mitrm version."""
    return f"{SCHEMA_URL.format(version=__version__)}/{name}"


# A new data repo has no schemas/ folder: its modeline names the published file.
# TRANSLATORS: the new mitrm.yaml; translate only the comments, keep the {placeholders}.
_SETTINGS = N_(
    """\
# yaml-language-server: $schema={schema}
# mitrm settings: this file marks the root of the data repo.
project: {project}
language: {language}      # en or zh: language of rendered documents and hints
currency: {currency}      # default currency of estimates and budgets
# calendar: CN            # public holidays for working days (MIT406): CN, DE, DE-BY, ...

ids:
  requirement: {{prefix: REQ, digits: 4}}
  plan: {{prefix: PLAN, digits: 4}}
  change: {{prefix: CR, digits: 4}}

scoring:
  model: weighted

# templates: templates    # overrides of the built-in document templates
"""
)

# TRANSLATORS: the new .pre-commit-config.yaml; translate only the comment.
_PRE_COMMIT = N_(
    """\
# Validate requirement files before every commit: pip install pre-commit && pre-commit install
# Until mitrm v{version} is released, use a commit instead: set rev: main, then run
# pre-commit autoupdate --bleeding-edge --freeze (it writes the commit id here).
repos:
  - repo: https://github.com/mitrm/mitrm
    rev: v{version}
    hooks:
      - id: mitrm-validate
"""
)

_README = N_(
    """\
Item files live in requirements/, plans/ and changes/ (subfolders allowed).
Create one with `mitrm new requirement`; check them with `mitrm validate`.
"""
)


def scaffold_files(*, project: str, language: str, currency: str) -> dict[str, str]:
    """Relative path -> text of every file of a new data repo."""
    return {
        # JSON strings are valid YAML: any project name stays one plain value.
        "mitrm.yaml": _(_SETTINGS).format(
            project=json.dumps(project, ensure_ascii=False),
            language=language,
            currency=currency,
            schema=schema_url("settings.schema.json"),
        ),
        ".pre-commit-config.yaml": _(_PRE_COMMIT).format(version=__version__),
        "requirements/.gitkeep": "",
        "plans/.gitkeep": "",
        "changes/.gitkeep": "",
        "templates/README.md": _(
            "Put overrides of mitrm's built-in templates here (see `mitrm templates list`)."
        )
        + "\n",
        "README.md": _(_README),
    }
