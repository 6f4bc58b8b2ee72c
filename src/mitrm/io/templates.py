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
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2.sandbox import ImmutableSandboxedEnvironment

from mitrm.core.render import markdown
from mitrm.core.render.filters import FILTERS
from mitrm.errors import DataError, UsageError
from mitrm.i18n import _
from mitrm.io import safefile
from mitrm.io.template_limits import Limits, TemplateLimitError, is_timeout

BUILTIN = Path(__file__).resolve().parent.parent / "templates"
SUFFIX = ".md.j2"


@dataclass(frozen=True)
class TemplateInfo:
    """One template name and where the environment will load it from."""

    name: str
    builtin: bool
    overridden: bool
    path: Path


MAX_TEMPLATE_BYTES = 1024 * 1024
DEFAULT_LIMITS = Limits(seconds=10, chars=32 * 1024 * 1024)


class _CodeGenerator(CodeGenerator):
    """Compiles ``a ~ b`` to a call that checks the joined size first (Jinja's own
    join cannot be intercepted like the arithmetic operators)."""

    @optimizeconst
    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        """``environment.checked_concat((a, b, ...))``."""
        self.write("environment.checked_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class _Environment(ImmutableSandboxedEnvironment):
    """The sandbox, with a fast path for the plain dicts the contexts are made of.

    Immutable: the context is shared by every document of a render, so a template
    must not change it (``{{ L.clear() }}``). The operators that can build a huge
    value in one step are checked against the render's limits.
    """

    intercepted_binops = frozenset({"*", "**", "%", "+"})
    code_generator_class = _CodeGenerator
    limits = DEFAULT_LIMITS

    def checked_concat(self, values: tuple[Any, ...]) -> str:
        """``a ~ b``: the values as text, joined, refused past the size limit."""
        parts = [v if type(v) is str else str(v) for v in values]
        self.limits.check_size(sum(map(len, parts)), "a joined value")
        return "".join(parts)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """Check the size of ``left operator right`` before computing it."""
        self.limits.binop(operator, left, right)
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value: Any) -> Any:
        """``str.format`` in a template, with its widths checked against the limits."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        fmt, limits = value.__self__, self.limits

        def checked(*args: Any, **kwargs: Any) -> Any:
            limits.check_format(fmt, [*args, *kwargs.values()], percent=False)
            return wrapped(*args, **kwargs)

        return checked

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

    def __init__(self, repo_templates: Path | None = None, *, limits: Limits | None = None) -> None:
        self.repo_templates = repo_templates if repo_templates and repo_templates.is_dir() else None
        self.limits = limits or DEFAULT_LIMITS
        loaders: list[jinja2.BaseLoader] = []
        if self.repo_templates is not None:
            loaders.append(_RepoLoader(self.repo_templates))
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
        self.env.limits = self.limits
        self.limits.filters(self.env.filters)
        # lipsum(n=10**8) would only burn time; no document needs placeholder text.
        self.env.globals.pop("lipsum", None)
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
        limits = self.limits
        try:
            with limits.clock():
                # As Template.render does, without generate()'s extra generator per chunk.
                chunks = template.root_render_func(template.new_context(dict(context)))
                try:
                    text = limits.output(chunks)
                except Exception:  # noqa: BLE001 - re-raised at once, as Jinja's render does
                    self.env.handle_exception()  # with the template's own line numbers
        except (
            TemplateLimitError,
            AssertionError,  # a built-in filter's argument check (truncate(-5))
            MemoryError,
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
            (jinja2.TemplateNotFound, _("no such template in the templates folders")),
            (jinja2.exceptions.SecurityError, _("unsafe operation refused by the sandbox")),
            (jinja2.UndefinedError, _("undefined value")),
        ):
            if isinstance(exc, kind):
                what = label
        subject = _(" (rendering {id})").format(id=item) if item else ""
        message = getattr(exc, "message", None) or str(exc)
        if is_timeout(exc):
            what, message = _("template limit"), self.limits.timed_out()
        elif isinstance(exc, TemplateLimitError):
            what = _("template limit")
        elif isinstance(exc, MemoryError):
            message = _("the template needs more memory than there is")
        return DataError(
            f"{place}: "
            + _("{what}{subject}: {message}").format(what=what, subject=subject, message=message),
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


class _RepoLoader(jinja2.BaseLoader):
    """The repo's template folder: only files inside it (links followed, but never out
    of it), plain files of at most 1 MiB; ``..`` in a name is refused by Jinja."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.real = os.path.realpath(folder)

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        """The text of ``template`` from the repo's folder; TemplateNotFound if absent."""
        pieces = jinja2.loaders.split_template_path(template)
        path = self.folder.joinpath(*pieces)
        if not os.path.lexists(path):
            raise jinja2.TemplateNotFound(template)
        shown = f"{self.folder.name}/{'/'.join(pieces)}"
        real = os.path.realpath(path)
        if os.path.commonpath([self.real, real]) != self.real:
            raise DataError(
                _(
                    "{path}: symbolic link leads outside the templates folder; "
                    "it is not read (MIT010)"
                ).format(path=shown),
                hint=_("copy the template into the folder instead of linking to it"),
            )
        if os.path.isdir(path):
            raise jinja2.TemplateNotFound(template)
        try:
            text = safefile.read_bytes(path, MAX_TEMPLATE_BYTES).decode("utf-8")
        except safefile.RefusedFileError as exc:
            if exc.code == "MIT007":
                raise DataError(
                    _("{path}: templates must be under {limit} MiB").format(
                        path=shown, limit=MAX_TEMPLATE_BYTES // (1024 * 1024)
                    )
                ) from None
            raise DataError(f"{shown}: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise DataError(
                _("{path}: template is not UTF-8 text; save it as UTF-8").format(path=shown)
            ) from None
        except OSError as exc:
            raise DataError(
                _("{path}: cannot read template: {reason}").format(path=shown, reason=exc.strerror)
            ) from None
        return text, str(path), lambda: True
