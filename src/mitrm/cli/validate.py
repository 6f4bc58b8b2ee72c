"""``mitrm validate``: check items against models, workflow, cross-file and quality rules."""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mitrm.cli import completion as complete
from mitrm.cli.context import State, state
from mitrm.cli.helps import HELP
from mitrm.cli.output import emit_json
from mitrm.core.checking import sarif_log, settings_problems, unknown_codes, with_selection
from mitrm.core.diagnostics import Diagnostic, Severity, count
from mitrm.core.models import Kind
from mitrm.errors import NotAGitRepoError, RepoNotFoundError, SettingsError, UsageError
from mitrm.i18n import _, ngettext
from mitrm.io.discovery import discover, find_root
from mitrm.io.git import changed_since as changed
from mitrm.io.git import data_roots, staged, unstaged
from mitrm.io.history import check_with_history
from mitrm.io.yamlfile import locate

if TYPE_CHECKING:
    from mitrm.core.models import Settings


class DiagnosticFormat(str, Enum):
    """How ``validate`` prints its diagnostics."""

    TEXT = "text"
    JSON = "json"
    GITHUB = "github"
    SARIF = "sarif"


def register(app: typer.Typer) -> None:
    """Add the command to ``app``."""
    app.command("validate", help=_(HELP["validate"]))(validate)


def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help=_(
                "Files or folders to report on (default: the whole repo). "
                "References are always resolved against the whole repo."
            ),
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        DiagnosticFormat, typer.Option("--format", "-f", help=_("Output format."))
    ] = DiagnosticFormat.TEXT,
    strict: Annotated[
        bool, typer.Option("--strict", help=_("Treat warnings as errors (exit 1)."))
    ] = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help=_("Ignore and do not update the cache."))
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, help=_("Worker processes (default: cores).")),
    ] = None,
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select",
            metavar="CODE",
            help=_(
                "Run only these quality rules (a code or a prefix such as MIT41; "
                "repeatable; replaces rules.select of mitrm.yaml)."
            ),
            show_default=False,
            autocompletion=complete.rule_codes,
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option(
            "--ignore",
            metavar="CODE",
            help=_(
                "Skip these quality rules (a code or a prefix; repeatable; "
                "added to rules.ignore of mitrm.yaml)."
            ),
            show_default=False,
            autocompletion=complete.rule_codes,
        ),
    ] = None,
    changed_since: Annotated[
        str | None,
        typer.Option(
            "--changed-since",
            metavar="REF",
            help=_(
                "Report only on items changed since REF (its merge base with HEAD), "
                "uncommitted and untracked files included. Needs git."
            ),
        ),
    ] = None,
    hook: Annotated[
        bool,
        typer.Option(
            "--hook",
            help=_(
                "Check the repo as the commit will hold it (the pre-commit hook's mode): "
                "files git does not track are left out, errors from every file are reported, "
                "warnings only for the PATHs given (none without PATHs). Needs git."
            ),
        ),
    ] = False,
) -> int:
    """Check item files against the models, the workflow, the rules across files and the
    quality rules (MIT4xx: vague wording, rush requests, missing tests...).

    Never writes a file. Exit 0 when clean, 1 when there are errors (or
    warnings with --strict), 2 on a usage error.
    """
    run = state(ctx)
    root = _root_for(run, paths, hook=hook)
    settings = _rule_settings(root, run.settings(root), select or [], ignore or [])
    only = _selected(root, paths) if paths else None
    if changed_since is not None:
        since = changed(root, changed_since)
        only = since if only is None else only & since
    within = _staged(root) if hook else None
    if hook and only is None:
        only = set()  # nothing committed to warn about; errors still count
    result = check_with_history(
        root, settings=settings, use_cache=not no_cache, jobs=jobs, within=within
    )
    diagnostics = result.diagnostics
    if only is not None:
        # --hook: a commit must not leave an error anywhere (a deletion breaks other files)
        diagnostics = [
            d for d in diagnostics if d.path in only or (hook and d.severity is Severity.ERROR)
        ]
    if strict:
        diagnostics = [d.with_severity(Severity.ERROR) for d in diagnostics]
    files = result.files if hook or only is None else len(only)
    errors, warnings = count(diagnostics)
    _print(fmt, diagnostics, files, errors, warnings)
    for note in result.notes:
        sys.stderr.write(f"note: {note}\n")
    return 1 if errors else 0


def _rule_settings(
    root: Path, settings: Settings, select: list[str], ignore: list[str]
) -> Settings:
    """The settings with --select/--ignore applied; bad codes are usage or settings errors."""
    bad = unknown_codes([code.upper() for code in (*select, *ignore)])
    if bad:
        raise UsageError(
            _("unknown rule code {codes}").format(codes=", ".join(repr(code) for code in bad)),
            hint=_(
                "quality and history rules are MIT401 and up; a prefix such as MIT41 "
                "selects several (see docs/rules.md)"
            ),
        )
    problems = settings_problems(settings)
    if problems:
        found = [Diagnostic("mitrm.yaml", "MIT102", text, loc=loc) for loc, text in problems]
        try:
            text = (root / "mitrm.yaml").read_text(encoding="utf-8-sig")
            found = locate(found, {"mitrm.yaml": text})
        except (OSError, UnicodeDecodeError):
            pass
        raise SettingsError(_("mitrm.yaml is not valid"), list(found))
    return with_selection(
        settings,
        select=[code.upper() for code in select],
        ignore=[code.upper() for code in ignore],
    )


def _root_for(run: State, paths: list[Path] | None, *, hook: bool = False) -> Path:
    """The repo root; a hook run from the git root finds a data repo in a subfolder by its
    paths, or (with ``--hook`` and no paths) as the one staged ``mitrm.yaml``."""
    try:
        return run.root()
    except RepoNotFoundError as missing:
        if run.repo is not None or not (paths or hook):
            raise
        if paths:
            return find_root(paths[0].resolve().parent)
        try:
            roots = data_roots(Path.cwd())
        except NotAGitRepoError:
            raise missing from None
        if len(roots) == 1:
            return roots[0]
        if len(roots) > 1:
            raise UsageError(
                _("{n} data repos in this git repository; say which to check").format(n=len(roots)),
                hint=_("in .pre-commit-config.yaml: args: [-C, path/to/data-repo]"),
            ) from None
        raise missing from None


def _staged(root: Path) -> set[str]:
    """The item paths the commit will hold; a note when the working tree differs from them."""
    try:
        kept = staged(root)
    except NotAGitRepoError as exc:
        raise NotAGitRepoError(
            _("{folder} is not in a git repository; --hook checks what git will commit").format(
                folder=root
            ),
            hint=_("leave out --hook to check the files as they are"),
        ) from exc
    folders = tuple(f"{kind.folder}/" for kind in Kind)
    differ = sorted(
        path for path in unstaged(root) if path.startswith(folders) or path == "mitrm.yaml"
    )
    if differ:
        # pre-commit sets unstaged changes aside before running the hook; a plain run does not
        shown = ", ".join(differ[:3]) + (", ..." if len(differ) > 3 else "")
        sys.stderr.write(
            _(
                "note: {n} file(s) differ from what is staged ({paths}); "
                "checked as they are in the working tree"
            ).format(n=len(differ), paths=shown)
            + "\n"
        )
    return kept


def _selected(root: Path, paths: list[Path]) -> set[str]:
    """The repo-relative item paths named by ``paths`` (files or folders)."""
    known = {item.path for item in discover(root)}
    chosen: set[str] = set()
    for path in paths:
        full = Path(os.path.abspath(path))
        if not full.exists() and not full.is_symlink():
            raise UsageError(_("{path}: no such file or folder").format(path=path))
        try:
            rel = full.relative_to(root).as_posix()
        except ValueError as exc:
            raise UsageError(
                _("{path} is outside the data repo {root}").format(path=path, root=root)
            ) from exc
        if rel == "mitrm.yaml":
            # New settings can change the verdict on any item: report on all of them.
            return set(known)
        if full.is_dir() and not full.is_symlink():
            prefix = "" if rel == "." else rel + "/"
            chosen |= {item for item in known if item.startswith(prefix)}
        elif rel in known:
            chosen.add(rel)
    return chosen


def _print(
    fmt: DiagnosticFormat,
    diagnostics: list[Diagnostic],
    files: int,
    errors: int,
    warnings: int,
) -> None:
    if fmt is DiagnosticFormat.JSON:
        emit_json(
            {
                "diagnostics": [d.as_json() for d in diagnostics],
                "summary": {"files": files, "errors": errors, "warnings": warnings},
            }
        )
        return
    if fmt is DiagnosticFormat.SARIF:
        emit_json(sarif_log(diagnostics))
        sys.stderr.write(summary_line(files, errors, warnings) + "\n")
        return
    if fmt is DiagnosticFormat.GITHUB:
        for d in diagnostics:
            level = "error" if d.severity.value == "error" else "warning"
            message = _gh_escape(f"{d.code} {d.message}")
            sys.stdout.write(
                f"::{level} file={_gh_prop(d.path)},line={max(d.line, 1)},"
                f"col={max(d.column, 1)},title={d.code}::{message}\n"
            )
    else:
        for d in diagnostics:
            sys.stderr.write(d.text() + "\n")
    sys.stderr.write(summary_line(files, errors, warnings) + "\n")


def summary_line(files: int, errors: int, warnings: int) -> str:
    """``checked 24 files: 0 errors, 11 warnings`` in the interface language."""
    return _("{files}: {errors}, {warnings}").format(
        files=ngettext("checked {n} file", "checked {n} files", files).format(n=files),
        errors=ngettext("{n} error", "{n} errors", errors).format(n=errors),
        warnings=ngettext("{n} warning", "{n} warnings", warnings).format(n=warnings),
    )


def _gh_escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(text: str) -> str:
    return _gh_escape(text).replace(":", "%3A").replace(",", "%2C")
