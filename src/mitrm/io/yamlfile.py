"""Read item files safely and fast; find source positions only when a file has problems."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any

import yaml

from mitrm.core.diagnostics import Diagnostic, Loc
from mitrm.i18n import N_, _

MAX_BYTES = 1024 * 1024

_BaseLoader: type[yaml.SafeLoader]
try:
    _BaseLoader = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - only without libyaml
    _BaseLoader = yaml.SafeLoader

_CONFLICT = re.compile(r"^(<{7}|={7}|>{7})(?: |$)", re.MULTILINE)
_LEADING_TAB = re.compile(r"^ *\t", re.MULTILINE)
_MAP_TAG = "tag:yaml.org,2002:map"


class DuplicateKeyError(Exception):
    """A mapping names the same key twice (PyYAML would silently keep the last)."""

    def __init__(self, key: str, line: int, column: int, first_line: int) -> None:
        super().__init__(key)
        self.key = key
        self.line = line
        self.column = column
        self.first_line = first_line


class RefusedTagError(Exception):
    """A node carries a tag outside plain YAML data (``!!python/object``, ``!!binary``...)."""

    def __init__(self, tag: str, line: int, column: int) -> None:
        super().__init__(tag)
        self.tag = tag
        self.line = line
        self.column = column


class BadTagValueError(RefusedTagError):
    """An explicit tag whose value it cannot build (``!!bool maybe``, ``!!int`` with no value)."""

    def __init__(self, tag: str, value: str, line: int, column: int) -> None:
        super().__init__(tag, line, column)
        self.value = value


class KeyNotTextError(Exception):
    """A mapping key that YAML reads as something other than text (``on:`` is true)."""

    def __init__(self, raw: str, value: Any, line: int, column: int) -> None:
        super().__init__(raw)
        self.raw = raw
        self.value = value
        self.line = line
        self.column = column


class TooLargeError(Exception):
    """Aliases expand the document beyond any real item (a "billion laughs" file)."""


class FullWidthCommaError(Exception):
    """A plain entry of a ``[...]`` list holds a full-width comma (a Chinese keyboard's ``，``)."""

    def __init__(self, value: str, line: int, column: int) -> None:
        super().__init__(value)
        self.value = value
        self.line = line
        self.column = column


_STR = "tag:yaml.org,2002:str"
# Plain scalars starting with anything else are always text in YAML 1.1.
_MAYBE_TYPED = frozenset("0123456789-+.~nNtTfFyYoO<=")


_SEQ_TAG = "tag:yaml.org,2002:seq"
_NULL_TAG = "tag:yaml.org,2002:null"
_ScalarNode = yaml.ScalarNode
_MappingNode = yaml.MappingNode


class _FastLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The C parser with a quicker tag resolver: most values are plain text.

    Same answers as PyYAML's resolver (YAML 1.1 implicit types), without its
    generic bookkeeping: no path resolvers are registered, so none are tracked.
    """

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """No path-based resolvers are registered; skip the bookkeeping."""

    def ascend_resolver(self) -> None:
        """See :meth:`descend_resolver`."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        """Resolve a node's tag, answering "text" at once for the common case."""
        if kind is _ScalarNode:
            if implicit[0]:
                if not value:
                    return _NULL_TAG
                first = value[0]
                if first not in _MAYBE_TYPED:
                    return _STR
                for tag, pattern in _IMPLICIT.get(first, ()):
                    if pattern.match(value):
                        return str(tag)
            return _STR
        return _MAP_TAG if kind is _MappingNode else _SEQ_TAG


_RESOLVER: Any = None  # resolve() uses no loader state
_IMPLICIT: dict[str, list[tuple[str, Any]]] = yaml.SafeLoader.yaml_implicit_resolvers
_MAX_NODES = 200_000
_scalar_loader = yaml.SafeLoader("")
_SCALARS: dict[str, Any] = {
    "tag:yaml.org,2002:int": _scalar_loader.construct_yaml_int,
    "tag:yaml.org,2002:float": _scalar_loader.construct_yaml_float,
    "tag:yaml.org,2002:bool": _scalar_loader.construct_yaml_bool,
    "tag:yaml.org,2002:null": lambda node: None,
    "tag:yaml.org,2002:timestamp": _scalar_loader.construct_yaml_timestamp,
}


class _Builder:
    """Builds plain Python data from a composed node tree.

    PyYAML's own constructor spends most of a load in generic bookkeeping; plain
    data needs only this: a third less time per file, duplicate keys refused,
    and nothing but str/int/float/bool/null/date ever constructed. Text scalars,
    the common case, are taken inline without a call.
    """

    __slots__ = ("commas", "nodes")

    def __init__(self, *, commas: bool = False) -> None:
        self.nodes = 0
        self.commas = commas  # refuse '，' in plain entries of [...] lists

    def build(self, node: yaml.Node) -> Any:
        cls = node.__class__
        if cls is _ScalarNode:
            if node.tag == _STR:
                return node.value
            constructor = _SCALARS.get(node.tag)
            if constructor is None:
                raise _refused(node)
            try:
                return constructor(node)
            except (ValueError, OverflowError, LookupError, AttributeError, TypeError):
                # An impossible date (2026-02-30) looks like a timestamp to YAML; keep
                # the text so that validation says "must be a date", with its place.
                # An explicit tag on a value it cannot build is the writer's mistake.
                if _implicit_tag(node.value) == node.tag:
                    return node.value
                raise _bad_value(node) from None
        # Aliases share nodes: counting every visit bounds "billion laughs" files.
        self.nodes += len(node.value) + 1
        if self.nodes > _MAX_NODES:
            raise TooLargeError
        if cls is _MappingNode:
            if node.tag != _MAP_TAG:
                raise _refused(node)
            mapping: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.__class__ is _ScalarNode and key_node.tag == _STR:
                    key = key_node.value
                else:
                    key = self.build(key_node)
                    if key.__class__ is not str:
                        raise _not_text(key_node, key)
                if key in mapping:
                    raise _duplicate(node, key_node, key)
                if value_node.__class__ is _ScalarNode and value_node.tag == _STR:
                    mapping[key] = value_node.value
                else:
                    mapping[key] = self.build(value_node)
            return mapping
        if node.tag != _SEQ_TAG:
            raise _refused(node)
        if self.commas and node.flow_style:  # type: ignore[attr-defined]
            _check_commas(node)
        build = self.build
        return [
            child.value if child.__class__ is _ScalarNode and child.tag == _STR else build(child)
            for child in node.value
        ]


def _refused(node: yaml.Node) -> RefusedTagError:
    tag = node.tag.replace("tag:yaml.org,2002:", "!!")
    mark = node.start_mark
    return RefusedTagError(tag, mark.line + 1, mark.column + 1)


def _implicit_tag(value: str) -> str:
    """The tag YAML would give ``value`` written plain, without a tag."""
    return str(_FastLoader.resolve(_RESOLVER, _ScalarNode, value, (True, False)))


def _bad_value(node: yaml.Node) -> BadTagValueError:
    tag = node.tag.replace("tag:yaml.org,2002:", "!!")
    mark = node.start_mark
    return BadTagValueError(tag, node.value, mark.line + 1, mark.column + 1)


def _not_text(node: yaml.Node, value: Any) -> Exception:
    mark = node.start_mark
    if not isinstance(node, yaml.ScalarNode):
        return TypeError("key must be text")
    return KeyNotTextError(node.value, value, mark.line + 1, mark.column + 1)


def _duplicate(mapping: yaml.Node, key_node: yaml.Node, key: Any) -> DuplicateKeyError:
    first = next(k for k, _ in mapping.value if getattr(k, "value", None) == key_node.value)
    mark = key_node.start_mark
    return DuplicateKeyError(str(key), mark.line + 1, mark.column + 1, first.start_mark.line + 1)


def _check_commas(node: yaml.Node) -> None:
    for child in node.value:
        if child.__class__ is _ScalarNode and not child.style and "，" in child.value:
            mark = child.start_mark
            raise FullWidthCommaError(child.value, mark.line + 1, mark.column + 1)


def load_yaml(text: str, *, item_file: bool = False) -> Any:
    """Parse one YAML document into plain data with the C parser when available.

    ``item_file`` also refuses what is surely a typing slip in an item file
    (FullWidthCommaError), not in a value given on the command line.
    """
    loader = _FastLoader(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    if node is None:
        return None
    if ">" in text and not text.isascii():
        _refold_wide(node, text)
    return _Builder(commas=item_file and "，" in text).build(node)


def _refold_wide(root: yaml.Node, text: str) -> None:
    """Join the lines of folded (``>``) block scalars without a space between two wide
    (Chinese, Japanese, Korean) characters, in place in the node tree.

    YAML folds a line break into a space, which suits words separated by spaces;
    Chinese has none, so a paragraph wrapped in the file would read "搜索 拼音".
    """
    stack = [root]
    seen = 0
    while stack:
        node = stack.pop()
        seen += 1
        if seen > _MAX_NODES:
            return  # the builder refuses such a file; nothing to fix here
        if node.__class__ is _ScalarNode:
            if node.style == ">" and not node.value.isascii():
                raw = text[node.start_mark.index : node.end_mark.index]
                node.value = refold(raw, node.value)
        elif node.__class__ is _MappingNode:
            for key, value in node.value:
                stack.append(key)
                stack.append(value)
        else:
            stack.extend(node.value)


_HEADER = re.compile(r">([-+]?)[ \t]*(?:#.*)?$")


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def refold(raw: str, value: str) -> str:
    """``value``, the folded block scalar written as ``raw`` in the file, with no space
    where a line break between two wide characters was folded.

    Folding is done again here from the raw lines, the YAML way; when the result
    differs from the parser's own (a construct this does not follow: an explicit
    indentation indicator, tabs), the parser's value is kept as it is.
    """
    first, _, body = raw.partition("\n")
    header = _HEADER.match(first.strip())
    if header is None:
        return value
    lines = body.split("\n")
    indent = min((len(line) - len(line.lstrip(" ")) for line in lines if line.strip()), default=0)
    content = [line[indent:] if line.strip() else "" for line in lines]
    while content and content[-1] == "":
        content.pop()
    plain, wide = _fold(content, wide_join=False), _fold(content, wide_join=True)
    chomp = header.group(1)
    trail = "" if chomp == "-" else "\n"
    if chomp == "+":
        return value  # kept trailing lines: rare, left exactly as YAML reads them
    if plain + trail != value:
        return value
    return wide + trail


def _fold(lines: list[str], *, wide_join: bool) -> str:
    out = ""
    previous: str | None = None  # the last non-empty line
    blanks = 0
    for line in lines:
        if line == "":
            blanks += 1
            continue
        if previous is None:
            out += "\n" * blanks + line
        elif previous[:1] in (" ", "\t") or line[:1] in (" ", "\t"):
            out += "\n" * (blanks + 1) + line  # more-indented lines keep their breaks
        elif blanks:
            out += "\n" * blanks + line
        elif wide_join and _wide(previous[-1]) and _wide(line[0]):
            out += line
        else:
            out += " " + line
        previous, blanks = line, 0
    return out


@dataclass(slots=True)
class Loaded:
    """What reading one file gave: its data, or the diagnostics that stopped it."""

    data: dict[str, Any] | None
    text: str | None
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _problem(path: str, code: str, message: str, line: int = 1, column: int = 1) -> Loaded:
    return Loaded(None, None, [Diagnostic(path, code, message, line=line, column=column)])


def parse_bytes(raw: bytes, path: str) -> Loaded:
    """Turn a file's bytes into a mapping, or into file-level diagnostics (MIT0xx)."""
    if len(raw) > MAX_BYTES:
        return _problem(
            path,
            "MIT007",
            _("file is {size} KiB; item files must be under 1 MiB").format(size=len(raw) // 1024),
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        return _problem(
            path,
            "MIT006",
            _("file is not UTF-8 text; save it as UTF-8 (most editors offer this on save)"),
            line,
            column,
        )
    text = text.removeprefix("\ufeff")
    return parse_text(text, path)


def parse_text(text: str, path: str) -> Loaded:
    """Parse decoded YAML text; see :func:`parse_bytes`."""
    conflict = _CONFLICT.search(text)
    if conflict:
        line = text.count("\n", 0, conflict.start()) + 1
        return _problem(
            path,
            "MIT003",
            _(
                "unresolved git merge conflict: keep one side, delete the "
                "'<<<<<<<', '=======' and '>>>>>>>' lines, then commit"
            ),
            line,
        )
    if "\u3000" in text:
        indented = _IDEOGRAPHIC_INDENT.search(text)
        if indented:
            return _ideographic_indent(text, path, indented)
    try:
        data = load_yaml(text, item_file=True)
    except DuplicateKeyError as exc:
        return _problem(
            path,
            "MIT002",
            _(
                "duplicate key '{key}' (first on line {line}); "
                "YAML would silently keep only the last one"
            ).format(key=exc.key, line=exc.first_line),
            exc.line,
            exc.column,
        )
    except BadTagValueError as exc:
        what = (
            _("'{value}' is not a valid {tag}").format(value=exc.value, tag=exc.tag)
            if exc.value
            else _("{tag} has no value").format(tag=exc.tag)
        )
        return _problem(
            path,
            "MIT009",
            _("{problem}; remove the tag and write a plain value").format(problem=what),
            exc.line,
            exc.column,
        )
    except RefusedTagError as exc:
        message = (
            _("merge keys ('<<') are not allowed in item files; write plain values")
            if exc.tag == "!!merge"
            else _(
                "YAML tag {tag} is not allowed in item files (never run or constructed); "
                "write plain values"
            ).format(tag=exc.tag)
        )
        return _problem(
            path,
            "MIT009",
            message,
            exc.line,
            exc.column,
        )
    except KeyNotTextError as exc:
        return _problem(
            path,
            "MIT011",
            _("key '{key}' is read by YAML as {value}, not as text; quote it: '{key}':").format(
                key=exc.raw, value=_yaml_word(exc.value)
            ),
            exc.line,
            exc.column,
        )
    except FullWidthCommaError as exc:
        return _problem(
            path,
            "MIT013",
            _(
                "full-width comma '，' in a [...] list: YAML reads '{text}' as one entry; "
                "separate entries with an ASCII comma ',' (or quote the entry if the comma "
                "belongs to the text)"
            ).format(text=exc.value),
            exc.line,
            exc.column + exc.value.index("，"),
        )
    except (TooLargeError, RecursionError):
        return _problem(
            path, "MIT001", _("invalid YAML: aliases expand to far more data than an item holds")
        )
    except TypeError:
        return _problem(
            path, "MIT001", _("invalid YAML: a key must be plain text, not a list or mapping")
        )
    except yaml.MarkedYAMLError as exc:
        return _syntax_problem(text, path, exc)
    except yaml.reader.ReaderError as exc:
        line, column, char = _unprintable(text)
        return _problem(
            path,
            "MIT001",
            _(
                "invalid YAML: {reason} (U+{code}); "
                'delete it, or write it as an escape in double quotes ("\\x07")'
            ).format(reason=exc.reason, code=f"{ord(char):04X}"),
            line,
            column,
        )
    except yaml.YAMLError as exc:
        return _problem(path, "MIT001", _("invalid YAML: {problem}").format(problem=exc))
    if data is None:
        return _problem(
            path, "MIT005", _("file is empty; an item needs at least an id and a title")
        )
    if not isinstance(data, dict):
        colon = _full_width_colon(text, path)
        if colon is not None:
            return colon
        names: dict[type, str] = {list: _("a list"), str: _("a piece of text")}
        found = names.get(type(data), type(data).__name__)
        return _problem(
            path,
            "MIT004",
            _("an item file must be a mapping of fields, found {found}").format(found=found),
        )
    return Loaded(data, text)


_UNPRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _unprintable(text: str) -> tuple[int, int, str]:
    """Line, column and the character of the first one YAML does not accept (a NUL)."""
    found = _UNPRINTABLE.search(text)
    if found is None:
        return 1, 1, "\0"
    start = found.start()
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return text.count("\n", 0, start) + 1, column, found.group()


# A key typed with a Chinese keyboard: 'title：' (U+FF1A) where YAML needs 'title: '.
_FULL_WIDTH_COLON = re.compile(r"^([ ]*(?:- )?)([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*：", re.MULTILINE)
# A key line indented with full-width spaces (U+3000), which YAML reads as part of the key.
_IDEOGRAPHIC_INDENT = re.compile(
    r"^[ ]*\u3000[ \u3000]*(?:- )?[A-Za-z_][A-Za-z0-9_.-]*[ \t]*[:：]", re.MULTILINE
)


def _full_width_colon(text: str, path: str) -> Loaded | None:
    match = _FULL_WIDTH_COLON.search(text)
    if match is None:
        return None
    line = text.count("\n", 0, match.start()) + 1
    key = match.group(2)
    return _problem(
        path,
        "MIT013",
        _(
            "full-width colon '：' after the key '{key}'; YAML needs an ASCII colon and a "
            "space: '{key}: '"
        ).format(key=key),
        line,
        match.end() - match.start(),
    )


def _ideographic_indent(text: str, path: str, match: re.Match[str]) -> Loaded:
    line = text.count("\n", 0, match.start()) + 1
    column = text.index("\u3000", match.start()) - match.start() + 1
    return _problem(
        path,
        "MIT013",
        _(
            "full-width space (U+3000) used for indentation; indent with ASCII spaces "
            "(switch the input method to half-width)"
        ),
        line,
        column,
    )


# PyYAML's words for the commonest syntax errors, so that they read in the user's language.
_YAML_PROBLEMS = frozenset(
    {
        N_("syntax error"),
        N_("mapping values are not allowed here"),
        N_("mapping values are not allowed in this context"),
        N_("could not find expected ':'"),
        N_("did not find expected key"),
        N_("did not find expected '-' indicator"),
        N_("did not find expected ',' or ']'"),
        N_("did not find expected ',' or '}'"),
        N_("did not find expected node content"),
        N_("found character that cannot start any token"),
        N_("found unexpected end of stream"),
        N_("found unknown escape character"),
        N_("found undefined alias"),
        N_("expected <block end>, but found '<block mapping start>'"),
        N_("expected <block end>, but found '<block sequence start>'"),
        N_("expected <block end>, but found '-'"),
        N_("expected <block end>, but found '<scalar>'"),
        N_("while scanning a simple key"),
        N_("while scanning a quoted scalar"),
        N_("while scanning a plain scalar"),
        N_("while scanning a block scalar"),
        N_("while parsing a block mapping"),
        N_("while parsing a block collection"),
        N_("while parsing a flow sequence"),
        N_("while parsing a flow mapping"),
        N_("while parsing a flow node"),
        N_("while parsing a block node"),
    }
)


def _yaml_words(text: str) -> str:
    return _(text) if text in _YAML_PROBLEMS else text


def _quote_hint(text: str, mark: Any) -> str:
    """For ``title: 注意: 这里``: the value holds ': ' and needs quotes."""
    lines = text.splitlines()
    if mark is None or mark.line >= len(lines):
        return ""
    match = re.match(r"^([ ]*(?:- )?)([^\s:#'\"][^:#]*?):[ \t]+([^'\"].*?)\s*$", lines[mark.line])
    if match is None or ": " not in match.group(3):
        return ""
    value = match.group(3).replace("\\", "\\\\").replace('"', '\\"')
    return _("; the value holds ': ', so quote it: {key}: \"{value}\"").format(
        key=match.group(2), value=value
    )


def _yaml_word(value: Any) -> str:
    if value is None:
        return _("'no value'")
    if isinstance(value, bool):
        return "true" if value else "false"
    return _("the {type} {value}").format(type=type(value).__name__, value=repr(value))


def _syntax_problem(text: str, path: str, exc: yaml.MarkedYAMLError) -> Loaded:
    mark = exc.problem_mark or exc.context_mark
    line = (mark.line + 1) if mark else 1
    column = (mark.column + 1) if mark else 1
    tab = _LEADING_TAB.search(text)
    if tab:
        tab_line = text.count("\n", 0, tab.start()) + 1
        return _problem(
            path,
            "MIT008",
            _("tab character used for indentation; YAML allows spaces only"),
            tab_line,
            tab.end() - tab.start(),
        )
    colon = _full_width_colon(text, path)
    if colon is not None:
        return colon
    problem = _yaml_words((exc.problem or "syntax error").strip())
    context = f" {_yaml_words(exc.context.strip())}" if exc.context else ""
    hint = _quote_hint(text, exc.problem_mark) if "mapping values" in (exc.problem or "") else ""
    message = _("invalid YAML: {problem}").format(problem=problem + context) + hint
    return _problem(path, "MIT001", message, line, column)


# --- source positions, computed only for files that have diagnostics -------------


@dataclass(frozen=True, slots=True)
class Place:
    """Where a field path points in the file, plus what the scalar looked like."""

    line: int
    column: int
    raw: str | None = None
    plain: bool = False


class PositionIndex:
    """Maps field paths to line and column by walking the composed node tree once."""

    def __init__(self, text: str) -> None:
        try:
            self._root: yaml.Node | None = yaml.compose(text, Loader=_BaseLoader)
        except yaml.YAMLError:
            self._root = None

    def find(self, loc: Loc, *, key: bool = False) -> Place:
        """The place of ``loc``: its key if ``key``, else its value.

        A path that does not exist points at the nearest existing parent, so a
        missing field is reported on the mapping that should hold it.
        """
        node = self._root
        if node is None:
            return Place(1, 1)
        key_node: yaml.Node | None = None
        for part in loc:
            child, child_key = _child(node, part)
            if child is None:
                break
            node, key_node = child, child_key
        else:
            if key and key_node is not None:
                return _place(key_node)
            return _place(node)
        if key_node is not None:
            return _place(key_node)
        return _place(node)


def _child(node: yaml.Node, part: str | int) -> tuple[yaml.Node | None, yaml.Node | None]:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(part):
                return value_node, key_node
    elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part], None
    return None, None


def _place(node: yaml.Node) -> Place:
    mark = node.start_mark
    if isinstance(node, yaml.ScalarNode):
        return Place(mark.line + 1, mark.column + 1, node.value, not node.style)
    return Place(mark.line + 1, mark.column + 1)


_BOOL_WORDS = re.compile(
    r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$"
)
_NULL_WORDS = {"", "~", "null", "Null", "NULL"}
_NUMBER = re.compile(
    r"^[-+]?(?:0|[1-9][0-9_]*|0[0-7]+|0x[0-9a-fA-F]+)?(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?$"
)
_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}")


def _real_date(raw: str) -> bool:
    import datetime as dt

    try:
        dt.date.fromisoformat(raw[:10])
    except ValueError:
        return False
    return True


def trap_hint(raw: str) -> str | None:
    """A hint when a plain scalar is one of YAML 1.1's surprises, else None."""
    if _BOOL_WORDS.match(raw):
        value = "true" if raw.lower() in ("y", "yes", "true", "on") else "false"
        return _("YAML reads {raw} as {value}; quote it: '{raw}'").format(raw=raw, value=value)
    if raw in _NULL_WORDS:
        if not raw:
            return _("YAML reads an empty value as no value; fill it in")
        return _(
            "YAML reads {raw} as no value; fill it in, or quote it if you mean the word"
        ).format(raw=raw)
    if _NUMBER.match(raw) and any(ch.isdigit() for ch in raw):
        if re.match(r"^[-+]?\d+\.\d*0$", raw):
            return _("YAML reads {raw} as the number {number}; quote it: '{raw}'").format(
                raw=raw, number=repr(float(raw))
            )
        return _("YAML reads {raw} as a number; quote it: '{raw}'").format(raw=raw)
    if _DATE.match(raw) and _real_date(raw):
        return _("YAML reads {raw} as a date; quote it: '{raw}'").format(raw=raw)
    return None


def locate(diagnostics: list[Diagnostic], texts: dict[str, str]) -> list[Diagnostic]:
    """Give every diagnostic with a field path its line and column, adding YAML-trap hints.

    ``texts`` maps a path to its text; each file is composed at most once.
    """
    from mitrm.core.checking import DATE_PROBLEMS

    indexes: dict[str, PositionIndex] = {}
    placed: list[Diagnostic] = []
    for diagnostic in diagnostics:
        if diagnostic.line or diagnostic.path not in texts:
            placed.append(diagnostic)
            continue
        index = indexes.get(diagnostic.path)
        if index is None:
            index = indexes[diagnostic.path] = PositionIndex(texts[diagnostic.path])
        place = index.find(diagnostic.loc, key=diagnostic.key)
        located = diagnostic.located(place.line, place.column)
        # A field that wants a date was given a date-like value: quoting would not help.
        wants_date = any(_(problem) in diagnostic.message for problem in DATE_PROBLEMS)
        if (
            diagnostic.code in ("MIT102", "MIT104")
            and place.plain
            and place.raw is not None
            and not wants_date
        ):
            hint = trap_hint(place.raw)
            if hint:
                located = replace(
                    located,
                    message=_("{problem}; {hint}").format(problem=located.message, hint=hint),
                )
        placed.append(located)
    return placed
