"""Edit an item file in place, keeping everything that was not edited byte for byte.

ruamel.yaml's round-trip mode does the edit (comments, key order and quoting
survive). Its output can still differ from the file in places nobody touched
(indentation of lists, spacing, line folding), so the result is spliced: only
the lines that the edit changed are taken from ruamel; every other line is the
original's, unchanged.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import os
import re
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mitrm.core.diagnostics import Loc, format_loc
from mitrm.core.editing import block_ok, misread, needs_escape
from mitrm.core.editing.splice import splice
from mitrm.errors import DataError, MitrmError, UsageError
from mitrm.i18n import _, ngettext
from mitrm.io import safefile
from mitrm.io.atomic import write_atomic
from mitrm.io.yamlfile import MAX_BYTES, parse_bytes

_SEQ_UNDER_KEY = re.compile(
    r"^( *)[^\s#-][^\n]*:[ \t]*(?:#[^\n]*)?\n(?:[ \t]*(?:#[^\n]*)?\n)*( *)- ", re.M
)
_NESTED_KEY = re.compile(
    r"^( *)[^\s#-][^\n:]*:[ \t]*(?:#[^\n]*)?\n(?:[ \t]*(?:#[^\n]*)?\n)*( *)[^\s#-][^\n]*:", re.M
)


def _indentation(text: str) -> tuple[int, int, int]:
    """(mapping indent, sequence indent, dash offset) as the file already uses them."""
    mapping = 2
    for match in _NESTED_KEY.finditer(text):
        step = len(match.group(2)) - len(match.group(1))
        if step > 0:
            mapping = step
            break
    offset = 0
    for match in _SEQ_UNDER_KEY.finditer(text):
        step = len(match.group(2)) - len(match.group(1))
        if step >= 0:
            offset = step
            break
    return mapping, max(offset + 2, mapping if offset == 0 else offset + 2), offset


class NumberText(float):
    """A number from the command line that is written as the user gave it: a float
    would turn ``0.00001`` into ``1e-05`` (text to YAML 1.1) and drop digits of
    ``12345678901234567.89``."""

    text: str

    def __new__(cls, value: float, text: str) -> NumberText:
        """``value`` as read, written back as ``text``."""
        number = super().__new__(cls, value)
        number.text = text
        return number

    def __repr__(self) -> str:
        return self.text

    __str__ = __repr__


def _represent_number(representer: Any, number: NumberText) -> Any:
    return representer.represent_scalar("tag:yaml.org,2002:float", number.text)


def _lenient_timestamp(constructor: Any, node: Any) -> Any:
    from ruamel.yaml.constructor import RoundTripConstructor

    try:
        return RoundTripConstructor.construct_yaml_timestamp(constructor, node)
    except ValueError:
        # An impossible date (2026-02-30): kept as the text it is, so that the user can
        # still fix it with 'mitrm set' (validation reports it with its place).
        return constructor.construct_scalar(node)


_CLASSES: list[Any] = []


def _classes() -> tuple[Any, Any]:
    """ruamel's round-trip constructor and representer, with mitrm's two additions."""
    if not _CLASSES:
        from ruamel.yaml.constructor import RoundTripConstructor
        from ruamel.yaml.representer import RoundTripRepresenter

        class Constructor(RoundTripConstructor):
            pass

        class Representer(RoundTripRepresenter):
            pass

        Constructor.add_constructor("tag:yaml.org,2002:timestamp", _lenient_timestamp)
        Representer.add_representer(NumberText, _represent_number)
        _CLASSES[:] = [Constructor, Representer]
    return _CLASSES[0], _CLASSES[1]


def _yaml(text: str) -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.Constructor, yaml.Representer = _classes()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.allow_unicode = True
    mapping, sequence, offset = _indentation(text)
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    if text.lstrip("\ufeff").startswith("---"):
        yaml.explicit_start = True
    return yaml


def check_writable(path: Path, rel: str) -> None:
    """Refuse a read-only file before anything is written (UsageError, exit 2).

    A symbolic link is refused too: replacing it atomically would turn it into
    a copy and leave the file it points to unchanged.
    """
    if path.is_symlink():
        raise UsageError(
            _("{path} is a symbolic link; nothing was changed").format(path=rel),
            hint=_("edit the file it points to, or replace the link with the file"),
        )
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise UsageError(
            _("{path}: cannot read the file: {reason}").format(path=rel, reason=exc.strerror)
        ) from exc
    if not os.access(path, os.W_OK) or not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise UsageError(
            _("{path} is read-only; nothing was changed").format(path=rel),
            hint=_("make it writable first (chmod u+w {path})").format(path=rel),
        )
    if not os.access(path.parent, os.W_OK):
        raise UsageError(
            _("the folder of {path} is not writable; nothing was changed").format(path=rel)
        )


@dataclass
class Editable:
    """One item file opened for editing: its text, its plain data and the round-trip tree."""

    path: Path
    rel: str
    text: str
    data: dict[str, Any]
    doc: Any
    _yaml: Any = field(repr=False)
    _normal: str = field(repr=False)
    order: Callable[[Loc], Sequence[str]] = field(default=lambda loc: (), repr=False)
    """The natural order of the fields at a path, so new fields land in their place."""
    bom: str = ""
    crlf: bool = False

    def set(self, loc: Loc, value: Any) -> None:
        """Set the field at ``loc`` (creating missing mappings on the way)."""
        parent, key, rest = self._parent(loc)
        self._assign(
            parent, key, _nest(rest, value) if rest else value, loc[: len(loc) - len(rest) - 1]
        )

    def append(self, loc: Loc, value: Any) -> None:
        """Append ``value`` (or each entry of a list) to the list at ``loc``."""
        from ruamel.yaml.comments import CommentedSeq

        values = list(value) if isinstance(value, list) else [value]
        parent, key, rest = self._parent(loc)
        current = None if rest else _get(parent, key)
        if current is None:
            fresh = CommentedSeq([_to_node(v) for v in values])
            where = loc[: len(loc) - len(rest) - 1]
            self._assign(parent, key, _nest(rest, fresh) if rest else fresh, where)
            return
        if not isinstance(current, list):
            raise UsageError(
                _("'{field}' is not a list; use '=' to replace it").format(field=format_loc(loc))
            )
        for entry in values:
            before = len(current)
            current.append(_to_node(entry))
            if before:
                _move_trailing(current, before, self.text.splitlines())

    def remove(self, loc: Loc) -> None:
        """Remove the field at ``loc`` if it is there."""
        parent, key, rest = self._parent(loc)
        if not rest and isinstance(parent, dict) and key in parent:
            _keep_comments_of_removed(parent, key, self.text.splitlines())
            del parent[key]

    def _parent(self, loc: Loc) -> tuple[Any, str | int, Loc]:
        """The deepest existing container on the way to ``loc``, the key under it, and the
        part of the path that does not exist yet."""
        node = self.doc
        for depth, part in enumerate(loc[:-1]):
            if isinstance(node, list):
                if not isinstance(part, int) or not -len(node) <= part < len(node):
                    raise UsageError(
                        ngettext(
                            "'{field}' does not exist: '{list}' has {n} entry",
                            "'{field}' does not exist: '{list}' has {n} entries",
                            len(node),
                        ).format(
                            field=format_loc(loc[: depth + 1]),
                            list=format_loc(loc[:depth]) or _("the item"),
                            n=len(node),
                        )
                    )
                node = node[part]
                continue
            if not isinstance(node, dict):
                raise UsageError(
                    _("'{field}' is not a mapping of fields").format(field=format_loc(loc[:depth]))
                )
            child = node.get(part)
            if child is None:
                return node, part, loc[depth + 1 :]
            node = child
        if isinstance(node, list) and not isinstance(loc[-1], int):
            raise UsageError(
                _("'{field}' is a list: name an entry by its number").format(
                    field=format_loc(loc[:-1])
                )
            )
        if not isinstance(node, (dict, list)):
            raise UsageError(
                _("'{field}' is not a mapping of fields").format(field=format_loc(loc[:-1]))
            )
        return node, loc[-1], ()

    def _assign(self, parent: Any, key: str | int, value: Any, where: Loc) -> None:
        node = _to_node(value)
        if isinstance(parent, list):
            assert isinstance(key, int)
            if not -len(parent) <= key < len(parent):
                raise UsageError(
                    _("entry {n} does not exist (the list has {size})").format(
                        n=key, size=len(parent)
                    )
                )
            node = _keep_style(parent[key], node)
            parent[key] = node
            return
        if key in parent:
            parent[key] = _keep_style(parent[key], node)
            return
        parent.insert(_position(parent, key, self.order(where)), key, node)
        if len(parent) > 1:
            _move_trailing(parent, key, self.text.splitlines())

    def result(self) -> str:
        """The edited file's text: the original with only the edited lines replaced."""
        buffer = io.StringIO()
        self._yaml.dump(self.doc, buffer)
        text = splice(self.text, self._normal, buffer.getvalue())
        if self.crlf:
            text = text.replace("\n", "\r\n")
        return self.bom + text

    def original(self) -> str:
        """The file's text as read (byte order mark and line ends included)."""
        return self.bom + (self.text.replace("\n", "\r\n") if self.crlf else self.text)

    def checked(self, expected: dict[str, Any]) -> str:
        """The edited text, after making sure it reads back as ``expected``.

        A safety net under the YAML writer: if the text would read back as
        anything else, nothing is written (an internal error, exit 3).
        """
        text = self.result()
        loaded = parse_bytes(text.encode("utf-8"), self.rel)
        if loaded.data != expected:
            raise MitrmError(
                _(
                    "{path}: the edited file would not read back as intended; "
                    "nothing was changed (this is a bug in mitrm, please report it)"
                ).format(path=self.rel)
            )
        return text

    def save(self, expected: dict[str, Any] | None = None) -> str:
        """Write the edited text atomically (checked against ``expected``); return it."""
        text = self.result() if expected is None else self.checked(expected)
        if text != self.original():
            try:
                write_atomic(self.path, text)
            except OSError as exc:
                # A full disk, a quota: the temporary file is gone and the item untouched.
                raise UsageError(
                    _("cannot write {path}: {reason}; the file was left as it was").format(
                        path=self.rel, reason=exc.strerror or exc
                    ),
                    hint=_("free some space (or fix the permissions), then run the command again"),
                ) from None
        return text


def _position(parent: Any, key: Any, order: Sequence[str]) -> int:
    """Where a new field goes: after the last present field that comes before it naturally."""
    rank = {name: index for index, name in enumerate(order)}
    if key not in rank:
        return len(parent)
    before = [i for i, k in enumerate(parent) if k in rank and rank[k] < rank[key]]
    return before[-1] + 1 if before else 0


def _nest(path: Loc, value: Any) -> Any:
    """``{a: {b: value}}`` for the path ``(a, b)``."""
    from ruamel.yaml.comments import CommentedMap

    node = _to_node(value)
    for part in reversed(path):
        if isinstance(part, int):
            raise UsageError(_("entry {n} does not exist; append to a list with +=").format(n=part))
        node = CommentedMap([(part, node)])
    return node


def _get(parent: Any, key: str | int) -> Any:
    if isinstance(parent, list):
        return parent[key] if isinstance(key, int) and -len(parent) <= key < len(parent) else None
    return parent.get(key)


def _to_node(value: Any) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import (
        DoubleQuotedScalarString,
        LiteralScalarString,
        SingleQuotedScalarString,
    )

    if isinstance(value, str) and type(value) is str and needs_escape(value):
        return DoubleQuotedScalarString(value)  # escaped: \N, \L, \x1b...
    if isinstance(value, str) and "\n" in value and block_ok(value):
        return LiteralScalarString(value)
    if isinstance(value, str) and type(value) is str and misread(value):
        # ruamel writes YAML 1.2, where 'no' is text; PyYAML and most tools read 1.1.
        return SingleQuotedScalarString(value)
    if isinstance(value, dict) and not isinstance(value, CommentedMap):
        return CommentedMap((k, _to_node(v)) for k, v in value.items())
    if isinstance(value, list) and not isinstance(value, CommentedSeq):
        return CommentedSeq(_to_node(v) for v in value)
    if isinstance(value, dt.datetime):
        return value
    return value


def _keep_style(old: Any, new: Any) -> Any:
    """A new text value keeps the quoting of the value it replaces."""
    from ruamel.yaml.scalarstring import (
        DoubleQuotedScalarString,
        LiteralScalarString,
        SingleQuotedScalarString,
    )

    if isinstance(new, str) and not isinstance(new, LiteralScalarString):
        for style in (DoubleQuotedScalarString, SingleQuotedScalarString):
            if isinstance(old, style):
                return style(new)
    return new


def _deepest(container: Any, last: Any) -> tuple[Any, Any, int]:
    """Where the comment after entry ``last`` is kept: (holder, key, slot index)."""
    value = container[last]
    flow = getattr(getattr(value, "fa", None), "flow_style", lambda: False)()
    if isinstance(value, dict) and value and not flow:
        return _deepest(value, list(value)[-1])
    if isinstance(value, list) and value and not flow:
        return _deepest(value, len(value) - 1)
    return container, last, 2 if isinstance(container, dict) else 0


def _split_token(token: Any, value: Any, lines: list[str]) -> tuple[str, str]:
    """(what stays on the entry's own line, the blank lines and comments below it)."""
    text: str = token.value
    if _is_block(value):
        return "", text  # a block scalar ends its own line
    if text.startswith("#") and _after_content(token, lines):
        cut = text.find("\n") + 1 if "\n" in text else len(text)
        return text[:cut], text[cut:]
    if text.startswith("\n"):
        return "\n", text[1:]
    return "", text


def _move_trailing(container: Any, new_key: Any, lines: list[str]) -> None:
    """Keep blank lines and comments after a collection's end below its new last entry.

    ruamel attaches them to the previous last entry, so an appended entry would
    land after them (inside the next section); move them, but not an end-of-line
    comment of the previous entry.
    """
    if isinstance(container, dict):
        keys = list(container)
        at = keys.index(new_key)
        if at == 0:
            return
        last: Any = keys[at - 1]
    else:
        if new_key == 0:
            return
        last = new_key - 1
    holder, key, index = _deepest(container, last)
    items = holder.ca.items.get(key)
    if not items or items[index] is None:
        return
    token = items[index]
    keep, rest = _split_token(token, holder[key], lines)
    if not rest:
        return
    moved = copy.copy(token)
    moved.value = "\n" + rest
    if keep:
        token.value = keep
    else:
        items[index] = None
    target, target_key, target_index = _deepest(container, new_key)
    if _is_block(target[target_key]):
        moved.value = rest
    where = target.ca.items.setdefault(target_key, [None, None, None, None])
    where[target_index] = moved


def _is_block(value: Any) -> bool:
    from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

    return isinstance(value, (FoldedScalarString, LiteralScalarString))


def _keep_comments_of_removed(container: Any, key: Any, lines: list[str]) -> None:
    """Blank lines and comments after a removed field stay, under the field before it."""
    keys = list(container)
    position = keys.index(key)
    holder, last, index = _deepest(container, key)
    items = holder.ca.items.get(last)
    if not items or items[index] is None or position == 0:
        return
    _keep, rest = _split_token(items[index], holder[last], lines)
    if not rest:
        return
    target, target_key, target_index = _deepest(container, keys[position - 1])
    slot = target.ca.items.setdefault(target_key, [None, None, None, None])
    if slot[target_index] is not None:
        slot[target_index].value += rest
        return
    moved = copy.copy(items[index])
    moved.value = rest if _is_block(target[target_key]) else "\n" + rest
    slot[target_index] = moved


def _after_content(token: Any, lines: list[str]) -> bool:
    """Whether a comment token sits at the end of a line that holds a value."""
    mark = getattr(token, "start_mark", None)
    if mark is None or not 0 <= mark.line < len(lines):
        return True
    return bool(lines[mark.line][: mark.column].strip())


def open_item(
    root: Path, rel: str, *, order: Callable[[Loc], Sequence[str]] | None = None
) -> Editable:
    """Open ``rel`` for editing; DataError (path:line:col) if it is not valid YAML."""
    path = root / rel
    try:
        raw = safefile.read_bytes(path, MAX_BYTES)
    except OSError as exc:
        raise UsageError(
            _("{path}: cannot read the file: {reason}").format(path=rel, reason=exc.strerror)
        ) from exc
    loaded = parse_bytes(raw, rel)
    if loaded.data is None or loaded.text is None:
        first = loaded.diagnostics[0]
        raise DataError(
            _("{problem}; nothing was changed").format(problem=first.text()),
            hint=_("fix the file first ('mitrm validate {path}' shows every problem)").format(
                path=rel
            ),
        )
    text = raw.decode("utf-8")
    # Edit in plain LF text; the BOM and CRLF line ends are put back on the way out.
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    text = text.removeprefix("\ufeff")
    crlf = "\r\n" in text and text.count("\r\n") == text.count("\n")
    if crlf:
        text = text.replace("\r\n", "\n")
    yaml = _yaml(text)
    from ruamel.yaml.error import YAMLError

    try:
        doc = yaml.load(text)
    except YAMLError as exc:  # pragma: no cover - PyYAML accepted it above
        raise DataError(
            _("{path}: cannot be edited safely: {reason}").format(path=rel, reason=exc)
        ) from exc
    buffer = io.StringIO()
    yaml.dump(doc, buffer)  # the round trip without edits, before any edit is made
    editable = Editable(
        path, rel, text, loaded.data, doc, yaml, buffer.getvalue(), bom=bom, crlf=crlf
    )
    if order is not None:
        editable.order = order
    return editable
