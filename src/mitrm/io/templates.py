"""The one Jinja environment: the repo's ``templates/`` over the built-in ones, sandboxed, strict.

Templates from a data repo arrive in pull requests and run in CI, so every
template renders in Jinja's sandbox: no attribute that starts with ``_``, no
access to functions' globals, no unsafe methods. ``StrictUndefined`` turns a
misspelt variable into an error naming the template and the line.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from mitrm.core.render import markdown
from mitrm.core.render.filters import FILTERS
from mitrm.errors import DataError, UsageError
from mitrm.i18n import _

BUILTIN = Path(__file__).resolve().parent.parent / "templates"
SUFFIX = ".md.j2"


@dataclass(frozen=True)
class TemplateInfo:
    """One template name and where the environment will load it from."""

    name: str
    builtin: bool
    overridden: bool
    path: Path


class _Environment(SandboxedEnvironment):
    """The sandbox, with a fast path for the plain dicts the contexts are made of."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        # ``x.key`` on a context dict means its item: return it without first
        # trying (and failing) a Python attribute. Subscripting a dict is allowed
        # in the sandbox anyway, and names starting with "_" still take the
        # guarded path.
        if type(obj) is dict and attribute[:1] != "_":
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


class Templates:
    """Built-in templates, overridden by same-named files in the repo's template folder."""

    def __init__(self, repo_templates: Path | None = None) -> None:
        self.repo_templates = repo_templates if repo_templates and repo_templates.is_dir() else None
        loaders: list[jinja2.BaseLoader] = []
        if self.repo_templates is not None:
            loaders.append(jinja2.FileSystemLoader(str(self.repo_templates)))
        loaders.append(jinja2.FileSystemLoader(str(BUILTIN)))
        self.env = _Environment(
            loader=jinja2.ChoiceLoader(loaders),
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            autoescape=False,
            auto_reload=False,
        )
        self.env.filters.update(FILTERS)
        self._compiled: dict[str, jinja2.Template] = {}

    def available(self) -> list[TemplateInfo]:
        """Every template: the built-in ones and the repo's, sorted by name."""
        builtin = {p.name for p in BUILTIN.glob(f"*{SUFFIX}")}
        repo: set[str] = set()
        if self.repo_templates is not None:
            repo = {p.name for p in self.repo_templates.glob(f"*{SUFFIX}") if p.is_file()}
        infos = []
        for name in sorted(builtin | repo):
            in_repo = self.repo_templates is not None and name in repo
            folder = self.repo_templates if in_repo and self.repo_templates else BUILTIN
            infos.append(
                TemplateInfo(
                    name=name, builtin=name in builtin, overridden=in_repo, path=folder / name
                )
            )
        return infos

    def builtin_source(self, name: str) -> str:
        """The text of a built-in template (for ``mitrm templates export``)."""
        path = BUILTIN / name
        if os.sep in name or "/" in name or not path.is_file():
            known = ", ".join(sorted(p.name for p in BUILTIN.glob(f"*{SUFFIX}")))
            raise UsageError(
                _("no built-in template named '{name}'").format(name=name),
                hint=_("templates: {names}").format(names=known),
            )
        return path.read_text(encoding="utf-8")

    def _where(self, template: jinja2.Template | None, name: str) -> str:
        filename = template.filename if template is not None else None
        return self._display(filename) if filename else name

    def _where_file(self, name: str) -> str:
        if self.repo_templates is not None and (self.repo_templates / name).exists():
            return f"{self.repo_templates.name}/{name}"
        return f"(built-in) {name}"

    def _display(self, filename: str) -> str:
        path = Path(filename)
        if self.repo_templates is not None and path.parent == self.repo_templates:
            return f"{self.repo_templates.name}/{path.name}"
        return f"(built-in) {path.name}"

    def get(self, name: str) -> jinja2.Template:
        """The compiled template ``name``; a syntax error names the file and line."""
        template = self._compiled.get(name)
        if template is not None:
            return template
        try:
            template = self.env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            where = self._display(exc.filename) if exc.filename else name
            raise DataError(
                _("{place}: template syntax error: {problem}").format(
                    place=f"{where}:{exc.lineno}", problem=exc.message
                ),
                hint=_("fix the template, or delete it to use the built-in one"),
            ) from None
        except jinja2.TemplateNotFound as exc:
            raise DataError(_("template not found: {name}").format(name=exc.name)) from None
        except UnicodeDecodeError:
            raise DataError(
                _("{path}: template is not UTF-8 text; save it as UTF-8").format(
                    path=self._where_file(name)
                )
            ) from None
        except OSError as exc:
            raise DataError(
                _("{path}: cannot read template: {reason}").format(
                    path=self._where_file(name), reason=exc
                )
            ) from None
        self._compiled[name] = template
        return template

    def render(self, name: str, context: Mapping[str, Any], *, item: str | None = None) -> str:
        """Render ``name`` with ``context``; errors name the template, line and item."""
        template = self.get(name)
        try:
            text = template.render(context)
        except (
            jinja2.TemplateError,
            TypeError,
            ValueError,
            ArithmeticError,
            LookupError,
            AttributeError,
            RuntimeError,  # RecursionError from a macro calling itself
        ) as exc:
            raise self._error(exc, template, name, item) from None
        return markdown.tidy(text)

    def _error(
        self, exc: Exception, template: jinja2.Template, name: str, item: str | None
    ) -> DataError:
        filename, line = _template_frame(exc.__traceback__, template.filename)
        where = self._display(filename) if filename else self._where(template, name)
        place = f"{where}:{line}" if line else where
        what = _("template error")
        for kind, label in (
            (jinja2.exceptions.SecurityError, _("unsafe operation refused by the sandbox")),
            (jinja2.UndefinedError, _("undefined value")),
        ):
            if isinstance(exc, kind):
                what = label
        subject = _(" (rendering {id})").format(id=item) if item else ""
        message = getattr(exc, "message", None) or str(exc)
        return DataError(
            f"{place}: {what}{subject}: {message}",
            hint=_("templates see only the documented context: see docs/templates.md"),
        )


def _template_frame(tb: TracebackType | None, main: str | None) -> tuple[str | None, int | None]:
    """The innermost traceback frame that is inside a template file, as (filename, line)."""
    found: tuple[str | None, int | None] = (None, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(SUFFIX) or filename == main:
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found
