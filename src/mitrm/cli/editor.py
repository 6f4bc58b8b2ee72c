"""``mitrm new --edit``: open the new file in the user's editor until it validates."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from mitrm.cli.prompt import read_line
from mitrm.core.checking import validate_item
from mitrm.core.diagnostics import Severity
from mitrm.core.record import Record
from mitrm.errors import UsageError
from mitrm.i18n import _
from mitrm.io import safefile
from mitrm.io.yamlfile import MAX_BYTES, locate, parse_bytes

if TYPE_CHECKING:
    from mitrm.core.models import Kind, Settings


def editor_command() -> list[str]:
    """The editor command from $VISUAL or $EDITOR; UsageError if there is none."""
    command = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not command:
        raise UsageError(
            _(
                "--edit needs an editor, but neither $VISUAL nor $EDITOR is set; "
                "nothing was created"
            ),
            hint=_("e.g. export EDITOR=nano (or 'code --wait', 'vim')"),
        )
    try:
        argv = shlex.split(command)
    except ValueError as exc:
        raise UsageError(
            _("$EDITOR cannot be read ({reason}); nothing was created").format(reason=exc)
        ) from None
    if not argv or shutil.which(argv[0]) is None:
        raise UsageError(
            _("editor '{editor}' (from $EDITOR) was not found; nothing was created").format(
                editor=argv[0] if argv else command
            ),
            hint=_("set EDITOR to an installed editor, e.g. export EDITOR=nano"),
        )
    return argv


def _problems(root: Path, settings: Settings, kind: Kind, path: Path) -> list[str]:
    """The errors in the edited file, one diagnostic line each."""
    rel = path.relative_to(root).as_posix()
    try:
        raw = safefile.read_bytes(path, MAX_BYTES)
    except OSError as exc:
        raise UsageError(
            _("{path}: the editor left no readable file ({reason})").format(
                path=rel, reason=exc.strerror or exc
            ),
            hint=_("run 'mitrm new' again; nothing else was changed"),
        ) from None
    loaded = parse_bytes(raw, rel)
    record = Record(path=rel, kind=kind, data=loaded.data)
    record.diagnostics = list(loaded.diagnostics)
    validate_item(record, settings=settings)
    found = [d for d in record.diagnostics if d.severity is Severity.ERROR]
    if loaded.text is not None:
        found = locate(found, {rel: loaded.text})
    return [d.text() for d in found]


def edit_until_valid(
    root: Path, settings: Settings, kind: Kind, path: Path, *, asking: bool
) -> int:
    """Open the editor until the file validates, the user keeps it as a draft, or discards it."""
    argv = editor_command()
    rel = path.relative_to(root).as_posix()
    while True:
        try:
            done = subprocess.run([*argv, str(path)], check=False)
        except OSError as exc:
            path.unlink(missing_ok=True)
            raise UsageError(
                _("cannot run the editor {editor}: {reason}; nothing was created").format(
                    editor=argv[0], reason=exc.strerror
                )
            ) from None
        if done.returncode != 0:
            path.unlink(missing_ok=True)
            raise UsageError(
                _("the editor exited with status {code}; nothing was created").format(
                    code=done.returncode
                )
            )
        problems = _problems(root, settings, kind, path)
        if not problems:
            return 0
        for line in problems:
            sys.stderr.write(line + "\n")
        kept = _("kept {path} as a draft; fix it, then run 'mitrm validate {path}'").format(
            path=rel
        )
        if not asking:
            sys.stderr.write(kept + "\n")
            return 1
        sys.stderr.write(
            _(
                "The file does not validate. [r]e-open the editor, [k]eep it as a "
                "draft, or [d]iscard it? [r]: "
            )
        )
        sys.stderr.flush()
        reply = read_line()
        # Enter takes the default shown ([r]); only the end of input keeps the draft,
        # since re-opening the editor forever would hang a script.
        answer = "k" if reply is None else (reply.strip().lower()[:1] or "r")
        if answer == "k":
            sys.stderr.write(kept + "\n")
            return 1
        if answer == "d":
            path.unlink(missing_ok=True)
            sys.stderr.write(_("discarded; nothing was created") + "\n")
            return 1
